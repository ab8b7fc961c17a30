"""Every mention of a detected name, once one mention of it has been found in the same text.

A note names `Dr. Healey` once with a title and then writes `healey aware`; it
says `Harbor Hospital` once and then `went to Harbor`. The cue of the first
mention vouches for the others, within that one text only.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate

import regex as re
from presidio_analyzer import RecognizerResult

from deidstream.detection.recognizers.places.hospital import FACILITY_AFTER
from deidstream.detection.lexicons.vocabulary import Vocabulary

PROPAGATED_TYPES = ("PERSON", "HOSPITAL", "LOCATION")
SCORE = 0.6
NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")


def propagate_mentions(text: str, results: list[RecognizerResult], vocabulary: Vocabulary) -> list[RecognizerResult]:
    """`results` plus a result for each further mention of a detected name, as its own type."""
    surfaces: dict[str, str] = {}
    for result in results:
        if result.entity_type in PROPAGATED_TYPES:
            surface = text[result.start : result.end]
            for word in _mention_words(surface, vocabulary) + _whole_name(surface):
                surfaces.setdefault(word.lower(), result.entity_type)
    if not surfaces:
        return results
    alternatives = (
        r"[ \t]+".join(map(re.escape, surface.split())) for surface in sorted(surfaces, key=len, reverse=True)
    )
    pattern = re.compile(r"(?i)\b(?:" + "|".join(alternatives) + r")\b")
    covered = _Covered((result.start, result.end) for result in results)
    extra = [
        RecognizerResult(surfaces[" ".join(match.group().lower().split())], match.start(), match.end(), SCORE)
        for match in pattern.finditer(text)
        if not covered.overlaps(match.start(), match.end())
    ]
    return results + extra


class _Covered:
    """Spans already detected, asked whether one overlaps a mention in logarithmic time (a scan of all of them
    for each mention made a text of many names quadratic)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _end in ordered]
        self._max_ends = list(accumulate((end for _start, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span starts before `end` and ends after `start`."""
        before_end = bisect_left(self._starts, end)
        return before_end > 0 and self._max_ends[before_end - 1] > start


def _mention_words(surface: str, vocabulary: Vocabulary) -> list[str]:
    """The words of a detection worth looking for elsewhere: listed or capitalised names, not English or clinical words.

    Misspellings and abbreviations (`camode`, `lytes`) are no names even when a
    recognizer took one for a name once: spreading them would multiply the mistake.
    """
    without_facility = FACILITY_AFTER.sub(" ", surface)
    return [
        word
        for word in NAME_WORD.findall(without_facility)
        if len(word) > 2
        and "'" not in word
        and not vocabulary.is_common_word(word)
        and not vocabulary.is_clinical(word)
        and (vocabulary.is_known_name(word) or word.istitle())
    ]


def _whole_name(surface: str) -> list[str]:
    """`John Smith` as a whole: two or more words together repeat the name even when each is an English word."""
    words = NAME_WORD.findall(FACILITY_AFTER.sub(" ", surface))
    return [" ".join(words)] if len(words) >= 2 and " ".join(words) == " ".join(surface.split()) else []
