"""Shared shape of identifiers written after a label: `MRN: 1234567`, `FILE #: 12345`, `S/N AB12-3456`.

Record, device and licence numbers have no shape of their own (any run of digits
and letters), so the label is what identifies them. The value must contain a
digit, so that `MRN: pending` or `Account: see chart` are not taken.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.detection.presidio_adapter import KeepsBatchResults

# What stands between a label and its value: `#`, `:`, a spaced dash, `no.`, `number`, in any order.
LABEL_GLUE = r"[ \t]*(?:(?:#|:|(?<=[ \t])-(?=[ \t])|no\.?|num(?:ber)?\.?|id)[ \t]*){1,3}"
VALUE = r"(?=[A-Za-z\-/]*\d)[A-Za-z0-9][A-Za-z0-9\-/]{2,24}(?<![\-/])"


class LabelledIdentifierRecognizer(KeepsBatchResults):
    """A PatternRecognizer for `LABEL #: VALUE`; subclasses give the labels and the entity type.

    `LABELS` need the glue (`Order #123`, not `order 123 units`); `BARE_LABELS` are
    specific enough to stand without it (`MRN 1234567`).
    """

    ENTITY = ""
    LABELS = ""
    BARE_LABELS = ""
    CONTEXT: list[str] = []

    def __init__(self, supported_language: str = "en") -> None:
        label = rf"(?:{self.LABELS}){LABEL_GLUE}"
        if self.BARE_LABELS:
            # a bare label is a word of its own: `SN PJN123`, not the start of `SNR225152165`
            label = rf"(?:{label}|(?:{self.BARE_LABELS})(?![A-Za-z])(?:[ \t]*[#:])*[ \t]*)"
        pattern = Pattern(f"labelled {self.ENTITY.lower()}", rf"(?i)\b{label}\K{VALUE}\b", 0.85)
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=[pattern],
            context=self.CONTEXT,
            supported_language=supported_language,
            name=type(self).__name__,
        )
