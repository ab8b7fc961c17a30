"""International phone numbers: `+44 20 7946 0958`, `+33 1 42 68 53 00`, `+49 (0)30 901820`, `0044 20 7946 0958`.

A leading `+` (or `00`) and a country code say what the number is; the groups
after it vary by country, so the shape is a run of digit groups of 8 to 15
digits in all, with an optional extension.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.detection.base.recognizers import ClinicalPatternRecognizer
from deidstream.detection.lexicons.contact_words import EXTENSION
from deidstream.entity import EntityType

# country code, then groups split by blanks, dots, dashes or a bracketed trunk prefix; 8 to 15 digits in all
GROUPS = r"(?=(?:[ \t.\-()]*\d){8,15}(?![ \t.\-]?\d))(?:[ \t.\-]?(?:\(\d{1,4}\)|\d{1,5})){2,7}"


class InternationalPhoneRecognizer(ClinicalPatternRecognizer):
    ENTITY = EntityType.PHONE_NUMBER
    PATTERNS = [
        Pattern(
            "plus and country code",
            rf"(?<![\w+])(?:\+|\b00)[1-9]\d{{0,2}}{GROUPS}{EXTENSION}(?![\w/]|\.\d)",
            0.75,
        ),
    ]
    CONTEXT = ["phone", "tel", "cell", "mobile", "call", "abroad", "international"]
