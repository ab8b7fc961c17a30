"""Identifiers a message's own fields give, found again in its free text.

The engine misses a rare name; but when PID-5 or Patient.name says the patient is
`Sumiko254 Larue605`, every `Sumiko`, `LARUE`, `Larue, Sumiko` or `Sumiko254` in
that message's report is the patient too. These become extra entities next to the
engine's, so the policy's operator replaces them, and since keyed operators hash
the normalized original, the text gets the very surrogate the field got.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from deidstream.anonymization.normalize import KEPT_WORDS
from deidstream.entity import Entity, EntityType

SEED_SCORE = 1.0
MIN_NAME_LETTERS = 2
SHORT_NAME_LETTERS = 2
MIN_ID_CHARS = 4
MIN_PHONE_DIGITS = 7
LETTERS = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


@dataclass
class KnownIdentifiers:
    """What the fields of one message say about the people in it (patient, next of kin, clinicians)."""

    names: list[tuple[list[str], list[str]]] = field(default_factory=list)  # (given words, family words)
    values: list[tuple[str, str]] = field(default_factory=list)  # (entity type, value): ids, phones
    dates: list[tuple[int, int, int]] = field(default_factory=list)  # birth dates as (year, month, day)
    _compiled: tuple[tuple[int, int, int], list[tuple[str, re.Pattern[str]]]] | None = field(
        default=None, repr=False, compare=False
    )

    def add_name(self, given: Iterable[str], family: Iterable[str]) -> None:
        given_words = [w for part in given for w in LETTERS.findall(part or "")]
        family_words = [w for part in family for w in LETTERS.findall(part or "")]
        if given_words or family_words:
            self.names.append((given_words, family_words))

    def add_full_name(self, value: str) -> None:
        """`John A Smith` or `Smith, John A`: the family name last, or first before a comma."""
        if "," in value:
            family, given = value.split(",", 1)
            self.add_name([given], [family])
        else:
            words = value.split()
            self.add_name(words[:-1], words[-1:])

    def add_value(self, entity_type: str, value: str | None) -> None:
        if value and value.strip():
            self.values.append((entity_type, value.strip()))

    def add_date(self, year: int, month: int, day: int) -> None:
        self.dates.append((year, month, day))

    def find(self, text: str) -> list[Entity]:
        """Entities for every place in `text` where one of these identifiers is written."""
        if not text:
            return []
        found = [
            Entity(match.start(), match.end(), EntityType(entity_type), SEED_SCORE)
            for entity_type, pattern in self._compiled_patterns()
            for match in pattern.finditer(text)
        ]
        return found

    def _compiled_patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        """`_patterns()`, made once for what is known now (a message's many texts are searched with the same), each
        once (the clinician of PV1-7, ORC-12 and OBR-16 is one name)."""
        known = (len(self.names), len(self.values), len(self.dates))
        if self._compiled is None or self._compiled[0] != known:
            self._compiled = (known, list(dict.fromkeys(self._patterns())))
        return self._compiled[1]

    def _patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        patterns: list[tuple[str, re.Pattern[str]]] = []
        for given, family in self.names:
            words = [w for w in given + family if len(w) >= MIN_NAME_LETTERS and w.casefold() not in KEPT_WORDS]
            for word in dict.fromkeys(words):
                # Any case, with digits appended as Synthea does (`Sumiko254`); a two-letter name (`Al`, `Ng`) only
                # capitalized or in capitals, so that `al` of `et al.` stays.
                body = (
                    re.escape(word)
                    if len(word) > SHORT_NAME_LETTERS
                    else f"(?-i:{re.escape(word.title())}|{re.escape(word.upper())})"
                )
                patterns.append((EntityType.PERSON, re.compile(rf"(?<![^\W_])(?<!\d){body}\d*(?![^\W\d_])", re.I)))
            if given and family:
                last_first = rf"{re.escape(family[-1])}\d*\s*,\s*{re.escape(given[0])}\d*(?![^\W\d_])"
                patterns.append((EntityType.PERSON, re.compile(rf"(?<![^\W_]){last_first}", re.I)))
                initials = rf"(?<!\w){re.escape(given[0][0])}\.\s?{re.escape(family[-1][0])}\.(?!\w)"
                patterns.append((EntityType.PERSON, re.compile(initials)))
        for entity_type, value in self.values:
            digits = re.sub(r"\D", "", value)
            if entity_type == EntityType.PHONE_NUMBER:
                if len(digits) >= MIN_PHONE_DIGITS:
                    patterns.append((entity_type, re.compile(_digits_pattern(digits[-10:]))))
            elif len(value) >= MIN_ID_CHARS:
                patterns.append((entity_type, re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w])", re.I)))
        for year, month, day in self.dates:
            forms = [
                f"{year:04d}-{month:02d}-{day:02d}", f"{month:02d}/{day:02d}/{year:04d}", f"{month}/{day}/{year:04d}",
                f"{year:04d}{month:02d}{day:02d}",
            ]  # fmt: skip
            for form in dict.fromkeys(forms):
                patterns.append((EntityType.DATE_TIME, re.compile(rf"(?<![\d/-]){re.escape(form)}(?![\d/-])")))
        return patterns


def _digits_pattern(digits: str) -> str:
    """A phone's digits with any of the usual separators between them: `(555) 201-7788`, `555.201.7788`."""
    separators = r"[\s().\-]{0,2}"
    return r"(?<!\d)" + separators.join(re.escape(digit) for digit in digits) + r"(?!\d)"
