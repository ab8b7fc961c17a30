"""A detected name grown to the whole name around it, and to the names listed with it.

Recognizers vouch for the word their cue or list points at: `YANULIS` in
`CONTACTS KAREN ANN YANULIS`, `Chang` in `J. Chang PA`, `Suzette` in `Suzette and
Hank`. The words next to a found name are part of it when they could only be a
name there: listed first names and initials before it, names that are no English
word after it, and a listed first name joined to it by `and`, `&` or a comma.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult

from deidstream.detection.lexicons.vocabulary import Vocabulary

PERSON = "PERSON"
SCORE = 0.6
METADATA = {RecognizerResult.RECOGNIZER_NAME_KEY: "NameListExtension"}
WORD_BEFORE = re.compile(r"(?:^|(?<=[ \t(]))([A-Za-z][A-Za-z'\-]*\.?)[ \t]$")
WORD_AFTER = re.compile(r"[ \t]([A-Za-z][A-Za-z'\-]*)(?![A-Za-z'\-])")
LISTED_AFTER = re.compile(r"(?i)[ \t]*(?:,|&|\band\b)[ \t]*([A-Za-z][A-Za-z'\-]*)(?![A-Za-z'\-])")
LAST_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*\.?$")
INITIAL = re.compile(r"[A-Za-z]\.")
# A name has at most a few words; this bounds the look-around of one detection.
MAX_EXTRA_WORDS = 2
REACH = 40


def extend_names(text: str, results: list[RecognizerResult], vocabulary: Vocabulary) -> list[RecognizerResult]:
    """`results` with each PERSON grown over its neighbouring name words, plus the first names listed with it."""
    extended = []
    mixed_case = not (text.isupper() or text.islower())
    for result in results:
        if result.entity_type != PERSON:
            extended.append(result)
            continue
        start = _start_of_name(text, result.start, vocabulary)
        end = _end_of_name(text, result.end, vocabulary, mixed_case)
        extended.append(
            RecognizerResult(PERSON, start, end, result.score, result.analysis_explanation, result.recognition_metadata)
        )
        listed = LISTED_AFTER.match(text, end)
        if listed and vocabulary.is_listed_first_name(listed.group(1)):
            extended.append(
                RecognizerResult(PERSON, listed.start(1), listed.end(1), SCORE, recognition_metadata=METADATA)
            )
    return extended


def _start_of_name(text: str, start: int, vocabulary: Vocabulary) -> int:
    for _ in range(MAX_EXTRA_WORDS):
        before = WORD_BEFORE.search(text, max(0, start - REACH), start)
        if before is None:
            break
        word = before.group(1)
        if not (INITIAL.fullmatch(word) or vocabulary.is_listed_first_name(word)):
            break
        start = before.start(1)
    return start


def _end_of_name(text: str, end: int, vocabulary: Vocabulary, mixed_case: bool) -> int:
    for _ in range(MAX_EXTRA_WORDS):
        after = WORD_AFTER.match(text, end)
        previous = LAST_WORD.search(text, max(0, end - REACH), end)
        if after is None or previous is None:
            break
        if not vocabulary.continues_name(previous.group(), after.group(1), mixed_case):
            break
        end = after.end(1)
    return end
