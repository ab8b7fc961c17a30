"""The reports of a review: read from files, or drawn at random from a raw topic leaving no group offsets behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient

from deidstream.review.sources import draw, read_files, sample_topic
from deidstream.review.store import ReviewFileError
from deidstream.tools.embedded_broker import EmbeddedBroker


def test_a_folder_of_text_reports_reads_the_txt_files_only(tmp_path: Path) -> None:
    (tmp_path / "ward").mkdir()
    (tmp_path / "ward" / "b.txt").write_text("second", encoding="utf-8")
    (tmp_path / "a.txt").write_text("first", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a report", encoding="utf-8")
    reports = read_files(tmp_path, "text")
    assert [(r.source_id, r.value) for r in reports] == [("a.txt", b"first"), ("ward/b.txt", b"second")]


def test_json_lines_of_id_and_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text('{"id": "n1", "text": "Zoë Ångström"}\n\n{"id": 7, "text": "second"}\n', encoding="utf-8")
    reports = read_files(path, "text")
    assert [(r.source_id, r.value.decode() if r.value else None) for r in reports] == [
        ("n1", "Zoë Ångström"),
        ("7", "second"),
    ]


def test_a_bad_json_line_is_named_but_not_quoted(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text('{"id": "n1", "text": "fine"}\n{"id": "n2", "body": "Quist Halvorsen"}\n', encoding="utf-8")
    with pytest.raises(ReviewFileError, match=r"notes.jsonl:2: needs a string 'text'") as refused:
        read_files(path, "text")
    assert "Quist" not in str(refused.value)


def test_structured_messages_one_per_file_or_per_line(tmp_path: Path) -> None:
    folder = tmp_path / "messages"
    folder.mkdir()
    (folder / "a.hl7").write_bytes(b"MSH|^~\\&|A\rPID|1\r")
    (folder / "b.hl7").write_bytes(b"MSH|^~\\&|B\r")
    assert [r.source_id for r in read_files(folder, "hl7v2")] == ["a.hl7", "b.hl7"]
    lines = tmp_path / "bundle.ndjson"
    lines.write_text(json.dumps({"resourceType": "Patient"}) + "\n" + json.dumps({"resourceType": "Basic"}) + "\n")
    assert [r.source_id for r in read_files(lines, "fhir")] == ["bundle.ndjson:1", "bundle.ndjson:2"]
    assert len(read_files(folder / "a.hl7", "hl7v2")) == 1


def test_an_empty_or_missing_input_says_so(tmp_path: Path) -> None:
    with pytest.raises(ReviewFileError, match="no .txt files"):
        read_files(tmp_path, "text")
    with pytest.raises(ReviewFileError, match="does not exist"):
        read_files(tmp_path / "nowhere", "text")


def test_a_draw_is_seeded_and_keeps_the_input_order() -> None:
    reports = list(range(100))
    first = draw(reports, 10, seed=3)
    assert first == draw(reports, 10, seed=3) and first == sorted(first) and len(set(first)) == 10
    assert first != draw(reports, 10, seed=4)
    assert draw(reports, None, seed=3) == reports and draw(reports, 500, seed=3) == reports


@pytest.mark.integration
def test_a_topic_sample_draws_the_same_reports_twice_and_commits_nothing(broker: EmbeddedBroker) -> None:
    topic = "review-sample-raw"
    broker.create_topics([topic], partitions=3)
    producer = Producer({"bootstrap.servers": broker.bootstrap_servers, "linger.ms": 0})
    for number in range(45):
        producer.produce(topic, key=f"patient-{number % 7}".encode(), value=f"report {number}".encode(),
                         partition=number % 3)  # fmt: skip
        producer.flush(10)
    consumer = {"bootstrap.servers": broker.bootstrap_servers}

    first = sample_topic(consumer, topic, 12, seed=11)
    again = sample_topic(consumer, topic, 12, seed=11)
    other = sample_topic(consumer, topic, 12, seed=12)

    drawn = [(report.source_id, report.value, report.key) for report in first]
    assert drawn == [(report.source_id, report.value, report.key) for report in again]
    assert drawn != [(report.source_id, report.value, report.key) for report in other]
    assert len({report.value for report in first}) == 12
    assert {report.partition for report in first} == {0, 1, 2}, "drawn across partitions"
    for report in first:
        assert report.source_id == f"{topic}[{report.partition}]@{report.offset}"
        assert report.value == f"report {report.offset * 3 + report.partition}".encode()
    assert len(sample_topic(consumer, topic, 1000, seed=1)) == 45, "a sample larger than the topic is the topic"

    admin = AdminClient(consumer)
    groups = admin.list_consumer_groups(request_timeout=10).result()
    assert not groups.errors
    assert [group.group_id for group in groups.valid if group.group_id.startswith("deidstream-review")] == []


@pytest.mark.integration
def test_a_missing_topic_is_named(broker: EmbeddedBroker) -> None:
    with pytest.raises(ReviewFileError, match="topic no-such-topic does not exist"):
        sample_topic({"bootstrap.servers": broker.bootstrap_servers}, "no-such-topic", 5, seed=1)
