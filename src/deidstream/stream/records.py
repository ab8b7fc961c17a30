"""What the stream carries: an input message, the record made from it, and why a record goes to quarantine.

These are plain data, detached from the Kafka client, so every step (the batch
step, the publisher, the quarantine brake) is testable on its own. Each owner
says its own quarantine reasons: a format why a value cannot be decoded
(`formats.DecodeFailure`), the stream what went wrong after decoding
(`ProcessingFailure`); a record carries either.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from deidstream.formats import DecodeFailure

if TYPE_CHECKING:
    from confluent_kafka import Message

Headers = list[tuple[str, bytes | None]]  # a header may have no value


class ProcessingFailure(StrEnum):
    """Why a decoded message goes to quarantine: a fixed set, safe as a header or metric label."""

    ENGINE_ERROR = "engine_error"  # the engine raised on the message's texts
    DETECT_TIMEOUT = "detect_timeout"  # detection took longer than `max_detect_seconds`
    MISSING_PATIENT_KEY = "missing_patient_key"  # its policy shifts dates, and the message names no patient
    OUTPUT_TOO_LARGE = "output_too_large"  # the producer or broker refused the record for its size
    DIRECTORY_CORRUPT = "directory_corrupt"  # a patient directory record does not decrypt under its key (altered)
    DIRECTORY_WRONG_KEY = "directory_wrong_key"  # a patient directory record written under another secret


QuarantineReason = DecodeFailure | ProcessingFailure
# Every reason's name, for settings that name reasons (`quarantine_brake_ignores`).
QUARANTINE_REASONS = tuple(DecodeFailure) + tuple(ProcessingFailure)


def unknown_reasons(names: list[str]) -> list[str]:
    """The names that are no quarantine reason."""
    return [name for name in names if name not in QUARANTINE_REASONS]


def received_headers(message: Message) -> Headers:
    """A record's headers as received: a list of name and bytes, or None for a header without a value."""
    received = message.headers() or []
    pairs = received.items() if isinstance(received, dict) else received  # typed either way by confluent-kafka
    return [(name, value.encode("utf-8") if isinstance(value, str) else value) for name, value in pairs]


@dataclass(frozen=True)
class SourceMessage:
    """An input message, detached from the Kafka client so processing is testable on its own."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers
    timestamp_ms: int | None = None


@dataclass(frozen=True)
class OutputRecord:
    """What to produce for one source message."""

    source: SourceMessage
    topic: str
    value: bytes | None
    headers: Headers
    entity_counts: Counter[str]
    quarantine_reason: QuarantineReason | None = None
    record_key: bytes | None = None  # a key of its own (a patient directory record); else the input's

    @property
    def key(self) -> bytes | None:
        return self.record_key if self.record_key is not None else self.source.key
