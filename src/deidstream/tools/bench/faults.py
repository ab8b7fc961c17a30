"""Fault scenarios on a real broker and real `deidstream run` processes: nothing may be lost.

Each scenario starts its own embedded broker (one of them stops it with SIGSTOP),
publishes numbered reports, injects the fault, and reads the clean and quarantine
topics back. It reports N in, N distinct out (by the `deidstream.source.*`
headers), duplicates and lost. The tests run short versions
(`tests/test_faults.py`); `benchmarks/faults.py` runs the full ones and prints the
table in the README.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from confluent_kafka import Message, Producer

from deidstream.tools.embedded_broker import EmbeddedBroker, free_port
from deidstream.tools.topic_tail import TopicTail, text_headers

HEADER_PARTITION = "deidstream.source.partition"
HEADER_OFFSET = "deidstream.source.offset"
HEADER_REASON = "deidstream.quarantine.reason"
# The scenarios' own producers outlive their broker; their reconnection attempts are not news.
_QUIET = logging.getLogger("deidstream.tools.bench.faults.librdkafka")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False
NAMES = ["John Smith", "Maria Gonzalez", "Robert Johnson", "Linda Williams"]
# Tansu makes a first group join last about half of session.timeout.ms.
GROUP_SETTINGS = '[kafka_consumer]\n"session.timeout.ms" = "6000"\n"heartbeat.interval.ms" = "1000"\n'


@dataclass(frozen=True)
class FaultResult:
    """What went in and what came out of one scenario."""

    scenario: str
    sent: int
    distinct: int
    duplicates: int
    quarantined: Counter[str]
    seconds: float

    @property
    def lost(self) -> int:
        return self.sent - self.distinct

    def row(self) -> str:
        reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(self.quarantined.items())) or "none"
        return (
            f"| {self.scenario} | {self.sent} | {self.distinct} | {self.duplicates} | {self.lost} | {reasons} "
            f"| {self.seconds:.0f} |"
        )


TABLE_HEADER = "| scenario | in | distinct out | duplicates | lost | quarantined | seconds |\n| --- | --- | --- | --- | --- | --- | --- |"


def report(index: int) -> bytes:
    name = NAMES[index % len(NAMES)]
    return f"Patient {name} was seen on 3/{index % 28 + 1}/2011 for chest pain. Report number {index}.".encode()


class _Stream:
    """Topics of one scenario on its own broker, and `deidstream run` processes on them."""

    def __init__(self, broker: EmbeddedBroker, workdir: Path, create_quarantine: bool = True) -> None:
        suffix = uuid.uuid4().hex[:8]
        self.broker = broker
        self.workdir = workdir
        self.raw, self.clean, self.quarantine = f"raw-{suffix}", f"clean-{suffix}", f"quarantine-{suffix}"
        self.group = f"group-{suffix}"
        broker.create_topics([self.raw], partitions=2)
        broker.create_topics([self.clean, self.quarantine] if create_quarantine else [self.clean])
        self.sent = 0
        self._workers: list[subprocess.Popen[bytes]] = []

    def publish(self, values: list[bytes]) -> None:
        producer = Producer({"bootstrap.servers": self.broker.bootstrap_servers, "linger.ms": 0, "logger": _QUIET})
        for value in values:
            producer.produce(self.raw, key=f"k{self.sent}".encode(), value=value)
            producer.flush(30)
            self.sent += 1

    def start_worker(self, settings: str = "") -> subprocess.Popen[bytes]:
        config = self.workdir / f"worker-{len(self._workers)}.toml"
        config.write_text(settings + GROUP_SETTINGS, encoding="utf-8")
        log = (self.workdir / f"worker-{len(self._workers)}.log").open("ab")
        command = [
            sys.executable, "-m", "deidstream", "run", "--quiet", "--processes", "1",
            "--bootstrap-servers", self.broker.bootstrap_servers, "--group-id", self.group,
            "--input-topic", self.raw, "--output-topic", self.clean, "--quarantine-topic", self.quarantine,
            "--config", str(config),
        ]  # fmt: skip
        env = {**os.environ, "DEIDSTREAM_METRICS_PORT": str(free_port())}
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        self._workers.append(process)
        return process

    def log_text(self) -> str:
        return "".join(path.read_text(errors="replace") for path in sorted(self.workdir.glob("worker-*.log")))

    def wait_for_log(self, needle: str, timeout_s: float = 90.0) -> None:
        deadline = time.monotonic() + timeout_s
        while needle not in self.log_text():
            if time.monotonic() > deadline:
                raise TimeoutError(f"no worker logged {needle!r}")
            time.sleep(0.2)

    def collect(self, timeout_s: float = 90.0, settle_s: float = 3.0) -> list[Message]:
        """Everything on clean and quarantine once every input has an output, plus `settle_s` for late duplicates."""
        tail = TopicTail(self.broker.bootstrap_servers, [self.clean, self.quarantine])
        received: list[Message] = []
        deadline = time.monotonic() + timeout_s
        try:
            while len(_sources(received)) < self.sent and time.monotonic() < deadline:
                received.extend(tail.poll(0.5))
            settle = time.monotonic() + settle_s
            while time.monotonic() < settle:
                received.extend(tail.poll(0.5))
        finally:
            tail.close()
        return received

    def stop_workers(self) -> None:
        for process in self._workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self._workers:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _sources(messages: list[Message]) -> Counter[tuple[int, int]]:
    found: Counter[tuple[int, int]] = Counter()
    for message in messages:
        headers = text_headers(message)
        found[(int(headers[HEADER_PARTITION]), int(headers[HEADER_OFFSET]))] += 1
    return found


def _result(scenario: str, stream: _Stream, received: list[Message], started: float) -> FaultResult:
    sources = _sources(received)
    reasons = Counter(text_headers(m)[HEADER_REASON] for m in received if m.topic() == stream.quarantine)
    return FaultResult(
        scenario=scenario,
        sent=stream.sent,
        distinct=len(sources),
        duplicates=sum(count - 1 for count in sources.values()),
        quarantined=reasons,
        seconds=time.monotonic() - started,
    )


@contextlib.contextmanager
def _scenario(create_quarantine: bool = True) -> Iterator[_Stream]:
    with EmbeddedBroker() as broker, tempfile.TemporaryDirectory(prefix="deidstream-faults-") as workdir:
        stream = _Stream(broker, Path(workdir), create_quarantine)
        try:
            yield stream
        finally:
            stream.stop_workers()


def sigkill_mid_batch(messages: int = 80) -> FaultResult:
    """SIGKILL the worker (supervisor and its process) right after its first batch, then start another."""
    started = time.monotonic()
    with _scenario() as stream:
        stream.publish([report(index) for index in range(messages)])
        first = stream.start_worker("batch_max_messages = 4\n")
        stream.wait_for_log("published")
        for pid in _descendants(first.pid) + [first.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        first.wait()
        stream.start_worker("batch_max_messages = 4\n")
        return _result("worker SIGKILLed mid-batch, then restarted", stream, stream.collect(), started)


def broker_paused(pause_s: float, messages: int = 60) -> FaultResult:
    """SIGSTOP the broker for `pause_s` while the worker is busy, then SIGCONT it."""
    started = time.monotonic()
    with _scenario() as stream:
        stream.publish([report(index) for index in range(messages // 2)])
        stream.start_worker("batch_max_messages = 4\n")
        stream.wait_for_log("published")
        assert stream.broker.pid is not None
        os.kill(stream.broker.pid, signal.SIGSTOP)
        try:
            time.sleep(pause_s)
        finally:
            os.kill(stream.broker.pid, signal.SIGCONT)
        stream.publish([report(index) for index in range(messages // 2, messages)])
        received = stream.collect(timeout_s=120 + pause_s)
        return _result(f"broker stopped (SIGSTOP) for {pause_s:g} s, then resumed", stream, received, started)


def quarantine_topic_missing(create_after_s: float, messages: int = 20) -> FaultResult:
    """Bad messages while the quarantine topic does not exist; it is created `create_after_s` after the worker starts.

    Tansu creates a topic on its first produce (it has no setting to refuse), so on it the
    first quarantine record creates the topic and the later creation finds it there. On
    a Kafka with auto.create.topics.enable=false the produce fails and the worker retries,
    its partitions paused, until the topic exists; nothing is committed meanwhile.
    """
    started = time.monotonic()
    with _scenario(create_quarantine=False) as stream:
        stream.publish([b"\xff\xfe not UTF-8" if index % 5 == 0 else report(index) for index in range(messages)])
        stream.start_worker("batch_max_messages = 4\n")
        stream.wait_for_log("assigned")
        time.sleep(create_after_s)
        with contextlib.suppress(Exception):  # already created by the broker on the first produce
            stream.broker.create_topics([stream.quarantine])
        received = stream.collect(timeout_s=120)
        return _result(
            f"quarantine topic missing at start, created {create_after_s:g} s later", stream, received, started
        )


def produce_refused_for_size(messages: int = 20) -> FaultResult:
    """Records over the producer's message.max.bytes: a clean one that grew, and an oversized input's raw value."""
    started = time.monotonic()
    # Each address becomes the longer <EMAIL_ADDRESS> (apart, so that they are not merged into one span).
    grows = " ".join(f"Mail a{index % 10}@cd.org today." for index in range(600)).encode()
    with _scenario() as stream:
        values = [report(index) for index in range(messages - 2)] + [grows, b"x" * 30_000]
        stream.publish(values)
        stream.start_worker(
            f"max_message_bytes = {len(grows) + 100}\nbatch_max_messages = 4\n"
            '[kafka_producer]\n"message.max.bytes" = "' + str(len(grows) + 2_000) + '"\n'
        )
        received = stream.collect()
        return _result("records refused for size (producer message.max.bytes)", stream, received, started)


def _descendants(pid: int) -> list[int]:
    children_file = Path(f"/proc/{pid}/task/{pid}/children")
    children = [int(child) for child in children_file.read_text().split()] if children_file.exists() else []
    return [grandchild for child in children for grandchild in _descendants(child)] + children
