"""Dates as the detector finds them, read into calendar parts and written back in the same layout.

`7/22` stays month/day, `July 22nd, 2011` stays a long form with an ordinal,
`2011-07-22 10:31` stays ISO with its clock time: only the year, month and day
digits or names are rewritten, every other character of the span is kept. Parts
the text does not give are anchored (the 15th for a month, 2 July for a year, a
leap year for a month and day), so that a shifted partial date moves with its
patient's other dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DAY = r"(?P<d>\d{1,2})(?P<suf>st|nd|rd|th)?"
YEAR = r"'?(?P<y>\d{4}|\d{2})"
CLOCK = r"(?:[ \tT@].*)?"
ISO = re.compile(rf"(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){CLOCK}")
LAYOUTS = [
    re.compile(rf"(?P<m>\d{{1,2}})(?P<sep>[/.\-])(?P<d>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}}){CLOCK}"),
    ISO,
    re.compile(r"(?P<m>\d{1,2})/(?P<d>\d{1,2})"),
    re.compile(r"(?P<m>\d{1,2})/(?P<y>\d{4}|\d{2})"),
    re.compile(rf"(?i){MONTH}[ \t]+{DAY}(?:,?[ \t]+{YEAR})?{CLOCK}"),
    re.compile(rf"(?i){MONTH}[ \t]+{YEAR}"),
    re.compile(rf"(?i){DAY}(?:[ \t]*-[ \t]*|[ \t]+(?:of[ \t]+)?){MONTH}(?:(?:,?[ \t]+|-){YEAR})?"),
    re.compile(rf"(?i){MONTH}"),
    re.compile(YEAR),
]
# Two-digit years as `strptime` reads them: 69-99 are 1969-1999, 00-68 are 2000-2068.
CENTURY_PIVOT = 69
LEAP_REFERENCE_YEAR = 2000
MID_MONTH_DAY = 15
MID_YEAR = (7, 2)
# Far from the ends of Python's calendar, so that no shift can overflow it.
MIN_YEAR, MAX_YEAR = 1000, 9000


@dataclass(frozen=True)
class WrittenDate:
    """A date span split into the calendar parts it gives and the layout to write new values in."""

    text: str
    match: re.Match[str]
    year: int | None
    month: int | None
    day: int | None
    day_first: bool
    padded: bool

    def anchor(self) -> date:
        """A full calendar date standing for this span; absent parts take fixed middle values."""
        year = self.year if self.year is not None else LEAP_REFERENCE_YEAR
        if self.month is None:
            return date(year, *MID_YEAR)
        return date(year, self.month, self.day if self.day is not None else MID_MONTH_DAY)

    def shifted(self, days: int) -> str:
        """The span with its date moved by `days`, written exactly as the original was."""
        moved = self.anchor() + timedelta(days=days)
        values = {"y": moved.year, "m": moved.month, "mon": moved.month, "d": moved.day, "suf": moved.day}
        if self.day_first:
            values["m"], values["d"] = moved.day, moved.month
        present = [group for group, value in self.match.groupdict().items() if value is not None and group in values]
        text = self.text
        for group in sorted(present, key=self.match.start, reverse=True):
            start, end = self.match.span(group)
            text = text[:start] + self._write(group, self.match.group(group), values[group]) + text[end:]
        return text

    def _write(self, group: str, original: str, value: int) -> str:
        if group == "y":
            return f"{value % 100:02}" if len(original) == 2 else f"{value:04}"
        if group == "mon":
            return _month_name(original, value)
        if group == "suf":
            suffix = _ordinal_suffix(value)
            return suffix.upper() if original.isupper() else suffix
        return f"{value:02}" if self.padded else str(value)


def read_date(text: str) -> WrittenDate | None:
    """The calendar parts of a date span, or None when it is no layout this module can rewrite."""
    for layout in LAYOUTS:
        match = layout.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        month = _month_number(parts["mon"]) if parts.get("mon") else _int(parts.get("m"))
        day = _int(parts.get("d"))
        day_first = month is not None and day is not None and month > 12 and parts.get("m") is not None
        if day_first:
            month, day = day, month
        year = _year(parts.get("y"))
        # Zero-padded when the layout always is (ISO) or when the writer padded a number we can see.
        padded = layout is ISO or any((parts.get(group) or "").startswith("0") for group in ("m", "d"))
        if _valid(year, month, day):
            return WrittenDate(text, match, year, month, day, day_first, padded)
    return None


def _month_name(original: str, month: int) -> str:
    """The new month in the original's style: full or abbreviated (`Sept` included), and its case."""
    full = MONTH_NAMES[month - 1]
    is_full = original.lower() == MONTH_NAMES[_month_number(original) - 1].lower()
    name = full if is_full else full[:4] if len(original) == 4 and month == 9 else full[:3]
    if original.isupper():
        return name.upper()
    return name.lower() if original.islower() else name


def _month_number(name: str) -> int:
    return [month.lower()[:3] for month in MONTH_NAMES].index(name.lower()[:3]) + 1


def _ordinal_suffix(day: int) -> str:
    if 11 <= day <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)


def _year(value: str | None) -> int | None:
    if value is None:
        return None
    year = int(value)
    if len(value) == 2:
        return year + (1900 if year >= CENTURY_PIVOT else 2000)
    return year


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        return False
    if day is None:
        return True
    if month is None:
        return False
    try:
        date(year if year is not None else LEAP_REFERENCE_YEAR, month, day)
    except ValueError:
        return False
    return True
