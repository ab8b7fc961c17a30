"""Identifiers a few words after a word for an identifier: `identifier 0777601`, `Identity confirmed with
0777601`, `ID# 4471932`, `member ID W2290113`, `insurance ID XKQ-55120`, `beneficiary number 1EG4-TE5-MK72`.

The labelled recognizers (`record_number.py` and friends) want the value right
after its label; notes also put a verb or two between (`identity verified
against 0777601`). A value with five digits or more (or letters and three digits), up to four short words
after an identifier word, on the same line, is an identifier; amounts with a
unit, times and dates are not.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.detection.base.recognizers import ClinicalPatternRecognizer
from deidstream.detection.lexicons.units import AMOUNT_UNITS
from deidstream.entity import EntityType

IDENTIFIER_WORDS = (
    r"identifier|identity|identification|id|i\.d\.|mrn|mr\#|"
    r"(?:member|insurance|subscriber|beneficiary|policy|account|record|patient|medicaid|medicare|group|"
    r"health[ \t]+plan|plan|claim|case)[ \t]+(?:id|number|no\.?|num|\#)"
)
# `confirmed with`, `number is`, `verified against`: up to four words of letters between the word and the value
BETWEEN = r"(?:[ \t]*[#:=.][ \t]*|[ \t]+)(?:\p{L}{1,12}[ \t]+){0,4}?[#:]?[ \t]*"
# five digits or more (`0777601`), or letters with three digits or more (`W2290113`); not a date (`2011-01-01`)
VALUE = (
    r"(?!(?:19|20)\d{2}-\d{1,2}-\d{1,2}\b)(?=(?:[A-Za-z\-]*\d){5}|[0-9\-]*[A-Za-z](?:[A-Za-z\-]*\d){3})"
    r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){3,24}"
)


class IdentifierAfterWordRecognizer(ClinicalPatternRecognizer):
    ENTITY = EntityType.ID
    PATTERNS = [
        Pattern(
            "value after an identifier word",
            rf"(?i)\b(?:{IDENTIFIER_WORDS})(?![\p{{L}}])(?:{BETWEEN})\K{VALUE}(?![\w/:]|\.\d|[ \t]*(?:{AMOUNT_UNITS})\b)",
            0.7,
        ),
    ]
    CONTEXT = ["id", "identifier", "identity", "number", "member", "insurance", "policy", "account", "record"]
