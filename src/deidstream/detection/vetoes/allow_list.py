"""A site's allow list: terms never flagged at this site (a device or a service named after a person, a campus
word that reads as a name), a named veto that `deidstream eval` credits.

A candidate is dropped when it lies wholly within an occurrence of an allowed
term (`[Brannigan] Valve` when `Brannigan Valve` is allowed); a candidate that
reaches beyond it (`Dr. Brannigan`) stays, as recall comes first.
"""

from __future__ import annotations

from deidstream.detection.lexicons.site_lists import Occurrences, PhraseIndex
from deidstream.entity import EntityType

EDGES = " \t\n.,;:()[]\"'’"


class AllowListVeto:
    def __init__(self, name: str, terms: PhraseIndex, types: frozenset[EntityType]) -> None:
        self.name = name
        self._terms = terms
        self._types = types
        self._text: str | None = None
        self._occurrences = Occurrences([])

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if self._types and entity_type not in self._types:
            return False
        if text is not self._text:  # the engine asks about one text's candidates in turn: find the terms once
            self._text, self._occurrences = text, Occurrences(self._terms.find(text))
        span = text[start:end]
        stripped_start = start + len(span) - len(span.lstrip(EDGES))
        stripped_end = end - (len(span) - len(span.rstrip(EDGES)))
        return stripped_start < stripped_end and self._occurrences.cover(stripped_start, stripped_end)
