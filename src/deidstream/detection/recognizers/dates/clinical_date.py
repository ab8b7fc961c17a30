"""Dates as clinicians write them: `7/22`, `7/22/2011 10:31`, `22-Jul`, `July 22nd`, `'92`, `2011-01-01`.

The hard part is what is *not* a date: blood pressures and ventilator settings
(`BP 110/70`, `PEEP 10/5`), pain scores and strengths (`pain 5/10`, `5/5
strength`), fractions (`1/2 NS`), clock times (`at 1930`) and amounts (`2000 cc`).
Numbers are checked as calendar values and their neighbours are read for such cues.

Those cues (the labels and words of `lexicons/readings.py`) are negative knowledge
kept inside this recognizer on purpose: they shape what it reads as a date
(`10/5` after `PEEP` is no month and day, `3/4` before `NS` a fraction), and as a
veto they would drop a date whoever proposed it, the PHI NER's dates included,
which the NER reads from the whole sentence. What is a reading whoever proposed
it is dropped by `MeasurementVeto` (readings after their label, doses, clock
times), which `deidstream eval` counts.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.recognizers import RuleRecognizer, Span
from deidstream.detection.lexicons.readings import (
    NOT_DATE_AFTER_WORDS,
    NOT_DATE_LABELS,
    PAIN_WORDS,
    SCORE_AFTER_WORDS,
    SCORE_LABELS,
    VENTILATOR_AFTER,
    VENTILATOR_WORDS,
)
from deidstream.entity import EntityType

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
LONE_MONTH = r"(?:january|february|april|june|july|august|sept(?:ember)?|october|november|december)"
DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
YEAR = r"(?:(?:19|20)\d{2}|'\d{2})"
TIME = r"(?:[ \t]+(?:at[ \t]+|@[ \t]*)?(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:[ \t]*[ap]\.?m\.?)?)"

# Past events that notes date by a two-digit year (`CABG 81`, `11 stent to RCA`).
PAST_EVENTS = (
    r"mi|ami|nstemi|stemi|cabg|cva|tia|avr|mvr|ptca|pci|stent|ablation|dx|dx'd|diagnosed|repair|"
    r"replacement|surgery|resection|transplant|cholecystectomy|appendectomy|mastectomy|hysterectomy"
)

PATTERNS = [
    # 7/22/2011, 07-22-11, 22.07.2011, with an optional time
    re.compile(
        rf"(?<![\d/.x])(?<!\d-)(?P<m>\d{{1,2}})(?P<sep>[/\-.])(?P<d>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}})(?![\d/%])(?:{TIME})?"
    ),
    # 2011-01-01, 2011-01-01T10:31
    re.compile(
        r"(?<![\d\-])(?:19|20)\d{2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)?(?![\d\-])"
    ),
    # July 22nd, 2011 / Jul 22 / July 2011 / Jan '09
    re.compile(
        rf"(?i)\b{MONTH}\.?[ \t]+(?:{DAY}(?:,?[ \t]+{YEAR})?\b|(?:of[ \t]+)?(?:19|20)\d{{2}}\b|'\d{{2}}\b)(?:{TIME})?"
    ),
    # 22-Jul, 22 July 2011, 22nd of July, 2 nov, 96 (a two-digit year after a comma)
    re.compile(
        rf"(?i)\b{DAY}(?:[ \t]*-[ \t]*|[ \t]+(?:of[ \t]+)?){MONTH}\b\.?(?:(?:,?[ \t]+|-){YEAR}|,[ \t]*\d{{2}}\b)?"
    ),
    # a month on its own (`in sept.`); abbreviations alone are too ambiguous (`dec` = decreased)
    re.compile(rf"(?i)\b{LONE_MONTH}\b\.?"),
    # '92
    re.compile(r"(?<![\w'])'\d{2}\b"),
    # `it's the 11th.`: a day of the month, not `the 4th ventricle`
    re.compile(r"(?i)\bthe[ \t]+\K(?:[12]?\d|3[01])(?:st|nd|rd|th)\b(?=[ \t]*(?:[.,;:)\"!?]|$|of\b|at\b))"),
    # 9/2004: month and four-digit year
    re.compile(r"(?<![\d/.\-])(?:0?[1-9]|1[0-2])/(?:19|20)\d{2}(?![\d/%]|\.\d)"),
    # 8/87: month and two-digit year, when the second number cannot be a day
    re.compile(r"(?<![\d/.\-])(?:0?[1-9]|1[0-2])/(?:3[2-9]|[4-9]\d)(?![\d/%]|\.\d)"),
    # CABG 81, MI '92, CVA in 94: a two-digit year after a past event
    re.compile(
        rf"(?i)\b(?:{PAST_EVENTS})"
        r"[ \t]+(?:x\d[ \t]+)?(?:in[ \t]+)?\K(?:[5-9]\d|0\d)\b"
        # `CVA in 94 and 00`: more years of the same event
        r"(?:(?:[ \t]*,[ \t]*|[ \t]+(?:and|&)[ \t]+)(?:[5-9]\d|0\d)\b)*(?![%\d]|\.\d)"
    ),
    # `PMH: HTN, 11 stent to RCA, 98 CABG`: a two-digit year opening an item of a history list, before its event
    re.compile(rf"(?im)(?:^|[,;:])[ \t]*(?:[-*•][ \t]*)?\K(?:[5-9]\d|[01]\d)(?=[ \t]+(?:{PAST_EVENTS})s?\b)"),
    # 11/21.93: month and day, a period before a two-digit year
    re.compile(r"(?<![\d/.])(?:0?[1-9]|1[0-2])/(?:[0-2]?\d|3[01])\.\d{2}(?![\d/.])"),
]
# `7/22`; glued to a word by a period or a hyphen too (`to Pendlebury.6/14`, `IV-4/12 started`), not inside a
# decimal or a run of numbers (`7.36/44`, `120-4/12`).
MONTH_DAY = re.compile(r"(?<![\w/'])(?<![\d/'][.\-])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\d/%]|\.\d)")
YEAR_ALONE = re.compile(r"(?<![\d/.\-:#$])(?:19[0-9]{2}|20[0-4][0-9])(?![\d/%]|\.\d|'?s\b)")

NOT_DATE_BEFORE = re.compile(rf"(?i)(?:\b(?:{NOT_DATE_LABELS})\b)[ \t]*[:=\-]?[ \t]*$")
NOT_DATE_AFTER = re.compile(rf"(?i)^[ \t]*(?:{NOT_DATE_AFTER_WORDS})")
TIME_BEFORE = re.compile(
    r"(?i)(?:\b(?:at|by|until|till|til|from|since|to|and|between|around|approx|aprox|approximately|after|before|due|q)"
    r"|[@~>\-–])[ \t]*$"
)
# Ventilator settings (`PS 10/5`, `weaning trial 5/5`) are written in the same shape as dates.
VENTILATION_CONTEXT = re.compile(rf"(?i)\b(?:{VENTILATOR_WORDS})\b")
# `trach (placed 8/14)`: an event's date, even in a line about the ventilator.
EVENT_BEFORE = re.compile(r"(?i)\b(?:placed|inserted|changed|started|since|dated|done|performed)\b[ \t(:]*$")
# `Fio2 50% with flowby 5/2`: flow-by (base and trigger flow) is never a date.
FLOW_BY_BEFORE = re.compile(r"(?i)\bflow[ \t\-]?by[ \t:]*$")
VENTILATION_AFTER = re.compile(rf"(?i)^[ \t,]*(?:{VENTILATOR_AFTER})")
SCORE_AFTER = re.compile(rf"(?i)^[ \t]*(?:{SCORE_AFTER_WORDS})\b")
# `1900-0700` is a shift, `2000+` an amount.
CLOCK_AFTER = re.compile(r"^[ \t]*(?:[-–>]+[ \t]*\d{3,4}|\+)")
PAIN_BEFORE = re.compile(rf"(?i)\b(?:{SCORE_LABELS})\b[^\n\d]{{0,12}}$")
PAIN_WORD = re.compile(rf"(?i)\b(?:{PAIN_WORDS})\b")
FRACTIONS = frozenset({(1, 2), (1, 3), (2, 3), (1, 4), (3, 4)})


class ClinicalDateRecognizer(RuleRecognizer):
    ENTITY = EntityType.DATE_TIME
    SCORE = 0.85

    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        spans = [match.span() for pattern in PATTERNS for match in pattern.finditer(text) if _plausible(match)]
        spans += [match.span() for match in MONTH_DAY.finditer(text) if _month_day(text, match)]
        spans += [match.span() for match in YEAR_ALONE.finditer(text) if _year(text, match)]
        return spans


def _plausible(match: re.Match[str]) -> bool:
    groups = match.groupdict()
    if "m" not in groups:
        return True
    first, second = int(groups["m"]), int(groups["d"])
    return 1 <= first <= 31 and 1 <= second <= 31 and min(first, second) <= 12


def _month_day(text: str, match: re.Match[str]) -> bool:
    month, day = int(match["m"]), int(match["d"])
    before = text[max(0, match.start() - 16) : match.start()]
    after = text[match.end() : match.end() + 12]
    fraction = (month, day) in FRACTIONS and not re.match(r"[ \t]*(?:[,.;)]|$)", after)
    window = text[max(0, match.start() - 25) : match.end() + 25]
    pain_score = day == 10 and PAIN_WORD.search(window)
    if not (1 <= month <= 12 and 1 <= day <= 31) or fraction or pain_score or PAIN_BEFORE.search(before):
        return False
    line_before = text[max(text.rfind("\n", 0, match.start()) + 1, match.start() - 30) : match.start()]
    # Pressure support over PEEP: PEEP is 5 to 15 and pressure support at least 5.
    ventilator_like = (
        month >= 5
        and 5 <= day <= 15
        and (VENTILATION_CONTEXT.search(line_before) or VENTILATION_AFTER.match(after))
        and not EVENT_BEFORE.search(before)
    )
    return not (
        NOT_DATE_BEFORE.search(before)
        or NOT_DATE_AFTER.match(after)
        or SCORE_AFTER.match(after)
        or ventilator_like
        or FLOW_BY_BEFORE.search(before)
    )


def _year(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 12) : match.start()]
    after = text[match.end() : match.end() + 12]
    return not (TIME_BEFORE.search(before) or NOT_DATE_AFTER.match(after) or CLOCK_AFTER.match(after))
