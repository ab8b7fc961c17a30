"""`deidstream directory create | load | forget | stats`: the directory topic from the command line.

Each reads and writes the topic the way the workers do (the same codec, feed and
follower), so what they report is what the workers see. They print counts and
record keys (keyed tokens), never identifiers.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from confluent_kafka import KafkaError, KafkaException, Message, Producer
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]  # re-exported untyped

from deidstream.anonymization.secret import Secret
from deidstream.config import Settings
from deidstream.directory.codec import DirectoryCodec, UnreadableRecord
from deidstream.directory.feed import DirectoryFeed
from deidstream.directory.follower import DirectoryError, DirectoryFollower
from deidstream.directory.registry import RegistryRow, RowProblem, read_registry
from deidstream.directory.store import DirectoryStore
from deidstream.formats.seeds import KnownIdentifiers
from deidstream.stream.client_log import FoldedLog
from deidstream.stream.kafka_properties import accepted_by
from deidstream.stream.worker import producer_config

PROGRESS_EVERY_S = 5.0
LOAD_TRANSACTION_ROWS = 10_000
BULK_PRODUCER = {"linger.ms": 200, "batch.size": 1_000_000, "batch.num.messages": 10_000}
FLUSH_TIMEOUT_S = 60.0
ADMIN_TIMEOUT_S = 30.0

Progress = Callable[[str], None]


def create_topic(settings: Settings, partitions: int, replication_factor: int) -> None:
    """The directory topic, compacted. Raises `DirectoryError` when the brokers refuse (it exists, no rights)."""
    topic = _topic(settings)
    admin = AdminClient(
        {
            "bootstrap.servers": settings.bootstrap_servers,
            **accepted_by("producer", settings.kafka),
        }  # a producer handle
    )
    new = NewTopic(topic, num_partitions=partitions, replication_factor=replication_factor,
                   config={"cleanup.policy": "compact"})  # fmt: skip
    try:
        admin.create_topics([new])[topic].result(timeout=ADMIN_TIMEOUT_S)
    except KafkaException as error:
        raise DirectoryError(f"could not create the directory topic {topic!r}: {error.args[0].str()}") from None


@dataclass
class LoadReport:
    rows: int = 0
    written: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    not_delivered: int = 0


def load_registry(
    settings: Settings, secret: Secret, path: Path, mapping: Mapping[str, str], progress: Progress
) -> LoadReport:
    """Merge every row of a registry export into the directory (read first, so nothing it knows is lost)."""
    codec = DirectoryCodec(secret)
    with _DirectoryAsItStands(settings, codec, progress) as directory:
        load = _RegistryLoad(settings, codec, directory.store)
        rows = read_registry(path, mapping)
        last = time.monotonic()
        while load.merge(itertools.islice(rows, LOAD_TRANSACTION_ROWS)):
            if time.monotonic() - last >= PROGRESS_EVERY_S:
                last = time.monotonic()
                progress(f"{load.report.rows} rows read, {load.report.written} patients written")
        load.finish()
    if load.failures:
        progress(f"{len(load.failures)} records were not delivered, e.g. {load.failures[0]}")
    return load.report


class _RegistryLoad:
    """Rows of a registry export merged into the directory: the topic, and the local copy the next rows merge with."""

    def __init__(self, settings: Settings, codec: DirectoryCodec, store: DirectoryStore) -> None:
        self._topic = _topic(settings)
        self._codec = codec
        self._feed = DirectoryFeed(codec)
        self._store = store
        # Large batches: the workers read the whole topic at every start, and read few large batches faster.
        config = {**producer_config(settings, FoldedLog(logging.getLogger("librdkafka"))), **BULK_PRODUCER}
        self._producer = Producer({**config, **settings.kafka_producer})
        self.report = LoadReport()
        self.failures: list[str] = []

    def merge(self, rows: Iterable[RegistryRow | RowProblem]) -> int:
        """Merge the rows, in one transaction of the local copy; how many there were."""
        taken = 0
        with self._store.changes():
            for row in rows:
                taken += 1
                self._merge(row)
        return taken

    def finish(self) -> None:
        self.report.not_delivered += self._producer.flush(FLUSH_TIMEOUT_S)

    def _merge(self, row: RegistryRow | RowProblem) -> None:
        self.report.rows += 1
        if isinstance(row, RowProblem):
            self.report.problems.append(row)
            return
        key = self._codec.record_key(row.patient_key)
        update = self._feed.update(key, _decrypt(self._codec, key, self._store.get(key)), row.known)
        if update is None:
            self.report.unchanged += 1
            return
        self._store.put(key, update[1])
        while True:
            try:
                self._producer.produce(
                    self._topic,
                    key=key,
                    value=update[1],
                    headers=list(self._codec.headers()),
                    on_delivery=self._delivered,
                )
                break
            except BufferError:
                self._producer.poll(0.5)
        self._producer.poll(0)
        self.report.written += 1

    def _delivered(self, error: KafkaError | None, _message: Message) -> None:
        if error is not None:
            self.report.not_delivered += 1
            self.failures.append(error.str())


def forget(settings: Settings, secret: Secret, patient_key: bytes) -> bytes:
    """A tombstone for the patient's record key: every worker drops the entry, and compaction the records."""
    topic = _topic(settings)
    codec = DirectoryCodec(secret)
    key = codec.record_key(patient_key)
    failures: list[str] = []
    producer = Producer(producer_config(settings, FoldedLog(logging.getLogger("librdkafka"))))
    producer.produce(
        topic,
        key=key,
        value=None,
        headers=list(codec.headers()),
        on_delivery=lambda error, _message: failures.append(error.str()) if error is not None else None,
    )
    if producer.flush(FLUSH_TIMEOUT_S) or failures:
        raise DirectoryError(f"the tombstone was not acknowledged: {failures[0] if failures else 'timed out'}")
    return key


