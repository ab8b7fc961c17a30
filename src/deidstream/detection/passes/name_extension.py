"""A detected name grown to the whole name around it, and to the names listed with it.

Recognizers vouch for the word their cue or list points at: `PETRAKIS` in
`CONTACTS KAREN ANN PETRAKIS`, `Chang` in `J. Chang PA`, `Marisol` in `Marisol and
Walt`. The words next to a found name are part of it when they could only be a
name there: listed first names and initials before it, names that are no English
word after it, and a listed first name joined to it by `and`, `&` or a comma.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import RecognizerResult

from deidstream.detection.lexicons.vocabulary import Vocabulary, has_diacritics
from deidstream.entity import EntityType

SCORE = 0.6
METADATA = {RecognizerResult.RECOGNIZER_NAME_KEY: "NameListExtension"}
WORD_BEFORE = re.compile(r"(?:^|(?<=[ \t(]))(\p{L}[\p{L}'’\-]*\.?)[ \t]$")
WORD_AFTER = re.compile(r"[ \t](\p{L}[\p{L}'’\-]*)(?![\p{L}'’\-])")
LISTED_AFTER = re.compile(r"(?i)[ \t]*(?:,|&|\band\b)[ \t]*(\p{L}[\p{L}'’\-]*)(?![\p{L}'’\-])")
LAST_WORD = re.compile(r"\p{L}[\p{L}'’\-]*\.?$")
INITIAL = re.compile(r"\p{L}\.")
# A name has at most a few words; this bounds the look-around of one detection.
MAX_EXTRA_WORDS = 2
MAX_PARTICLES = 3
REACH = 40


def extend_names(text: str, results: list[RecognizerResult], vocabulary: Vocabulary) -> list[RecognizerResult]:
    """`results` with each PERSON grown over its neighbouring name words, plus the first names listed with it."""
    extended = []
    mixed_case = not (text.isupper() or text.islower())
    for result in results:
        if result.entity_type != EntityType.PERSON:
            extended.append(result)
            continue
        start = _start_of_name(text, result.start, vocabulary)
        end = _end_of_name(text, result.end, vocabulary, mixed_case)
        extended.append(
            RecognizerResult(
                EntityType.PERSON, start, end, result.score, result.analysis_explanation, result.recognition_metadata
            )
        )
        listed = LISTED_AFTER.match(text, end)
        if listed and vocabulary.is_listed_first_name(listed.group(1)):
            extended.append(
                RecognizerResult(
                    EntityType.PERSON, listed.start(1), listed.end(1), SCORE, recognition_metadata=METADATA
                )
            )
    return extended


def _start_of_name(text: str, start: int, vocabulary: Vocabulary) -> int:
    extra = 0
    particles = 0
    while extra < MAX_EXTRA_WORDS:
        before = WORD_BEFORE.search(text, max(0, start - REACH), start)
        if before is None:
            break
        word = before.group(1)
        if vocabulary.is_particle(word) and particles < MAX_PARTICLES:
            particles += 1  # `van der Berg`, `de la Cruz`: particles belong to the surname after them
        elif INITIAL.fullmatch(word) or vocabulary.is_listed_first_name(word) or _spelt_as_name(word, vocabulary):
            extra += 1
        else:
            break
        start = before.start(1)
    return start


def _spelt_as_name(word: str, vocabulary: Vocabulary) -> bool:
    """`Łukasz` before `Wójcik`: a word with diacritics, which English words lack, that could be a name."""
    return has_diacritics(word) and vocabulary.could_be_name(word) and not vocabulary.is_common_word(word)


def _end_of_name(text: str, end: int, vocabulary: Vocabulary, mixed_case: bool) -> int:
    for _ in range(MAX_EXTRA_WORDS):
        if (surname := _particles_and_name(text, end, vocabulary)) is not None:
            end = surname
            continue
        after = WORD_AFTER.match(text, end)
        previous = LAST_WORD.search(text, max(0, end - REACH), end)
        if after is None or previous is None:
            break
        if not vocabulary.continues_name(previous.group(), after.group(1), mixed_case):
            break
        end = after.end(1)
    return end


def _particles_and_name(text: str, end: int, vocabulary: Vocabulary) -> int | None:
    """`María` + ` de la Cruz`: particles then a word that could be a name; the end of that word, else None."""
    cursor = end
    for _ in range(MAX_PARTICLES):
        after = WORD_AFTER.match(text, cursor)
        if after is None or not vocabulary.is_particle(after.group(1)):
            return None
        cursor = after.end(1)
        word = WORD_AFTER.match(text, cursor)
        if word and not vocabulary.is_particle(word.group(1)) and vocabulary.could_be_name(word.group(1)):
            return word.end(1)
    return None
