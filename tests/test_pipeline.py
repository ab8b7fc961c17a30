"""The batch step with the real engine: one output per input, in order, bad ones quarantined."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.detection.settings import EngineSettings
from deidstream.formats import DecodeFailure
from deidstream.stream import pipeline
from deidstream.stream.pipeline import HEADER_ENTITIES, HEADER_QUARANTINE_REASON, BatchProcessor
from deidstream.stream.records import ProcessingFailure, SourceMessage
from deidstream.stream.topic_anonymizers import TopicAnonymizers


def message(offset: int, value: bytes | None, topic: str = "raw") -> SourceMessage:
    return SourceMessage(topic, 0, offset, f"k{offset}".encode(), value, [("trace", b"1")])


def test_batch_keeps_order_and_isolates_an_engine_failure() -> None:
    settings = Settings(output_topic="clean", quarantine_topic="q", engine=EngineSettings(max_text_chars=200))
    processor = BatchProcessor(settings, Engine(settings.engine), TopicAnonymizers(settings, None))
    batch = [
        message(0, b"Patient John Smith was seen in clinic."),
        message(1, ("Patient Mary Jones. " * 20).encode()),  # longer than the model accepts: the engine raises
        message(2, b"\xff"),
        message(3, b"Dr. Alan Brown reviewed the film."),
    ]

    records = processor.process(batch)

    assert [record.source.offset for record in records] == [0, 1, 2, 3]
    assert [record.topic for record in records] == ["clean", "q", "q", "clean"]
    assert [record.quarantine_reason for record in records] == [
        None,
        ProcessingFailure.ENGINE_ERROR,
        DecodeFailure.INVALID_UTF8,
        None,
    ]
    assert records[0].value == b"Patient <PERSON> was seen in clinic."
    assert json.loads(dict(records[0].headers)[HEADER_ENTITIES]) == {"PERSON": 1}
    assert dict(records[1].headers)[HEADER_QUARANTINE_REASON] == b"engine_error"
    assert records[1].value == batch[1].value, "quarantine keeps the raw value"
    assert ("trace", b"1") not in records[0].headers, "input headers may carry PHI: not copied to clean"
    assert ("trace", b"1") in records[1].headers


@pytest.mark.parametrize("count", [1, 40])
def test_batches_give_the_same_result_as_single_texts(engine: Engine, count: int) -> None:
    texts = [f"Seen by Dr. Alan Brown on 4/{day % 28 + 1}/2010, follow up with Susan Clark." for day in range(count)]
    together = engine.analyze_batch(texts)
    alone = [engine.analyze_batch([text])[0] for text in texts]
    assert together == alone


def test_output_header_names_are_the_documented_ones() -> None:
    """Consumers of the topics read these names; a rename is a breaking change, so it must fail here first."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Output headers", 1)[1].split("\n\n", 2)[1]
    documented = set(re.findall(r"`(deidstream\.[a-z_.]+)`", table))
    emitted = {value for name, value in vars(pipeline).items() if name.startswith("HEADER_")}
    assert emitted == documented
