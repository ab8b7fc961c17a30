"""Dates, ages, numbers and phones that are measurements, doses or clock times: `5 mg`, `120/80`, `0800`, `45`.

A number followed by a unit is a quantity; a blood pressure after `BP` is a
reading; a time of day alone identifies nobody (HIPAA Safe Harbor lists dates,
not times); an age under 90 is not an identifier; a phone number or identifier
without a digit (`x-ray`) is no number. A "date" that no calendar has is a
reading: two numbers neither of which can be a month (`80/30`, `57/30`, `34-36`),
more than three numbers joined (`7.36/44/88/24`),
a percentage or a dose inside (`12-35%-400`, `200mcg of`). Oxygen is a
quantity too, by its delivery device (`4LNC`, `100% NRB`).
"""

from __future__ import annotations

import regex

from deidstream.detection.lexicons.readings import OXYGEN_DEVICES, READING_LABELS, VITAL_SIGN_LABELS
from deidstream.detection.lexicons.units import DOSE_UNITS, MEASUREMENT_UNITS
from deidstream.entity import EntityType

NUMBER = r"\d+(?:[.,]\d+)?"
RANGE = rf"{NUMBER}(?:\s*(?:-|to)\s*{NUMBER})?"
NUMBER_OR_RANGE = regex.compile(RANGE)
# A quantity, or oxygen by its delivery device, the flow or fraction before it: `4L NC`, `3LNCO2`, `100% NRB`.
QUANTITY = regex.compile(
    rf"(?i)^{RANGE}\s*(?:{MEASUREMENT_UNITS})$|^{NUMBER}\s*(?:%|l|lpm|l/min)?\s*(?:{OXYGEN_DEVICES})(?:\s*o2)?$"
)
UNIT_AFTER = regex.compile(rf"(?:\s*(?:-|to)\s*{NUMBER})?\s*(?:{MEASUREMENT_UNITS})(?![\p{{L}}\d])", regex.IGNORECASE)
# `am`, `p.m.`, and the single letter of notes (`1850P`, `9:15a`).
MERIDIEM = r"[ap](?:\.?m)?\.?"
TIME_OF_DAY = (
    rf"(?:(?:[01]?\d|2[0-3])(?::[0-5]\d){{1,2}}(?:\s*{MERIDIEM})?|(?:[01]?\d|2[0-3])[0-5]?\d?\s*{MERIDIEM}"
    r"|12\s*(?:mn|noon|midnight))"
)
# A time of day or a range of them (`14:30`, `3:15-3:45pm`); four digits that are a 24-hour time and no year of
# the last two centuries (`0200`, `1830`, `1153`; not `1994` or `2000`); a ratio (`1:1`, `1:2`).
CLOCK = regex.compile(
    rf"(?i)^(?:at\s+|@\s*)?(?:{TIME_OF_DAY}|\d{{1,2}})?\s*(?:-|to)?\s*{TIME_OF_DAY}$"
    r"|^(?:(?:0\d|1[0-8]|2[1-3])[0-5]\d|2400)(?:\s*h(?:rs?)?)?$"
    r"|^\d:\d$"
)
# Two 24-hour times joined (`0330-0700`, `1700-1900`); not when both could be years (`2000-2010`).
CLOCK_RANGE = regex.compile(
    rf"(?i)^((?:[01]\d|2[0-3])[0-5]\d)(?:\s*(?:{MERIDIEM}|h(?:rs?)?))?\s*(?:-|to)\s*((?:[01]\d|2[0-3])[0-5]\d|2400)"
    rf"(?:\s*(?:{MERIDIEM}|h(?:rs?)?))?$"
)
YEAR_LIKE = regex.compile(r"(?:19|20)\d\d")
# Two numbers as a ratio or range, or readings by the decade (`90s`, `150's-160's`).
READING = regex.compile(r"^\d{1,3}\s*[/-]\s*\d{1,3}$|^\d{2,3}'?s(?:\s*-\s*\d{2,3}(?:'?s)?)?$")
# Readings and scores written as fractions or ranges: blood pressures, pain, strength, murmurs, reflexes, CVP.
READING_LABEL = regex.compile(
    rf"(?i)\b(?:{READING_LABELS})\b[\s:=]*"
    r"(?:(?:was|of|is|at|now|in|the|mostly|remains?|remained|running|ranging|low|mid|high|upper|lower)\s+"
    r"|\d{1,3}/\d{1,3}[\s,;]+)*$"
)
NUMERIC_TYPES = frozenset({EntityType.DATE_TIME, EntityType.AGE, EntityType.ID, EntityType.PHONE_NUMBER})
NAMED_TYPES = frozenset({EntityType.PERSON, EntityType.LOCATION, EntityType.HOSPITAL})
CLOCK_TYPES = frozenset({EntityType.DATE_TIME, EntityType.AGE})
DIGIT_TYPES = frozenset({EntityType.ID, EntityType.PHONE_NUMBER})
# A vital sign written with its label inside the span: `RR=22-24`, `HR: 88`, `SpO2 97`.
LABELLED_VITAL = regex.compile(
    rf"(?i)^(?:{VITAL_SIGN_LABELS})"
    r"\s*[=:]?\s*\d{1,3}(?:\.\d)?(?:\s*[-/]\s*\d{1,3})?%?$"
)
# Numbers joined by slashes or dashes, as dates are written without month names.
NUMBER_RUN = regex.compile(r"^\d+(?:\s*[/.-]\s*\d+)+$")
# Only units no date is ever followed by: doses, volumes, pressures, percentages.
DOSE_UNIT = rf"(?:{DOSE_UNITS})(?![\p{{L}}\d])"
DOSE_INSIDE = regex.compile(rf"(?i)\d\s*{DOSE_UNIT}")
DOSE_AFTER = regex.compile(rf"(?i)\s*{DOSE_UNIT}")
PARENTHESES = regex.compile(r"\([^()]*\)")
MONTHS_IN_YEAR, DAYS_IN_MONTH = 12, 31
READING_REACH = 30
YOUNGEST_PHI_AGE = 90


