"""Reading a person's name next to a cue (`Dr.`, `wife`, `, RN`) in note-style text.

Clinical notes write names in any case (`dr garrow`, `DR OBERHOLTZER`, `Dr. Van
Houten`), so case cannot delimit them. Instead, starting at the cue, words are
taken while they could be part of a name: initials, words from the census name
lists, and words that are not English or clinical vocabulary. A line break or
punctuation other than an initial's period ends the name; `and` or a comma
followed by another listed name continues a list (`Sons David, Morris and Roger`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import regex as re
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.recognizers import Span, VocabularyRecognizer
from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.entity import EntityType

MAX_NAME_WORDS = 3
MAX_PARTICLES = 3
INITIAL = re.compile(r"\p{L}\.?(?![\p{L}'’])")
NAME_WORD = re.compile(r"\p{L}[\p{L}'’]*(?:-\p{L}[\p{L}'’]*)?")
GAP = re.compile(r"[ \t]{1,3}")
LIST_JOIN = re.compile(r"(?i)[ \t]*(?:,|&|\band\b|/)[ \t]*(?:(?:dr|drs)\.?[ \t]*)?")
LINE_WORD = re.compile(r"\p{L}[\p{L}'’\-]*\.?")

# Names are short; a line's words before a cue need not be read from the start of the line.
LOOK_BACK = 120

WordTest = Callable[[str], bool]


def names_after(
    text: str, position: int, vocabulary: Vocabulary, first_word_ok: WordTest, followed: set[int] | None = None
) -> list[Span]:
    """Names starting at `position`: the first one vouched for by the cue, then any listed after it.

    What follows a name in a list depends only on where the name ends, so `followed`, the ends already
    followed by earlier cues of the same text, stops a list where an earlier cue's list went on: the names
    after it were found then. Without it, a list of n names each after a cue (`Dr. A, Dr. B, ...`) would be
    read n times.
    """
    end = _name_end(text, position, vocabulary, first_word_ok)
    if end is None:
        return []
    spans = [(position, end)]
    while (followed is None or _not_yet(followed, spans[-1][1])) and (join := LIST_JOIN.match(text, spans[-1][1])):
        next_end = _name_end(text, join.end(), vocabulary, vocabulary.is_name_in_list)
        if next_end is None:
            break
        spans.append((join.end(), next_end))
    return spans


def _not_yet(followed: set[int], end: int) -> bool:
    if end in followed:
        return False
    followed.add(end)
    return True


def _name_end(text: str, position: int, vocabulary: Vocabulary, first_word_ok: WordTest) -> int | None:
    end = None
    cursor = position
    for index in range(MAX_NAME_WORDS):
        word_ok = first_word_ok if index == 0 else vocabulary.could_be_name
        if (after_particles := _after_particles(text, cursor, vocabulary, word_ok)) is not None:
            end = after_particles  # `van der Berg`, `de la Cruz`: the particles count as no word of their own
        elif (initial := INITIAL.match(text, cursor)) and index < MAX_NAME_WORDS - 1:
            end = initial.end()
        elif (word := NAME_WORD.match(text, cursor)) and word_ok(word.group()):
            end = word.end()
        else:
            break
        gap = GAP.match(text, end)
        if gap is None:
            break
        cursor = gap.end()
    if end is None or INITIAL.fullmatch(text[position:end].strip()):
        return None
    return end


def _after_particles(text: str, position: int, vocabulary: Vocabulary, word_ok: WordTest) -> int | None:
    """End of `van der Berg` or `de la Cruz` from `position`: one to three particles, then a name word."""
    cursor = position
    for _ in range(MAX_PARTICLES):
        particle = NAME_WORD.match(text, cursor)
        gap = particle and GAP.match(text, particle.end())
        if not (particle and gap and vocabulary.is_particle(particle.group())):
            return None
        cursor = gap.end()
        word = NAME_WORD.match(text, cursor)
        if word and not vocabulary.is_particle(word.group()) and word_ok(word.group()):
            return word.end()
    return None


def name_before(text: str, position: int, vocabulary: Vocabulary, last_word_ok: WordTest) -> int | None:
    """Start offset of a name ending at `position` (exclusive; spaces before it allowed), or None."""
    line_start = text.rfind("\n", 0, position) + 1
    words = list(LINE_WORD.finditer(text, max(line_start, position - LOOK_BACK), position))
    words = words[-(MAX_NAME_WORDS + MAX_PARTICLES) :]
    start = None
    boundary = position
    counted = 0
    for index, match in enumerate(reversed(words)):
        between = text[match.end() : boundary]
        word = match.group().rstrip(".")
        if len(between) > 3 or between.strip(" \t"):
            break
        if index > 0 and vocabulary.is_particle(word):
            boundary = match.start()  # `María de la Cruz (daughter)`: taken with the word before them
            continue
        accept = last_word_ok if index == 0 else _earlier_word_ok(vocabulary)
        if counted == MAX_NAME_WORDS or not accept(word):
            break
        counted += 1
        start = boundary = match.start()
    if start is None or INITIAL.fullmatch(text[start:position].strip()):
        return None
    return start


def _earlier_word_ok(vocabulary: Vocabulary) -> WordTest:
    return lambda word: len(word) == 1 or vocabulary.could_be_name(word)


class CueNameRecognizer(VocabularyRecognizer):
    """Base for recognizers that find a PERSON after or before a cue pattern."""

    ENTITY = EntityType.PERSON
    CUE_AFTER: re.Pattern[str] | None = None
    CUE_BEFORE: re.Pattern[str] | None = None
    SCORE = 0.85

    def first_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        """Whether the cue vouches for `word` as the first word of a name after it."""
        return self._vocabulary.could_be_name(word)

    def last_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        """Whether the cue vouches for `word` as the last word of a name before it: `Wrzesniak (son)`, `Walt (son)`,
        not `decision maker (son)`."""
        vocabulary = self._vocabulary
        if len(word) == 1:
            return True
        return vocabulary.could_be_name(word) and (
            not vocabulary.is_common_word(word) or vocabulary.is_listed_first_name(word)
        )

    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        spans: list[Span] = []
        followed: set[int] = set()
        for cue in self.CUE_AFTER.finditer(text) if self.CUE_AFTER else ():
            spans += names_after(text, cue.end(), self._vocabulary, partial(self.first_word_ok, cue=cue), followed)
        for cue in self.CUE_BEFORE.finditer(text) if self.CUE_BEFORE else ():
            start = name_before(text, cue.start(), self._vocabulary, partial(self.last_word_ok, cue=cue))
            if start is not None:
                spans.append((start, cue.start()))
        return spans
