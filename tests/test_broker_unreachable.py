"""A worker whose brokers do not answer for a minute: a few dozen log lines, and metrics and /readyz say why.

Without folding, librdkafka logs each failed connection attempt, about twenty
lines a second per client (the start-up check's, and each worker's consumer and
producer): some 1,500 lines in 40 s. The minute is the acceptance's: it covers the
start-up check, the workers' first lines, and librdkafka's reconnection back-off.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deidstream.stream.kafka_stats import brokers_up
from deidstream.tools.embedded_broker import free_port
from test_worker_kafka import scrape

UNREACHABLE_FOR_S = 60.0
MAX_LOG_LINES = 36


@pytest.mark.timeout(180)
def test_a_minute_without_brokers_logs_a_few_dozen_lines_and_readiness_says_why(tmp_path: Path) -> None:
    nobody_listens = f"127.0.0.1:{free_port()}"
    metrics_port = free_port()
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "deidstream",
                "run",
                "--bootstrap-servers",
                nobody_listens,
                "--processes",
                "2",
                "--metrics-port",
                str(metrics_port),
                "--quiet",
            ],  # fmt: skip
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "DEIDSTREAM_KAFKA__SESSION_TIMEOUT_MS": "6000"},
        )
        try:
            time.sleep(UNREACHABLE_FOR_S)
            ready_status, ready_body = scrape(metrics_port, "/readyz")
            _, metrics = scrape(metrics_port, "/metrics")
            worker.send_signal(signal.SIGTERM)
            exit_code = worker.wait(timeout=60)
        finally:
            if worker.poll() is None:
                worker.kill()
    lines = log_path.read_text(encoding="utf-8").splitlines()
    text = "\n".join(lines)

    assert ready_status == 503, ready_body
    assert any("no Kafka broker answers" in reason for reason in json.loads(ready_body)["reasons"]), ready_body
    assert 'deidstream_brokers_up{client="consumer"} 0.0' in metrics
    assert exit_code == 0, text
    assert len(lines) <= MAX_LOG_LINES, f"{len(lines)} lines in {UNREACHABLE_FOR_S:.0f} s:\n{text}"
    assert "Connection refused" in text and "more like it in the last" in text, "the log still says what is wrong"
    assert "CONFWARN" not in text, "a consumer property in the shared kafka table reaches no producer"


def broker(nodename: str, source: str, state: str) -> dict[str, str]:
    return {"nodename": nodename, "source": source, "state": state}


@pytest.mark.parametrize(
    ("brokers", "up"),
    [
        # As librdkafka reports them on the embedded broker: connected, then the broker gone (re-bootstrapping).
        ({"b/111": broker("b", "learned", "UP"), "GroupCoordinator": broker("b", "logical", "UP")}, 1),
        (
            {
                "b/bootstrap": broker("b", "configured", "INIT"),
                "GroupCoordinator": broker("b", "logical", "TRY_CONNECT"),
            },
            0,
        ),
        (
            {
                "b/bootstrap": broker("b", "configured", "UP"),
                "b/1": broker("b", "learned", "UP"),
                "c/2": broker("c", "learned", "UP"),
            },
            2,
        ),
        ({":0/internal": broker(":0", "internal", "UP")}, 0),
    ],
)
def test_brokers_up_counts_distinct_brokers_not_the_coordinator_alias(brokers: dict, up: int) -> None:
    assert brokers_up({"brokers": brokers}) == up
