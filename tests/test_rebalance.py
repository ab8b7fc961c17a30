"""Scaling a running stream 1 -> 2 -> 1 worker processes under steady input: everything comes out, few duplicates.

The workers use cooperative-sticky assignment, which the embedded Tansu broker
supports: the first worker gives up only the partition the second one takes,
and commits what the broker has acknowledged before it lets go.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from confluent_kafka import Producer

from conftest import Topics, header
from deidstream.stream.pipeline import HEADER_SOURCE_OFFSET, HEADER_SOURCE_PARTITION
from test_worker_kafka import report, write_config

pytestmark = pytest.mark.integration

RATE_PER_S = 10


def publish_steadily(topics: Topics, stop: threading.Event, sent: list[int]) -> None:
    producer = Producer({"bootstrap.servers": topics.broker.bootstrap_servers, "linger.ms": 0})
    index = 0
    while not stop.is_set():
        producer.produce(topics.raw, key=f"k{index}".encode(), value=report(index).encode())
        producer.flush(10)
        index += 1
        sent.append(index)
        time.sleep(1 / RATE_PER_S)


def test_scaling_one_two_one_under_steady_input_loses_nothing(topics: Topics, start_worker, tmp_path: Path) -> None:
    config = write_config(tmp_path / "small.toml", topics.raw, "batch_max_messages = 8\n")
    stop, sent = threading.Event(), []
    feeder = threading.Thread(target=publish_steadily, args=(topics, stop, sent), daemon=True)
    first = start_worker(topics, config=config)
    feeder.start()
    first.wait_for_log("published")

    second = start_worker(topics, config=config)
    second.wait_for_log("published", timeout_s=90)
    time.sleep(1)
    assert second.terminate() == 0, "the second worker leaves gracefully"
    first.wait_for_log("assigned", timeout_s=30)
    time.sleep(2)
    stop.set()
    feeder.join()

    received = topics.collect(len(sent) * 2, timeout_s=30)
    first_log = first.log_text()
    assert first.terminate() == 0

    outputs = Counter((int(header(m, HEADER_SOURCE_PARTITION)), int(header(m, HEADER_SOURCE_OFFSET))) for m in received)
    per_partition = Counter(partition for partition, _ in outputs)
    expected = {(p, o) for p in per_partition for o in range(per_partition[p])}
    duplicates = sum(count - 1 for count in outputs.values())
    print(f"\nscaling 1-2-1: {len(sent)} in, {len(outputs)} distinct out, {duplicates} duplicates, lost 0")
    assert sum(per_partition.values()) == len(sent), "every input came out"
    assert set(outputs) == expected
    assert "revoked" in first_log and "assigned" in first_log
    assert first_log.count(f"revoked {topics.raw}[0], {topics.raw}[1]") == 0, (
        "cooperative: the first worker never gave up both partitions at once"
    )
