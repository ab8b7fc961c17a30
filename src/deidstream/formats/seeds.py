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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from deidstream.anonymization.normalize import KEPT_WORDS, NameRoles, word_key
from deidstream.entity import Entity, EntityType

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
MONTH_NUMBERS = {name[:3].lower(): number for number, name in enumerate(MONTHS, start=1)}
_MONTHS = "|".join([name.lower() for name in MONTHS] + list(MONTH_NUMBERS))
_YEAR = r"\d{4}|'?\d{2}"
# Every layout of a birth date the directory looks for, in lower case; `_readings` says which dates a match can be.
DATE_SHAPES = re.compile(
    r"(?<![\w/.-])(?:"
    r"(?P<iy>\d{4})(?P<isep>[-/.]?)(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})"  # 1980-07-14, 19800714
    rf"|(?P<na>\d{{1,2}})(?P<nsep>[/.\-])(?P<nb>\d{{1,2}})(?P=nsep)(?P<ny>{_YEAR})"  # 7/14/80, 14.07.1980
    rf"|(?P<wm>{_MONTHS})\.?\s+(?P<wd>\d{{1,2}}){ORDINAL},?\s+(?P<wy>{_YEAR})"  # July 14, 1980
    rf"|(?P<vd>\d{{1,2}}){ORDINAL}(?:\s+(?:of\s+)?|-)(?P<vm>{_MONTHS})\.?(?:,?\s+|-)(?P<vy>{_YEAR})"  # 14-Jul-80
    r")(?![\w/-]|\.\d)"
)
NAME_CHAR = r"[^\W_]"  # a letter or digit: none may touch a name on its left
# The given name (or initial) right before a family name, and right after it: `isolde k. `, `, isolde`, `, i.`.
GIVEN_BEFORE = [  # the word right before (`isolde `, `i `), an initial (`i. `), the word before a middle initial
    re.compile(r"(?<![^\W_])([^\W\d_]+)\d*\s+$"),
    re.compile(r"(?<![^\W_])([^\W\d_])\.\s*$"),
    re.compile(r"(?<![^\W_])([^\W\d_]+)\d*\s+[^\W\d_]\.?\s+$"),
]
GIVEN_AFTER = re.compile(r"(\s*,\s*|\s+)([^\W\d_]+)(\.|\d*)(?![^\W\d_])")
NOT_WORD_AFTER = r"(?![^\W\d_])"  # nor a letter on its right (digits may follow: `Sumiko254`)
# How far around their needle the patterns that cannot begin with a literal are run.
ID_WINDOW = 16
DATE_WINDOW = 32
NAME_WINDOW = 12

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
    _compiled: tuple[EverydayWord, list[_Seeker]] | None = field(default=None, init=False, repr=False, compare=False)
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
        if entity_type not in (EntityType.ID, EntityType.US_SSN, EntityType.PHONE_NUMBER):
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
        lowered = _lowered(text)
        return [
            Entity(start, end, EntityType(seeker.entity_type), SEED_SCORE, recognizer)
            for seeker in self._seekers(is_everyday_word)
            if any(needle in lowered for needle in seeker.needles)
            for start, end in seeker.spans(text, lowered)
        ]

    def _seekers(self, is_everyday_word: EverydayWord) -> list[_Seeker]:
        """Made once per identifiers and vocabulary: a directory entry serves every note of its patient."""
        if self._compiled is None or self._compiled[0] != is_everyday_word:
            seekers = _name_seekers(self.names + self.staff_names, is_everyday_word)
            seekers += _value_seekers(self.values + self.staff_values, is_everyday_word)
            if self.dates:
                seekers.append(_BirthDates(self.dates))
            self._compiled = (is_everyday_word, seekers)
        return self._compiled[1]


