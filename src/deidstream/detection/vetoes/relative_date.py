"""Dates that name no day of the calendar: `3 days`, `yesterday`, `this morning`, `q4h`, `the weekend`.

HIPAA's date identifiers are calendar dates and their parts. A span with no digit,
no month and no weekday or holiday is a duration or a relative time, which
identifies nobody; a number of days, weeks, months or years is a duration.
"""

from __future__ import annotations

import regex

from deidstream.detection import entity

MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
WEEKDAY = r"mon(?:day)?|tues?(?:day)?|wed(?:nesday)?|thu(?:rs?)?(?:day)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?"
HOLIDAY = (
    r"christmas|xmas|thanksgiving|easter|hanukk?ah|chanukah|passover|ramadan|eid|diwali|new\s+year'?s?|"
    r"independence|memorial|labor|labour|veterans|halloween|valentine'?s?|mlk|presidents'?"
)
CALENDAR = regex.compile(rf"(?i)\d|\b(?:{MONTH}|{WEEKDAY}|{HOLIDAY})\b")
DURATION = regex.compile(
    r"(?i)^(?:(?:about|approx\.?|approximately|over|last|past|next|x|for|the|a|few|several|\d+)[\s\-]*)+"
    r"(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|days?|d|wks?|weeks?|mos?|months?|y(?:ea)?rs?|yo|decades?)"
    r"(?:\s+(?:ago|old|prior|before|later|after))?$"
)


class RelativeDateVeto:
    name = "RelativeDateVeto"

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if entity_type != entity.DATE_TIME:
            return False
        span = text[start:end]
        return not CALENDAR.search(span) or bool(DURATION.match(span.strip()))
