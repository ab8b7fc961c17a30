"""Shared shape of identifiers written after a label: `MRN: 1234567`, `FILE #: 12345`, `S/N AB12-3456`.

Record, device and licence numbers have no shape of their own (any run of digits
and letters), so the label is what identifies them. The value must contain a
digit, so that `MRN: pending` or `Account: see chart` are not taken.
"""

from __future__ import annotations

from typing import ClassVar, Self

from presidio_analyzer import Pattern

from deidstream.detection.base.recognizers import AS_SHIPPED, BatchPatternRecognizer, Buildable, Parts, Tuning
from deidstream.entity import EntityType

# What stands between a label and its value: `#`, `:`, a spaced dash, `no.`, `number`, in any order.
LABEL_GLUE = r"[ \t]*(?:(?:#|:|(?<=[ \t])-(?=[ \t])|no\.?|num(?:ber)?\.?|id)[ \t]*){1,3}"
VALUE = r"(?=[A-Za-z\-/]*\d)[A-Za-z0-9][A-Za-z0-9\-/]{2,24}(?<![\-/])"


class LabelledIdentifierRecognizer(BatchPatternRecognizer, Buildable):
    """A PatternRecognizer for `LABEL #: VALUE`; subclasses give the labels and the entity type.

    `LABELS` need the glue (`Order #123`, not `order 123 units`); `BARE_LABELS` are
    specific enough to stand without it (`MRN 1234567`).
    """

    ENTITY: ClassVar[EntityType]
    LABELS: ClassVar[str]
    BARE_LABELS: ClassVar[str] = ""
    CONTEXT: ClassVar[list[str]] = []

    def __init__(self, supported_language: str = "en", tuning: Tuning = AS_SHIPPED) -> None:
        label = rf"(?:{self.LABELS}){LABEL_GLUE}"
        if self.BARE_LABELS:
            # a bare label is a word of its own: `SN PJN123`, not the start of `SNR225152165`
            label = rf"(?:{label}|(?:{self.BARE_LABELS})(?![A-Za-z])(?:[ \t]*[#:])*[ \t]*)"
        pattern = Pattern(f"labelled {self.ENTITY.lower()}", rf"(?i)\b{label}\K{VALUE}\b", 0.85)
        super().__init__(
            supported_entity=tuning.entity_type or self.ENTITY,
            patterns=[pattern],
            context=self.CONTEXT,
            supported_language=supported_language,
            name=type(self).__name__,
        )
        self.tuning = tuning

    @classmethod
    def build(cls, parts: Parts, tuning: Tuning) -> Self:
        return cls(parts.language, tuning)
