"""Which detected spans get replaced, and what part of the text each replacement covers.

The rules are those of Presidio's `AnonymizerEngine` (merge-similar-or-contained,
with entities separated only by spaces merged), which deidstream used before it
applied policies itself: overlapping spans of one type merge, a span inside
another is dropped (of equal spans the best scored stays), neighbours of one type
separated by spaces become one span, and where two spans of different types
overlap, the earlier one gives up the overlap. Keeping these rules keeps the
default output exactly what it was, but for one rule of our own, applied first:
a span that takes one bracket of a pair and not the other (`(612-555-0123` of
`(612-555-0123)`) is trimmed to leave both brackets, or, where the lone bracket
is inside it, grown to take the other, so no text comes out with half a pair.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deidstream.entity import Entity

SPACES_ONLY = re.compile(r"^( )+$")
CLOSER_OF = {"(": ")", "[": "]", "{": "}"}
OPENER_OF = {closer: opener for opener, closer in CLOSER_OF.items()}


@dataclass
class Span:
    """One replacement: the original text is `[start, end)`, the replacement covers `[start, visible_end)`."""

    start: int
    end: int
    type: str
    score: float
    visible_end: int = 0


def resolve_spans(text: str, entities: Sequence[Entity]) -> list[Span]:
    """The spans to replace, sorted and with the part of the text each one takes over."""
    spans = [_balance_brackets(text, Span(e.start, e.end, e.type, e.score)) for e in entities]
    spans = sorted((span for span in spans if span.start < span.end), key=lambda span: (span.start, span.end))
    spans = _merge_spaced(text, _drop_contained(_merge_same_type(spans)))
    spans.sort(key=lambda span: (span.start, span.end))
    for span, following in pairwise(spans):
        span.visible_end = min(span.end, following.start)
    if spans:
        spans[-1].visible_end = spans[-1].end
    return spans


def _balance_brackets(text: str, span: Span) -> Span:
    """The span with a lone bracket at its edge left out, or the partner of a lone bracket inside it taken in."""
    for _ in range(span.end - span.start):
        openers, closers = _unmatched_brackets(text, span.start, span.end)
        if openers and openers[0] == span.start:
            span.start += 1
        elif closers and closers[-1] == span.end - 1:
            span.end -= 1
        elif closers and span.start > 0 and text[span.start - 1] == OPENER_OF[text[closers[0]]]:
            span.start -= 1
        elif openers and span.end < len(text) and text[span.end] == CLOSER_OF[text[openers[-1]]]:
            span.end += 1
        else:
            break
        while span.start < span.end and text[span.start].isspace():
            span.start += 1
        while span.end > span.start and text[span.end - 1].isspace():
            span.end -= 1
    return span


def _unmatched_brackets(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """Positions in `text[start:end]` of the opening brackets closed nowhere in it, and of the closing ones opened nowhere."""
    openers: list[int] = []
    closers: list[int] = []
    for position in range(start, end):
        char = text[position]
        if char in CLOSER_OF:
            openers.append(position)
        elif char in OPENER_OF:
            if openers and text[openers[-1]] == OPENER_OF[char]:
                openers.pop()
            else:
                closers.append(position)
    return openers, closers


def _merge_same_type(spans: list[Span]) -> list[Span]:
    """Overlapping or touching spans of one type become one; each merged span keeps the place of its last part."""
    by_type: dict[str, list[tuple[int, Span]]] = {}
    for position, span in enumerate(spans):
        by_type.setdefault(span.type, []).append((position, span))
    kept: list[tuple[int, Span]] = []
    for positioned in by_type.values():
        positioned.sort(key=lambda item: (item[1].start, item[1].end))
        position, current = positioned[0]
        for next_position, span in positioned[1:]:
            if _overlap(current, span) == 0:  # touching spans stay apart
                kept.append((position, current))
                position, current = next_position, span
                continue
            current.start, current.end = min(current.start, span.start), max(current.end, span.end)
            current.score = max(current.score, span.score)
            position = max(position, next_position)
        kept.append((position, current))
    kept.sort(key=lambda item: item[0])
    return [span for _, span in kept]


def _overlap(first: Span, second: Span) -> int:
    """Characters two spans share; 0 when they only touch."""
    if first.end < second.start or second.end < first.start:
        return 0
    return min(first.end, second.end) - max(first.start, second.start)


def _drop_contained(spans: list[Span]) -> list[Span]:
    """Spans inside another go; of spans with equal bounds the best scored (the last on a tie) stays."""
    order = sorted(range(len(spans)), key=lambda index: (spans[index].start, -spans[index].end))
    dropped: set[int] = set()
    largest_end: int | None = None
    group_start = 0
    while group_start < len(order):
        first = spans[order[group_start]]
        group_end = group_start
        while group_end < len(order) and (spans[order[group_end]].start, spans[order[group_end]].end) == (
            first.start,
            first.end,
        ):
            group_end += 1
        group = order[group_start:group_end]
        if largest_end is not None and largest_end >= first.end:
            dropped.update(group)
        else:
            survivor = max(group, key=lambda index: (spans[index].score, index))
            dropped.update(index for index in group if index != survivor)
        if largest_end is None or first.end > largest_end:
            largest_end = first.end
        group_start = group_end
    return [span for index, span in enumerate(spans) if index not in dropped]


def _merge_spaced(text: str, spans: list[Span]) -> list[Span]:
    """Neighbours (in list order) of one type with only spaces between them become one span."""
    merged: list[Span] = []
    previous: Span | None = None
    for span in spans:
        if previous is not None and previous.type == span.type and SPACES_ONLY.search(text[previous.end : span.start]):
            merged.pop()  # `previous`, the last span kept
            span.start = previous.start
        merged.append(span)
        previous = span
    return merged
