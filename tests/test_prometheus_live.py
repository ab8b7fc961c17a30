"""A real Prometheus scraping a two-process worker on the real broker: totals, lag, latency, dashboard queries.

Prometheus comes from Debian's `prometheus` package (.ci/run installs it); it runs on
loopback with a one-second scrape interval, and everything is checked through its
HTTP API, as a dashboard or an alert would see it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import REPO_ROOT, Topics, WorkerProcess
from deidstream.tools.embedded_broker import EmbeddedBroker, free_port
from promql import dashboard_expressions, metric_names
from test_worker_kafka import PATIENTS, text_messages

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("prometheus") is None, reason="prometheus not installed (.ci/run installs it)"),
]

DASHBOARD = REPO_ROOT / "deploy" / "grafana" / "dashboards" / "deidstream.json"
MESSAGES = text_messages(30) + [(b"bad-key", b"\xff broken")]


class Prometheus:
    """A Prometheus server scraping one target every second, with its data in a temporary directory."""

    def __init__(self, target_port: int, directory: Path) -> None:
        self.port = free_port()
        config = directory / "prometheus.yml"
        config.write_text(
            "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
            "scrape_configs:\n"
            f"  - job_name: deidstream\n    static_configs: [{{targets: ['127.0.0.1:{target_port}']}}]\n",
            encoding="utf-8",
        )
        self._log = (directory / "prometheus.log").open("wb")
        self.process = subprocess.Popen(
            [
                "prometheus",
                f"--config.file={config}",
                f"--storage.tsdb.path={directory / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
            ],  # fmt: skip
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: self._get("/-/ready") is not None, "Prometheus ready", timeout_s=30)

    def _get(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as response:
                return response.read().decode()
        except OSError:
            return None

    def query(self, expression: str) -> list[dict]:
        """The instant vector of the expression; fails the test on an invalid expression."""
        body = self._get("/api/v1/query?" + urllib.parse.urlencode({"query": expression}))
        assert body is not None, f"Prometheus rejected {expression!r}"
        answer = json.loads(body)
        assert answer["status"] == "success", answer
        return answer["data"]["result"]

    def value(self, expression: str) -> float | None:
        result = self.query(expression)
        return float(result[0]["value"][1]) if result else None

    def label_values(self) -> list[str]:
        names = json.loads(self._get("/api/v1/labels") or "{}")["data"]
        return [
            value for name in names for value in json.loads(self._get(f"/api/v1/label/{name}/values") or "{}")["data"]
        ]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self._log.close()


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


@dataclass
class Stack:
    topics: Topics
    worker: WorkerProcess
    prometheus: Prometheus


@pytest.fixture(scope="module")
def stack(broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Reports pushed through a two-process worker that Prometheus scrapes; yields once all came out."""
    directory = tmp_path_factory.mktemp("prometheus-live")
    topics = Topics(broker, raw_partitions=2)
    worker = WorkerProcess(topics, directory / "worker.log", processes=2)
    prometheus = Prometheus(worker.metrics_port, directory)
    try:
        topics.publish(MESSAGES)
        assert len(topics.collect(len(MESSAGES))) == len(MESSAGES)
        yield Stack(topics, worker, prometheus)
        assert worker.terminate() == 0
    finally:
        prometheus.stop()
        if worker.process.poll() is None:
            worker.kill()


def test_prometheus_sees_every_message_consumed_and_produced(stack: Stack) -> None:
    prometheus = stack.prometheus
    produced = "sum(deidstream_messages_clean_total) + sum(deidstream_messages_quarantined_total)"
    wait_for(lambda: prometheus.value(produced) == len(MESSAGES), "produced total in Prometheus")
    assert prometheus.value("sum(deidstream_messages_consumed_total)") == len(MESSAGES)
    assert prometheus.value('deidstream_messages_quarantined_total{reason="invalid_utf8"}') == 1
    assert prometheus.value("max(deidstream_processes_alive)") == 2


def test_lag_returns_to_zero_on_every_partition(stack: Stack) -> None:
    prometheus = stack.prometheus
    wait_for(lambda: len(prometheus.query("deidstream_consumer_lag")) == 2, "lag of both partitions")
    wait_for(lambda: prometheus.value("max(deidstream_consumer_lag)") == 0, "lag back to zero")


def test_latency_histogram_has_observations(stack: Stack) -> None:
    prometheus = stack.prometheus
    wait_for(lambda: prometheus.value("sum(deidstream_end_to_end_seconds_count)") == len(MESSAGES), "latency count")
    # Over the whole run, not a rate: the first scrape may come after the last message.
    p99 = prometheus.value("histogram_quantile(0.99, sum by (le) (deidstream_end_to_end_seconds_bucket))")
    assert p99 is not None and p99 > 0


def test_every_dashboard_query_names_exported_metrics_and_answers(stack: Stack) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{stack.worker.metrics_port}/metrics", timeout=5) as response:
        scraped = {sample.name for family in text_string_to_metric_families(response.read().decode())
                   for sample in family.samples}  # fmt: skip
    expressions = dashboard_expressions(DASHBOARD)
    unknown = {
        key: sorted(metric_names(expr) - scraped) for key, expr in expressions.items() if metric_names(expr) - scraped
    }
    assert not unknown, f"dashboard queries name metrics the worker does not export: {unknown}"
    deadline = time.monotonic() + 30  # rates need two scrapes within their window
    while empty := [key for key, expression in expressions.items() if not stack.prometheus.query(expression)]:
        assert time.monotonic() < deadline, f"dashboard queries without data after traffic: {empty}"
        time.sleep(1)


def test_no_label_value_in_prometheus_carries_report_content(stack: Stack) -> None:
    values = " ".join(stack.prometheus.label_values())
    phi = PATIENTS + [value.decode(errors="replace") for _, value in MESSAGES] + ["key-1", "bad-key"]
    assert not [item for item in phi if item in values], "a label value in Prometheus carries message content"


def test_the_terminal_gets_a_status_line_with_rates_lag_and_quarantine(stack: Stack) -> None:
    wait_for(lambda: "lag 0, 31 consumed, 30 clean, 1 quarantined, 2 processes" in stack.worker.log_text(), "status")
    assert "msg/s in" in stack.worker.log_text()


def test_batch_time_is_split_by_stage_and_characters_are_counted(stack: Stack) -> None:
    prometheus = stack.prometheus
    wait_for(lambda: len(prometheus.query("sum by (stage) (deidstream_batch_seconds_count)")) == 4, "four stages")
    stages = {item["metric"]["stage"] for item in prometheus.query("sum by (stage) (deidstream_batch_seconds_count)")}
    assert stages == {"decode", "detect", "anonymize", "produce"}
    texts = sum(len(value.decode(errors="replace")) for _, value in MESSAGES[:-1])
    assert prometheus.value("sum(deidstream_characters_processed_total)") == texts
    assert prometheus.query('deidstream_info{policy="none"}'), "the info metric names the policy"
