"""One batch of input messages in, one output record per message out: decode, detect, anonymize, encode.

This step knows nothing about Kafka clients; it maps `SourceMessage`s to
`OutputRecord`s, each bound for the clean topic or, when anything about the message
is wrong, the quarantine topic with the raw value. It never raises for a bad
message, so one poisoned report cannot stop the reports around it. Each message is
anonymized under the policy of its topic. When that policy shifts dates, a message
that does not name its patient is such a bad message: its dates could not be
shifted consistently.

With a patient directory (`patient_directory.py`), a message that names its
patient is also searched for what the directory knows of that patient, on any
format, plain text included; and a message of a directory source topic (ADT,
FHIR Patient) adds its identifiers to the directory, through a directory record
the Worker publishes with the batch. A note that comes before its patient's
registration is processed as it would be without a directory: nothing waits.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from deidstream.anonymization.anonymizer import Anonymizer
from deidstream.anonymization.policy import PatientKey
from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.entity import Entity
from deidstream.formats import DecodedMessage, Unprocessable, decode
from deidstream.formats.seeds import KnownIdentifiers
from deidstream.stream import metrics
from deidstream.stream.budget import DetectTimeout, time_budget
from deidstream.stream.input_headers import passed_headers
from deidstream.stream.patient_directory import PatientDirectory
from deidstream.stream.records import Headers, OutputRecord, ProcessingFailure, QuarantineReason, SourceMessage
from deidstream.stream.topic_anonymizers import TopicAnonymizers

log = logging.getLogger(__name__)

HEADER_SOURCE_TOPIC = "deidstream.source.topic"
HEADER_SOURCE_PARTITION = "deidstream.source.partition"
HEADER_SOURCE_OFFSET = "deidstream.source.offset"
HEADER_ENTITIES = "deidstream.entities"
HEADER_ENGINE = "deidstream.engine"
HEADER_MODEL = "deidstream.model"
HEADER_POLICY = "deidstream.policy"
HEADER_POLICY_VERSION = "deidstream.policy.version"
HEADER_KEY_ID = "deidstream.key_id"
HEADER_QUARANTINE_REASON = "deidstream.quarantine.reason"
HEADER_QUARANTINE_DETAIL = "deidstream.quarantine.detail"


class MissingPatientKey(Exception):
    """The message's policy shifts dates and the message does not name its patient; the detail says where the key
    was looked for, never what the message holds."""


@dataclass(frozen=True)
class _Decoded:
    """A message's texts, its topic's anonymizer, its patient (looked up when that policy shifts dates or there is a
    directory), the input headers its clean record carries, and what the directory knows of its patient."""

    message: DecodedMessage
    anonymizer: Anonymizer
    patient_key: bytes | None
    passed_headers: Headers
    known_before: KnownIdentifiers | None = None


class BatchProcessor:
    """Turns a batch of source messages into output records, with one engine call for the batch."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        anonymizers: TopicAnonymizers,
        directory: PatientDirectory | None = None,
    ) -> None:
        self._settings = settings
        self._engine = engine
        self._anonymizers = anonymizers
        self._directory = directory
        self._directory_records: list[OutputRecord] = []
        self._is_everyday_word = engine.is_everyday_word

    def take_directory_records(self) -> list[OutputRecord]:
        """The directory records made since the last call, for the Worker to publish with the batch's records."""
        records, self._directory_records = self._directory_records, []
        return records

    def process(self, messages: list[SourceMessage]) -> list[OutputRecord]:
        decoded: dict[int, _Decoded] = {}
        quarantined: dict[int, OutputRecord] = {}
        with metrics.BATCH_SECONDS.labels("decode").time():
            for index, message in enumerate(messages):
                try:
                    decoded[index] = self._decode(message)
                except Unprocessable as problem:
                    quarantined[index] = self._quarantine(message, problem.reason, problem.detail)
                except MissingPatientKey as problem:
                    quarantined[index] = self._quarantine(message, ProcessingFailure.MISSING_PATIENT_KEY, str(problem))
        cleaned = self._anonymize(messages, decoded, quarantined)
        return [cleaned[index] if index in cleaned else quarantined[index] for index in range(len(messages))]

    def _decode(self, message: SourceMessage) -> _Decoded:
        passed = self._passed_headers(message)  # first: a message that fails to decode counts its trace context too
        topic_format = self._settings.topic_format(message.topic)
        texts = decode(message.value, topic_format, self._settings.max_message_bytes)
        anonymizer = self._anonymizers.for_topic(message.topic)
        policy = anonymizer.policy
        shifts_dates = (policy is not None and policy.shifts_dates) or topic_format.shifts_dates_in_fields
        if not shifts_dates and self._directory is None:
            return _Decoded(texts, anonymizer, None, passed)
        sources = topic_format.patient_key or [policy.patient_key if policy is not None else PatientKey()]
        patient_key = _patient_key(sources, message, texts)
        if patient_key is None and shifts_dates:
            raise MissingPatientKey(f"no patient key in {' or '.join(source.describe() for source in sources)}")
        if self._directory is None:
            return _Decoded(texts, anonymizer, patient_key, passed)
        if topic_format.directory_source:
            self._record(message, patient_key, texts.known)
        known = self._directory.lookup(patient_key) if patient_key is not None else None
        if patient_key is not None:
            metrics.DIRECTORY_LOOKUPS.labels("found" if known is not None else "unknown").inc()
        return _Decoded(texts, anonymizer, patient_key, passed, known)

    def _record(self, message: SourceMessage, patient_key: bytes | None, known: KnownIdentifiers) -> None:
        """A registration's identifiers into the directory (applied to this process's copy at once)."""
        assert self._directory is not None
        if patient_key is None:
            log.warning(
                "%s[%d]@%d names no patient: its identifiers are not recorded in the directory",
                message.topic,
                message.partition,
                message.offset,
            )
            metrics.DIRECTORY_SKIPPED.labels("missing_patient_key").inc()
            return
        record = self._directory.record(patient_key, known.about_patient())
        if record is not None:
            self._directory_records.append(
                OutputRecord(
                    source=message,
                    topic=self._directory.topic,
                    value=record.value,
                    headers=record.headers + self._source_headers(message),
                    entity_counts=Counter(),
                    record_key=record.key,
                )
            )

    def _passed_headers(self, message: SourceMessage) -> Headers:
        """The input headers a clean record of the message carries; trace context dropped as malformed is counted."""
        passed = passed_headers(message.headers, self._settings.passed_header_names(message.topic))
        for name in passed.dropped:
            metrics.TRACE_CONTEXT_DROPPED.labels(name).inc()
        return passed.headers

    def _anonymize(
        self,
        messages: list[SourceMessage],
        decoded: dict[int, _Decoded],
        quarantined: dict[int, OutputRecord],
    ) -> dict[int, OutputRecord]:
        """Anonymize all decoded messages in one engine call; on failure, isolate the culprit message by message.

        The batch's detection runs under one `max_detect_seconds` budget, then, if it
        failed or overran, each message under its own: only the slow one is quarantined.
        """
        try:
            return self._anonymize_together(messages, decoded)
        except DetectTimeout:
            log.warning(
                "detection of a batch of %d messages overran its budget; retrying them one by one", len(decoded)
            )
        except Exception:  # noqa: BLE001 - fall back to find which message breaks the engine
            log.warning("engine failed on a batch of %d messages; retrying them one by one", len(decoded))
        cleaned: dict[int, OutputRecord] = {}
        for index, message in decoded.items():
            try:
                cleaned.update(self._anonymize_together(messages, {index: message}))
            except DetectTimeout as timeout:
                quarantined[index] = self._quarantine(messages[index], ProcessingFailure.DETECT_TIMEOUT, str(timeout))
            except Exception as error:  # noqa: BLE001 - any engine failure means this message is unsafe
                detail = f"engine raised {type(error).__name__}"
                quarantined[index] = self._quarantine(messages[index], ProcessingFailure.ENGINE_ERROR, detail)
        return cleaned

    def _anonymize_together(
        self, messages: list[SourceMessage], decoded: dict[int, _Decoded]
    ) -> dict[int, OutputRecord]:
        texts = [text for item in decoded.values() for text in item.message.texts]
        # A text met again in the batch (the text of a common code, a clinician's name) is analysed once: the
        # engine's finds depend on the text alone.
        distinct = list(dict.fromkeys(texts))
        with metrics.BATCH_SECONDS.labels("detect").time(), time_budget(self._settings.max_detect_seconds):
            found_in = dict(zip(distinct, self._engine.analyze_batch(distinct), strict=True))
        found = (found_in[text] for text in texts)
        metrics.CHARACTERS_PROCESSED.inc(sum(map(len, texts)))
        with metrics.BATCH_SECONDS.labels("anonymize").time():
            return self._anonymized_records(messages, decoded, found)

    def _anonymized_records(
        self, messages: list[SourceMessage], decoded: dict[int, _Decoded], found: Iterator[list[Entity]]
    ) -> dict[int, OutputRecord]:
        """Apply each message's policy to its texts' entities and encode the message again (the `anonymize` stage)."""
        cleaned = {}
        for index, item in decoded.items():
            # Entities the message's own fields prove (its patient's name from PID-5) and those of what the directory
            # knows of its patient join the engine's; both also say which field value a form in the text stands for.
            own, before = item.message.known, item.known_before
            known = own if before is None else before.merged(own)
            parts = [
                item.anonymizer.anonymize(
                    text, [*next(found), *self._seeds(text, own, before)], item.patient_key, known
                )
                for text in item.message.texts
            ]
            values = item.anonymizer.field_values(item.patient_key, known)
            value = item.message.encode([part.text for part in parts], values)
            counts = sum((part.entity_counts for part in parts), values.entity_counts)
            cleaned[index] = OutputRecord(
                source=messages[index],
                topic=self._settings.output_topic,
                value=value,
                headers=item.passed_headers
                + self._source_headers(messages[index])
                + [(HEADER_ENTITIES, json.dumps(dict(sorted(counts.items()))).encode())]
                + _policy_headers(item.anonymizer),
                entity_counts=counts,
            )
        return cleaned

    def _seeds(self, text: str, own: KnownIdentifiers, directory: KnownIdentifiers | None) -> list[Entity]:
        seeds = own.find(text, self._is_everyday_word, "message fields")
        if directory is not None:
            from_directory = directory.find(text, self._is_everyday_word, "patient directory")
            for entity in from_directory:
                metrics.DIRECTORY_SEEDS.labels(entity.type).inc()
            seeds += from_directory
        return seeds

    def _quarantine(self, message: SourceMessage, reason: QuarantineReason, detail: str) -> OutputRecord:
        log.warning("quarantining %s[%d]@%d: %s", message.topic, message.partition, message.offset, reason.value)
        return OutputRecord(
            source=message,
            topic=self._settings.quarantine_topic,
            value=message.value,
            headers=message.headers  # as received, trace context included: the quarantine keeps the raw record
            + self._source_headers(message)
            + [
                (HEADER_QUARANTINE_REASON, reason.value.encode()),
                (HEADER_QUARANTINE_DETAIL, detail.encode()),
            ],
            entity_counts=Counter(),
            quarantine_reason=reason,
        )

    def _source_headers(self, message: SourceMessage) -> Headers:
        return [
            (HEADER_SOURCE_TOPIC, message.topic.encode()),
            (HEADER_SOURCE_PARTITION, str(message.partition).encode()),
            (HEADER_SOURCE_OFFSET, str(message.offset).encode()),
            (HEADER_ENGINE, self._engine.version.encode()),
            (HEADER_MODEL, self._engine.model_version.encode()),
        ]


def _policy_headers(anonymizer: Anonymizer) -> Headers:
    """Which policy made a clean record, and under which secret (its key id); nothing without a policy."""
    if anonymizer.policy is None:
        return []
    headers: Headers = [
        (HEADER_POLICY, anonymizer.policy.id.encode()),
        (HEADER_POLICY_VERSION, anonymizer.policy.version.encode()),
    ]
    if anonymizer.key_id is not None:
        headers.append((HEADER_KEY_ID, anonymizer.key_id.encode()))
    return headers


def _patient_key(sources: list[PatientKey], message: SourceMessage, decoded: DecodedMessage) -> bytes | None:
    """The bytes naming the message's patient, from the first of the sources that has them; None if none has."""
    for source in sources:
        if source.source == "message_key":
            key = message.key
        elif source.source == "header":
            key = next((value for name, value in message.headers if name == source.name), None)
        else:
            value = decoded.field(source.name) if source.name is not None else None
            key = str(value).encode("utf-8") if isinstance(value, str | int) and not isinstance(value, bool) else None
        if key and key.strip():
            return key.strip()
    return None
