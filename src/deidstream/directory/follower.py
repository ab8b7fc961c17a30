"""Reads the directory topic into a store: to its end at start, then whatever arrives, outside the consumer group.

Every worker process needs the whole directory, whatever input partitions it holds,
so the follower assigns itself every partition of the directory topic from the
beginning and never joins the group (nor commits). "Its end" is where each
partition's fetch first reports that nothing more is there (the broker's high
watermark as the fetch response gives it). Every record is checked on the way in
(its secret's key id, then AES-SIV authentication): one that this secret cannot
read is handed to `on_unreadable` and left out, so a corrupt record costs its one
patient, never the directory.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, Message, TopicPartition

from deidstream.config import Settings
from deidstream.directory.codec import DirectoryCodec, UnreadableRecord, key_id_of
from deidstream.directory.store import DirectoryStore
from deidstream.stream.client_log import FoldedLog
from deidstream.stream.kafka_properties import accepted_by

log = logging.getLogger(__name__)

LOAD_BATCH = 10_000  # records taken from the consumer at a time while reading to the end
APPEND_ROWS = 50_000  # records written to the store in one transaction
FOLLOW_BATCH = 1_000  # records applied per `follow` call between input batches
PROGRESS_EVERY_S = 10.0
LAG_EVERY_S = 1.0
# librdkafka's prefetch queue; its default (64 MiB) would be a fifth of the memory a worker may take.
QUEUED_KIB = 16_384
# How long a fetch waits at the broker for new records: a registration reaches the other processes this much sooner.
FETCH_WAIT_MS = 100


class DirectoryError(Exception):
    """The directory cannot be used (topic missing, unreadable with this secret); the message says what to do."""


def follower_config(settings: Settings) -> dict[str, Any]:
    """The worker's own consumer settings (security among them), without joining a group or committing."""
    own = {key: value for key, value in settings.kafka_consumer.items() if not key.startswith("group.")}
    return {
        "bootstrap.servers": settings.bootstrap_servers,
        # confluent-kafka wants a group id even for a consumer that only assigns: this one never joins it.
        "group.id": f"{settings.group_id}.directory-follower",
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "enable.partition.eof": True,
        "auto.offset.reset": "earliest",
        "queued.max.messages.kbytes": QUEUED_KIB,
        "fetch.wait.max.ms": FETCH_WAIT_MS,
        "client.id": f"deidstream-directory-{os.getpid()}",
        "logger": FoldedLog(logging.getLogger("librdkafka")),
        **accepted_by("consumer", settings.kafka),
        **own,
    }


