"""Ages over 89, which HIPAA Safe Harbor treats as identifying: `92 yo`, `93-year-old`, `age 95`, `aged 101`,
`ninety-two years old`."""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.detection.base.recognizers import ClinicalPatternRecognizer
from deidstream.entity import EntityType

AGE = r"(?:9\d|1[01]\d)"
UNITS_IN_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten)"


class AgeOver89Recognizer(ClinicalPatternRecognizer):
    ENTITY = EntityType.AGE
    PATTERNS = [
        Pattern(
            "age with a unit",
            rf"(?i)(?<![\d.])\b{AGE}(?=[ \t]*-?[ \t]*(?:yo\b|y/o|y\.o\.|yrs?\b|years?\b|yr\.|year-old|y\b))",
            0.85,
        ),
        Pattern("age after a label", rf"(?i)\b(?:age|aged|age:)[ \t]*(?:of[ \t]+)?\K{AGE}\b(?!\.?\d)", 0.85),
        Pattern(
            "age in words",
            rf"(?i)\b(?:ninety|one[ \t]+hundred)(?:[ \t\-]+(?:and[ \t]+)?{UNITS_IN_WORDS})?"
            r"(?=[ \t\-]+(?:years?|yrs?)[ \t\-]+old\b)",
            0.85,
        ),
        # `96 s/p right wrist fx`: a note that opens on the age and what brought the patient in
        Pattern(
            "age opening a line",
            rf"(?im)^[ \t]*\K{AGE}(?=[ \t]+(?:s/p|male|female|man|woman|gentleman|gent|lady|yom|yof|wm|wf)\b)",
            0.7,
        ),
        # `(103 M)`, `(95F)`: age and sex in brackets after a name
        Pattern("age and sex", rf"(?i)(?<=\([ \t]*){AGE}(?=[ \t]*-?[ \t]*(?:m|f|male|female|yo[mf])\b)", 0.8),
        # `he is 94 and on dialysis`, `patient turned 101`: not a weight, dose or reading (`she is 95%`)
        Pattern(
            "age after is",
            rf"(?i)\b(?:he|she|pt|patient|who)[ \t]+(?:is|was|turns|turned)[ \t]+(?:now[ \t]+)?\K{AGE}\b"
            r"(?![ \t]*(?:%|percent|mg|mcg|kg|lbs?|pounds|kilos|cm|inches|bpm|beats|/|\.\d))",
            0.75,
        ),
        Pattern("nonagenarian", r"(?i)\b(?:nonagenarian|centenarian)s?\b", 0.6),
    ]

    CONTEXT = ["old", "age", "yo", "year"]
