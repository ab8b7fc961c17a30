"""What every operator is: a replacement for one detected span, given the message it sits in."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from deidstream.anonymization.normalize import NameRoles


@dataclass(frozen=True)
class MessageContext:
    """What an operator may know beyond the span: the patient the message is about (for date shifting), and what
    its fields say each name word is (`isolde` a given name), so a name alone in the text gets the field's surrogate."""

    patient_key: bytes | None = None
    name_roles: NameRoles = field(default_factory=dict)


class Operator(ABC):
    """Replaces one span; built once per process from a policy, then called for every span of every message."""

    @abstractmethod
    def replace(self, entity_type: str, original: str, context: MessageContext) -> str:
        """The text that takes the place of `original`; never `original` itself."""


def tag(entity_type: str) -> str:
    """`<PERSON>`: the replacement of the `tag` operator, and the fallback of operators that cannot read a value."""
    return f"<{entity_type}>"
