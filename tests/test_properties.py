"""Property-based tests of decode, detect and anonymize with the real engine: whatever arrives, nothing escapes.

For random bytes, random JSON and random text with planted PHI: `BatchProcessor.process`
raises nothing and returns one record per message; a quarantined message never
reaches the clean topic; a planted value the engine detected never appears in the
clean output.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.formats.settings import TopicFormat
from deidstream.stream.pipeline import BatchProcessor
from deidstream.stream.records import OutputRecord, SourceMessage
from deidstream.stream.topic_anonymizers import TopicAnonymizers

PROPERTY_SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JSON_TOPIC = "raw-json"
TEXT_TOPIC = "raw-text"

# Invented values; the filler around them is lower-case letters, so it can never spell them again.
PLANTED = [
    "John Smith",
    "Maria Gonzalez",
    "jane.roe@example-clinic.org",
    "(617) 555-0143",
    "123-45-6789",
    "3/14/2011",
    "https://portal.example-hospital.com/records/4417",
    "Dr. Alan Brown",
]
filler = st.text(alphabet="abcdefghijklmnopqrstuvwxyz .,;:\n", max_size=60)


@pytest.fixture(scope="module")
def processor(engine: Engine) -> BatchProcessor:
    configured = Settings(
        output_topic="clean",
        quarantine_topic="quarantine",
        max_message_bytes=400,
        formats={JSON_TOPIC: TopicFormat(format="json", json_paths=["text", "note.body"])},
    )
    return BatchProcessor(configured, engine, TopicAnonymizers(configured, None))


def messages(topic: str, values: list[bytes | None]) -> list[SourceMessage]:
    return [SourceMessage(topic, 0, offset, None, value, []) for offset, value in enumerate(values)]


def assert_well_formed(batch: list[SourceMessage], records: list[OutputRecord]) -> None:
    assert [record.source for record in records] == batch, "one record per message, in order"
    for record in records:
        if record.quarantine_reason is not None:
            assert record.topic == "quarantine" and record.value == record.source.value
        else:
            assert record.topic == "clean"


@PROPERTY_SETTINGS
@given(values=st.lists(st.one_of(st.none(), st.binary(max_size=500)), min_size=1, max_size=6))
def test_random_bytes_never_raise_and_quarantine_stays_out_of_clean(
    processor: BatchProcessor, values: list[bytes | None]
) -> None:
    for topic in (TEXT_TOPIC, JSON_TOPIC):
        batch = messages(topic, values)
        assert_well_formed(batch, processor.process(batch))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["text", "note", "body", "x"]), children, max_size=4)
    ),
    max_leaves=12,
)


@PROPERTY_SETTINGS
@given(documents=st.lists(json_values, min_size=1, max_size=6))
def test_random_json_never_raises_and_clean_output_is_json_with_the_same_other_fields(
    processor: BatchProcessor, documents: list[object]
) -> None:
    batch = messages(JSON_TOPIC, [json.dumps(document).encode() for document in documents])
    records = processor.process(batch)
    assert_well_formed(batch, records)
    for record, document in zip(records, documents, strict=True):
        if record.quarantine_reason is None:
            output = json.loads(record.value)
            assert isinstance(document, dict) and output.keys() == document.keys()
            assert {k: v for k, v in output.items() if k not in ("text", "note")} == {
                k: v for k, v in document.items() if k not in ("text", "note")
            }


@PROPERTY_SETTINGS
@given(
    parts=st.lists(st.tuples(filler, st.sampled_from(PLANTED), filler), min_size=1, max_size=5),
    as_json=st.booleans(),
)
def test_a_detected_planted_value_never_reaches_the_clean_output(
    processor: BatchProcessor, engine: Engine, parts: list[tuple[str, str, str]], as_json: bool
) -> None:
    texts = [f"{before} {planted} {after}" for before, planted, after in parts]
    if as_json:
        batch = messages(JSON_TOPIC, [json.dumps({"text": text, "note": {"body": "ok"}}).encode() for text in texts])
    else:
        batch = messages(TEXT_TOPIC, [text.encode() for text in texts])
    records = processor.process(batch)
    assert_well_formed(batch, records)
    for text, (_, planted, _), record, entities in zip(texts, parts, records, engine.analyze_batch(texts), strict=True):
        start = text.index(planted)
        detected = any(e.start <= start and start + len(planted) <= e.end for e in entities)
        if record.quarantine_reason is None and detected:
            clean = json.loads(record.value)["text"] if as_json else record.value.decode()
            assert planted not in clean
