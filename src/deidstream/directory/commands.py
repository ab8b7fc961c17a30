"""`deidstream directory create | load | forget | stats`: the directory topic from the command line.

Each reads and writes the topic the way the workers do (the same codec, feed and
follower), so what they report is what the workers see. They print counts and
record keys (keyed tokens), never identifiers.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from confluent_kafka import KafkaError, KafkaException, Message, Producer
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]  # re-exported untyped

from deidstream.anonymization.secret import Secret
from deidstream.config import Settings
from deidstream.directory.codec import DirectoryCodec, UnreadableRecord
from deidstream.directory.feed import DirectoryFeed
from deidstream.directory.follower import DirectoryError, DirectoryFollower
from deidstream.directory.registry import RowProblem, read_registry
from deidstream.directory.store import DirectoryStore
from deidstream.formats.seeds import KnownIdentifiers
from deidstream.stream.worker import producer_config

PROGRESS_EVERY_S = 5.0
FLUSH_TIMEOUT_S = 60.0
ADMIN_TIMEOUT_S = 30.0

Progress = Callable[[str], None]


def create_topic(settings: Settings, partitions: int, replication_factor: int) -> None:
    """The directory topic, compacted. Raises `DirectoryError` when the brokers refuse (it exists, no rights)."""
    topic = _topic(settings)
    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers, **settings.kafka})
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
    topic = _topic(settings)
    codec = DirectoryCodec(secret)
    feed = DirectoryFeed(codec)
    report = LoadReport()
    failures: list[str] = []

    def delivered(error: KafkaError | None, _message: Message) -> None:
        if error is not None:
            report.not_delivered += 1
            failures.append(error.str())

    with _DirectoryAsItStands(settings, codec, progress) as directory:
        store = directory.store
        producer = Producer(producer_config(settings))
        last = time.monotonic()
        for row in read_registry(path, mapping):
            report.rows += 1
            if isinstance(row, RowProblem):
                report.problems.append(row)
                continue
            key = codec.record_key(row.patient_key)
            value = store.get(key)
            current = _decrypt(codec, key, value)
            update = feed.update(key, current, row.known)
            if update is None:
                report.unchanged += 1
                continue
            store.put(key, update[1])
            _produce(producer, topic, key, update[1], codec, delivered)
            report.written += 1
            if time.monotonic() - last >= PROGRESS_EVERY_S:
                last = time.monotonic()
                progress(f"{report.rows} rows read, {report.written} patients written")
        remaining = producer.flush(FLUSH_TIMEOUT_S)
    report.not_delivered += remaining
    if failures:
        progress(f"{len(failures)} records were not delivered, e.g. {failures[0]}")
    return report


def forget(settings: Settings, secret: Secret, patient_key: bytes) -> bytes:
    """A tombstone for the patient's record key: every worker drops the entry, and compaction the records."""
    topic = _topic(settings)
    codec = DirectoryCodec(secret)
    key = codec.record_key(patient_key)
    failures: list[str] = []
    producer = Producer(producer_config(settings))
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


def _produce(
    producer: Producer,
    topic: str,
    key: bytes,
    value: bytes,
    codec: DirectoryCodec,
    on_delivery: Callable[[KafkaError | None, Message], None],
) -> None:
    while True:
        try:
            producer.produce(topic, key=key, value=value, headers=list(codec.headers()), on_delivery=on_delivery)
            producer.poll(0)
            return
        except BufferError:
            producer.poll(0.5)


def _topic(settings: Settings) -> str:
    if settings.directory.topic is None:
        raise DirectoryError("no directory topic: set [directory] topic in the settings, or give --topic")
    return settings.directory.topic