@dataclass
class _Literal:
    """A value written as it is (a name word, an e-mail, a street), found with `str.find`: no pattern to compile.

    Matched in the text in lower case (`_lowered`: same length, so offsets hold) unless
    `case_sensitive`; `touching_before` and `touching_after` say which characters may not
    touch it, and `digits_after` lets digits follow first (`Sumiko254`).
    """

    entity_type: str
    literal: str
    touching_before: Callable[[str], bool]
    touching_after: Callable[[str], bool]
    digits_after: bool = False
    case_sensitive: bool = False

    @property
    def needles(self) -> tuple[str, ...]:
        return (self.literal.lower(),)

    def spans(self, text: str, lowered: str) -> Iterator[tuple[int, int]]:
        target = text if self.case_sensitive else lowered
        at = target.find(self.literal)
        while at >= 0:
            end = at + len(self.literal)
            if self.digits_after:
                while end < len(target) and target[end].isdigit():
                    end += 1
            if not (at and self.touching_before(target[at - 1])) and not (
                end < len(target) and self.touching_after(target[end])
            ):
                yield at, end
            at = target.find(self.literal, at + 1)


@dataclass
class _Pattern:
    """A form a plain search cannot find (a whole name, a number with separators, a date), as a regular expression.

    Every match contains one of the `needles` (lower case), so a text without them costs
    a substring test; the pattern is compiled the first time a text has one. It runs on
    the lowered text unless `case_sensitive`, and begins with its literal where it can,
    checking the boundary before it with a lookbehind, so that `re` scans for the
    literal instead of trying every position (40 times faster than a case-insensitive
    pattern that begins with a lookbehind). One that cannot is run only `window`
    characters around each needle.
    """

    entity_type: str
    needles: tuple[str, ...]
    source: str
    case_sensitive: bool = False
    window: int = 0
    _compiled: re.Pattern[str] | None = field(default=None, repr=False)

    def spans(self, text: str, lowered: str) -> Iterator[tuple[int, int]]:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        target = text if self.case_sensitive else lowered
        if not self.window:
            for match in self._compiled.finditer(target):
                yield match.span()
            return
        seen: set[tuple[int, int]] = set()
        for needle in self.needles:
            at = lowered.find(needle)
            while at >= 0:
                window = (max(0, at - self.window), min(len(target), at + len(needle) + self.window))
                for match in self._compiled.finditer(target, *window):
                    if match.span() not in seen:
                        seen.add(match.span())
                        yield match.span()
                at = lowered.find(needle, at + 1)


class _BirthDates:
    """Birth dates in the usual layouts: date-shaped text found by one pattern shared by every entry (no pattern per
    patient to compile), read, and kept when it reads as a known birth date."""

    entity_type = EntityType.DATE_TIME
    case_sensitive = False

    def __init__(self, dates: list[Date]) -> None:
        self._dates = set(dates)
        self.needles = tuple(sorted({f"{year % 100:02d}" for year, _, _ in dates}))

    def spans(self, text: str, lowered: str) -> Iterator[tuple[int, int]]:
        seen: set[tuple[int, int]] = set()
        for needle in self.needles:
            at = lowered.find(needle)
            while at >= 0:
                window = (max(0, at - DATE_WINDOW), min(len(lowered), at + len(needle) + DATE_WINDOW))
                for match in DATE_SHAPES.finditer(lowered, *window):
                    if match.span() not in seen and self._dates & _readings(match):
                        seen.add(match.span())
                        yield match.span()
                at = lowered.find(needle, at + 1)


def _readings(match: re.Match[str]) -> set[Date]:
    """The dates a date-shaped text can be: `03/04/1980` is 4 March (month first), `14/07/1980` and `14.07.1980` day
    first; a two-digit year in any century (`'80`: compared with known birth dates only)."""
    found = {name: value for name, value in match.groupdict().items() if value is not None}
    if "iy" in found:  # year first: 1980-07-14, 19800714
        year, months, days = found["iy"], [int(found["im"])], [int(found["id"])]
    elif "ny" in found:
        first, second = int(found["na"]), int(found["nb"])
        day_first = found["nsep"] == "." or (found["nsep"] == "/" and first > len(MONTHS))
        year, months, days = found["ny"], [second if day_first else first], [first if day_first else second]
    elif "wy" in found:
        year, months, days = found["wy"], [MONTH_NUMBERS[found["wm"][:3]]], [int(found["wd"])]
    else:
        year, months, days = found["vy"], [MONTH_NUMBERS[found["vm"][:3]]], [int(found["vd"])]
    digits = year.lstrip("'")
    years = [int(digits)] if len(digits) == len("1980") else [century + int(digits) for century in (1800, 1900, 2000)]
    return {(y, m, d) for y in years for m in months for d in days}


