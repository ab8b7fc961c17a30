"""Detection for a review: the worker's own batch step on the sample, once, keeping what the engine found.

`BatchProcessor` is what `deidstream run` does to a batch (decode, detect, anonymize,
encode, the quarantine decisions), with the same engine, settings and policies; the
review only listens in on the engine, so the detections it stores are those the clean
output was made from, and the engine runs once per text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import cast

from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.entity import Entity
from deidstream.formats import DecodedMessage, Unprocessable, decode
from deidstream.review.fields import field_decisions
from deidstream.review.sources import SourceReport
from deidstream.review.store import FieldDecision, NewReport, NewText
from deidstream.stream.pipeline import BatchProcessor
from deidstream.stream.records import OutputRecord, SourceMessage
from deidstream.stream.topic_anonymizers import TopicAnonymizers

PLAIN_TEXT_LABEL = "text"
TEXT_NUMBER = re.compile(r"\btext (\d+)\b")  # the texts a field decision names: `text 2`, `PERSON; text 3, text 4`


class _ListeningEngine:
    """Stands in for the engine in `BatchProcessor`: passes every call on, and keeps what it found for each text."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.found: dict[str, list[Entity]] = {}

    @property
    def version(self) -> str:
        return self._engine.version

    @property
    def model_version(self) -> str:
        return self._engine.model_version

    def is_everyday_word(self, word: str) -> bool:
        return self._engine.is_everyday_word(word)

    def analyze_batch(self, texts: list[str]) -> list[list[Entity]]:
        found = self._engine.analyze_batch(texts)
        self.found.update(zip(texts, found, strict=True))
        return found


class ReviewDetection:
    """Runs the worker's step on reports of one topic (its format and policy) and makes the review's rows."""

    def __init__(self, settings: Settings, topic: str, engine: Engine, anonymizers: TopicAnonymizers) -> None:
        self._settings = settings
        self._topic = topic
        self._format = settings.topic_format(topic)
        self._engine = _ListeningEngine(engine)
        self._processor = BatchProcessor(settings, cast(Engine, self._engine), anonymizers)

    def run(self, reports: list[SourceReport], progress: Callable[[int, int], None]) -> list[NewReport]:
        """The reports in batches of the worker's size, reporting (done, total) after each."""
        rows: list[NewReport] = []
        size = self._settings.batch_max_messages
        for first in range(0, len(reports), size):
            batch = reports[first : first + size]
            messages = [
                SourceMessage(self._topic, report.partition, report.offset, report.key, report.value, report.headers)
                for report in batch
            ]
            records = self._processor.process(messages)
            rows += [self._row(report, record) for report, record in zip(batch, records, strict=True)]
            progress(len(rows), len(reports))
        return rows

    def _row(self, report: SourceReport, record: OutputRecord) -> NewReport:
        raw = (report.value or b"").decode("utf-8", "replace")
        message_format = self._format.format
        if record.quarantine_reason is not None:
            return NewReport(report.source_id, message_format, _readable(message_format, raw), None,
                             record.quarantine_reason.value, [])  # fmt: skip
        clean = (record.value or b"").decode("utf-8")
        try:
            decoded = decode(report.value, self._format, self._settings.max_message_bytes)
        except Unprocessable:  # the worker's step decoded it a moment ago
            raise AssertionError("a message the worker's step decoded does not decode again") from None
        if message_format == "text":
            texts = [NewText(PLAIN_TEXT_LABEL, decoded.texts[0], self._found(decoded.texts[0], decoded))]
            return NewReport(report.source_id, message_format, raw, clean, None, texts)
        decisions = field_decisions(message_format, raw, clean, decoded)
        labels = _text_labels(decisions, len(decoded.texts))
        texts = [
            NewText(label, text, self._found(text, decoded)) for label, text in zip(labels, decoded.texts, strict=True)
        ]
        return NewReport(
            report.source_id,
            message_format,
            _readable(message_format, raw),
            _readable(message_format, clean),
            None,
            texts,
            decisions,
        )

    def _found(self, text: str, decoded: DecodedMessage) -> list[Entity]:
        """What the anonymizer was given for this text: the engine's entities and those the message's fields prove."""
        seeds = decoded.known.find(text, self._engine.is_everyday_word, "message fields")
        return sorted([*self._engine.found.get(text, []), *seeds], key=lambda entity: (entity.start, entity.end))


def _text_labels(decisions: list[FieldDecision], count: int) -> list[str]:
    """Each free text named by the field it came from (`OBX[2]-5`, `report.text`), else by its place."""
    labels = [f"text {index + 1}" for index in range(count)]
    for decision in decisions:
        for number in TEXT_NUMBER.findall(decision.detail):
            if 0 < int(number) <= count:
                labels[int(number) - 1] = decision.path
    return labels


def _readable(message_format: str, value: str) -> str:
    """A message laid out for reading: JSON indented, HL7 v2 one segment a line."""
    if message_format in ("json", "fhir"):
        try:
            return json.dumps(json.loads(value), indent=2, ensure_ascii=False)
        except ValueError:
            return value
    if message_format == "hl7v2":
        return value.strip("\x0b\x1c\r\n").replace("\r\n", "\n").replace("\r", "\n")
    return value
