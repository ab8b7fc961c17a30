"""Fault scenarios, short versions (benchmarks/faults.py runs the full ones): N in, N distinct out, nothing lost."""

from __future__ import annotations

import pytest

from deidstream.tools.bench import faults

pytestmark = pytest.mark.integration


def check(result: faults.FaultResult) -> faults.FaultResult:
    print(f"\n{result.row()}")
    assert result.lost == 0, f"{result.lost} inputs never came out"
    return result


def test_broker_stopped_for_eight_seconds_then_resumed_loses_nothing() -> None:
    check(faults.broker_paused(pause_s=8, messages=40))


def test_a_missing_quarantine_topic_holds_the_batch_until_it_exists() -> None:
    result = check(faults.quarantine_topic_missing(create_after_s=2, messages=20))
    assert result.quarantined == {"invalid_utf8": 4}


def test_records_refused_for_size_are_quarantined_smaller_not_retried_forever() -> None:
    result = check(faults.produce_refused_for_size(messages=10))
    assert result.quarantined == {"output_too_large": 2}
