"""The Publisher against in-memory Kafka clients: retries, pauses, size refusals and commits, without a broker.

The fake producer and consumer below implement only what `ProducerLike` and
`ConsumerLike` name, and write what happens to one shared list of events, so a
test reads as the sequence the broker and the group would have seen. The tests on
the real broker (test_worker_kafka, test_rebalance, test_faults) check the same
rules end to end.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest
from confluent_kafka import KafkaError, KafkaException, Message, TopicPartition
from prometheus_client import REGISTRY

from deidstream.config import Settings
from deidstream.stream.pipeline import HEADER_QUARANTINE_REASON
from deidstream.stream.publisher import (
    RETRY_BACKOFF_START_S,
    DeliveryCallback,
    KafkaHeaders,
    Publisher,
    _acknowledged_prefix,
)
from deidstream.stream.records import OutputRecord, SourceMessage

BACKOFF_S = 0.01
Events = list[str]


@dataclass
class FakeProducer:
    """Queues what is produced; `poll` and `flush` deliver it, refusing as the test scripted.

    `errors` are the outcomes of the next deliveries in order (None: acknowledged);
    `queue_limit` makes `produce` raise BufferError like librdkafka's full queue;
    `broker_max_bytes` and `producer_max_bytes` refuse larger values at delivery and
    at `produce`; `slow_flushes` flushes return before anything is delivered.
    """

    events: Events
    errors: list[KafkaError | None] = field(default_factory=list)
    queue_limit: int = 1000
    broker_max_bytes: int | None = None
    producer_max_bytes: int | None = None
    slow_flushes: int = 0
    acknowledged: list[Message] = field(default_factory=list)
    produced_at: list[float] = field(default_factory=list)
    _queue: list[tuple[Message, DeliveryCallback]] = field(default_factory=list)

    def produce(
        self,
        topic: str,
        *,
        value: bytes | None,
        key: bytes | None,
        headers: KafkaHeaders,
        on_delivery: DeliveryCallback,
    ) -> None:
        name = f"{topic} {key.decode() if key else None}"
        if self.producer_max_bytes is not None and len(value or b"") > self.producer_max_bytes:
            self.events.append(f"too large {name}")
            raise KafkaException(KafkaError(KafkaError.MSG_SIZE_TOO_LARGE))
        if len(self._queue) >= self.queue_limit:
            self.events.append(f"queue full {name}")
            raise BufferError("Local: Queue full")
        self.events.append(f"produce {name}")
        self.produced_at.append(time.monotonic())
        self._queue.append((Message(topic=topic, key=key, value=value, headers=headers), on_delivery))

    def poll(self, timeout: float) -> int:
        return self._deliver()

    def flush(self, timeout: float) -> int:
        if self.slow_flushes:
            self.slow_flushes -= 1
            return len(self._queue)
        self._deliver()
        return 0

    def _deliver(self) -> int:
        delivered, self._queue = self._queue, []
        for message, on_delivery in delivered:
            error = self.errors.pop(0) if self.errors else None
            if (
                error is None
                and self.broker_max_bytes is not None
                and len(message.value() or b"") > self.broker_max_bytes
            ):
                error = KafkaError(KafkaError.MSG_SIZE_TOO_LARGE)
            name = f"{message.topic()} {(message.key() or b'').decode()}"
            if error is None:
                self.events.append(f"ack {name}")
                self.acknowledged.append(message)
            else:
                self.events.append(f"{error.name()} {name}")
            on_delivery(error, message)
        return len(delivered)


@dataclass
class FakeConsumer:
    """Holds an assignment, pauses and resumes it, and records commits; `on_poll` runs inside a poll, as callbacks do."""

    events: Events
    assigned: list[TopicPartition]
    commit_error: KafkaException | None = None
    fetched: Message | None = None
    on_poll: Callable[[], None] | None = None
    paused: set[tuple[str, int]] = field(default_factory=set)
    commits: list[str] = field(default_factory=list)

    def assignment(self) -> list[TopicPartition]:
        return list(self.assigned)

    def pause(self, partitions: list[TopicPartition]) -> None:
        self.paused |= {(tp.topic, tp.partition) for tp in partitions}
        self.events.append(f"pause {describe(partitions)}")

    def resume(self, partitions: list[TopicPartition]) -> None:
        self.paused -= {(tp.topic, tp.partition) for tp in partitions}
        self.events.append(f"resume {describe(partitions)}")

    def poll(self, timeout: float) -> Message | None:
        self.events.append("poll while paused " + ",".join(f"{t}[{p}]" for t, p in sorted(self.paused)))
        if self.on_poll is not None:
            hook, self.on_poll = self.on_poll, None
            hook()
        fetched, self.fetched = self.fetched, None
        return fetched

    def seek(self, partition: TopicPartition) -> None:
        self.events.append(f"seek {describe([partition])}")

    def commit(self, *, offsets: list[TopicPartition], asynchronous: Literal[False]) -> list[TopicPartition]:
        if self.commit_error is not None:
            self.events.append(f"commit failed {describe(offsets)}")
            raise self.commit_error
        self.events.append(f"commit {describe(offsets)}")
        self.commits.append(describe(offsets))
        return offsets


@dataclass
class Rig:
    """A Publisher wired to fakes; `stop` and `braked` stand for the Worker's stop flag and quarantine brake."""

    producer: FakeProducer
    consumer: FakeConsumer
    events: Events
    stop: bool = False
    braked: set[str] = field(default_factory=set)
    publisher: Publisher = field(init=False)

    def __post_init__(self) -> None:
        settings = Settings(quarantine_topic="quarantine", retry_backoff_max_s=BACKOFF_S, shutdown_timeout_s=1.0)
        self.publisher = Publisher(
            settings,
            self.producer,
            self.consumer,
            should_stop=lambda: self.stop,
            stays_paused=lambda topic: topic in self.braked,
        )


