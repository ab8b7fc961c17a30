"""Readings that a recognizer or the NER took for a date or an identifier: `BIPAP 12/5/14BPM`, `Pre-rx: 152/70`,
`2/4 bottles`, `turned at 1930`.

A run of numbers whose last number carries a unit written against it is a reading
(`12/5/14BPM`, `10/5/40%`), and one before `bottles` a count of cultures (`2/4
bottles`). A label before a run is not enough: tried, a run right after a
vital-sign, ventilator or lab label (`PEEP 8/5`) dropped a date of the locked
part, and the date recognizer already leaves such runs alone. Two numbers of up to three digits joined by a slash that no
calendar has (`152/70`: no month is 152, no day 70) are a blood pressure, never an
identifier or a phone number. A four-digit number that reads as a year but is a
24-hour time (`1930`, `2045`: hours and minutes) is a time after `at` or `@`, or
before `hrs`; a time of day identifies nobody. A four-digit year inside a run keeps
it a date (`PEEP since 3/4/2019`).
"""

from __future__ import annotations

import regex

from deidstream.detection.lexicons.readings import COUNT_AFTER_WORDS, GLUED_READING_UNITS
from deidstream.entity import EntityType

TYPES = frozenset({EntityType.DATE_TIME, EntityType.ID, EntityType.PHONE_NUMBER})
# Two to four numbers of up to three digits, joined by slashes (`8/5`, `12/5/14`, `7.31/48/92`).
NUMBER_RUN = regex.compile(r"\d{1,3}(?:\.\d{1,2})?(?:[ \t]*/[ \t]*\d{1,3}(?:\.\d{1,2})?){1,3}")
CLOCK_REACH = 6
GLUED_UNIT_AFTER = regex.compile(rf"(?i)(?:{GLUED_READING_UNITS})(?![\p{{L}}])")
COUNT_AFTER = regex.compile(rf"(?i)[ \t]*(?:{COUNT_AFTER_WORDS})\b")
PAIR = regex.compile(r"(\d{1,3})[ \t]*/[ \t]*(\d{1,3})")
MONTHS_IN_YEAR, DAYS_IN_MONTH = 12, 31
# Four digits that are a year and a 24-hour time alike: 19:00 to 19:59, 20:00 to 20:59.
YEAR_OR_CLOCK = regex.compile(r"(?:19|20)[0-5]\d")
CLOCK_BEFORE = regex.compile(r"(?i)(?:\bat|@)[ \t]*$")
HOURS_AFTER = regex.compile(r"(?i)[ \t]*(?:hrs?|h|hours)\b")


class ReadingVeto:
    name = "ReadingVeto"

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if entity_type not in TYPES:
            return False
        span = text[start:end].strip()
        if entity_type == EntityType.DATE_TIME and YEAR_OR_CLOCK.fullmatch(span):
            return bool(CLOCK_BEFORE.search(text, max(0, start - CLOCK_REACH), start) or HOURS_AFTER.match(text, end))
        if not NUMBER_RUN.fullmatch(span):
            return False
        if COUNT_AFTER.match(text, end) or GLUED_UNIT_AFTER.match(text, end):
            return True
        pair = PAIR.fullmatch(span)
        return entity_type != EntityType.DATE_TIME and pair is not None and not _calendar_pair(*pair.groups())


def _calendar_pair(first: str, second: str) -> bool:
    """Whether two numbers could be a month and a day, a day and a month, or a month and a year."""
    one, two = int(first), int(second)
    month_day = 1 <= one <= MONTHS_IN_YEAR and 1 <= two <= DAYS_IN_MONTH
    day_month = 1 <= one <= DAYS_IN_MONTH and 1 <= two <= MONTHS_IN_YEAR
    month_year = 1 <= one <= MONTHS_IN_YEAR and len(second) == 2
    return month_day or day_month or month_year
