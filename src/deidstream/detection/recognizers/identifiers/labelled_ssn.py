"""Social security numbers after their label: `SSN: 666-04-9671`, `SSN 000 15 9074`, `social security number
123456789`.

Presidio's `UsSsnRecognizer` checks that a number could have been issued (no area
000, 666 or 900-999, no group 00), which is right for numbers without a label
and wrong after one: a number written as someone's SSN is PHI whether or not it
is valid, and typing slips or test numbers are no less identifying.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.detection.base.recognizers import ClinicalPatternRecognizer
from deidstream.entity import EntityType

LABEL = (
    r"ssn|ss\#|ss[ \t]+(?:no|number|\#)|soc\.?[ \t]+sec\.?(?:[ \t]+(?:no\.?|number|\#))?|"
    r"social[ \t]+security(?:[ \t]+(?:number|no\.?|num|\#|card))?"
)
# nine digits, grouped 3-2-4 by dashes, blanks or dots, or run together
NINE_DIGITS = r"\d{3}([ \t.\-]?)\d{2}\1\d{4}"


class LabelledSsnRecognizer(ClinicalPatternRecognizer):
    ENTITY = EntityType.US_SSN
    PATTERNS = [
        Pattern(
            "nine digits after an ssn label",
            rf"(?i)\b(?:{LABEL})[ \t]*(?:[#:=]|is|was|of)?[ \t]*(?:[#:][ \t]*)?\K{NINE_DIGITS}(?![\d\-])",
            0.85,
        ),
    ]
    CONTEXT = ["ssn", "social", "security"]
