"""Identifiers the fields give about the people of a message, found again in free text.

The engine misses a rare name; but when PID-5 or Patient.name says the patient is
`Sumiko254 Larue605`, every `Sumiko`, `LARUE`, `Larue, Sumiko` or `Sumiko254` in
that message's report is the patient too. These become extra entities next to the
engine's, so the policy's operator replaces them, and since keyed operators hash
the normalized original, the text gets the very surrogate the field got.

The same identifiers, those of the patient, next of kin and contacts (not the
clinicians), are what the patient directory keeps between messages, so a later note
that names only its patient key is searched for them too.

Forms found, in any case unless said otherwise:
- every name word alone, with Synthea's digits (`Sumiko254`) and before a
  possessive (`Larue's`); a given name that is an everyday word (`Will`, `Hope`)
  only within the whole name, a family name that is one only capitalized; a
  two-letter word only capitalized (`al` of `et al.` stays);
- the whole name (`Sumiko Larue`, `Larue, Sumiko`, `LARUE SUMIKO`), and initials
  with the family name (`S. Larue`, `S Larue`, `Larue, S.`) or alone (`S. L.`);
- phone numbers by their last ten digits with any separators, and their local
  seven; record numbers as written, and with or without their letter prefix and
  leading zeros (`MRN0003302911`, `3302911`); SSNs by their nine digits;
- e-mails, streets (with and without the house number) and towns as written;
- birth dates in the usual layouts: `1980-07-14`, `07/14/1980`, `7/14/80`,
  `14.07.1980`, `19800714`, `July 14, 1980`, `14 Jul 1980`, `14-Jul-80`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from deidstream.anonymization.normalize import KEPT_WORDS, NameRoles, word_key
from deidstream.detection.entity import (
    DATE_TIME,
    ID,
    LOCATION,
    PERSON,
    PHONE_NUMBER,
    STREET_ADDRESS,
    US_SSN,
    Entity,
)

SEED_SCORE = 1.0
MIN_NAME_LETTERS = 2
SHORT_NAME_LETTERS = 2
MIN_ID_CHARS = 4
MIN_ID_DIGITS = 4
MIN_PHONE_DIGITS = 7
FULL_PHONE_DIGITS = 10
LOCAL_PHONE_DIGITS = 7
SSN_DIGITS = 9
# A directory entry keeps at most this many names, values and dates each; the most recent ones.
MAX_KNOWN = 64
LETTERS = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# A record number: an optional letter prefix, then digits (`MRN-0003302911`).
NUMBER_WITH_PREFIX = re.compile(r"([A-Za-z]{0,6})[#:.\-]?(\d+)")
HOUSE_NUMBER = re.compile(r"\d+[A-Za-z]?\s+")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
)  # fmt: skip
ORDINAL = r"(?:st|nd|rd|th)?"
NOT_WORD_BEFORE, NOT_WORD_AFTER = r"(?<![^\W_])", r"(?![^\W\d_])"

# Whether a word is everyday English (`will`, `hope`), from the engine's vocabulary.
EverydayWord = Callable[[str], bool]
Name = tuple[list[str], list[str]]  # (given words, family words)
Value = tuple[str, str]  # (entity type, value)
Date = tuple[int, int, int]  # (year, month, day)
Role = Literal["given", "family"]
T = TypeVar("T")


@dataclass
class KnownIdentifiers:
    """What the fields of one message say about the people in it, or what the directory knows of one patient.

    `names`, `values` and `dates` are the patient's, next of kin's and contacts'; the
    clinicians' are kept apart (`staff_*`): they seed the message's own text but are
    not the patient's, so `about_patient` leaves them out of the directory.
    """

    names: list[Name] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)  # ids, SSNs, phones, e-mails, streets, towns
    dates: list[Date] = field(default_factory=list)  # birth dates
    staff_names: list[Name] = field(default_factory=list)
    staff_values: list[Value] = field(default_factory=list)
    _compiled: tuple[EverydayWord, list[tuple[str, re.Pattern[str]]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _roles: NameRoles | None = field(default=None, init=False, repr=False, compare=False)

    def add_name(self, given: Iterable[str], family: Iterable[str], staff: bool = False) -> None:
        given_words = [w for part in given for w in LETTERS.findall(part or "")]
        family_words = [w for part in family for w in LETTERS.findall(part or "")]
        if given_words or family_words:
            (self.staff_names if staff else self.names).append((given_words, family_words))
            self._changed()

    def add_full_name(self, value: str, staff: bool = False) -> None:
        """`John A Smith` or `Smith, John A`: the family name last, or first before a comma."""
        if "," in value:
            family, given = value.split(",", 1)
            self.add_name([given], [family], staff)
        else:
            words = value.split()
            self.add_name(words[:-1], words[-1:], staff)

    def add_value(self, entity_type: str, value: str | None, staff: bool = False) -> None:
        if value and value.strip():
            (self.staff_values if staff else self.values).append((entity_type, value.strip()))
            self._changed()

    def add_date(self, year: int, month: int, day: int) -> None:
        """A birth date (only the patient's and relatives' are recorded); one that is no calendar date is ignored."""
        try:
            datetime.date(year, month, day)
        except ValueError:
            return
        self.dates.append((year, month, day))
        self._changed()

    def _changed(self) -> None:
        self._compiled = self._roles = None

    @property
    def is_empty(self) -> bool:
        return not (self.names or self.values or self.dates or self.staff_names or self.staff_values)

    def covers(self, other: KnownIdentifiers) -> bool:
        """Whether every identifier of `other` is known here already (names and values compared without case)."""
        return (
            {_name_key(name) for name in other.names} <= {_name_key(name) for name in self.names}
            and {_value_key(value) for value in other.values} <= {_value_key(value) for value in self.values}
            and set(other.dates) <= set(self.dates)
            and {_name_key(name) for name in other.staff_names} <= {_name_key(name) for name in self.staff_names}
            and {_value_key(v) for v in other.staff_values} <= {_value_key(v) for v in self.staff_values}
        )

    def about_patient(self) -> KnownIdentifiers:
        """The patient's, next of kin's and contacts' identifiers, without the clinicians': a directory entry."""
        return KnownIdentifiers(list(self.names), list(self.values), list(self.dates))

    def merged(self, newer: KnownIdentifiers) -> KnownIdentifiers:
        """What both know, each item once (names and values compared without case), newer items last; a list over
        `MAX_KNOWN` keeps its most recent items."""
        return KnownIdentifiers(
            _union(self.names, newer.names, _name_key),
            _union(self.values, newer.values, _value_key),
            _union(self.dates, newer.dates, lambda date: date),
            _union(self.staff_names, newer.staff_names, _name_key),
            _union(self.staff_values, newer.staff_values, _value_key),
        )

    def name_roles(self) -> NameRoles:
        """Each name word as the fields gave it, given or family; a word given both ways is left out."""
        if self._roles is None:
            self._roles = self._find_roles()
        return self._roles

    def _find_roles(self) -> NameRoles:
        roles: dict[str, Role] = {}
        ambiguous: set[str] = set()
        for given, family in self.names + self.staff_names:
            pairs: list[tuple[Role, list[str]]] = [("given", given), ("family", family)]
            for role, words in pairs:
                for word in words:
                    key = word_key(word)
                    if roles.setdefault(key, role) != role:
                        ambiguous.add(key)
        return {key: role for key, role in roles.items() if key not in ambiguous}

    def field_form(self, entity_type: str, text: str) -> str | None:
        """The record number, SSN or phone of the fields that `text` writes another way, or None."""
        if entity_type not in (ID, US_SSN, PHONE_NUMBER):
            return None
        written = _number_key(entity_type, text)
        if written is None:
            return None
        for value_type, value in self.values + self.staff_values:
            if value_type == entity_type and _number_key(entity_type, value) == written:
                return value
        return None

    def find(self, text: str, is_everyday_word: EverydayWord, recognizer: str = "") -> list[Entity]:
        """Entities for every place in `text` where one of these identifiers is written (see the module's forms)."""
        if not text:
            return []
        return [
            Entity(match.start(), match.end(), entity_type, SEED_SCORE, recognizer)
            for entity_type, pattern in self._patterns(is_everyday_word)
            for match in pattern.finditer(text)
        ]

    def _patterns(self, is_everyday_word: EverydayWord) -> list[tuple[str, re.Pattern[str]]]:
        """Compiled once per identifiers and vocabulary: a directory entry serves every note of its patient."""
        if self._compiled is None or self._compiled[0] != is_everyday_word:
            patterns = _name_patterns(self.names + self.staff_names, is_everyday_word)
            patterns += _value_patterns(self.values + self.staff_values, is_everyday_word)
            patterns += [(DATE_TIME, _date_pattern(date)) for date in dict.fromkeys(self.dates)]
            self._compiled = (is_everyday_word, patterns)
        return self._compiled[1]


def _name_key(name: Name) -> object:
    given, family = name
    return tuple(map(word_key, given)), tuple(map(word_key, family))


def _value_key(value: Value) -> object:
    return value[0], value[1].casefold()


def _union(older: list[T], newer: list[T], key: Callable[[T], object]) -> list[T]:
    seen = {key(item): item for item in older}
    for item in newer:
        seen.pop(key(item), None)
        seen[key(item)] = item  # moved to the end: most recent
    return list(seen.values())[-MAX_KNOWN:]


def _name_patterns(names: list[Name], is_everyday_word: EverydayWord) -> list[tuple[str, re.Pattern[str]]]:
    alone: dict[str, None] = {}
    whole: dict[str, None] = {}
    for given, family in names:
        for role, words in (("given", given), ("family", family)):
            for word in words:
                if len(word) < MIN_NAME_LETTERS or word.casefold() in KEPT_WORDS:
                    continue
                everyday = is_everyday_word(word)
                if everyday and role == "given":
                    continue  # `will`, `hope`: only within the whole name
                alone[_name_word(word, capitalized_only=everyday or len(word) <= SHORT_NAME_LETTERS)] = None
        if given and family:
            first, last = re.escape(given[0]), re.escape(family[-1])
            initial = re.escape(given[0][0])
            for form in (
                rf"{first}\d*(?:\s+[^\W\d_]\.?)?\s+{last}\d*",  # Isolde Morwenna, Isolde K. Morwenna
                rf"{last}\d*\s*,\s*{first}\d*",  # Morwenna, Isolde
                rf"{last}\s+{first}",  # MORWENNA ISOLDE
                rf"{initial}(?:\.\s*|\s+){last}\d*",  # I. Morwenna, I Morwenna
                rf"{last}\d*\s*,\s*{initial}\.",  # Morwenna, I.
            ):
                whole[form] = None
    patterns = []
    if alone:
        body = "|".join(sorted(alone, key=len, reverse=True))
        patterns.append((PERSON, re.compile(rf"{NOT_WORD_BEFORE}(?<!\d)(?:{body})\d*{NOT_WORD_AFTER}", re.I)))
    if whole:
        body = "|".join(whole)
        patterns.append((PERSON, re.compile(rf"{NOT_WORD_BEFORE}(?:{body}){NOT_WORD_AFTER}", re.I)))
    for given, family in names:
        if given and family:  # both initials, capitals only: `I. M.`
            initials = rf"(?<!\w){re.escape(given[0][0])}\.\s?{re.escape(family[-1][0])}\.(?!\w)"
            patterns.append((PERSON, re.compile(initials)))
    return patterns


def _name_word(word: str, capitalized_only: bool) -> str:
    """One word of a name, in any case; or only as `Word` or `WORD` (inside a case-insensitive pattern)."""
    if capitalized_only:
        return f"(?-i:{re.escape(word.title())}|{re.escape(word.upper())})"
    return re.escape(word)


def _value_patterns(values: list[Value], is_everyday_word: EverydayWord) -> list[tuple[str, re.Pattern[str]]]:
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for entity_type, value in dict.fromkeys(values):
        digits = re.sub(r"\D", "", value)
        if entity_type == PHONE_NUMBER:
            if len(digits) >= MIN_PHONE_DIGITS:
                patterns.append((entity_type, _digits_pattern(digits[-FULL_PHONE_DIGITS:])))
            if len(digits) >= FULL_PHONE_DIGITS:  # the local number alone: 555-0166
                patterns.append((entity_type, _digits_pattern(digits[-LOCAL_PHONE_DIGITS:])))
        elif entity_type == US_SSN and len(digits) == SSN_DIGITS:
            patterns.append((entity_type, _digits_pattern(digits)))
        elif entity_type == LOCATION and " " not in value and is_everyday_word(value):  # a town called Reading
            patterns.append((entity_type, re.compile(rf"{NOT_WORD_BEFORE}{_name_word(value, True)}(?!\w)")))
        elif len(value) >= MIN_ID_CHARS:
            patterns.append((entity_type, re.compile(rf"(?<![\w-]){re.escape(value)}(?!\w)", re.I)))
            patterns += _other_forms(entity_type, value)
    return patterns


def _other_forms(entity_type: str, value: str) -> list[tuple[str, re.Pattern[str]]]:
    """A record number without its prefix or zeros, a street without its house number."""
    if entity_type == ID and (core := _number_key(ID, value)) is not None:
        number = rf"(?<![\w-])(?:[A-Za-z]{{1,6}}[#:\-]?)?0*{core}(?!\w)"  # MRN3302911, MRN-0003302911, 3302911
        return [(entity_type, re.compile(number, re.I))]
    street = HOUSE_NUMBER.sub("", value, count=1)
    if entity_type == STREET_ADDRESS and street != value and len(street.split()) >= 2:  # `Wicket Lane`
        return [(entity_type, re.compile(rf"{NOT_WORD_BEFORE}{re.escape(street)}(?!\w)", re.I))]
    return []


def _number_key(entity_type: str, text: str) -> str | None:
    """What two ways of writing one number share: its digits without a letter prefix or leading zeros (ids),
    all nine (SSN), the last seven (phones)."""
    if entity_type == ID:
        match = NUMBER_WITH_PREFIX.fullmatch(text.strip())
        core = match[2].lstrip("0") if match else ""
        return core if len(core) >= MIN_ID_DIGITS else None
    digits = re.sub(r"\D", "", text)
    if entity_type == US_SSN:
        return digits if len(digits) == SSN_DIGITS else None
    return digits[-LOCAL_PHONE_DIGITS:] if len(digits) >= LOCAL_PHONE_DIGITS else None


def _digits_pattern(digits: str) -> re.Pattern[str]:
    """A number's digits with any of the usual separators between them: `(555) 201-7788`, `555.201.7788`."""
    separators = r"[\s()./\-]{0,2}"
    return re.compile(r"(?<!\d)" + separators.join(re.escape(digit) for digit in digits) + r"(?!\d)")


def _date_pattern(date: Date) -> re.Pattern[str]:
    """A birth date in the usual numeric and written layouts, with two- or four-digit years."""
    year, month, day = date
    years = rf"(?:{year:04d}|'?{year % 100:02d})"
    m, d = rf"0?{month}", rf"0?{day}"
    name = MONTHS[month - 1]
    month_name = rf"(?:{name}|{name[:3]}\.?)"
    numeric = [
        rf"{year:04d}[-/.]0?{month}[-/.]0?{day}",  # 1980-07-14
        rf"{year:04d}{month:02d}{day:02d}",  # 19800714
        rf"{m}/{d}/{years}", rf"{m}-{d}-{years}",  # 7/14/1980, 07-14-80
        rf"{d}\.{m}\.{years}",  # 14.07.1980
    ]  # fmt: skip
    if day > len(MONTHS):  # day first where it cannot be read as a month: 14/07/1980
        numeric.append(rf"{d}/{m}/{years}")
    written = [
        rf"{month_name}\s+{d}{ORDINAL},?\s+{years}",  # July 14, 1980; Jul 14th 1980
        rf"{d}{ORDINAL}\s+(?:of\s+)?{month_name},?\s+{years}",  # 14 July 1980; 14th of July, 1980
        rf"{d}-{month_name}-{years}",  # 14-Jul-1980
    ]
    forms = "|".join(numeric + written)
    return re.compile(rf"(?<![\w/.-])(?:{forms})(?![\w/-]|\.\d)", re.I)