def rig(partitions: int = 1, **producer_options: Any) -> Rig:
    """Fakes sharing one list of events, the consumer holding partitions 0.. of `raw`."""
    events: Events = []
    assigned = [TopicPartition("raw", partition) for partition in range(partitions)]
    return Rig(FakeProducer(events, **producer_options), FakeConsumer(events, assigned), events)


def describe(partitions: list[TopicPartition]) -> str:
    return ",".join(f"{tp.topic}[{tp.partition}]" + (f"@{tp.offset}" if tp.offset >= 0 else "") for tp in partitions)


def record(
    partition: int, offset: int, value: bytes = b"[NAME] was seen.", raw: bytes = b"John was seen."
) -> OutputRecord:
    """A clean record; its source's key names its position, so events read `clean 0@3`."""
    source = SourceMessage("raw", partition, offset, f"{partition}@{offset}".encode(), raw, [("trace", b"1")])
    return OutputRecord(source, "clean", value, [("deidstream.source.topic", b"raw")], Counter({"PERSON": 1}))


def squeezed(events: Events) -> Events:
    """The events with repeats in a row said once: a wait polls as often as its duration allows."""
    return [event for index, event in enumerate(events) if index == 0 or events[index - 1] != event]


def metric(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


def test_a_delivery_error_is_produced_again_after_a_paused_backoff_then_committed() -> None:
    kafka = rig(errors=[KafkaError(KafkaError._MSG_TIMED_OUT)])
    errors_before = metric("deidstream_producer_errors_total")

    assert kafka.publisher.publish([record(0, 3), record(0, 4)])
    kafka.publisher.commit()

    assert squeezed(kafka.events) == [
        "produce clean 0@3",
        "produce clean 0@4",
        "_MSG_TIMED_OUT clean 0@3",
        "ack clean 0@4",
        "pause raw[0]",
        "poll while paused raw[0]",
        "resume raw[0]",
        "produce clean 0@3",
        "ack clean 0@3",
        "commit raw[0]@5",
    ]
    # retry_backoff_max_s caps even the first wait, which would otherwise be RETRY_BACKOFF_START_S.
    assert BACKOFF_S <= kafka.producer.produced_at[2] - kafka.producer.produced_at[0] < RETRY_BACKOFF_START_S
    assert kafka.consumer.paused == set()
    assert metric("deidstream_producer_errors_total") == errors_before + 1


def test_a_full_producer_queue_is_polled_and_the_record_produced_again() -> None:
    kafka = rig(queue_limit=1)

    assert kafka.publisher.publish([record(0, 3), record(0, 4), record(0, 5)])
    kafka.publisher.commit()

    assert kafka.events == [
        "produce clean 0@3",
        "queue full clean 0@4",
        "ack clean 0@3",
        "produce clean 0@4",
        "queue full clean 0@5",
        "ack clean 0@4",
        "produce clean 0@5",
        "ack clean 0@5",
        "commit raw[0]@6",
    ]
    assert [message.key() for message in kafka.producer.acknowledged] == [b"0@3", b"0@4", b"0@5"]


def test_a_failed_commit_is_counted_and_logged_and_the_next_batch_commits() -> None:
    kafka = rig()
    kafka.consumer.commit_error = KafkaException(KafkaError(KafkaError.REBALANCE_IN_PROGRESS))
    failures_before = metric("deidstream_commit_failures_total")

    assert kafka.publisher.publish([record(0, 3)])
    kafka.publisher.commit()  # does not raise

    assert metric("deidstream_commit_failures_total") == failures_before + 1
    kafka.consumer.commit_error = None
    assert kafka.publisher.publish([record(0, 4)])
    kafka.publisher.commit()
    assert kafka.consumer.commits == ["raw[0]@5"]


def test_a_stop_during_the_retry_wait_returns_false_and_commits_nothing() -> None:
    kafka = rig(errors=[KafkaError(KafkaError._MSG_TIMED_OUT)])
    kafka.stop = True

    assert not kafka.publisher.publish([record(0, 3), record(0, 4)])

    assert kafka.events == [
        "produce clean 0@3",
        "produce clean 0@4",
        "_MSG_TIMED_OUT clean 0@3",
        "ack clean 0@4",
        "pause raw[0]",
        "resume raw[0]",
    ]
    assert kafka.consumer.commits == []
    assert kafka.consumer.paused == set()


@pytest.mark.parametrize("refused_by", ["broker", "producer"])
def test_a_record_refused_for_its_size_is_replaced_by_a_smaller_quarantine_record(refused_by: str) -> None:
    kafka = rig(**{f"{refused_by}_max_bytes": 20})
    large = record(0, 3, value=b"[NAME] " * 10, raw=b"John " * 3)

    assert kafka.publisher.publish([large, record(0, 4)])
    kafka.publisher.commit()

    smaller = [message for message in kafka.producer.acknowledged if message.key() == b"0@3"]
    assert [(message.topic(), message.value()) for message in smaller] == [("quarantine", b"John " * 3)]
    assert (HEADER_QUARANTINE_REASON, b"output_too_large") in (smaller[0].headers() or [])
    assert kafka.consumer.commits == ["raw[0]@5"]


def test_a_revocation_during_a_retry_commits_the_acknowledged_messages_of_the_revoked_partition_only() -> None:
    kafka = rig(partitions=2, errors=[KafkaError(KafkaError._MSG_TIMED_OUT)])
    kafka.consumer.on_poll = lambda: kafka.publisher.revoke([TopicPartition("raw", 1)])

    assert kafka.publisher.publish([record(0, 3), record(1, 7), record(1, 8)])
    kafka.publisher.commit()

    # raw[1] was committed before it moved; the end of the batch commits only the partition still held.
    assert kafka.consumer.commits == ["raw[1]@9", "raw[0]@4"]


def test_partitions_lost_during_a_retry_are_not_committed() -> None:
    kafka = rig(partitions=2, errors=[KafkaError(KafkaError._MSG_TIMED_OUT)])
    kafka.consumer.on_poll = lambda: kafka.publisher.lose([TopicPartition("raw", 1)])

    assert kafka.publisher.publish([record(0, 3), record(1, 7)])
    kafka.publisher.commit()

    assert kafka.consumer.commits == ["raw[0]@4"]


def test_slow_acknowledgements_are_awaited_in_slices_with_the_consumer_paused_and_polled() -> None:
    kafka = rig(slow_flushes=2)
    kafka.consumer.fetched = Message(topic="raw", partition=0, offset=9, value=b"fetched before the pause")

    assert kafka.publisher.publish([record(0, 3)])

    assert kafka.events == [
        "produce clean 0@3",
        "pause raw[0]",
        "poll while paused raw[0]",
        "seek raw[0]@9",  # rewound: it is read again once the partition resumes
        "ack clean 0@3",
        "resume raw[0]",
    ]


def test_the_partitions_of_a_braked_topic_stay_paused_after_a_wait() -> None:
    kafka = rig(errors=[KafkaError(KafkaError._MSG_TIMED_OUT)])
    kafka.consumer.assigned.append(TopicPartition("braked", 0))
    kafka.braked.add("braked")

    assert kafka.publisher.publish([record(0, 3)])

    assert "resume raw[0]" in kafka.events
    assert kafka.consumer.paused == {("braked", 0)}


def test_a_revocation_commits_per_partition_up_to_the_first_unacknowledged_message() -> None:
    batch = [SourceMessage("raw", partition, offset, None, b"x", []) for partition in (0, 1) for offset in (5, 6, 7)]
    delivered = {("raw", 0, 5), ("raw", 0, 7), ("raw", 1, 5), ("raw", 1, 6), ("raw", 1, 7)}
    done = _acknowledged_prefix(batch, delivered)
    assert [(m.partition, m.offset) for m in done] == [(0, 5), (1, 5), (1, 6), (1, 7)]
