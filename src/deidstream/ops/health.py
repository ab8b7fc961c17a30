"""The supervisor's HTTP endpoint: `/metrics` for Prometheus, `/healthz` and `/readyz` for the orchestrator.

Served from a daemon thread of the supervisor, which outlives any one worker, so
the endpoint answers while workers restart. The bodies of the health endpoints
are JSON that say why not, for the person reading a failed probe.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.samples import Sample

from deidstream.ops.metrics_setup import workers_registry

# The supervisor loop ticks every fraction of a second; this long without a tick means it is stuck.
LIVENESS_TIMEOUT_S = 10.0

Check = Callable[[], dict[str, object]]


class HealthState:
    """What the probes report; the supervisor updates it from its loop."""

    def __init__(self) -> None:
        self.last_tick = time.monotonic()
        self.engine_loaded = False
        self.workers_alive = 0
        self.workers_wanted = 0
        self.directory_wanted = False

    def tick(self, workers_alive: int) -> None:
        self.last_tick = time.monotonic()
        self.workers_alive = workers_alive

    def liveness(self) -> dict[str, object]:
        stalled = time.monotonic() - self.last_tick
        return {"ok": stalled < LIVENESS_TIMEOUT_S, "seconds_since_loop_turned": round(stalled, 1)}

    def readiness(self) -> dict[str, object]:
        reasons = []
        if not self.engine_loaded:
            reasons.append("model not loaded yet")
        if self.workers_alive < self.workers_wanted:
            reasons.append(f"{self.workers_alive} of {self.workers_wanted} worker processes alive")
        samples = _worker_samples()
        reasons += [
            f"quarantine brake engaged on input topic {topic}: most of its recent messages went to quarantine; "
            "consuming it is paused until the cause is fixed and the worker restarted"
            for topic in braked_topics(samples)
        ]
        if no_broker_answers(samples):
            reasons.append(
                "no Kafka broker answers: a worker's consumer has no broker connection up (deidstream_brokers_up 0); "
                "librdkafka keeps retrying, and its log says why (check bootstrap_servers, the network, TLS)"
            )
        if self.directory_wanted:
            loaded = directory_loaded_processes(samples)
            if loaded < self.workers_wanted:
                reasons.append(
                    f"patient directory read to its end by {loaded} of {self.workers_wanted} worker processes"
                )
        return {"ok": not reasons, "reasons": reasons, "workers_alive": self.workers_alive}


def _worker_samples() -> list[Sample]:
    """The live worker processes' samples, read from their metric files (none outside `deidstream run`)."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return []
    return [sample for family in workers_registry().collect() for sample in family.samples]


def braked_topics(samples: list[Sample]) -> list[str]:
    """Input topics a live worker process has braked."""
    return sorted(
        sample.labels["topic"]
        for sample in samples
        if sample.name == "deidstream_quarantine_brake_engaged" and sample.value > 0
    )


def no_broker_answers(samples: list[Sample]) -> bool:
    """Whether a worker's consumer reported no broker up in its last statistics (none reported yet: not known)."""
    return any(sample.name == "deidstream_brokers_up" and sample.value == 0 for sample in samples)


def directory_loaded_processes(samples: list[Sample]) -> int:
    """Live worker processes that have read the directory topic to its end (one sample each)."""
    return sum(1 for sample in samples if sample.name == "deidstream_directory_loaded" and sample.value > 0)


def serve(port: int, state: HealthState) -> ThreadingHTTPServer:
    """Start the endpoint on all interfaces (Prometheus and the kubelet scrape from outside the pod)."""
    routes: dict[str, Check] = {"/healthz": state.liveness, "/readyz": state.readiness}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            if self.path == "/metrics":
                registry = workers_registry()
                self._send(200, generate_latest(registry), CONTENT_TYPE_LATEST)
            elif self.path in routes:
                body = routes[self.path]()
                self._send(200 if body["ok"] else 503, json.dumps(body).encode(), "application/json")
            else:
                self._send(404, b'{"error": "try /metrics, /healthz or /readyz"}', "application/json")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - scrapes every second: no log
            return

    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)  # noqa: S104 - probes come from outside the pod
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    return server
