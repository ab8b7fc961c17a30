"""What every message format shares: why a value cannot be decoded, the decoded message, and the field-value interface.

Decoding is strict on purpose. Anything that is not exactly what the topic's format
promises raises `Unprocessable` with a reason from `DecodeFailure`, so that the
message goes to quarantine instead of reaching the clean topic half-processed.

A decoded message hands the engine its free texts (`texts`), plus what its own
structured fields say about the people in it (`known`: the patient's name from
PID-5, to be found again in the report text, and recorded in the patient
directory), and is encoded back from the anonymized texts and a `FieldValues`
that replaces structured values (a name field, a birth date) under the same
policy, so field and text get the same surrogate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from deidstream.formats.seeds import KnownIdentifiers

if TYPE_CHECKING:
    from deidstream.anonymization.policy import OperatorSpec


class DecodeFailure(StrEnum):
    """Why a message cannot be decoded, so goes to quarantine: a fixed set, safe as a header or metric label. What
    goes wrong after decoding (the engine, the patient key, the output's size) is the stream's to say
    (`stream.records.ProcessingFailure`)."""

    NO_VALUE = "no_value"
    TOO_LARGE = "too_large"
    INVALID_UTF8 = "invalid_utf8"
    INVALID_JSON = "invalid_json"
    INVALID_BASE64 = "invalid_base64"
    INVALID_FHIR = "invalid_fhir"
    INVALID_HL7 = "invalid_hl7"
    MISSING_FIELD = "missing_field"
    FIELD_NOT_TEXT = "field_not_text"


class Unprocessable(Exception):
    """A message that must go to quarantine; the detail names fields and sizes, never content."""

    def __init__(self, reason: DecodeFailure, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class FieldValues(Protocol):
    """Replaces one structured value (a whole field) under the message's policy; see `anonymizer.FieldValueReplacer`."""

    def replace(self, entity_type: str, value: str, operator: OperatorSpec | None = None) -> str:
        """The value's replacement by `operator`, or by the policy's operator for `entity_type` when None."""
        ...

    def identifier(self, value: str) -> str:
        """A pseudonymous id for `value`, the same for the same value within (keyed: across) messages."""
        ...


class TaggingValues:
    """`FieldValues` without a policy: every value becomes `<TYPE>`; ids a random token per message."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}

    def replace(self, entity_type: str, value: str, operator: OperatorSpec | None = None) -> str:
        return f"<{entity_type}>"

    def identifier(self, value: str) -> str:
        import uuid

        return self._ids.setdefault(value, str(uuid.uuid4()))


# Builds the clean value from the anonymized texts (in `texts` order) and the field replacer.
Encoder = Callable[[list[str], FieldValues], bytes]


@dataclass
class DecodedMessage:
    """The free texts of one message, what its fields say about its people, and how to put everything back."""

    texts: list[str]
    _encoder: Encoder
    _lookup: Callable[[str], Any] = lambda name: None
    known: KnownIdentifiers = field(default_factory=KnownIdentifiers)

    def field(self, name: str) -> Any:
        """A value of the original message by name (dotted JSON path, `PID-3.1`, `Patient.id`); None when absent."""
        return self._lookup(name)

    def encode(self, anonymized: list[str], values: FieldValues | None = None) -> bytes:
        return self._encoder(anonymized, values if values is not None else TaggingValues())
