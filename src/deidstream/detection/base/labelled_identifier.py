"""Shared shape of identifiers written after a label: `MRN: 1234567`, `FILE #: 12345`, `S/N AB12-3456`.

Record, device and licence numbers have no shape of their own (any run of digits
and letters), so the label is what identifies them. The value must contain a
digit, so that `MRN: pending` or `Account: see chart` are not taken.
"""

from __future__ import annotations

from typing import Any, ClassVar

from presidio_analyzer import Pattern

from deidstream.detection.base.recognizers import ClinicalPatternRecognizer

# What stands between a label and its value: `#`, `:`, a spaced dash, `no.`, `number`, in any order.
LABEL_GLUE = r"[ \t]*(?:(?:#|:|(?<=[ \t])-(?=[ \t])|no\.?|num(?:ber)?\.?|id)[ \t]*){1,3}"
VALUE = r"(?=[A-Za-z\-/]*\d)[A-Za-z0-9][A-Za-z0-9\-/]{2,24}(?<![\-/])"


class LabelledIdentifierRecognizer(ClinicalPatternRecognizer):
    """A PatternRecognizer for `LABEL #: VALUE`; subclasses give the labels and the entity type.

    `LABELS` need the glue (`Order #123`, not `order 123 units`); `BARE_LABELS` are
    specific enough to stand without it (`MRN 1234567`).
    """

    LABELS: ClassVar[str]
    BARE_LABELS: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        label = rf"(?:{cls.LABELS}){LABEL_GLUE}"
        if cls.BARE_LABELS:
            # a bare label is a word of its own: `SN PJN123`, not the start of `SNR225152165`
            label = rf"(?:{label}|(?:{cls.BARE_LABELS})(?![A-Za-z])(?:[ \t]*[#:])*[ \t]*)"
        cls.PATTERNS = [Pattern(f"labelled {cls.ENTITY.lower()}", rf"(?i)\b{label}\K{VALUE}\b", 0.85)]
