"""The wire format, seen by a client that shares no code with librdkafka: kafka-python writes the reports and
reads clean and quarantine back.

Reports with headers go in, one of them over 1 MB. What comes out must be
readable by any Kafka client: de-identified values, the `deidstream.*` headers,
the W3C trace context passed, the header `pass_headers` names passed, any other
input header kept out of clean, and the large report quarantined whole with its
reason (it exceeds `max_message_bytes`). The worker gets a consumer property in
the shared `kafka` table, which must reach its consumer and no other client.
"""

from __future__ import annotations

import time
import warnings

import pytest

with warnings.catch_warnings():  # kafka-python 3.0 loads its protocol schemas with importlib.resources' legacy API
    warnings.simplefilter("ignore", DeprecationWarning)
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from conftest import Topics

pytestmark = pytest.mark.integration

TRACEPARENT = b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
TRACESTATE = b"vendor=opaque-value"
OVER_A_MEGABYTE = 1_100_000
LARGE_CLIENT_LIMIT = 8_000_000


def report(name: str) -> bytes:
    return f"Patient {name} was seen on 03/14/2021 by Dr. Victor Quell for chest pain; follow-up in two weeks.".encode()


def large_report() -> bytes:
    paragraph = report("Harriet Winslow") + b"\n"
    return paragraph * (OVER_A_MEGABYTE // len(paragraph) + 1)


def produce(bootstrap_servers: str, topic: str, reports: list[tuple[bytes, bytes, list[tuple[str, bytes]]]]) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap_servers, max_request_size=LARGE_CLIENT_LIMIT, linger_ms=0)
    try:
        for key, value, headers in reports:  # one request each: the embedded broker mishandles resuming in a batch
            producer.send(topic, key=key, value=value, headers=headers).get(timeout=30)
    finally:
        producer.close()


def read_back(topics: Topics, count: int, timeout_s: float = 120.0) -> dict[bytes, list]:
    """Records of clean and quarantine by key, read from their beginning without a group."""
    consumer = KafkaConsumer(
        bootstrap_servers=topics.broker.bootstrap_servers,
        enable_auto_commit=False,
        max_partition_fetch_bytes=LARGE_CLIENT_LIMIT,
        fetch_max_bytes=LARGE_CLIENT_LIMIT,
    )
    partitions = [TopicPartition(topic, 0) for topic in (topics.clean, topics.quarantine)]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    received: dict[bytes, list] = {}
    deadline = time.monotonic() + timeout_s
    try:
        while sum(map(len, received.values())) < count and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    received.setdefault(record.key, []).append(record)
    finally:
        consumer.close()
    return received


def test_a_pure_python_client_reads_what_the_worker_writes(topics: Topics, start_worker) -> None:
    worker = start_worker(
        topics, env={"DEIDSTREAM_PASS_HEADERS": "source", "DEIDSTREAM_KAFKA__SESSION_TIMEOUT_MS": "6000"}
    )
    trace = [("traceparent", TRACEPARENT), ("tracestate", TRACESTATE)]
    large = large_report()
    produce(
        topics.broker.bootstrap_servers,
        topics.raw,
        [
            (b"small", report("Alice Marlowe"), [*trace, ("source", b"ris"), ("x-patient-name", b"Alice Marlowe")]),
            (b"untraced", report("Bruno Kessel"), [("traceparent", b"Bruno Kessel"), ("source", b"pacs")]),
            (b"large", large, [*trace, ("source", b"ris")]),
        ],
    )

    received = read_back(topics, 3)
    assert worker.terminate() == 0

    assert sorted(received) == [b"large", b"small", b"untraced"] and all(len(r) == 1 for r in received.values())
    small, untraced, quarantined = received[b"small"][0], received[b"untraced"][0], received[b"large"][0]
    small_headers, quarantine_headers = dict(small.headers), dict(quarantined.headers)

    assert small.topic == topics.clean and untraced.topic == topics.clean
    assert b"Alice" not in small.value and b"Marlowe" not in small.value and b"<PERSON>" in small.value
    assert b"Bruno" not in untraced.value and b"Kessel" not in untraced.value
    assert small_headers["deidstream.source.topic"] == topics.raw.encode()
    for name in ("deidstream.source.partition", "deidstream.source.offset", "deidstream.entities", "deidstream.engine",
                 "deidstream.model"):  # fmt: skip
        assert small_headers.get(name), f"{name} missing"
    assert small_headers["traceparent"] == TRACEPARENT and small_headers["tracestate"] == TRACESTATE
    assert small_headers["source"] == b"ris", "pass_headers names it"
    assert "x-patient-name" not in small_headers, "a header pass_headers does not name never reaches clean"
    assert dict(untraced.headers)["source"] == b"pacs" and "traceparent" not in dict(untraced.headers)

    assert len(large) > OVER_A_MEGABYTE
    assert quarantined.topic == topics.quarantine and quarantined.value == large, "quarantined whole"
    assert quarantine_headers["deidstream.quarantine.reason"] == b"too_large"
    assert quarantine_headers["traceparent"] == TRACEPARENT

    log = worker.log_text()
    assert "CONFWARN" not in log
    assert "pass_headers: input headers source reach the clean topic unchanged" in log