def _is_name_char(char: str) -> bool:
    """A letter or digit: none may touch a name (or a street, a town) on its left."""
    return char.isalnum()


def _is_letter(char: str) -> bool:
    return char.isalpha()


def _is_id_char(char: str) -> bool:
    """A word character or hyphen: none may touch a record number, phone or e-mail on its left."""
    return char.isalnum() or char in "_-"


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _lowered(text: str) -> str:
    """The text in lower case, letter for letter (a letter whose lower case is longer, `İ`, stays as it is)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


def _literal_first(literal: str, before: str, rest: str = "", after: str = NOT_WORD_AFTER) -> str:
    """`literal` then `rest`, where the character before the literal must not match `before` (a class)."""
    escaped = re.escape(literal)
    return rf"{escaped}(?<!{before}{escaped}){rest}{after}"


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


def _name_seekers(names: list[Name], is_everyday_word: EverydayWord) -> list[_Seeker]:
    """Each name word alone, the initials, and per family name one pattern for its whole names."""
    words: dict[tuple[str, bool], _Literal] = {}
    firsts: dict[str, dict[str, bool]] = {}  # family name -> its given names -> whether an everyday word
    for given, family in names:
        for role, name_words in (("given", given), ("family", family)):
            for word in name_words:
                if len(word) < MIN_NAME_LETTERS or word.casefold() in KEPT_WORDS:
                    continue
                everyday = is_everyday_word(word)
                if everyday and role == "given":
                    continue  # `will`, `hope`: only within the whole name
                for form in _word_forms(word, capitalized_only=everyday or len(word) <= SHORT_NAME_LETTERS):
                    words.setdefault((form.literal, form.case_sensitive), form)
        if given and family:
            firsts.setdefault(family[-1].lower(), {})[given[0].lower()] = is_everyday_word(given[0])
            for initials in (f"{given[0][0]}.{family[-1][0]}.", f"{given[0][0]}. {family[-1][0]}."):  # I.M., I. M.
                form = _Literal(EntityType.PERSON, initials.upper(), _is_word_char, _is_word_char, case_sensitive=True)
                words.setdefault((form.literal, True), form)
    return [*words.values(), *(_WholeNames(last, given) for last, given in firsts.items())]


class _WholeNames:
    """`Isolde Morwenna`, `Isolde K. Morwenna`, `I. Morwenna`, `Morwenna, Isolde`, `Morwenna, I.`, `MORWENNA ISOLDE`:
    at each mention of a family name, the word before or after it is read with patterns shared by every entry, and
    the whole name is taken when that word is one of the given names (or initials) known with this family name."""

    entity_type = EntityType.PERSON
    case_sensitive = False

    def __init__(self, family: str, firsts: dict[str, bool]) -> None:
        """`firsts`: the given names known with `family` (lower case), and whether each is an everyday word."""
        self._family = family
        self._firsts = set(firsts)
        self._initials = {first[0] for first in firsts}
        # `MORWENNA ISOLDE`, but not `baker will` of `will baker will call`: not when the given name is an everyday word
        self._family_first = {first for first, everyday in firsts.items() if not everyday}
        self.needles = (family,)

    def spans(self, text: str, lowered: str) -> Iterator[tuple[int, int]]:
        at = lowered.find(self._family)
        while at >= 0:
            end = at + len(self._family)
            while end < len(lowered) and lowered[end].isdigit():
                end += 1
            if not (at and lowered[at - 1].isalnum()) and not (end < len(lowered) and lowered[end].isalpha()):
                yield from self._around(lowered, at, end)
            at = lowered.find(self._family, at + 1)

    def _around(self, lowered: str, at: int, end: int) -> Iterator[tuple[int, int]]:
        start = max(0, at - NAME_WINDOW - max(map(len, self._firsts)))
        for shape, pattern in enumerate(GIVEN_BEFORE):
            before = pattern.search(lowered, start, at)
            if before is not None:
                given = before[1]
                if (given in self._firsts and shape != 1) or (len(given) == 1 and given in self._initials):
                    yield before.start(1), end
                    break
        after = GIVEN_AFTER.match(lowered, end)
        if after is not None:
            given, glue, tail = after[2], after[1], after[3]
            known = given in self._firsts and tail != "." and ("," in glue or given in self._family_first)
            if known or (len(given) == 1 and given in self._initials and tail == "." and "," in glue):
                yield at, after.end()


def _word_forms(word: str, capitalized_only: bool) -> list[_Literal]:
    """A name word alone, with Synthea's digits: in any case, or only as `Word` and `WORD`."""
    forms = dict.fromkeys((word.title(), word.upper())) if capitalized_only else [word.lower()]
    return [
        _Literal(EntityType.PERSON, form, _is_name_char, _is_letter, digits_after=True, case_sensitive=capitalized_only)
        for form in forms
    ]


