"""The reports to review: read from files, or drawn at random from a raw topic without leaving a trace on it.

Files: a folder of `.txt` reports, a JSON lines file of `{"id", "text"}`, or, for a
structured topic format, a folder with one message per file or a JSON lines file with
one JSON message per line (a single message file is read as one message). A file
report has no Kafka key: its name (or its line's id) stands in as the message key, so a
policy that shifts dates per patient (by message key) shifts each report consistently.

Topic: the sample is drawn across partitions by offset, between each partition's low
and high watermark at the moment of sampling, with `random.Random(seed)`: the same
seed on the same topic draws the same reports. The consumer is assigned partitions
(it joins no group), never commits, and has auto-commit and offset storage off, so
no group offsets are left behind.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from confluent_kafka import Consumer, KafkaException, TopicPartition

from deidstream.review.store import ReviewFileError
from deidstream.stream.records import Headers, received_headers

JSON_LINES = (".jsonl", ".ndjson")
Drawn = TypeVar("Drawn")
FETCH_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class SourceReport:
    """One input message as the worker would receive it; `source_id` names it (file, line id, or partition@offset)."""

    source_id: str
    value: bytes | None
    key: bytes | None = None
    headers: Headers = field(default_factory=list)
    partition: int = 0
    offset: int = 0


def draw(reports: Sequence[Drawn], count: int | None, seed: int) -> list[Drawn]:
    """`count` of the reports at random (all when None or more than there are), in their original order."""
    if count is None or count >= len(reports):
        return list(reports)
    chosen = sorted(random.Random(seed).sample(range(len(reports)), count))
    return [reports[index] for index in chosen]


def read_files(path: Path, message_format: str) -> list[SourceReport]:
    """The reports of `path`, for plain text (`message_format == "text"`) or one of the structured formats."""
    if not path.exists():
        raise ReviewFileError(f"{path} does not exist")
    if path.is_dir():
        files = sorted(item for item in path.rglob("*") if item.is_file() and not item.name.startswith("."))
        if message_format == "text":
            files = [item for item in files if item.suffix == ".txt"]
        if not files:
            wanted = ".txt files" if message_format == "text" else "message files"
            raise ReviewFileError(f"{path} holds no {wanted}")
        return [_file_report(str(item.relative_to(path)), item.read_bytes()) for item in files]
    if path.suffix in JSON_LINES:
        return _json_lines(path, message_format)
    return [_file_report(path.name, path.read_bytes())]


def _file_report(source_id: str, value: bytes) -> SourceReport:
    return SourceReport(source_id, value, key=source_id.encode("utf-8"))


def _json_lines(path: Path, message_format: str) -> list[SourceReport]:
    """`{"id", "text"}` lines for plain text; for a structured format each line is one message."""
    reports = []
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        if message_format != "text":
            reports.append(_file_report(f"{path.name}:{number}", line))
            continue
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ReviewFileError(f'{path}:{number}: not a JSON object {{"id", "text"}}') from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ReviewFileError(f"{path}:{number}: needs a string 'text' field")
        reports.append(_file_report(str(item.get("id", number)), item["text"].encode("utf-8")))
    if not reports:
        raise ReviewFileError(f"{path} holds no reports")
    return reports


def sample_topic(
    consumer_config: dict[str, str],
    topic: str,
    count: int,
    seed: int,
    progress: Callable[[str], None] = lambda line: None,
) -> list[SourceReport]:
    """`count` messages drawn at random across the topic's partitions, by offset; fewer if the topic holds fewer."""
    consumer = Consumer(
        {
            **consumer_config,
            # A group id librdkafka wants; with assign(), no commit and no stored offsets it never reaches the broker.
            "group.id": f"deidstream-review-{uuid.uuid4().hex}",
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            # Each draw is one fetch at one offset: without this the broker holds every fetch for 500 ms.
            "fetch.wait.max.ms": 10,
        }
    )
    try:
        ranges = _offset_ranges(consumer, topic)
        total = sum(high - low for _partition, low, high in ranges)
        positions = _positions(ranges, count, seed)
        progress(f"drawing {len(positions)} of the {total} messages of {topic} (seed {seed})")
        return [_fetch(consumer, topic, partition, offset) for partition, offset in positions]
    finally:
        consumer.close()


def _offset_ranges(consumer: Consumer, topic: str) -> list[tuple[int, int, int]]:
    """(partition, low, high) for every partition: the messages present when sampling starts."""
    try:
        metadata = consumer.list_topics(topic, timeout=FETCH_TIMEOUT_S)
    except KafkaException as error:
        raise ReviewFileError(f"cannot read the metadata of topic {topic}: {error}") from None
    described = metadata.topics.get(topic)
    if described is None or described.error is not None or not described.partitions:
        raise ReviewFileError(f"topic {topic} does not exist on the brokers (or this client may not describe it)")
    ranges = []
    for partition in sorted(described.partitions):
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=FETCH_TIMEOUT_S)
        ranges.append((partition, low, high))
    return ranges


def _positions(ranges: list[tuple[int, int, int]], count: int, seed: int) -> list[tuple[int, int]]:
    """(partition, offset) pairs drawn uniformly from all offsets of all partitions, sorted."""
    total = sum(high - low for _partition, low, high in ranges)
    chosen = sorted(random.Random(seed).sample(range(total), min(count, total)))
    positions = []
    for index in chosen:
        for partition, low, high in ranges:
            if index < high - low:
                positions.append((partition, low + index))
                break
            index -= high - low
    return positions


def _fetch(consumer: Consumer, topic: str, partition: int, offset: int) -> SourceReport:
    """The message at one offset; a compacted-away offset gives the next message there is."""
    consumer.assign([TopicPartition(topic, partition, offset)])
    try:
        for _attempt in range(int(FETCH_TIMEOUT_S)):
            for message in consumer.consume(num_messages=1, timeout=1.0):
                if message.error() is not None:
                    raise ReviewFileError(f"cannot read {topic}[{partition}]@{offset}: {message.error()}")
                return SourceReport(
                    f"{topic}[{partition}]@{message.offset()}",
                    message.value(),
                    message.key(),
                    received_headers(message),
                    partition,
                    message.offset() or 0,
                )
        raise ReviewFileError(f"no message at {topic}[{partition}]@{offset} within {FETCH_TIMEOUT_S:g} s")
    finally:
        consumer.unassign()
