"""Durations proposed as dates: `3 days`, `x 2 weeks`, `48 hrs`, `10 years`.

A number of days, weeks, months or years is a length of time, not a day of the
calendar, and identifies nobody. Relative days (`yesterday`, `last month`) are not
dropped: annotated sets count some of them as dates.
"""

from __future__ import annotations

import regex

from deidstream.entity import EntityType

DURATION = regex.compile(
    r"(?i)^(?:(?:about|approx\.?|approximately|over|for|x)\s*)?\d+(?:\.\d+)?(?:\s*(?:-|to)\s*\d+)?[\s\-]*"
    r"(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|days?|wks?|weeks?|mos?|months?|y(?:ea)?rs?|decades?)$"
)


class DurationVeto:
    name = "DurationVeto"

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        return entity_type == EntityType.DATE_TIME and bool(DURATION.match(text[start:end].strip()))
