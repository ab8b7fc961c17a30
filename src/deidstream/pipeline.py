"""One batch of input messages in, one output record per message out: decode, detect, anonymize, encode.

This step knows nothing about Kafka clients; it maps `SourceMessage`s to
`OutputRecord`s, each bound for the clean topic or, when anything about the message
is wrong, the quarantine topic with the raw value. It never raises for a bad
message, so one poisoned report cannot stop the reports around it.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass

from deidstream.config import Settings
from deidstream.engine import Engine
from deidstream.formats import DecodedMessage, QuarantineReason, Unprocessable, decode

log = logging.getLogger(__name__)

Headers = list[tuple[str, bytes]]

HEADER_SOURCE_TOPIC = "deidstream.source.topic"
HEADER_SOURCE_PARTITION = "deidstream.source.partition"
HEADER_SOURCE_OFFSET = "deidstream.source.offset"
HEADER_ENTITIES = "deidstream.entities"
HEADER_ENGINE = "deidstream.engine"
HEADER_MODEL = "deidstream.model"
HEADER_QUARANTINE_REASON = "deidstream.quarantine.reason"
HEADER_QUARANTINE_DETAIL = "deidstream.quarantine.detail"


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

    @property
    def key(self) -> bytes | None:
        return self.source.key


class BatchProcessor:
    """Turns a batch of source messages into output records, with one engine call for the batch."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self._settings = settings
        self._engine = engine

    def process(self, messages: list[SourceMessage]) -> list[OutputRecord]:
        decoded: dict[int, DecodedMessage] = {}
        quarantined: dict[int, OutputRecord] = {}
        for index, message in enumerate(messages):
            try:
                decoded[index] = decode(
                    message.value, self._settings.topic_format(message.topic), self._settings.max_message_bytes
                )
            except Unprocessable as problem:
                quarantined[index] = self._quarantine(message, problem)
        cleaned = self._anonymize(messages, decoded, quarantined)
        return [cleaned[index] if index in cleaned else quarantined[index] for index in range(len(messages))]

    def _anonymize(
        self,
        messages: list[SourceMessage],
        decoded: dict[int, DecodedMessage],
        quarantined: dict[int, OutputRecord],
    ) -> dict[int, OutputRecord]:
        """Anonymize all decoded messages in one engine call; on failure, isolate the culprit message by message."""
        try:
            return self._anonymize_together(messages, decoded)
        except Exception:  # noqa: BLE001 - fall back to find which message breaks the engine
            log.warning("engine failed on a batch of %d messages; retrying them one by one", len(decoded))
        cleaned: dict[int, OutputRecord] = {}
        for index, message in decoded.items():
            try:
                cleaned.update(self._anonymize_together(messages, {index: message}))
            except Exception as error:  # noqa: BLE001 - any engine failure means this message is unsafe
                problem = Unprocessable(QuarantineReason.ENGINE_ERROR, f"engine raised {type(error).__name__}")
                quarantined[index] = self._quarantine(messages[index], problem)
        return cleaned

    def _anonymize_together(
        self, messages: list[SourceMessage], decoded: dict[int, DecodedMessage]
    ) -> dict[int, OutputRecord]:
        texts = [text for message in decoded.values() for text in message.texts]
        results = iter(self._engine.anonymize_batch(texts))
        cleaned = {}
        for index, message in decoded.items():
            parts = [next(results) for _ in message.texts]
            counts = sum((part.entity_counts for part in parts), Counter())
            value = message.encode([part.text for part in parts])
            cleaned[index] = OutputRecord(
                source=messages[index],
                topic=self._settings.output_topic,
                value=value,
                headers=self._trace_headers(messages[index])
                + [(HEADER_ENTITIES, json.dumps(dict(sorted(counts.items()))).encode())],
                entity_counts=counts,
            )
        return cleaned

    def _quarantine(self, message: SourceMessage, problem: Unprocessable) -> OutputRecord:
        log.warning(
            "quarantining %s[%d]@%d: %s", message.topic, message.partition, message.offset, problem.reason.value
        )
        return OutputRecord(
            source=message,
            topic=self._settings.quarantine_topic,
            value=message.value,
            headers=message.headers
            + self._trace_headers(message)
            + [
                (HEADER_QUARANTINE_REASON, problem.reason.value.encode()),
                (HEADER_QUARANTINE_DETAIL, problem.detail.encode()),
            ],
            entity_counts=Counter(),
            quarantine_reason=problem.reason,
        )

    def _trace_headers(self, message: SourceMessage) -> Headers:
        return [
            (HEADER_SOURCE_TOPIC, message.topic.encode()),
            (HEADER_SOURCE_PARTITION, str(message.partition).encode()),
            (HEADER_SOURCE_OFFSET, str(message.offset).encode()),
            (HEADER_ENGINE, self._engine.version.encode()),
            (HEADER_MODEL, self._engine.model_version.encode()),
        ]
