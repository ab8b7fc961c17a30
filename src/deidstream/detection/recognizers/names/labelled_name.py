"""Names in labelled header fields (`PATIENT: JOHN SMITH`, `Name: Smith, John`).

Report headers carry the patient's name in all caps or `Last, First` form, which
spaCy's NER rarely tags; the label itself is the evidence.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.detection.base.recognizers import ClinicalPatternRecognizer
from deidstream.entity import EntityType

LABELS = r"(?:patient(?:\s+name)?|pt(?:\s+name)?|name|patient's\s+name|re|regarding|subject)"
# Not the next field's label (`Rivera, Carmen MRN: 00451234`).
NAME_WORD = r"\p{Lu}[\p{L}'’\-]+(?![\p{L}'’\-]*[ \t]*[:#])"
# One space between the words of a name, or a comma: more blank space separates the next field (`Unit No:`).
NAME = rf"{NAME_WORD}(?:(?:,[ \t]*|[ ]){NAME_WORD}){{0,3}}"


class LabelledNameRecognizer(ClinicalPatternRecognizer):
    """A person's name right after a name label at the start of a line."""

    ENTITY = EntityType.PERSON

    PATTERNS = [
        Pattern("quoted name", rf"(?i)\bname\b[,:]?[ \t]*[\"'“]\K{NAME}(?=[\"'”])", 0.85),
        Pattern(
            "labelled name",
            rf"(?im)^[ \t]*{LABELS}[ \t]*[:#][ \t]*\K{NAME}",
            0.85,
        ),
    ]
