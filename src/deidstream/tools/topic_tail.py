"""Reading topics from their beginning without joining a group: for `deidstream dev`, tests and benchmarks.

Explicit assignment skips the group join, which on small brokers costs seconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from confluent_kafka import OFFSET_BEGINNING, Consumer, Message, TopicPartition

from deidstream.stream.records import received_headers


class TopicTail:
    """Yields every message of some topics from offset 0, as they arrive."""

    def __init__(self, bootstrap_servers: str, topics: list[str], extra_config: dict[str, str] | None = None) -> None:
        self._consumer = Consumer(
            {
                "bootstrap.servers": bootstrap_servers,
                "group.id": f"deidstream-tail-{uuid.uuid4().hex}",
                "enable.auto.commit": False,
                **(extra_config or {}),
            }
        )
        metadata = self._consumer.list_topics(timeout=10)
        self._consumer.assign(
            [
                TopicPartition(topic, partition, OFFSET_BEGINNING)
                for topic in topics
                for partition in metadata.topics[topic].partitions
            ]
        )

    def poll(self, timeout_s: float) -> Iterator[Message]:
        """Messages that arrive within `timeout_s` (possibly none)."""
        for message in self._consumer.consume(num_messages=500, timeout=timeout_s):
            if message.error() is None:
                yield message

    def close(self) -> None:
        self._consumer.close()


def text_headers(message: Message) -> dict[str, str]:
    """A record's headers as text; deidstream writes each once, UTF-8 (a header without a value is left out)."""
    return {name: value.decode("utf-8", "replace") for name, value in received_headers(message) if value is not None}
