"""Stage d: the whole worker, `deidstream run --processes N`, between two topics of the embedded broker.

The throughput window leaves out what a long-running worker pays once: process
start, model load and the consumer group join. It opens when the worker answers
`/readyz`, the group is stable and one warm-up message per partition has come out
clean; it closes when the last clean record of the corpus is read back from the
clean topic, so every record in it was acknowledged by the broker. Start-up is
reported separately, as the time from launch to `/readyz`.

Each run has a broker of its own (it starts in well under a second), with the
topics and worker command of `deidstream dev`. Each message goes to the partition
with the fewest characters so far, so N processes get equal work and none sits
idle while another finishes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from confluent_kafka import KafkaException, Producer
from confluent_kafka.admin import AdminClient

from deidstream.tools.bench.corpus import Corpus
from deidstream.tools.bench.measure import Latency, StageResult
from deidstream.tools.bench.procinfo import child_pids, cpu_seconds, cpu_wait_seconds, peak_rss_mb
from deidstream.tools.dev import CLEAN_TOPIC, QUARANTINE_TOPIC, RAW_TOPIC, WORKER_ENV, DevOptions, _worker_command
from deidstream.tools.embedded_broker import EmbeddedBroker, free_port
from deidstream.tools.topic_tail import TopicTail

READY_TIMEOUT_S = 120.0
POLL_S = 0.05
PROGRESS_EVERY_S = 10.0
STOP_TIMEOUT_S = 60.0
DEV_GROUP = "deidstream-dev"  # the group of `deidstream dev`'s worker command
WARM_UP_VALUE = b"Warm-up note: Mr. John Smith was seen on 1/2/2020 at Springfield General Hospital."


@dataclass(frozen=True)
class WorkerOptions:
    """How `deidstream run` is started: the same settings file and model as the other stages."""

    config_file: Path | None = None
    model: str | None = None
    timeout_s: float = 900.0


class BenchFailed(RuntimeError):
    """The worker did not start, or not every message came out in time; the worker log's tail is attached."""


def measure_end_to_end(
    corpus: Corpus, processes: int, partitions: int, options: WorkerOptions, progress: Callable[[str], None]
) -> StageResult:
    with EmbeddedBroker() as broker, tempfile.TemporaryDirectory(prefix="deidstream-bench-") as directory:
        broker.create_topics([RAW_TOPIC], partitions=partitions)
        broker.create_topics([CLEAN_TOPIC, QUARANTINE_TOPIC])
        worker = _Worker(broker, processes, options, Path(directory) / "worker.log")
        try:
            ready_s = worker.wait_ready()
            progress(f"ready after {ready_s:.1f} s; waiting for the consumer group and warming up")
            _wait_for_stable_group(broker, worker)
            result = _warm_up_and_measure(broker, corpus, partitions, worker, options, progress)
            pids = worker.pids()
            rss = [peak_rss_mb(pid) for pid in pids]
        finally:
            worker.stop()
    return StageResult(
        key=f"end_to_end_{processes}",
        title=f"end to end, {processes} worker process{'es' if processes > 1 else ''}",
        processes=processes,
        messages=len(corpus.texts),
        chars=corpus.chars,
        seconds=result.seconds,
        cpu_seconds=result.worker_cpu_s,
        cpu_wait_s=result.worker_wait_s,
        peak_rss_mb=rss,
        ready_s=ready_s,
        latency=Latency.of_samples(
            "message, produce to clean record read; whole corpus produced at once", result.latencies
        ),
        details={
            "rss_of": ["supervisor"] + ["worker"] * (len(pids) - 1),
            "partitions": partitions,
            "quarantined": result.quarantined,
            "duplicates": result.duplicates,
            "cpu_s_in_window": result.cpu_in_window,
        },
    )


