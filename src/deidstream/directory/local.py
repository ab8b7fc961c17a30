"""One worker process's patient directory: the follower's store, recent entries decoded, and the feed.

Built in each worker process after the fork (an SQLite connection and a Kafka consumer
are per process), read to the end of the topic before the worker joins the group,
and followed between batches, so an erasure reaches every process within a batch's
time. A registration seen by this process is applied to its copy at once (a note
right behind it in the same batch already finds it) and written to the topic with
the batch; the other processes get it from the topic.

A record this secret cannot read is left out, counted, logged with its partition and
offset, and copied to the quarantine topic with the reason (by each process that
reads it, at each start: deduplicate on the `deidstream.source.*` headers).
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Callable

from confluent_kafka import KafkaError, Message, Producer

from deidstream.anonymization.secret import Secret
from deidstream.config import Settings
from deidstream.directory.codec import DirectoryCodec, UnreadableRecord
from deidstream.directory.feed import DirectoryFeed
from deidstream.directory.follower import DirectoryFollower
from deidstream.directory.store import DirectoryStore
from deidstream.formats.seeds import KnownIdentifiers
from deidstream.stream import metrics
from deidstream.stream.client_log import FoldedLog
from deidstream.stream.patient_directory import DirectoryRecord
from deidstream.stream.pipeline import (
    HEADER_QUARANTINE_DETAIL,
    HEADER_QUARANTINE_REASON,
    HEADER_SOURCE_OFFSET,
    HEADER_SOURCE_PARTITION,
    HEADER_SOURCE_TOPIC,
)
from deidstream.stream.worker import producer_config

log = logging.getLogger(__name__)

QUARANTINE_FLUSH_S = 10.0


class LocalDirectory:
    """The `PatientDirectory` of one worker process."""

    def __init__(self, settings: Settings, secret: Secret) -> None:
        assert settings.directory.topic is not None, "LocalDirectory needs [directory] topic"
        self._settings = settings
        self._codec = DirectoryCodec(secret)
        self._feed = DirectoryFeed(self._codec)
        self._store = DirectoryStore(settings.directory.state_dir)
        self._cache: OrderedDict[bytes, KnownIdentifiers] = OrderedDict()
        self._cache_size = settings.directory.cached_patients
        self._follower = DirectoryFollower(
            settings, self._codec, self._store, on_unreadable=self._reject, on_change=self._changed
        )
        self._producer: Producer | None = None

    @property
    def topic(self) -> str:
        return self._follower.topic

    def load(self, should_stop: Callable[[], bool]) -> None:
        metrics.DIRECTORY_LOADED.labels(self.topic).set(0)
        if self._follower.load(should_stop):
            metrics.DIRECTORY_LOADED.labels(self.topic).set(1)
            self._report()
        if self._producer is not None:  # the records left out are in quarantine before the worker goes on
            self._producer.flush(QUARANTINE_FLUSH_S)

    def follow(self) -> None:
        if self._follower.follow():
            self._report()
        metrics.DIRECTORY_LAG.set(self._follower.lag)
        if self._producer is not None:
            self._producer.poll(0)

    def lookup(self, patient_key: bytes) -> KnownIdentifiers | None:
        return self._entry(self._codec.record_key(patient_key))

    def record(self, patient_key: bytes, known: KnownIdentifiers) -> DirectoryRecord | None:
        key = self._codec.record_key(patient_key)
        update = self._feed.update(key, self._entry(key), known)
        if update is None:
            return None
        merged, value = update
        with self._store.changes():
            self._store.put(key, value)
        self._remember(key, merged)
        self._report()
        return DirectoryRecord(key, value, self._codec.headers())

    def close(self) -> None:
        self._follower.close()
        self._store.close()
        if self._producer is not None:
            self._producer.flush(QUARANTINE_FLUSH_S)

    def _entry(self, key: bytes) -> KnownIdentifiers | None:
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        value = self._store.get(key)
        if value is None:
            return None
        try:
            known = self._codec.decrypt(key, value)
        except UnreadableRecord as problem:  # it passed the checks on the way in: a bug or another version's entry
            log.error("directory entry %s cannot be read (%s); the patient is taken as unknown", key.decode(), problem)
            metrics.DIRECTORY_REJECTED.labels(problem.reason.value).inc()
            return None
        self._remember(key, known)
        return known

    def _remember(self, key: bytes, known: KnownIdentifiers) -> None:
        if self._cache_size:
            self._cache[key] = known
            self._cache.move_to_end(key)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _changed(self, key: bytes) -> None:
        self._cache.pop(key, None)

    def _report(self) -> None:
        metrics.DIRECTORY_PATIENTS.set(len(self._store))

    def _reject(self, message: Message, problem: UnreadableRecord) -> None:
        """A record this secret cannot read: counted, logged, and copied to quarantine (raw, with the reason)."""
        where = f"{message.topic()}[{message.partition()}]@{message.offset()}"
        log.error("directory record %s left out: %s", where, problem)
        metrics.DIRECTORY_REJECTED.labels(problem.reason.value).inc()
        if self._producer is None:
            self._producer = Producer(producer_config(self._settings, FoldedLog(logging.getLogger("librdkafka"))))

        def delivered(error: KafkaError | None, _message: Message) -> None:
            if error is None:
                metrics.MESSAGES_QUARANTINED.labels(problem.reason.value).inc()
            else:
                log.error("directory record %s could not be quarantined: %s", where, error.str())

        self._producer.produce(
            self._settings.quarantine_topic,
            key=message.key(),
            value=message.value(),
            headers=[
                *(message.headers() or []),
                (HEADER_SOURCE_TOPIC, (message.topic() or "").encode()),
                (HEADER_SOURCE_PARTITION, str(message.partition()).encode()),
                (HEADER_SOURCE_OFFSET, str(message.offset()).encode()),
                (HEADER_QUARANTINE_REASON, problem.reason.value.encode()),
                (HEADER_QUARANTINE_DETAIL, problem.detail.encode()),
            ],
            on_delivery=delivered,
        )
        self._producer.poll(0)


def open_directory(settings: Settings, secret: Secret | None) -> LocalDirectory | None:
    """The process's directory when the settings name one (the caller has checked the secret is there)."""
    if settings.directory.topic is None:
        return None
    assert secret is not None, "a directory needs the secret: start-up checks it"
    log.info(
        "patient directory: topic %s, copy of process %d kept under %s",
        settings.directory.topic,
        os.getpid(),
        settings.directory.state_dir or "the temporary directory",
    )
    return LocalDirectory(settings, secret)
