"""Operators that need no secret: `tag`, `redact` and `mask`."""

from __future__ import annotations

from deidstream.anonymization.operators.base import MessageContext, Operator, tag


class TagOperator(Operator):
    def replace(self, entity_type: str, original: str, context: MessageContext) -> str:
        return tag(entity_type)


class RedactOperator(Operator):
    def replace(self, entity_type: str, original: str, context: MessageContext) -> str:
        return ""


class MaskOperator(Operator):
    """Letters and digits become `char`, separators stay, so the reader still sees a phone number or a date."""

    def __init__(self, char: str, keep_last: int) -> None:
        self._char = char
        self._keep_last = keep_last

    def replace(self, entity_type: str, original: str, context: MessageContext) -> str:
        visible = self._keep_last
        masked = []
        for char in reversed(original):
            if char.isalnum() and visible > 0:
                visible -= 1
                masked.append(char)
            else:
                masked.append(self._char if char.isalnum() else char)
        return "".join(reversed(masked))
