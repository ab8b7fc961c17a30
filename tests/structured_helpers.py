"""Shared by the structured-format tests: a processor under a policy with a fixed secret."""

from __future__ import annotations

from deidstream.anonymization.secret import Secret
from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.stream.pipeline import BatchProcessor
from deidstream.stream.records import OutputRecord, SourceMessage
from deidstream.stream.topic_anonymizers import TopicAnonymizers

SECRET = Secret(b"structured-formats-test-secret-0123456789")


def run_batch(
    engine: Engine, values: list[bytes], key: bytes | None = b"patient-1", **settings: object
) -> list[OutputRecord]:
    """`values` on topic `raw` with settings such as `formats={"raw": {...}}` and `policy="research"`."""
    configured = Settings(output_topic="clean", quarantine_topic="quarantine", **settings)
    processor = BatchProcessor(configured, engine, TopicAnonymizers(configured, SECRET))
    return processor.process([SourceMessage("raw", 0, offset, key, value, []) for offset, value in enumerate(values)])
