"""Publishing one batch: produce, wait for the broker's acknowledgement, retry, and commit what it covers.

An input offset is committed only after the broker has acknowledged every record
made from it, so a crash anywhere loses nothing: the batch is simply read and
published again (at-least-once; consumers deduplicate on the `deidstream.source.*`
headers). Waiting must not cost the worker its place in the group: while
acknowledgements are slow, and between retries, the assigned partitions are paused
and the consumer keeps polling, so the group coordinator still sees a live member
and no new input is fetched meanwhile.

The Publisher needs only a few methods of each Kafka client, named by the
`ProducerLike` and `ConsumerLike` protocols, so its retry and commit rules can be
tested against in-memory clients without a broker.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Literal, Protocol

from confluent_kafka import KafkaError, KafkaException, Message, TopicPartition

from deidstream.config import Settings
from deidstream.stream import metrics
from deidstream.stream.oversize import SIZE_ERRORS, smaller_record
from deidstream.stream.records import OutputRecord, SourceMessage

log = logging.getLogger(__name__)

RETRY_BACKOFF_START_S = 0.5
DELIVERY_WAIT_SLICE_S = 0.5
# A revocation holds up the whole group's rebalance: wait this long at most for acknowledgements before it.
REVOKE_FLUSH_MAX_S = 10.0

# What the producer accepts as headers; our records carry `list[tuple[str, bytes]]`, a narrower list.
KafkaHeaders = list[tuple[str, str | bytes | None]]
DeliveryCallback = Callable[[KafkaError | None, Message], None]
Position = tuple[str, int, int]
Partition = tuple[str, int]


class ProducerLike(Protocol):
    """The part of `confluent_kafka.Producer` the Publisher uses."""

    def produce(
        self,
        topic: str,
        *,
        value: bytes | None,
        key: bytes | None,
        headers: KafkaHeaders,
        on_delivery: DeliveryCallback,
    ) -> None: ...

    def poll(self, timeout: float) -> int: ...

    def flush(self, timeout: float) -> int: ...


class ConsumerLike(Protocol):
    """The part of `confluent_kafka.Consumer` the Publisher uses: pausing while it waits, and committing."""

    def assignment(self) -> list[TopicPartition]: ...

    def pause(self, partitions: list[TopicPartition]) -> None: ...

    def resume(self, partitions: list[TopicPartition]) -> None: ...

    def poll(self, timeout: float) -> Message | None: ...

    def seek(self, partition: TopicPartition) -> None: ...

    def commit(self, *, offsets: list[TopicPartition], asynchronous: Literal[False]) -> list[TopicPartition]: ...


class Publisher:
    """Publishes the Worker's batches and commits their offsets once the broker holds every record made from them.

    It remembers the batch in hand and which of its source messages the broker has
    acknowledged, because a rebalance may take partitions away in mid-batch: what
    was acknowledged on them is committed before they move, and nothing more is
    committed on them after.
    """

    def __init__(
        self,
        settings: Settings,
        producer: ProducerLike,
        consumer: ConsumerLike,
        should_stop: Callable[[], bool],
        stays_paused: Callable[[str], bool],
    ) -> None:
        """`should_stop` ends a retry wait early; `stays_paused(topic)` keeps a topic's partitions paused after a wait.

        Both belong to the Worker: it decides when to stop, and its quarantine brake
        holds whole topics paused, which a wait ending here must not undo.
        """
        self._settings = settings
        self._producer = producer
        self._consumer = consumer
        self._should_stop = should_stop
        self._stays_paused = stays_paused
        self._in_flight: list[SourceMessage] = []
        self._delivered: set[Position] = set()
        self._outstanding: Counter[Position] = Counter()  # records not yet acknowledged, per source message
        self._revoked_mid_batch: set[Partition] = set()

    def publish(self, records: Sequence[OutputRecord]) -> bool:
        """Produce until the broker has acknowledged every record; False if asked to stop first.

        Call `commit` only after True. After False part of the batch is not
        acknowledged; a revocation (as when the consumer closes) still commits the
        part that is.
        """
        self._in_flight = list({_position(record.source): record.source for record in records}.values())
        self._delivered, self._revoked_mid_batch = set(), set()
        self._outstanding = Counter(_position(record.source) for record in records)
        pending = list(records)
        backoff = min(RETRY_BACKOFF_START_S, self._settings.retry_backoff_max_s)  # the cap holds from the first wait
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

    def commit(self) -> None:
        """Commit the batch `publish` delivered, except on partitions revoked or lost meanwhile (no longer ours)."""
        self._commit([m for m in self._in_flight if (m.topic, m.partition) not in self._revoked_mid_batch])
        self._in_flight = []

    def revoke(self, partitions: Iterable[TopicPartition]) -> None:
        """Before partitions move, commit what the broker has acknowledged of the batch in hand on them.

        The new owner then starts after it instead of redoing the whole batch. What is not
        yet acknowledged is still published by this worker, but not committed by it: the
        new owner processes it again (a duplicate, never a loss).
        """
        revoked = _partitions(partitions)
        in_hand = [m for m in self._in_flight if (m.topic, m.partition) in revoked]
        if not in_hand:
            return
        self._revoked_mid_batch |= revoked
        self._producer.flush(min(self._settings.shutdown_timeout_s, REVOKE_FLUSH_MAX_S))
        done = _acknowledged_prefix(in_hand, self._delivered)
        self._commit(done)
        log.info("revoked in mid-batch: committed %d of its %d messages on those partitions", len(done), len(in_hand))

    def lose(self, partitions: Iterable[TopicPartition]) -> None:
        """Commit nothing more of the batch on partitions taken away without a revocation."""
        self._revoked_mid_batch |= _partitions(partitions)

    def serve_events(self) -> None:
        """Serve the producer's log lines and statistics, which otherwise wait (and pile up) until it next produces."""
        self._producer.poll(0)

    def flush(self) -> None:
        """Give what the producer still holds up to `shutdown_timeout_s` to reach the broker before the process ends."""
        self._producer.flush(self._settings.shutdown_timeout_s)

    def _produce(self, record: OutputRecord, failed: list[OutputRecord]) -> None:
        def on_delivery(error: KafkaError | None, _message: Message) -> None:
            if error is not None:
                log.error("delivery to %s failed: %s", record.topic, error.str())
                metrics.PRODUCE_ERRORS.inc()
                failed.append(self._instead_of_refused(record, error))
            else:
                position = _position(record.source)
                self._outstanding[position] -= 1
                if self._outstanding[position] <= 0:  # every record made from it (clean, directory) is on the broker
                    self._delivered.add(position)
                _count_delivered(record, self._settings.directory.topic)

        while True:
            try:
                self._producer.produce(
                    record.topic,
                    value=record.value,
                    key=record.key,
                    headers=list(record.headers),
                    on_delivery=on_delivery,
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
        if message is None or message.error() is not None:
            return
        topic, partition, offset = message.topic(), message.partition(), message.offset()
        if topic is not None and partition is not None and offset is not None:  # always so without an error
            self._consumer.seek(TopicPartition(topic, partition, offset))

    def _resume(self, partitions: list[TopicPartition]) -> None:
        """Resume after a wait, except the partitions that must stay paused (the braked topics')."""
        # Also the partitions a rebalance took meanwhile: librdkafka keeps a partition's pause across a lost and
        # re-assigned membership, and a partition left paused would never be fetched again.
        running = [tp for tp in partitions if not self._stays_paused(tp.topic)]
        if running:
            self._consumer.resume(running)

    def _commit(self, messages: Iterable[SourceMessage]) -> None:
        """Commit the offset after each partition's last message; a failure is counted and logged, never raised."""
        next_offsets: dict[Partition, int] = {}
        for message in messages:
            key = (message.topic, message.partition)
            next_offsets[key] = max(next_offsets.get(key, 0), message.offset + 1)
        if not next_offsets:
            return
        offsets = [TopicPartition(topic, partition, offset) for (topic, partition), offset in next_offsets.items()]
        try:
            self._consumer.commit(offsets=offsets, asynchronous=False)
            metrics.COMMITS.inc()
        except KafkaException as error:
            metrics.COMMIT_FAILURES.inc()
            log.warning("commit failed (%s); the batch will be delivered again after the rebalance", error)


def _position(message: SourceMessage) -> Position:
    return (message.topic, message.partition, message.offset)


def _partitions(partitions: Iterable[TopicPartition]) -> set[Partition]:
    return {(tp.topic, tp.partition) for tp in partitions}


def _acknowledged_prefix(messages: list[SourceMessage], delivered: set[Position]) -> list[SourceMessage]:
    """Per partition, the messages up to the first one not yet acknowledged: all that can be committed."""
    done = []
    for key in sorted({(m.topic, m.partition) for m in messages}):
        for message in sorted((m for m in messages if (m.topic, m.partition) == key), key=lambda m: m.offset):
            if _position(message) not in delivered:
                break
            done.append(message)
    return done


def _count_delivered(record: OutputRecord, directory_topic: str | None) -> None:
    """Count a record once the broker holds it: totals then match what consumers of the topics can read."""
    if record.topic == directory_topic:
        metrics.DIRECTORY_UPDATES.inc()
        return
    if record.quarantine_reason is not None:
        metrics.MESSAGES_QUARANTINED.labels(record.quarantine_reason.value).inc()
    else:
        metrics.MESSAGES_CLEAN.labels(record.topic).inc()
        for entity_type, count in record.entity_counts.items():
            metrics.ENTITIES_DETECTED.labels(entity_type).inc(count)
    if record.source.timestamp_ms:
        metrics.END_TO_END_SECONDS.observe(max(0.0, time.time() - record.source.timestamp_ms / 1000))
