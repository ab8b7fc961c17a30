"""The Publisher against in-memory Kafka clients: retries, pauses, size refusals and commits, without a broker."""

from __future__ import annotations

from deidstream.stream.pipeline import SourceMessage
from deidstream.stream.publisher import _acknowledged_prefix


def test_a_revocation_commits_per_partition_up_to_the_first_unacknowledged_message() -> None:
    batch = [SourceMessage("raw", partition, offset, None, b"x", []) for partition in (0, 1) for offset in (5, 6, 7)]
    delivered = {("raw", 0, 5), ("raw", 0, 7), ("raw", 1, 5), ("raw", 1, 6), ("raw", 1, 7)}
    done = _acknowledged_prefix(batch, delivered)
    assert [(m.partition, m.offset) for m in done] == [(0, 5), (1, 5), (1, 6), (1, 7)]
