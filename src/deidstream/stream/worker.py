"""The Kafka loop of one worker process: consume a batch, process it, produce, wait for delivery, commit.

Offsets are committed only after the broker has acknowledged every record made from
them, clean or quarantine, so a crash anywhere loses nothing: the batch is simply
read and published again (at-least-once; consumers deduplicate on the
`deidstream.source.*` headers). While a produce is being retried the assigned
partitions are paused and the consumer keeps polling, so the group does not evict
a worker that is merely waiting for the broker.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from types import FrameType

from confluent_kafka import (
    TIMESTAMP_NOT_AVAILABLE,
    Consumer,
    KafkaError,
    KafkaException,
    Message,
    Producer,
    TopicPartition,
)

from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.stream import metrics
from deidstream.stream.brake import QuarantineBrake
from deidstream.stream.kafka_stats import STATISTICS_INTERVAL_MS, ConsumerStatistics, producer_statistics
from deidstream.stream.oversize import SIZE_ERRORS, smaller_record
from deidstream.stream.pipeline import BatchProcessor, OutputRecord, SourceMessage
from deidstream.stream.topic_anonymizers import TopicAnonymizers

log = logging.getLogger(__name__)
# librdkafka's own log lines, routed through logging so they share format and level with ours.
librdkafka_log = logging.getLogger("librdkafka")

RETRY_BACKOFF_START_S = 0.5
DELIVERY_WAIT_SLICE_S = 0.5


def consumer_config(settings: Settings) -> dict[str, object]:
    return {
        "bootstrap.servers": settings.bootstrap_servers,
        "group.id": settings.group_id,
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "client.id": f"deidstream-{os.getpid()}",
        "logger": librdkafka_log,
        "statistics.interval.ms": STATISTICS_INTERVAL_MS,
        "stats_cb": ConsumerStatistics(),
        # Long enough for the worst batch under the detection budget; settings refuse a user value below it.
        "max.poll.interval.ms": str(settings.poll_interval_needed_ms),
        # Incremental rebalancing: a worker joining or leaving moves only the partitions that change hands, and the
        # others keep consuming. Tansu (the embedded broker) supports it: tests/test_rebalance.py scales 1-2-1 on it.
        "partition.assignment.strategy": "cooperative-sticky",
        **settings.kafka,
        **settings.kafka_consumer,
    }


def producer_config(settings: Settings) -> dict[str, object]:
    return {
        "bootstrap.servers": settings.bootstrap_servers,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
        "message.max.bytes": max(settings.max_message_bytes * 2, 1_000_000),
        "client.id": f"deidstream-{os.getpid()}",
        "logger": librdkafka_log,
        "statistics.interval.ms": STATISTICS_INTERVAL_MS,
        "stats_cb": producer_statistics,
        **settings.kafka,
        **settings.kafka_producer,
    }


class Worker:
    """Consumes the input topics in the group and publishes every message to clean or quarantine."""

    def __init__(self, settings: Settings, engine: Engine, anonymizers: TopicAnonymizers) -> None:
        self._settings = settings
        self._processor = BatchProcessor(settings, engine, anonymizers)
        self._brake = QuarantineBrake(
            settings.quarantine_window, settings.quarantine_max_ratio, settings.quarantine_brake_ignores
        )
        self._stopping = False
        # The batch being published, and which of its messages the broker has acknowledged: what a revocation commits.
        self._in_flight: list[SourceMessage] = []
        self._delivered: set[tuple[str, int, int]] = set()
        self._revoked_mid_batch: set[tuple[str, int]] = set()
        self._parent_pid = os.getppid()
        self._consumer = Consumer(consumer_config(settings))
        self._producer = Producer(producer_config(settings))

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        """Ask the loop to finish the batch in hand, commit it and leave the group."""
        self._stopping = True

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    def run(self) -> None:
        self._consumer.subscribe(
            self._settings.input_topic, on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_lost
        )
        try:
            while not self._should_stop():
                if self._brake.braked:
                    self._pause_braked()  # also the braked topics' partitions a rebalance has handed over since
                messages = self._consume_batch()
                if messages:
                    self._handle(messages)
        finally:
            self._producer.flush(self._settings.shutdown_timeout_s)
            self._consumer.close()
            log.info("worker stopped and left the group")

    def _should_stop(self) -> bool:
        if os.getppid() != self._parent_pid:
            log.warning("supervisor process is gone; stopping")
            self._stopping = True
        return self._stopping

    def _consume_batch(self) -> list[SourceMessage]:
        batch = []
        for message in self._consumer.consume(
            num_messages=self._settings.batch_max_messages, timeout=self._settings.batch_max_wait_s
        ):
            error = message.error()
            if error is None:
                batch.append(_source(message))
            elif error.code() != KafkaError._PARTITION_EOF:
                log.error("consumer error: %s", error.str())
        return batch

    def _handle(self, messages: list[SourceMessage]) -> None:
        # Fetched before the brake paused their partitions: left uncommitted for the worker after a restart.
        messages = [message for message in messages if message.topic not in self._brake.braked]
        if not messages:
            return
        metrics.IN_FLIGHT.set(len(messages))
        metrics.BATCH_SIZE.observe(len(messages))
        for message in messages:
            metrics.MESSAGES_CONSUMED.labels(message.topic).inc()
            metrics.BYTES_PROCESSED.inc(len(message.value or b""))
        records = self._apply_brake(self._processor.process(messages))
        messages = [record.source for record in records]
        if not records:
            metrics.IN_FLIGHT.set(0)
            return
        self._in_flight, self._delivered, self._revoked_mid_batch = messages, set(), set()
        with metrics.BATCH_SECONDS.labels("produce").time():
            published = self._publish(records)
        if not published:
            log.warning("stopped before %d records were delivered; their offsets stay uncommitted", len(records))
            return
        self._commit([m for m in messages if (m.topic, m.partition) not in self._revoked_mid_batch])
        self._in_flight = []
        metrics.IN_FLIGHT.set(0)
        quarantined = sum(record.quarantine_reason is not None for record in records)
        log.info(
            "batch of %d published: %d clean, %d quarantined", len(records), len(records) - quarantined, quarantined
        )

    def _apply_brake(self, records: list[OutputRecord]) -> list[OutputRecord]:
        """Count the batch in each topic's window; drop, unpublished and uncommitted, the records of braked topics."""
        for record in records:
            if self._brake.record(record.source.topic, record.quarantine_reason):
                self._engage_brake(record.source.topic)
        return [record for record in records if record.source.topic not in self._brake.braked]

    def _engage_brake(self, topic: str) -> None:
        reasons = ", ".join(f"{reason} {count}" for reason, count in self._brake.reasons(topic).most_common())
        log.error(
            "quarantine brake engaged on input topic %s: %d of its last %d messages were quarantined (limit %g%%; %s); "
            "its partitions are paused and nothing more of it is committed until the worker is restarted",
            topic,
            self._brake.quarantined(topic),
            self._brake.window,
            self._brake.max_ratio * 100,
            reasons,
        )
        metrics.QUARANTINE_BRAKE_ENGAGED.labels(topic).set(1)
        self._pause_braked()

    def _pause_braked(self) -> None:
        braked = [tp for tp in self._consumer.assignment() if tp.topic in self._brake.braked]
        if braked:
            self._consumer.pause(braked)

    def _resume(self, partitions: list[TopicPartition]) -> None:
        """Resume after a wait, except the partitions of braked topics, which stay paused."""
        # Also the partitions a rebalance took meanwhile: librdkafka keeps a partition's pause across a lost and
        # re-assigned membership, and a partition left paused would never be fetched again.
        running = [tp for tp in partitions if tp.topic not in self._brake.braked]
        if running:
            self._consumer.resume(running)

    def _publish(self, records: list[OutputRecord]) -> bool:
        """Produce until the broker has acknowledged every record; False if stopped first."""
        pending = records
        backoff = RETRY_BACKOFF_START_S
        while pending:
            failed: list[OutputRecord] = []
            for record in pending:
                self._produce(record, failed)
            self._wait_for_delivery()
            if not failed:
                return True
            log.warning("%d records not acknowledged by the broker; retrying in %.1f s", len(failed), backoff)
            if not self._wait_paused(backoff):
                return False
            backoff = min(backoff * 2, self._settings.retry_backoff_max_s)
            pending = failed
        return True

    def _produce(self, record: OutputRecord, failed: list[OutputRecord]) -> None:
        def on_delivery(error: KafkaError | None, _message: Message) -> None:
            if error is not None:
                log.error("delivery to %s failed: %s", record.topic, error.str())
                metrics.PRODUCE_ERRORS.inc()
                failed.append(self._instead_of_refused(record, error))
            else:
                self._delivered.add(_position(record.source))
                _count_delivered(record)

        while True:
            try:
                self._producer.produce(
                    record.topic, value=record.value, key=record.key, headers=record.headers, on_delivery=on_delivery
                )
                return
            except BufferError:
                self._producer.poll(DELIVERY_WAIT_SLICE_S)
            except KafkaException as error:  # refused before sending: the producer's own message.max.bytes
                if error.args[0].code() not in SIZE_ERRORS:
                    raise
                smaller = self._instead_of_refused(record, error.args[0])
                if smaller is record:
                    raise
                record = smaller

    def _instead_of_refused(self, record: OutputRecord, error: KafkaError) -> OutputRecord:
        """What to retry after a refusal: the record itself, or, refused for its size, a smaller quarantine record."""
        if error.code() not in SIZE_ERRORS:
            return record
        smaller = smaller_record(record, self._settings.quarantine_topic)
        if smaller is None:
            return record
        log.warning(
            "record for %s[%d]@%d refused for its size (%d bytes); quarantining it as output_too_large",
            record.source.topic,
            record.source.partition,
            record.source.offset,
            len(record.value or b""),
        )
        return smaller

    def _wait_for_delivery(self) -> None:
        """Flush in short slices, polling the paused consumer between them to keep the group membership."""
        if self._producer.flush(DELIVERY_WAIT_SLICE_S) == 0:
            return
        assignment = self._consumer.assignment()
        self._consumer.pause(assignment)
        try:
            while self._producer.flush(DELIVERY_WAIT_SLICE_S) > 0:
                self._poll_paused()
        finally:
            self._resume(assignment)

    def _wait_paused(self, seconds: float) -> bool:
        """Wait before a retry without leaving the group; False if asked to stop meanwhile."""
        assignment = self._consumer.assignment()
        self._consumer.pause(assignment)
        try:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                if self._should_stop():
                    return False
                self._poll_paused()
            return True
        finally:
            self._resume(assignment)

    def _poll_paused(self) -> None:
        """Serve the consumer while its partitions are paused; a message fetched before the pause is rewound."""
        message = self._consumer.poll(DELIVERY_WAIT_SLICE_S)
        if message is not None and message.error() is None:
            self._consumer.seek(TopicPartition(message.topic(), message.partition(), message.offset()))

    def _commit(self, messages: list[SourceMessage]) -> None:
        if not messages:
            return
        next_offsets: dict[tuple[str, int], int] = {}
        for message in messages:
            position = (message.topic, message.partition)
            next_offsets[position] = max(next_offsets.get(position, 0), message.offset + 1)
        offsets = [TopicPartition(topic, partition, offset) for (topic, partition), offset in next_offsets.items()]
        try:
            self._consumer.commit(offsets=offsets, asynchronous=False)
            metrics.COMMITS.inc()
        except KafkaException as error:
            metrics.COMMIT_FAILURES.inc()
            log.warning("commit failed (%s); the batch will be delivered again after the rebalance", error)

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Log the partitions held after this assignment (cooperative rebalancing hands over only the new ones)."""
        holding = _union(consumer.assignment(), partitions)
        log.info("assigned %s", _describe(holding))
        unbraked = [tp for tp in partitions if tp.topic not in self._brake.braked]
        if unbraked:
            consumer.resume(unbraked)  # a partition paused when it was lost comes back paused otherwise
        metrics.REBALANCES.inc()
        metrics.ASSIGNED_PARTITIONS.set(len(holding))

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Before the partitions move, commit what the broker has acknowledged of the batch in hand.

        The new owner then starts after it instead of redoing the whole batch. What is not
        yet acknowledged is still published by this worker, but not committed by it: the
        new owner processes it again (a duplicate, never a loss).
        """
        log.info("revoked %s", _describe(partitions))
        revoked = {(tp.topic, tp.partition) for tp in partitions}
        metrics.ASSIGNED_PARTITIONS.set(len([tp for tp in consumer.assignment() if (tp.topic, tp.partition) not in revoked]))
        in_hand = [m for m in self._in_flight if (m.topic, m.partition) in revoked]
        if not in_hand:
            return
        self._revoked_mid_batch |= revoked
        self._producer.flush(min(self._settings.shutdown_timeout_s, 10.0))
        done = _acknowledged_prefix(in_hand, self._delivered)
        if done:
            self._commit(done)
        log.info("revoked in mid-batch: committed %d of its %d messages on those partitions", len(done), len(in_hand))

    def _on_lost(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Partitions taken away without a revocation (session expired): another worker may own them; commit nothing."""
        log.warning("lost %s", _describe(partitions))
        self._revoked_mid_batch |= {(tp.topic, tp.partition) for tp in partitions}
        metrics.ASSIGNED_PARTITIONS.set(0)


def _position(message: SourceMessage) -> tuple[str, int, int]:
    return (message.topic, message.partition, message.offset)


def _union(held: list[TopicPartition], added: list[TopicPartition]) -> list[TopicPartition]:
    seen = {(tp.topic, tp.partition): tp for tp in [*held, *added]}
    return [seen[key] for key in sorted(seen)]


def _acknowledged_prefix(messages: list[SourceMessage], delivered: set[tuple[str, int, int]]) -> list[SourceMessage]:
    """Per partition, the messages up to the first one not yet acknowledged: all that can be committed."""
    done = []
    for key in sorted({(m.topic, m.partition) for m in messages}):
        for message in sorted((m for m in messages if (m.topic, m.partition) == key), key=lambda m: m.offset):
            if _position(message) not in delivered:
                break
            done.append(message)
    return done


def _count_delivered(record: OutputRecord) -> None:
    """Count a record once the broker holds it: totals then match what consumers of the topics can read."""
    if record.quarantine_reason is not None:
        metrics.MESSAGES_QUARANTINED.labels(record.quarantine_reason.value).inc()
    else:
        metrics.MESSAGES_CLEAN.labels(record.topic).inc()
        for entity_type, count in record.entity_counts.items():
            metrics.ENTITIES_DETECTED.labels(entity_type).inc(count)
    if record.source.timestamp_ms:
        metrics.END_TO_END_SECONDS.observe(max(0.0, time.time() - record.source.timestamp_ms / 1000))


def _describe(partitions: list[TopicPartition]) -> str:
    return ", ".join(f"{tp.topic}[{tp.partition}]" for tp in partitions) or "nothing"


def _source(message: Message) -> SourceMessage:
    return SourceMessage(
        topic=message.topic(),
        partition=message.partition(),
        offset=message.offset(),
        key=message.key(),
        value=message.value(),
        headers=list(message.headers() or []),
        timestamp_ms=message.timestamp()[1] if message.timestamp()[0] != TIMESTAMP_NOT_AVAILABLE else None,
    )