def _value_seekers(values: list[Value], is_everyday_word: EverydayWord) -> list[_Seeker]:
    seekers: list[_Seeker] = []
    for entity_type, value in dict.fromkeys(values):
        digits = re.sub(r"\D", "", value)
        if entity_type == EntityType.PHONE_NUMBER:
            if len(digits) >= MIN_PHONE_DIGITS:
                seekers.append(_digits_seeker(entity_type, digits[-FULL_PHONE_DIGITS:]))
            if len(digits) >= FULL_PHONE_DIGITS:  # the local number alone: 555-0166
                seekers.append(_digits_seeker(entity_type, digits[-LOCAL_PHONE_DIGITS:]))
        elif entity_type == EntityType.US_SSN and len(digits) == SSN_DIGITS:
            seekers.append(_digits_seeker(entity_type, digits))
        elif (
            entity_type == EntityType.LOCATION and " " not in value and is_everyday_word(value)
        ):  # a town called Reading
            seekers += [
                _Literal(entity_type, form, _is_name_char, _is_word_char, case_sensitive=True)
                for form in dict.fromkeys((value.title(), value.upper()))
            ]
        elif len(value) >= MIN_ID_CHARS:
            seekers.append(_Literal(entity_type, value.lower(), _is_id_char, _is_word_char))
            seekers += _other_forms(entity_type, value)
    return seekers


def _other_forms(entity_type: str, value: str) -> list[_Seeker]:
    """A record number without its prefix or zeros, a street without its house number."""
    if entity_type == EntityType.ID and (core := _number_key(EntityType.ID, value)) is not None:
        number = rf"(?<![\w-])(?:[a-z]{{1,6}}[#:\-]?)?0*{core}(?!\w)"  # mrn3302911, mrn-0003302911, 3302911
        return [_Pattern(entity_type, (core,), number, window=ID_WINDOW)]
    street = HOUSE_NUMBER.sub("", value, count=1).lower()
    if (
        entity_type == EntityType.STREET_ADDRESS and street != value.lower() and len(street.split()) >= 2
    ):  # `wicket lane`
        return [_Literal(entity_type, street, _is_name_char, _is_word_char)]
    return []


def _number_key(entity_type: str, text: str) -> str | None:
    """What two ways of writing one number share: its digits without a letter prefix or leading zeros (ids),
    all nine (SSN), the last seven (phones)."""
    if entity_type == EntityType.ID:
        match = NUMBER_WITH_PREFIX.fullmatch(text.strip())
        core = match[2].lstrip("0") if match else ""
        return core if len(core) >= MIN_ID_DIGITS else None
    digits = re.sub(r"\D", "", text)
    if entity_type == EntityType.US_SSN:
        return digits if len(digits) == SSN_DIGITS else None
    return digits[-LOCAL_PHONE_DIGITS:] if len(digits) >= LOCAL_PHONE_DIGITS else None


def _digits_seeker(entity_type: str, digits: str) -> _Seeker:
    """A number's digits with any of the usual separators between them: `(555) 201-7788`, `555.201.7788`."""
    separators = r"[\s()./\-]{0,2}"
    rest = separators + separators.join(re.escape(digit) for digit in digits[1:])
    # Grouped as people write numbers (555-0166, 999-60-2210), the last four digits are always together.
    return _Pattern(entity_type, (digits[-4:],), _literal_first(digits[0], r"\d", rest, r"(?!\d)"))


# What looks for one identifier's forms in a text (annotations only: defined last).
_Seeker = _Literal | _Pattern | _BirthDates | _WholeNames
