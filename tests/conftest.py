"""Shared fixtures: the real spaCy engine, the real Tansu broker, and a real `deidstream run` process."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka import Message, Producer

from deidstream.detection.engine import Engine, load_spacy_model
from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.detection.settings import EngineSettings
from deidstream.tools.embedded_broker import EmbeddedBroker, free_port
from deidstream.tools.topic_tail import TopicTail

REPO_ROOT = Path(__file__).resolve().parents[1]
RADIOLOGY_SAMPLE = REPO_ROOT / "src" / "deidstream" / "samples" / "radiology-report.txt"
# Tansu makes a first group join last about half of session.timeout.ms.
FAST_GROUP_ENV = {
    "DEIDSTREAM_KAFKA_CONSUMER__SESSION_TIMEOUT_MS": "6000",
    "DEIDSTREAM_KAFKA_CONSUMER__HEARTBEAT_INTERVAL_MS": "1000",
}


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine(EngineSettings())


@pytest.fixture(scope="session")
def broker() -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker() as running:
        yield running


class Topics:
    """Fresh raw/clean/quarantine topic names for one test, so tests sharing the broker never see each other."""

    def __init__(self, broker: EmbeddedBroker, raw_partitions: int) -> None:
        suffix = uuid.uuid4().hex[:8]
        self.broker = broker
        self.raw, self.clean, self.quarantine = f"raw-{suffix}", f"clean-{suffix}", f"quarantine-{suffix}"
        self.group = f"group-{suffix}"
        broker.create_topics([self.raw], partitions=raw_partitions)
        broker.create_topics([self.clean, self.quarantine])

    def publish(self, messages: list[tuple[bytes | None, bytes | None]]) -> None:
        """Each message in its own produce request: Tansu's memory engine mishandles resuming inside a batch."""
        producer = Producer({"bootstrap.servers": self.broker.bootstrap_servers, "linger.ms": 0})
        for key, value in messages:
            producer.produce(self.raw, key=key, value=value)
            producer.flush(10)

    def collect(self, count: int, timeout_s: float = 90.0) -> list[Message]:
        """At least `count` records from clean and quarantine, or whatever arrived before the timeout."""
        tail = TopicTail(self.broker.bootstrap_servers, [self.clean, self.quarantine])
        received: list[Message] = []
        deadline = time.monotonic() + timeout_s
        try:
            while len(received) < count and time.monotonic() < deadline:
                received.extend(tail.poll(0.5))
        finally:
            tail.close()
        return received


@pytest.fixture
def topics(broker: EmbeddedBroker) -> Topics:
    return Topics(broker, raw_partitions=2)


class WorkerProcess:
    """`deidstream run` as a real child process, with its log kept in a file for assertions."""

    def __init__(
        self,
        topics: Topics,
        log_path: Path,
        processes: int = 1,
        config: Path | None = None,
        quiet: bool = False,
        env: dict[str, str] | None = None,
        own_process_group: bool = False,
        input_topics: list[str] | None = None,
    ) -> None:
        """`env` adds to the worker's environment; `own_process_group` lets a test signal the whole group, as a
        terminal's Ctrl-C or `timeout` does, without signalling pytest; `input_topics` replace `topics.raw`."""
        inputs = [argument for topic in input_topics or [topics.raw] for argument in ("--input-topic", topic)]
        command = [
            sys.executable, "-m", "deidstream", "run",
            "--bootstrap-servers", topics.broker.bootstrap_servers,
            *inputs,
            "--output-topic", topics.clean,
            "--quarantine-topic", topics.quarantine,
            "--group-id", topics.group,
            "--processes", str(processes),
        ]  # fmt: skip
        self.metrics_port = free_port()
        command += ["--metrics-port", str(self.metrics_port)]
        if config is not None:
            command += ["--config", str(config)]
        if quiet:
            command.append("--quiet")
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            command,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                **FAST_GROUP_ENV,
                "DEIDSTREAM_STATUS_INTERVAL_S": "1",
                **(env or {}),
            },
            start_new_session=own_process_group,
        )

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, needle: str, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while needle not in self.log_text():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"worker never logged {needle!r}; log:\n{self.log_text()}")
            time.sleep(0.2)

    def terminate(self, timeout_s: float = 60.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout_s)
        finally:
            self._log.close()

    def kill(self) -> None:
        """SIGKILL the supervisor and its workers at once, as a container runtime would."""
        for pid in _descendants(self.process.pid) + [self.process.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._log.close()


def _descendants(pid: int) -> list[int]:
    children_file = Path(f"/proc/{pid}/task/{pid}/children")
    children = [int(child) for child in children_file.read_text().split()] if children_file.exists() else []
    return [grandchild for child in children for grandchild in _descendants(child)] + children


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator:
    started: list[WorkerProcess] = []

    def start(
        topics: Topics,
        processes: int = 1,
        config: Path | None = None,
        quiet: bool = False,
        env: dict[str, str] | None = None,
        input_topics: list[str] | None = None,
    ) -> WorkerProcess:
        worker = WorkerProcess(
            topics, tmp_path / f"worker-{len(started)}.log", processes, config, quiet, env, input_topics=input_topics
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.kill()


def header(message: Message, name: str) -> str | None:
    value = dict(message.headers() or []).get(name)
    return None if value is None else value.decode()


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    """The word lists of the name and place recognizers, on the default model's lemmatizer lookups."""
    return Vocabulary(load_spacy_model(EngineSettings().model))