class MeasurementVeto:
    name = "MeasurementVeto"

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if entity_type not in NUMERIC_TYPES | NAMED_TYPES:
            return False
        span = text[start:end].strip()
        if entity_type in DIGIT_TYPES and not any(character.isdigit() for character in span):
            return True
        if entity_type in NAMED_TYPES:  # a time of day written in digits, taken for a name or a place
            return not any(character.isalpha() for character in span) and _is_clock_time(span.rstrip("-.,;"))
        if QUANTITY.match(span):
            return True
        if entity_type in CLOCK_TYPES and _is_clock_time(span.rstrip("-.,;")):
            return True
        if NUMBER_OR_RANGE.fullmatch(span) and (DOSE_AFTER if YEAR_LIKE.fullmatch(span) else UNIT_AFTER).match(
            text, end
        ):
            return True  # `4-5 L`; a year only before a dose unit (`2000 ml`, not `1945 in Lyon`)
        if READING.match(span) and READING_LABEL.search(text, max(0, start - READING_REACH), start):
            return True
        if LABELLED_VITAL.match(span):
            return True
        if entity_type == EntityType.DATE_TIME and _no_calendar_date(span):
            return True
        return entity_type == EntityType.AGE and span.isdigit() and int(span) < YOUNGEST_PHI_AGE


def _no_calendar_date(span: str) -> bool:
    """Numbers that no date is written as: a dose or a percentage inside, more than three numbers joined by
    slashes, dots or dashes, or a pair of which neither can be the month (`80/30`; `10/10` may be a date)."""
    if DOSE_INSIDE.search(span):
        return True
    span = PARENTHESES.sub("", span)  # a label inside a run of readings: `91(pao2)/43/7.47`
    if not NUMBER_RUN.match(span):
        return False
    parts = regex.split(r"\s*[/.-]\s*", span)
    if any(YEAR_LIKE.fullmatch(part) for part in parts):
        return False  # a year, a span of years, or a span of dates (`12/04/2010-13/04/2010`)
    if len(parts) > 3:
        return True
    if len(parts) == 3:  # day, month and year in some order, so one of them is a month
        return not any(1 <= int(part) <= MONTHS_IN_YEAR for part in parts)
    first, second = (int(part) for part in parts)
    could_be_month_day = 1 <= first <= MONTHS_IN_YEAR and 1 <= second <= DAYS_IN_MONTH
    could_be_day_month = 1 <= first <= DAYS_IN_MONTH and 1 <= second <= MONTHS_IN_YEAR
    could_be_month_year = 1 <= first <= MONTHS_IN_YEAR and len(parts[1]) in (2, 4)
    return not (could_be_month_day or could_be_day_month or could_be_month_year)


def _is_clock_time(span: str) -> bool:
    """A time of day or a range of them, in any of the ways notes write it (`14:30`, `3-7pm`, `0330-0700`)."""
    if CLOCK.match(span):
        return True
    times = CLOCK_RANGE.match(span)
    return times is not None and not all(YEAR_LIKE.fullmatch(time) for time in times.groups())
