"""A site's people, from a roster: its clinicians' and staff's names wherever they stand, in any case.

Notes name clinicians by surname alone and in lower case (`okonkwo aware`), where
no cue may stand. A roster (`kind = "roster"`, one person a line) makes each of
its name words a candidate, in any case and with or without diacritics, when it
can only be a name; a name word that is also an English, stop or clinical word
(`Long`, `Bear`, `Foley`) only when written as a name (capitalised in mixed-case
text) or next to another word of the same person's name (`kim long`).
Adjacent words make one span (`Adaeze Okonkwo`). Initials are left to the cue
recognizers.
"""

from __future__ import annotations

import regex
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.recognizers import Span, Tuning, VocabularyRecognizer
from deidstream.detection.lexicons.site_lists import NAME_WORD, RosterName
from deidstream.detection.lexicons.vocabulary import Vocabulary, fold
from deidstream.entity import EntityType

# Blanks, or a comma and blanks (`Okonkwo, Adaeze`), between two words of one name.
NAME_GAP = regex.compile(r"[ \t]*,?[ \t]+|[ \t]*,[ \t]*")


class RosterRecognizer(VocabularyRecognizer):
    def __init__(
        self,
        name: str,
        people: list[RosterName],
        vocabulary: Vocabulary,
        entity_type: EntityType,
        score: float,
        supported_language: str = "en",
    ) -> None:
        super().__init__(vocabulary, supported_language, Tuning(entity_type, score), name)
        self._people: dict[str, set[int]] = {}  # name word -> the people whose name holds it
        self._ambiguous: set[str] = set()
        for person, roster_name in enumerate(people):
            for word in roster_name.given + roster_name.family:
                for key in {fold(word), *(fold(part) for part in word.split("-") if len(part) > 1)}:
                    if len(key) < 2:
                        continue
                    self._people.setdefault(key, set()).add(person)
                    if self._is_also_a_word(key):
                        self._ambiguous.add(key)

    def _is_also_a_word(self, word: str) -> bool:
        vocabulary = self._vocabulary
        return (
            vocabulary.is_common_word(word)
            or vocabulary.is_stop_word(word)
            or vocabulary.is_clinical(word)
            or vocabulary.is_particle(word)
        )

    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        mixed_case = not (text.isupper() or text.islower())
        words = [(match, self._people.get(fold(match.group()))) for match in NAME_WORD.finditer(text)]
        taken = [
            people is not None
            and (
                fold(match.group()) not in self._ambiguous
                or (mixed_case and match.group()[0].isupper())
                or self._next_to_same_person(text, words, index)
            )
            for index, (match, people) in enumerate(words)
        ]
        spans: list[Span] = []
        for index, (match, _people) in enumerate(words):
            if not taken[index]:
                continue
            if spans and taken[index - 1] and NAME_GAP.fullmatch(text, words[index - 1][0].end(), match.start()):
                spans[-1] = (spans[-1][0], match.end())
            else:
                spans.append(match.span())
        return spans

    def _next_to_same_person(
        self, text: str, words: list[tuple[regex.Match[str], set[int] | None]], index: int
    ) -> bool:
        match, people = words[index]
        assert people is not None
        for neighbour in (index - 1, index + 1):
            if not 0 <= neighbour < len(words):
                continue
            other, others = words[neighbour]
            left, right = (other, match) if neighbour < index else (match, other)
            if others and people & others and NAME_GAP.fullmatch(text, left.end(), right.start()):
                return True
        return False
