"""Dates in many written forms, grouped in shape classes so a replacement keeps the kind of date it replaces.

A year stays a year and a month-day stays a month-day most of the time, because
the surrounding words fit the shape (`in 2009`, `on 7/22`, `since July 2011`);
now and then the class changes so the model does not tie a context to one form.
"""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta

YEAR, MONTH_DAY, MONTH_YEAR, FULL, DATE_TIME, HOLIDAY = (
    "year",
    "month_day",
    "month_year",
    "full",
    "date_time",
    "holiday",
)
SHAPES = (YEAR, MONTH_DAY, MONTH_YEAR, FULL, DATE_TIME, HOLIDAY)
KEEP_SHAPE_CHANCE = 0.85

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
HOLIDAYS = (
    "Christmas", "Christmas Eve", "Thanksgiving", "New Year's Day", "New Year's Eve", "Easter", "Labor Day",
    "Memorial Day", "Independence Day", "July 4th", "Halloween", "Valentine's Day",
)  # fmt: skip
_MONTH_WORD = re.compile(r"\b(" + "|".join(month[:3] for month in MONTHS) + r")[a-z]*\.?", re.I)
_CLOCK = re.compile(r"\d{1,2}:\d{2}|\b\d{1,2}\s?(am|pm)\b", re.I)
_YEAR_ONLY = re.compile(r"'\d{2}|\d{4}|(19|20)\d{2}s?")
_FIRST_DAY, _LAST_DAY = date(1965, 1, 1), date(2026, 12, 31)

_FORMATS: dict[str, tuple[str, ...]] = {
    YEAR: ("{yyyy}", "{yyyy}", "{yyyy}", "'{yy}"),
    MONTH_DAY: (
        "{m}/{d}", "{mm}/{dd}", "{month} {d}", "{mon} {d}", "{mon} {d}{th}", "{month} {d}{th}", "{d}-{mon}",
        "{d} {mon}", "{d} {month}", "{m}-{d}", "{d}{th} of {month}", "{mon}. {d}",
    ),
    MONTH_YEAR: ("{month} {yyyy}", "{mon} {yyyy}", "{m}/{yyyy}", "{mm}/{yyyy}", "{mon}-{yy}", "{month} of {yyyy}"),
    FULL: (
        "{m}/{d}/{yy}", "{m}/{d}/{yyyy}", "{mm}/{dd}/{yyyy}", "{mm}/{dd}/{yy}", "{yyyy}-{mm}-{dd}", "{month} {d}, {yyyy}",
        "{mon} {d}, {yyyy}", "{d} {mon} {yyyy}", "{dd} {mon} {yyyy}", "{d}-{mon}-{yyyy}", "{dd}.{mm}.{yyyy}",
        "{d}.{m}.{yy}", "{month} {d}{th}, {yyyy}", "{mm}-{dd}-{yyyy}", "{yyyy}/{mm}/{dd}", "{dd}-{MON}-{yyyy}",
        "{d}{th} {month} {yyyy}",
    ),
    DATE_TIME: (
        "{mm}/{dd}/{yyyy} {HH}:{MM}", "{m}/{d}/{yy} {HH}{MM}", "{yyyy}-{mm}-{dd} {HH}:{MM}", "{yyyy}-{mm}-{dd}T{HH}:{MM}:{SS}",
        "{month} {d}, {yyyy} {h}:{MM} {AP}", "{mm}/{dd}/{yyyy} {h}:{MM}{ap}", "{d} {mon} {yyyy} {HH}:{MM}",
    ),
}  # fmt: skip


def shape_of(text: str, source_type: str = "") -> str:
    """The shape class of a written date; PhysioNet's `DateYear` is a year whatever it looks like."""
    stripped = text.strip()
    if source_type == "DateYear" or _YEAR_ONLY.fullmatch(stripped):
        return YEAR
    digits = re.findall(r"\d+", stripped)
    has_month = bool(_MONTH_WORD.search(stripped))
    if not digits:
        return MONTH_DAY if has_month else HOLIDAY
    has_year = any(len(run) == 4 for run in digits) or (len(digits) >= 3 and not _CLOCK.search(stripped))
    if _CLOCK.search(stripped) and len(digits) >= 3:
        return DATE_TIME
    if has_month:
        if len(digits) == 1:
            return MONTH_YEAR if len(digits[0]) == 4 else MONTH_DAY  # `July 2011`, `July 22`
        return FULL
    if len(digits) == 2:
        return MONTH_YEAR if any(len(run) == 4 for run in digits) else MONTH_DAY
    return FULL if has_year else MONTH_DAY


def random_day(rng: random.Random, first: date = _FIRST_DAY, last: date = _LAST_DAY) -> datetime:
    """A moment between `first` and `last`, minute resolution, from `rng` alone."""
    span_days = (last - first).days
    when = first + timedelta(days=rng.randint(0, span_days))
    return datetime(when.year, when.month, when.day, rng.randrange(24), rng.randrange(60), rng.randrange(60))


def write_date(when: datetime, shape: str, rng: random.Random) -> str:
    """`when` in a random format of `shape`."""
    if shape == HOLIDAY:
        return rng.choice(HOLIDAYS)
    template = rng.choice(_FORMATS[shape])
    month = MONTHS[when.month - 1]
    hour12 = (when.hour + 11) % 12 + 1
    return template.format(
        yyyy=when.year,
        yy=f"{when.year % 100:02}",
        m=when.month,
        mm=f"{when.month:02}",
        d=when.day,
        dd=f"{when.day:02}",
        month=month,
        mon=month[:3],
        MON=month[:3].upper(),
        th=ordinal_suffix(when.day),
        HH=f"{when.hour:02}",
        MM=f"{when.minute:02}",
        SS=f"{when.second:02}",
        h=hour12,
        AP="PM" if when.hour >= 12 else "AM",
        ap="pm" if when.hour >= 12 else "am",
    )


def replacement(original: str, rng: random.Random, source_type: str = "") -> str:
    """A new date for `original`: same shape class with probability KEEP_SHAPE_CHANCE, any dated class otherwise."""
    shape = shape_of(original, source_type)
    if rng.random() >= KEEP_SHAPE_CHANCE:
        shape = rng.choice((YEAR, MONTH_DAY, MONTH_YEAR, FULL, DATE_TIME))
    return write_date(random_day(rng), shape, rng)


def ordinal_suffix(day: int) -> str:
    return "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
