"""Structured values shared by FHIR and HL7 v2: dates and person names replaced whole, then split back.

A date field goes through the policy's `DATE_TIME` operator as an ISO date, so it
moves by the patient's offset like the dates of the text (or keeps its year); a
name's parts go through the `PERSON` operator as one `Family, Given Middle`
value, so a surrogate keeps given and family roles and matches the surrogate the
same name gets in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from deidstream.entity import EntityType
from deidstream.formats.base import FieldValues
from deidstream.formats.seeds import KnownIdentifiers

ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
YEAR = re.compile(r"\d{4}")
LETTER_OR_DIGIT = re.compile(r"[^\W_]")

DateParts = tuple[int, int, int]


class TwoPassWalker:
    """A walk over a structured message, made twice in the same order.

    Without `anonymized` it collects the free texts for the engine and the patient's
    identifiers (which then seed detection in those texts); with them it rewrites,
    and the n-th text the first pass collected is the n-th the second puts back.
    """

    def __init__(self, anonymized: Iterator[str] | None, values: FieldValues) -> None:
        self._anonymized = anonymized
        self._values = values
        self.texts: list[str] = []
        self.known = KnownIdentifiers()

    @property
    def _collecting(self) -> bool:
        return self._anonymized is None

    def _text(self, text: str) -> str:
        """A free text: kept for the engine on the first pass, replaced by its anonymized version on the second."""
        if self._anonymized is None:
            self.texts.append(text)
            return text
        return next(self._anonymized)

    def _free_text(self, text: str) -> str:
        """A string of a free-text type: through the engine, unless it has no letter or digit (`-`, `>`), which names
        nobody and in which the engine finds nothing: that one is kept as it is, without the engine's cost."""
        return self._text(text) if LETTER_OR_DIGIT.search(text) else text


def replace_date(values: FieldValues, year: int, month: int, day: int) -> DateParts | int | None:
    """The date's replacement: a whole date (shifted), a year (generalized), or None (tagged, redacted: remove it)."""
    result = values.replace(EntityType.DATE_TIME, f"{year:04d}-{month:02d}-{day:02d}").strip()
    whole = ISO_DATE.fullmatch(result)
    if whole is not None:
        return int(whole[1]), int(whole[2]), int(whole[3])
    if YEAR.fullmatch(result):
        return int(result)
    return None


def replace_name(values: FieldValues, family: list[str], given: list[str]) -> tuple[list[str], list[str]]:
    """New (family, given) parts: each part keeps its place when the replacement splits back, else one family part."""
    family = [part for part in family if part]
    given = [part for part in given if part]
    if not family and not given:
        return [], []
    original = ", ".join(filter(None, [" ".join(family), " ".join(given)]))
    result = values.replace(EntityType.PERSON, original)
    if family and given and ", " in result:
        new_family, new_given = result.split(", ", 1)
        given_words = new_given.split(" ")
        family_words = new_family.split(" ")
        return (
            family_words if len(family_words) == len(family) else [new_family],
            given_words if len(given_words) == len(given) else [new_given],
        )
    if not given:
        words = result.split(" ")
        return (words if len(words) == len(family) else [result]), []
    if not family:
        words = result.split(" ")
        return [], (words if len(words) == len(given) else [result])
    return [result], []