class _Worker:
    """A `deidstream run` child process with its own metrics port and log file."""

    def __init__(self, broker: EmbeddedBroker, processes: int, options: WorkerOptions, log_path: Path) -> None:
        self.broker = broker
        self.metrics_port = free_port()
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.started = time.monotonic()
        # `deidstream dev`'s command line: its topics, its group, the status line left out of the log (quiet).
        command = _worker_command(
            broker.bootstrap_servers, DevOptions(processes, 0, False, options.config_file, options.model, quiet=True)
        )
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **WORKER_ENV, "DEIDSTREAM_METRICS_PORT": str(self.metrics_port)},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self) -> float:
        """Seconds from launch until `/readyz` answers 200: model loaded and every worker process alive."""
        deadline = self.started + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/readyz", timeout=1) as response:
                    if response.status == 200:
                        return time.monotonic() - self.started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise self.failure(f"not ready within {READY_TIMEOUT_S:.0f} s")

    def pids(self) -> list[int]:
        """The supervisor first, then its worker processes."""
        return [self.process.pid, *child_pids(self.process.pid)]

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise self.failure(f"exited with code {self.process.returncode}")

    def failure(self, what: str) -> BenchFailed:
        self._log.flush()
        log_tail = "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-20:])
        return BenchFailed(f"deidstream run {what}; the end of its log:\n{log_tail}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._log.close()


def _wait_for_stable_group(broker: EmbeddedBroker, worker: _Worker) -> None:
    """Wait until the group's first rebalance is over, so that no rebalance falls into the window."""
    admin = AdminClient({"bootstrap.servers": broker.bootstrap_servers})
    group = DEV_GROUP
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        worker.check_alive()
        try:
            description = admin.describe_consumer_groups([group])[group].result(timeout=5)
        except KafkaException:
            return  # a broker that cannot describe groups: the warm-up messages alone show every partition is served
        if description.state.name == "STABLE":
            return
        time.sleep(0.2)
    raise worker.failure(f"consumer group {group} not stable within {READY_TIMEOUT_S:.0f} s")


def _warm_up_and_measure(
    broker: EmbeddedBroker,
    corpus: Corpus,
    partitions: int,
    worker: _Worker,
    options: WorkerOptions,
    progress: Callable[[str], None],
) -> _Window:
    """The clients live only in here, so they are gone before their broker stops (no disconnection noise)."""
    tail = TopicTail(broker.bootstrap_servers, [CLEAN_TOPIC, QUARANTINE_TOPIC])
    try:
        producer = Producer({"bootstrap.servers": broker.bootstrap_servers, "linger.ms": 5})
        _warm_up(producer, tail, partitions, worker)
        return _measure(producer, tail, corpus, partitions, worker, options, progress)
    finally:
        tail.close()


def _warm_up(producer: Producer, tail: TopicTail, partitions: int, worker: _Worker) -> None:
    """One message per partition, and wait until each is out: every partition has an owner that has run a batch."""
    for partition in range(partitions):
        producer.produce(RAW_TOPIC, key=f"warm-{partition}".encode(), value=WARM_UP_VALUE, partition=partition)
    producer.flush(30)
    seen = 0
    deadline = time.monotonic() + READY_TIMEOUT_S
    while seen < partitions:
        if time.monotonic() > deadline:
            raise worker.failure("did not process the warm-up messages in time")
        worker.check_alive()
        seen += sum(1 for _message in tail.poll(POLL_S))


@dataclass(frozen=True)
class _Window:
    seconds: float
    latencies: list[float]
    quarantined: int
    duplicates: int
    worker_cpu_s: float | None
    worker_wait_s: float | None
    cpu_in_window: dict[str, list[float | None] | float | None]


def _measure(
    producer: Producer,
    tail: TopicTail,
    corpus: Corpus,
    partitions: int,
    worker: _Worker,
    options: WorkerOptions,
    progress: Callable[[str], None],
) -> _Window:
    """Produce the corpus at once, then read clean and quarantine records until every message has its record."""
    pids = worker.pids()
    cpu_before = {pid: cpu_seconds(pid) for pid in [*pids, worker.broker.pid]}
    wait_before = {pid: cpu_wait_seconds(pid) for pid in pids[1:]}
    bench_cpu_before = time.process_time()
    produced_at: dict[bytes, float] = {}
    started = time.monotonic()
    chars_per_partition = [0] * partitions
    for index, text in enumerate(corpus.texts):
        key = f"m{index}".encode()
        partition = chars_per_partition.index(min(chars_per_partition))
        chars_per_partition[partition] += len(text)
        producer.produce(RAW_TOPIC, key=key, value=text.encode("utf-8"), partition=partition)
        produced_at[key] = time.monotonic()
        producer.poll(0)
    producer.flush(60)
    latencies: dict[bytes, float] = {}
    quarantined = duplicates = 0
    last_record = next_progress = started
    deadline = started + options.timeout_s
    while len(latencies) < len(corpus.texts):
        if time.monotonic() > deadline:
            raise worker.failure(f"gave {len(latencies)} of {len(corpus.texts)} records in {options.timeout_s:.0f} s")
        worker.check_alive()
        for message in tail.poll(POLL_S):
            last_record = time.monotonic()
            key = message.key() or b""
            if key in latencies:
                duplicates += 1
            elif key in produced_at:
                latencies[key] = last_record - produced_at[key]
                quarantined += message.topic() != CLEAN_TOPIC
        if time.monotonic() >= next_progress + PROGRESS_EVERY_S:
            next_progress = time.monotonic()
            progress(f"{len(latencies)} of {len(corpus.texts)} records out after {next_progress - started:.0f} s")
    cpu_after = {pid: cpu_seconds(pid) for pid in cpu_before}
    used = {pid: _difference(cpu_after[pid], cpu_before[pid]) for pid in cpu_before}
    workers = [used[pid] for pid in pids[1:]]
    waits = [_difference(cpu_wait_seconds(pid), wait_before[pid]) for pid in pids[1:]]
    return _Window(
        seconds=last_record - started,
        latencies=list(latencies.values()),
        quarantined=quarantined,
        duplicates=duplicates,
        worker_cpu_s=_total(workers),
        worker_wait_s=_total(waits),
        cpu_in_window={
            "workers": workers,
            "supervisor": used[pids[0]],
            "broker": used[worker.broker.pid],
            "bench_producer_and_reader": round(time.process_time() - bench_cpu_before, 2),
        },
    )


def _total(seconds: list[float | None]) -> float | None:
    """The sum, or None if a process's figure could not be read (a partial sum would mislead)."""
    known = [value for value in seconds if value is not None]
    return round(sum(known), 2) if len(known) == len(seconds) else None


def _difference(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else round(after - before, 2)
