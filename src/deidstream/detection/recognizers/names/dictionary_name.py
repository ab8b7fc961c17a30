"""Words that are census names and nothing else (`Wrzesniak`, `Vasquez`, `garrow`), wherever they stand, with
the first names before them and the words that continue them after them.

spaCy's small model misses names in all-caps and lower-case note text. A word that
is in the census name lists but is neither English nor clinical vocabulary is a
name with high probability, whatever its case or context. So is a listed first
name followed by a surname no list holds (`BEA QUORVIK`), and, in mixed-case text, a
frequent first name capitalised inside a sentence (`work with Helen`).
"""

from __future__ import annotations

import regex as re
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.recognizers import Span, VocabularyRecognizer
from deidstream.detection.lexicons.name_ranks import FIRST_NAME_IN_SENTENCE_RANK, NAME_WITHOUT_CUE_RANK
from deidstream.entity import EntityType

WHOLE_WORD = re.compile(r"\b\p{L}[\p{L}'’]*\b")
SPACE = " "
# A name has a few words: growth stops there, so a line of name-like words is not re-read from every one of them.
MAX_NAME_GROWTH = 3


class DictionaryNameRecognizer(VocabularyRecognizer):
    ENTITY = EntityType.PERSON
    SCORE = 0.6

    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        words = list(WHOLE_WORD.finditer(text))
        mixed_case = not (text.isupper() or text.islower())
        return [
            self._whole_name(text, words, index, mixed_case)
            for index, word in enumerate(words)
            if self._stands_alone(word.group())
            or (mixed_case and self._capitalised_first_name(text, words, index))
            or self._opens_first_and_surname(text, words, index, mixed_case)
        ]

    def _opens_first_and_surname(self, text: str, words: list[re.Match[str]], index: int, mixed_case: bool) -> bool:
        """`BEA QUORVIK AWARE`, `theresa papadimou from speech`: a first name followed by a surname no list holds."""
        if index + 1 == len(words) or not _adjacent(text, words[index], words[index + 1]):
            return False
        return self._vocabulary.is_surname_after_first_name(words[index].group(), words[index + 1].group(), mixed_case)

    def _capitalised_first_name(self, text: str, words: list[re.Match[str]], index: int) -> bool:
        """`work with Helen`: a frequent first name in title case inside a sentence of mixed-case text, even when
        the word is English too (WordNet lists `helen`, `david`, `karen`); not at a sentence's or line's start,
        nor after another capitalised word (`West Virginia`)."""
        word = words[index]
        name = word.group()
        if not (name.istitle() and len(name) > 2):
            return False
        rank = self._vocabulary.name_rank(name)
        if rank is None or rank > FIRST_NAME_IN_SENTENCE_RANK or not self._vocabulary.is_listed_first_name(name):
            return False
        position = word.start()
        while position > 0 and text[position - 1] in " \t":
            position -= 1  # not text[:start].rstrip(): that copies the note up to every candidate
        if position == 0:
            return False
        if text[position - 1] == ",":
            return True
        return index > 0 and words[index - 1].end() == position and words[index - 1].group().islower()

    def _whole_name(self, text: str, words: list[re.Match[str]], index: int, mixed_case: bool) -> tuple[int, int]:
        """The name around a word that stands alone: first names before it (`mary souza`), and after it the words
        that continue it (`LINDSEY CASTELLUCCI`), on the same line, one space apart."""
        vocabulary = self._vocabulary
        first = last = index
        while first > max(0, index - MAX_NAME_GROWTH) and _adjacent(text, words[first - 1], words[first]):
            if not vocabulary.is_listed_first_name(words[first - 1].group()):
                break
            first -= 1
        while last + 1 < min(len(words), index + MAX_NAME_GROWTH + 1) and _adjacent(text, words[last], words[last + 1]):
            if not vocabulary.continues_name(words[last].group(), words[last + 1].group(), mixed_case):
                break
            last += 1
        return words[first].start(), words[last].end()

    def _stands_alone(self, word: str) -> bool:
        """Frequent enough as a name, long enough not to be an abbreviation (`KUB`, `HOH`, `Perl`), and no
        slip of the keyboard (`stoll` for stool, `deines` for denies)."""
        if len(word) < 4:
            return False
        rank = self._vocabulary.name_rank(word)
        return (
            rank is not None
            and rank <= NAME_WITHOUT_CUE_RANK
            and self._vocabulary.is_unambiguous_name(word)
            and not self._vocabulary.is_misspelling(word)
        )


def _adjacent(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    return text[left.end() : right.start()] == SPACE
