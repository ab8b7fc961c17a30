"""Every mention of a detected name, once one mention of it has been found in the same text.

A note names `Dr. Garrow` once with a title and then writes `garrow aware`; it
says `Riverside Hospital` once and then `went to Riverside`. The cue of the first
mention vouches for the others, within that one text only.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import accumulate

import regex as re
from presidio_analyzer import RecognizerResult

from deidstream.detection.lexicons.facility_words import FACILITY_AFTER
from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.entity import EntityType

PROPAGATED_TYPES = (EntityType.PERSON, EntityType.HOSPITAL, EntityType.LOCATION)
SCORE = 0.6
METADATA = {RecognizerResult.RECOGNIZER_NAME_KEY: "MentionPropagation"}
NAME_WORD = re.compile(r"\p{L}[\p{L}'’\-]+")
# Characters that `regex` matches to an ASCII letter ignoring case: `İ` to i, `ſ` to s, `K` to k.
FOLD = str.maketrans({"\u0130": "i", "\u017f": "s", "\u212a": "k"})
WORD_START = re.compile(r"\b\p{L}")
RUN = re.compile(r"[\p{L}'’\-]+")
NOT_WORD = "'’-"
BLANKS = re.compile(r"[ \t]+")
BOUNDARY = re.compile(r"\b")


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
    covered = _Covered((result.start, result.end) for result in results)
    extra = [
        RecognizerResult(surfaces[surface], start, end, SCORE, recognition_metadata=METADATA)
        for start, end, surface in _Mentions(surfaces).find(text)
        if not covered.overlaps(start, end)
    ]
    return results + extra


class _Mentions:
    """Where the surfaces occur, as `(?i)\\b(?:surface|...)\\b` would find them, with the words of a surface apart by
    any blanks and tabs and the longer surfaces tried first, in time linear in the text.

    That alternation, built once per text, cost the number of surfaces at every word: a text of thousands of
    names took quadratic time. Here each word start reads the words that follow it, no further than the longest
    surface, and looks each candidate up, lower-cased (and through `FOLD` for the three characters `regex` takes
    for ASCII letters ignoring case).
    """

    def __init__(self, surfaces: Iterable[str]) -> None:
        ordered = sorted(surfaces, key=len, reverse=True)
        self._rank = {surface: rank for rank, surface in enumerate(ordered)}
        self._longest = len(ordered[0])
        self._most_words = max(len(surface.split()) for surface in ordered)

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """`(start, end, surface)` of each mention, left to right, none overlapping the one before."""
        done = 0
        for start in WORD_START.finditer(text):
            if start.start() < done:
                continue
            found = self._at(text, start.start())
            if found is not None:
                done = found[1]
                yield found

    def _at(self, text: str, start: int) -> tuple[int, int, str] | None:
        best: tuple[int, int, str] | None = None
        best_rank = len(self._rank)
        prefix = ""
        position = start
        for _ in range(self._most_words):
            run = RUN.match(text, position)
            if run is None:
                break
            limit = min(run.end(), position + self._longest - len(prefix))
            for end in range(position + 1, limit + 1):
                if end < run.end():
                    if (text[end - 1] in NOT_WORD) == (text[end] in NOT_WORD):
                        continue  # no word boundary inside a word
                elif not BOUNDARY.match(text, end):
                    continue
                surface = prefix + text[position:end].translate(FOLD).lower()
                rank = self._rank.get(surface)
                if rank is not None and rank < best_rank:
                    best, best_rank = (start, end, surface), rank
            if run.end() > limit:
                break  # longer than every surface
            prefix += run.group().translate(FOLD).lower() + " "
            blanks = BLANKS.match(text, run.end())
            if blanks is None:
                break
            position = blanks.end()
        return best


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
        and "’" not in word
        and not vocabulary.is_common_word(word)
        and not vocabulary.is_clinical(word)
        and (vocabulary.is_known_name(word) or word.istitle())
    ]


def _whole_name(surface: str) -> list[str]:
    """`John Smith` as a whole: two or more words together repeat the name even when each is an English word."""
    words = NAME_WORD.findall(FACILITY_AFTER.sub(" ", surface))
    return [" ".join(words)] if len(words) >= 2 and " ".join(words) == " ".join(surface.split()) else []
