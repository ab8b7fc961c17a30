"""The worker end to end on the real Tansu broker, with the real spaCy model, as a real `deidstream run` process."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from confluent_kafka import Consumer, Message, Producer, TopicPartition
from prometheus_client.parser import text_string_to_metric_families

from conftest import Topics, header
from deidstream.anonymization.secret import Secret
from deidstream.stream.pipeline import (
    HEADER_ENGINE,
    HEADER_ENTITIES,
    HEADER_KEY_ID,
    HEADER_MODEL,
    HEADER_POLICY,
    HEADER_POLICY_VERSION,
    HEADER_QUARANTINE_REASON,
    HEADER_SOURCE_OFFSET,
    HEADER_SOURCE_PARTITION,
    HEADER_SOURCE_TOPIC,
)

pytestmark = pytest.mark.integration

PATIENTS = ["John Smith", "Maria Gonzalez", "Robert Johnson", "Linda Williams", "James Brown", "Patricia Davis"]


def report(index: int) -> str:
    name = PATIENTS[index % len(PATIENTS)]
    return f"Patient {name} was admitted on 3/{index % 28 + 1}/2011 with chest pain. Report number {index}."


def text_messages(count: int) -> list[tuple[bytes, bytes]]:
    return [(f"key-{index}".encode(), report(index).encode()) for index in range(count)]


def assert_no_report_text(log: str, texts: list[str]) -> None:
    leaked = [text for text in texts if text in log]
    assert not leaked, f"{len(leaked)} report texts or names appear in the worker log"


def sources(messages: list[Message]) -> set[tuple[int, int]]:
    return {(int(header(m, HEADER_SOURCE_PARTITION)), int(header(m, HEADER_SOURCE_OFFSET))) for m in messages}


def committed_offsets(topics: Topics, partitions: int) -> dict[int, int]:
    consumer = Consumer({"bootstrap.servers": topics.broker.bootstrap_servers, "group.id": topics.group})
    try:
        found = consumer.committed([TopicPartition(topics.raw, p) for p in range(partitions)], timeout=10)
    finally:
        consumer.close()
    return {tp.partition: tp.offset for tp in found}


def write_config(path: Path, raw_topic: str, body: str) -> Path:
    path.write_text(body.replace("RAW", raw_topic), encoding="utf-8")
    return path


def test_every_message_comes_out_clean_with_trace_headers_and_is_committed(topics: Topics, start_worker) -> None:
    messages = text_messages(30)
    topics.publish(messages)
    worker = start_worker(topics)

    received = topics.collect(len(messages))
    assert worker.terminate() == 0

    assert len(received) == len(messages)
    assert {m.topic() for m in received} == {topics.clean}
    texts_by_key = {key: value.decode() for key, value in messages}
    for message in received:
        assert message.key() in texts_by_key
        clean_text = message.value().decode()
        assert not any(name in clean_text for name in PATIENTS)
        assert "<PERSON>" in clean_text and "chest pain" in clean_text
        assert header(message, HEADER_SOURCE_TOPIC) == topics.raw
        assert header(message, HEADER_ENGINE).startswith("deidstream-")
        assert header(message, HEADER_MODEL)
        assert json.loads(header(message, HEADER_ENTITIES))["PERSON"] >= 1
    assert len(sources(received)) == len(messages)
    per_partition = {p: sum(1 for part, _ in sources(received) if part == p) for p in (0, 1)}
    assert committed_offsets(topics, 2) == per_partition
    assert_no_report_text(worker.log_text(), list(texts_by_key.values()) + PATIENTS)


def test_json_envelope_fields_are_anonymized_and_fields_kept_by_default_keep_are_unchanged(
    topics: Topics, start_worker, tmp_path: Path
) -> None:
    config = write_config(
        tmp_path / "deidstream.toml",
        topics.raw,
        '[formats."RAW"]\nformat = "json"\ntext_paths = ["report.text", "impression"]\ndefault = "keep"\n',
    )
    envelopes = [
        {
            "id": f"doc-{index}",
            "report": {"text": report(index), "type": "radiology", "pages": index},
            "impression": f"Seen by Dr. {PATIENTS[index % 6]} today.",
            "codes": ["I20.9", {"system": "ICD-10"}],
            "score": 0.25,
            "flag": None,
        }
        for index in range(6)
    ]
    topics.publish([(f"k{i}".encode(), json.dumps(e).encode()) for i, e in enumerate(envelopes)])
    worker = start_worker(topics, config=config)

    received = topics.collect(len(envelopes))
    assert worker.terminate() == 0

    assert {m.topic() for m in received} == {topics.clean}
    outputs = sorted((json.loads(m.value()) for m in received), key=lambda doc: doc["id"])
    for original, output in zip(envelopes, outputs, strict=True):
        assert not any(name in output["report"]["text"] + output["impression"] for name in PATIENTS)
        assert "<PERSON>" in output["report"]["text"]
        assert {k: v for k, v in output.items() if k not in ("report", "impression")} == {
            k: v for k, v in original.items() if k not in ("report", "impression")
        }
        assert {k: v for k, v in output["report"].items() if k != "text"} == {
            k: v for k, v in original["report"].items() if k != "text"
        }


def test_bad_input_goes_to_quarantine_with_its_reason_while_good_messages_flow(
    topics: Topics, start_worker, tmp_path: Path
) -> None:
    config = write_config(
        tmp_path / "deidstream.toml",
        topics.raw,
        'max_message_bytes = 2000\n[engine]\nmax_text_chars = 300\n[formats."RAW"]\nformat = "json"\njson_paths = ["text"]\n',
    )
    good = [json.dumps({"text": report(index)}).encode() for index in range(4)]
    bad = {
        "invalid_utf8": b'{"text": "\xff\xfe broken"}',
        "invalid_json": b'{"text": "Patient John Smith", ',
        "missing_field": json.dumps({"body": report(1)}).encode(),
        "field_not_text": json.dumps({"text": 42}).encode(),
        "too_large": json.dumps({"text": "x" * 3000}).encode(),
        "engine_error": json.dumps({"text": "Patient John Smith. " * 20}).encode(),
        "no_value": None,
    }
    sequence = [good[0], *bad.values(), *good[1:]]
    keys = ["good-0", *bad, "good-1", "good-2", "good-3"]
    topics.publish([(key.encode(), value) for key, value in zip(keys, sequence, strict=True)])
    worker = start_worker(topics, config=config)

    received = topics.collect(len(sequence))
    assert worker.terminate() == 0

    by_key = {m.key().decode(): m for m in received}
    assert set(by_key) == set(keys)
    for key in keys[:1] + keys[-3:]:
        assert by_key[key].topic() == topics.clean
    for reason, raw_value in bad.items():
        message = by_key[reason]
        assert message.topic() == topics.quarantine
        assert header(message, HEADER_QUARANTINE_REASON) == reason
        assert message.value() == raw_value
    assert_no_report_text(worker.log_text(), PATIENTS)
    assert "default = 'keep'" in worker.log_text(), "passing fields through unread is announced at start-up"


def test_sigkill_mid_batch_then_restart_loses_no_input(topics: Topics, start_worker, tmp_path: Path) -> None:
    config = write_config(tmp_path / "small-batches.toml", topics.raw, "batch_max_messages = 4\n")
    messages = text_messages(80)
    topics.publish(messages)
    first = start_worker(topics, config=config)
    first.wait_for_log("published")
    first.kill()

    second = start_worker(topics, config=config)
    received = topics.collect(len(messages), timeout_s=60)
    deadline = time.monotonic() + 60
    while len(sources(received)) < len(messages) and time.monotonic() < deadline:  # duplicates came first
        received = topics.collect(len(received) + 1, timeout_s=5)
    assert second.terminate() == 0

    expected = {(int(p), o) for p, o in sources(received)}
    published = sources(received)
    counts = {p: sum(1 for part, _ in published if part == p) for p in (0, 1)}
    print(
        f"\nSIGKILL mid-batch: {len(messages)} in, {len(published)} distinct out, "
        f"{len(received) - len(published)} duplicates, lost {len(messages) - len(published)}"
    )
    assert sum(counts.values()) == len(messages), "every input offset has a clean or quarantine record"
    assert expected == {(p, o) for p in (0, 1) for o in range(counts[p])}


def test_sigterm_finishes_the_batch_in_hand_commits_and_exits_zero(
    topics: Topics, start_worker, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "small-batches.toml", topics.raw, "batch_max_messages = 4\n")
    topics.publish(text_messages(60))
    worker = start_worker(topics, config=config)
    worker.wait_for_log("published")

    assert worker.terminate(timeout_s=40) == 0
    assert "left the group" in worker.log_text()

    received = topics.collect(60, timeout_s=5)
    published = sources(received)
    for partition, next_offset in committed_offsets(topics, 2).items():
        assert all((partition, offset) in published for offset in range(max(next_offset, 0)))


def test_two_processes_share_the_partitions_and_process_everything(topics: Topics, start_worker) -> None:
    messages = text_messages(40)
    topics.publish(messages)
    worker = start_worker(topics, processes=2)

    received = topics.collect(len(messages))
    log = worker.log_text()
    assert worker.terminate() == 0

    assert len(sources(received)) == len(messages)
    for name in ("worker-0", "worker-1"):
        assert f"[{name}] deidstream.stream.worker: assigned {topics.raw}[" in log, f"{name} never got a partition"
    assert_no_report_text(log, [value.decode() for _, value in messages] + PATIENTS)


def scrape(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_metrics_count_every_message_across_processes_and_carry_no_phi(topics: Topics, start_worker) -> None:
    messages = text_messages(24) + [(b"bad-key", b"\xff")]
    topics.publish(messages)
    worker = start_worker(topics, processes=2)
    received = topics.collect(len(messages))
    assert len(received) == len(messages)

    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, body = scrape(worker.metrics_port, "/metrics")
        samples = {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(body)
            for sample in family.samples
        }
        lags = [value for (name, _), value in samples.items() if name == "deidstream_consumer_lag"]
        clean = samples.get(("deidstream_messages_clean_total", (("topic", topics.clean),)))
        if clean == len(messages) - 1 and len(lags) == 2 and not any(lags):
            break
        time.sleep(0.5)
    assert status == 200
    assert samples[("deidstream_messages_consumed_total", (("topic", topics.raw),))] == len(messages)
    assert samples[("deidstream_messages_clean_total", (("topic", topics.clean),))] == len(messages) - 1
    assert samples[("deidstream_messages_quarantined_total", (("reason", "invalid_utf8"),))] == 1
    assert samples[("deidstream_end_to_end_seconds_count", ())] == len(messages)
    assert samples[("deidstream_entities_detected_total", (("type", "PERSON"),))] >= len(messages) - 1
    assert lags == [0, 0], "lag of both input partitions returns to zero"
    assert samples[("deidstream_assigned_partitions", ())] == 2
    assert samples[("deidstream_processes_alive", ())] == 2
    assert samples[("deidstream_model_loaded", ())] == 1
    label_values = " ".join(value for _, labels in samples for _, value in labels)
    phi = PATIENTS + [value.decode(errors="replace") for _, value in messages] + ["key-1", "bad-key"]
    assert not [item for item in phi if item in label_values], "a metric label carries message content"

    assert scrape(worker.metrics_port, "/healthz")[0] == 200
    status, body = scrape(worker.metrics_port, "/readyz")
    assert status == 200 and json.loads(body)["workers_alive"] == 2
    assert worker.terminate() == 0


def test_quiet_worker_prints_no_status_line(topics: Topics, start_worker) -> None:
    worker = start_worker(topics, quiet=True)
    worker.wait_for_log("worker processes started")
    time.sleep(3)  # three status intervals of the test workers
    assert worker.terminate() == 0
    assert "msg/s" not in worker.log_text()


ASSIGNED = re.compile(r"\[(worker-\d)\] deidstream\.stream\.worker: (assigned|revoked) (.*)")
POLICY_SECRET = "the research secret of the Kafka tests"


def partitions_held(log: str) -> dict[str, str]:
    """What each worker process was last assigned ("" after a revocation)."""
    held: dict[str, str] = {}
    for worker, event, partitions in ASSIGNED.findall(log):
        held[worker] = partitions if event == "assigned" else ""
    return held


def test_one_name_gets_the_same_pseudonyms_in_two_worker_processes(
    topics: Topics, start_worker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEIDSTREAM_SECRET", POLICY_SECRET)
    monkeypatch.delenv("DEIDSTREAM_SECRET_FILE", raising=False)
    worker = start_worker(
        topics, processes=2, config=write_config(tmp_path / "p.toml", topics.raw, 'policy = "research"\n')
    )
    deadline = time.monotonic() + 90
    while sorted(partitions_held(worker.log_text()).values()) != [f"{topics.raw}[0]", f"{topics.raw}[1]"]:
        assert time.monotonic() < deadline and worker.process.poll() is None, worker.log_text()
        time.sleep(0.5)
    assignments = len(ASSIGNED.findall(worker.log_text()))

    text = "Patient John Smith (MRN 4455667) was admitted on 3/14/2011 with chest pain."
    producer = Producer({"bootstrap.servers": topics.broker.bootstrap_servers, "linger.ms": 0})
    for partition in (0, 1, 0, 1):
        producer.produce(topics.raw, key=b"patient-A", value=text.encode(), partition=partition)
        producer.flush(10)
    received = topics.collect(4)
    log = worker.log_text()
    assert worker.terminate() == 0

    assert len(ASSIGNED.findall(log)) == assignments, "no rebalance: each partition stayed with its own process"
    assert {header(m, HEADER_SOURCE_PARTITION) for m in received} == {"0", "1"}
    outputs = {m.value().decode() for m in received}
    assert len(outputs) == 1, "same surrogate, token and shifted date from both processes"
    (output,) = outputs
    assert re.fullmatch(
        r"Patient [A-Z][a-z]+ [A-Z][\w'\-]+ \(MRN ID_[0-9a-f]{12}\) was admitted on \S+ with chest pain\.", output
    )
    assert "John" not in output and "Smith" not in output and "3/14/2011" not in output
    for message in received:
        assert header(message, HEADER_POLICY) == "research" and header(message, HEADER_POLICY_VERSION) == "1"
        assert header(message, HEADER_KEY_ID) == Secret(POLICY_SECRET.encode()).key_id
        assert not any(POLICY_SECRET.encode() in value for _, value in message.headers())
    assert POLICY_SECRET not in log and "John Smith" not in log