class DirectoryFollower:
    """Applies the directory topic's records to a store, in topic order; a tombstone removes its key."""

    def __init__(
        self,
        settings: Settings,
        codec: DirectoryCodec,
        store: DirectoryStore,
        on_unreadable: Callable[[Message, UnreadableRecord], None],
        on_change: Callable[[bytes], None] = lambda key: None,
    ) -> None:
        assert settings.directory.topic is not None, "a follower needs the directory topic"
        self.topic = settings.directory.topic
        self._codec = codec
        self._store = store
        self._on_unreadable = on_unreadable
        self._on_change = on_change
        self._consumer = Consumer(follower_config(settings))
        self._assignment: list[TopicPartition] = []
        self.partitions: list[int] = []
        self._lag_checked = 0.0
        self.records_read = 0
        self.tombstones_read = 0
        self.unreadable = 0
        self.lag = 0

    def load(self, should_stop: Callable[[], bool] = lambda: False) -> bool:
        """Read every partition to its end into the store; False if asked to stop first. Raises `DirectoryError`."""
        partitions = self.partitions = self._partitions()
        self._assignment = [TopicPartition(self.topic, partition, OFFSET_BEGINNING) for partition in partitions]
        self._consumer.assign(self._assignment)
        at_end: set[int] = set()
        rows: list[tuple[bytes, bytes | None]] = []
        started = last_report = time.monotonic()
        while len(at_end) < len(partitions):
            if should_stop():
                return False
            for message in self._consumer.consume(LOAD_BATCH, timeout=1.0):
                if message.error() is None:
                    row = self._row(message)
                    if row is not None:
                        rows.append(row)
                elif self._at_end(message):
                    at_end.add(message.partition() or 0)
            if len(rows) >= APPEND_ROWS:
                self._store.append(rows)
                rows = []
            if time.monotonic() - last_report >= PROGRESS_EVERY_S:
                last_report = time.monotonic()
                log.info(
                    "reading the directory topic %s: %d records, %d of %d partitions at their end",
                    self.topic,
                    self.records_read,
                    len(at_end),
                    len(partitions),
                )
        self._store.append(rows)
        self._store.finish_load()
        log.info(
            "directory topic %s read to its end in %.1f s: %d records, %d patients, %d tombstones, %d unreadable",
            self.topic,
            time.monotonic() - started,
            self.records_read,
            len(self._store),
            self.tombstones_read,
            self.unreadable,
        )
        return True

    def follow(self, max_records: int = FOLLOW_BATCH) -> int:
        """Apply the records that arrived since, without waiting for more; how many were read."""
        read = 0
        messages = self._consumer.consume(max_records, timeout=0)
        with self._store.changes():
            for message in messages:
                if message.error() is not None:
                    self._at_end(message)
                    continue
                read += 1
                row = self._row(message)
                if row is None:
                    continue
                key, value = row
                if value is None:
                    self._store.delete(key)
                else:
                    self._store.put(key, self._merged_with_copy(key, value))
                self._on_change(key)
        if time.monotonic() - self._lag_checked >= LAG_EVERY_S:
            self._lag_checked = time.monotonic()
            self.lag = self._lag()
        return read

    def close(self) -> None:
        self._consumer.close()

    def _merged_with_copy(self, key: bytes, value: bytes) -> bytes:
        """A followed entry merged into what this copy knows of the patient, so that news is never unlearnt.

        Two processes that register one patient at the same moment each write their own
        merge, and the one that lands last lacks the other's news. Taking it as it is would
        make that news unknown to every process until the patient's next registration; merged,
        every live process keeps it, and the next registration written from this copy mends
        the topic too. A process's own record, read back, is the copy's value already.
        """
        current = self._store.get(key)
        if current is None or current == value:
            return value
        try:
            received = self._codec.decrypt(key, value)
            known_here = self._codec.decrypt(key, current)
        except UnreadableRecord:  # kept as it came: a lookup reports an entry it cannot read
            return value
        if received.covers(known_here):
            return value
        return self._codec.encrypt(key, known_here.merged(received))

    def _partitions(self) -> list[int]:
        """The topic's partitions, from a metadata request for every topic (asking for one topic by name may create
        it on brokers that create topics on demand, and a missing directory must stop start-up, not appear empty)."""
        topics = self._consumer.list_topics(timeout=10).topics
        if self.topic not in topics or not topics[self.topic].partitions:
            raise DirectoryError(missing_topic(self.topic))
        return sorted(topics[self.topic].partitions)

    def _at_end(self, message: Message) -> bool:
        """Whether an error event says a partition was read to its end; other errors are logged or raised."""
        error = message.error()
        if error is None or error.code() == KafkaError._PARTITION_EOF:
            return True
        if error.code() in (KafkaError.UNKNOWN_TOPIC_OR_PART, KafkaError._UNKNOWN_TOPIC):
            raise DirectoryError(missing_topic(self.topic))
        log.warning("directory topic %s: %s", self.topic, error.str())
        return False

    def _row(self, message: Message) -> tuple[bytes, bytes | None] | None:
        """The record as a store row (a tombstone: no value), or None when it cannot be read (reported)."""
        self.records_read += 1
        key, value = message.key(), message.value()
        if value is None:
            self.tombstones_read += 1
            return (key, None) if key else None
        try:
            self._codec.check(key, value, lambda: key_id_of(message.headers()))
        except UnreadableRecord as problem:
            self.unreadable += 1
            self._on_unreadable(message, problem)
            return None
        assert key is not None  # `check` refuses a record without a key
        return key, value

    def _lag(self) -> int:
        """Records written to the topic and not yet read, from the high watermarks the last fetches reported."""
        lag = 0
        for position in self._consumer.position(self._assignment):
            _, high = self._consumer.get_watermark_offsets(position, cached=True)
            if high >= 0 and position.offset >= 0:
                lag += max(0, high - position.offset)
        return lag


def missing_topic(topic: str) -> str:
    return (
        f"the directory topic {topic!r} does not exist. Create it compacted, readable and writable by the workers "
        f"only: `deidstream directory create` (or kafka-topics --create --topic {topic} --config "
        "cleanup.policy=compact), or unset [directory] topic to run without a directory"
    )