@dataclass
class Stats:
    topic: str
    partitions: int
    records: int
    tombstones: int
    unreadable: int
    patients: int
    with_kind: Counter[str] = field(default_factory=Counter)  # patients having at least one of each kind
    items: Counter[str] = field(default_factory=Counter)  # identifiers of each kind, over all patients


def stats(settings: Settings, secret: Secret, identifiers: bool, progress: Progress) -> Stats:
    """Counts of the directory as the workers read it; with `identifiers`, how many of each kind (never which)."""
    codec = DirectoryCodec(secret)
    with _DirectoryAsItStands(settings, codec, progress) as directory:
        follower = directory.follower
        result = Stats(
            follower.topic, len(follower.partitions), follower.records_read, follower.tombstones_read,
            follower.unreadable, len(directory.store),
        )  # fmt: skip
        if identifiers:
            for key, value in directory.store.items():
                known = _decrypt(codec, key, value)
                if known is None:
                    continue
                kinds = Counter(entity_type for entity_type, _ in known.values)
                kinds.update({"NAME": len(known.names), "BIRTH_DATE": len(known.dates)})
                result.items.update(kinds)
                result.with_kind.update(kind for kind, count in kinds.items() if count)
    return result


class _DirectoryAsItStands:
    """A temporary copy of the directory topic, read to its end, with the follower that read it (and its counts)."""

    def __init__(self, settings: Settings, codec: DirectoryCodec, progress: Progress) -> None:
        self.store = DirectoryStore(settings.directory.state_dir)
        self.follower = DirectoryFollower(settings, codec, self.store, on_unreadable=lambda message, problem: None)
        self._progress = progress

    def __enter__(self) -> _DirectoryAsItStands:
        started = time.monotonic()
        try:
            self.follower.load()
        except BaseException:
            self.__exit__()
            raise
        self._progress(
            f"directory topic {self.follower.topic} read in {time.monotonic() - started:.1f} s: "
            f"{self.follower.records_read} records, {len(self.store)} patients"
        )
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.follower.close()
        self.store.close()


def _decrypt(codec: DirectoryCodec, key: bytes, value: bytes | None) -> KnownIdentifiers | None:
    if value is None:
        return None
    try:
        return codec.decrypt(key, value)
    except UnreadableRecord:
        return None


def _topic(settings: Settings) -> str:
    if settings.directory.topic is None:
        raise DirectoryError("no directory topic: set [directory] topic in the settings, or give --topic")
    return settings.directory.topic
