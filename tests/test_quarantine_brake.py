"""The quarantine brake: a stream that mostly fails stops uncommitted; a stream with a few bad messages flows on."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conftest import Topics, header
from deidstream.formats import DecodeFailure
from deidstream.stream.brake import QuarantineBrake
from deidstream.stream.pipeline import HEADER_QUARANTINE_REASON
from test_worker_kafka import committed_offsets, report, scrape, write_config

BRAKE = "quarantine brake engaged on input topic"


def test_the_window_slides_and_ignored_reasons_do_not_count() -> None:
    brake = QuarantineBrake(window=10, max_ratio=0.5, ignores=["too_large"])
    for _ in range(5):
        assert not brake.record("raw", DecodeFailure.INVALID_JSON)
    for _ in range(20):
        assert not brake.record("raw", DecodeFailure.TOO_LARGE), "ignored: never counted"
    for _ in range(10):
        assert not brake.record("raw", None)
    assert brake.quarantined("raw") == 0, "the clean messages pushed the old failures out of the window"
    results = [brake.record("raw", DecodeFailure.MISSING_FIELD) for _ in range(6)]
    assert results == [False] * 5 + [True], "engages at the sixth of ten: more than half"
    assert brake.braked == {"raw"}
    assert not brake.record("other", DecodeFailure.MISSING_FIELD), "topics have their own windows"
    assert brake.reasons("raw") == {"missing_field": 6}


@pytest.mark.integration
def test_a_wrong_json_path_stops_the_stream_uncommitted_and_a_restart_with_the_fix_resumes_it(
    topics: Topics, start_worker, tmp_path: Path
) -> None:
    brake_settings = "batch_max_messages = 4\nquarantine_window = 20\n"
    wrong = write_config(
        tmp_path / "wrong.toml",
        topics.raw,
        brake_settings + '[formats."RAW"]\nformat = "json"\njson_paths = ["report.text"]\n',
    )
    messages = [(f"k{i}".encode(), json.dumps({"text": report(i)}).encode()) for i in range(60)]
    topics.publish(messages)

    worker = start_worker(topics, config=wrong)
    worker.wait_for_log(BRAKE)
    deadline = time.monotonic() + 20
    while (status := scrape(worker.metrics_port, "/readyz"))[0] != 503 and time.monotonic() < deadline:
        time.sleep(0.5)
    _, metrics_body = scrape(worker.metrics_port, "/metrics")
    time.sleep(3)  # the worker would go on here if the brake did not hold
    quarantined = topics.collect(len(messages), timeout_s=3)
    committed = sum(max(offset, 0) for offset in committed_offsets(topics, 2).values())
    log = worker.log_text()
    assert worker.terminate() == 0

    assert status[0] == 503 and f"{BRAKE} {topics.raw}" in json.loads(status[1])["reasons"][0]
    assert f'deidstream_quarantine_brake_engaged{{topic="{topics.raw}"}} 1.0' in metrics_body
    assert log.count(BRAKE) == 1, "logged once"
    assert "missing_field" in log and "Patient" not in log
    assert {header(m, HEADER_QUARANTINE_REASON) for m in quarantined} == {"missing_field"}
    assert committed == len(quarantined) <= 10, "only batches before the brake are committed, and published"
    print(f"\nbrake engaged after {committed} of {len(messages)} messages went to quarantine; the rest stays on input")

    fixed = write_config(
        tmp_path / "fixed.toml",
        topics.raw,
        brake_settings + '[formats."RAW"]\nformat = "json"\njson_paths = ["text"]\n',
    )
    restarted = start_worker(topics, config=fixed)
    received = topics.collect(len(messages))
    assert restarted.terminate() == 0
    clean = [m for m in received if m.topic() == topics.clean]
    assert len(clean) == len(messages) - committed, "after the fix every uncommitted message comes out clean"
    assert sum(committed_offsets(topics, 2).values()) == len(messages)


@pytest.mark.integration
def test_a_healthy_stream_with_one_bad_message_in_ten_flows_on(topics: Topics, start_worker, tmp_path: Path) -> None:
    config = write_config(
        tmp_path / "json.toml",
        topics.raw,
        'batch_max_messages = 4\nquarantine_window = 20\n[formats."RAW"]\nformat = "json"\njson_paths = ["text"]\n',
    )
    messages = [
        (f"k{i}".encode(), b'{"text": "cut' if i % 10 == 3 else json.dumps({"text": report(i)}).encode())
        for i in range(60)
    ]
    topics.publish(messages)
    worker = start_worker(topics, config=config)
    received = topics.collect(len(messages))
    status, _ = scrape(worker.metrics_port, "/readyz")
    log = worker.log_text()
    assert worker.terminate() == 0

    assert len(received) == len(messages)
    assert sum(m.topic() == topics.quarantine for m in received) == 6
    assert status == 200 and BRAKE not in log
    assert sum(committed_offsets(topics, 2).values()) == len(messages)
