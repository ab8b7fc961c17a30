"""Runs N worker processes that share one model load, restarts crashed ones, and stops them all on a signal.

The engine is built once in the supervisor, before any worker joins the group, and
the workers are forked from it: each has its own engine (copy-on-write pages of the
same loaded model), and a broken model setting fails once, at start, with a clear
message instead of N crash loops. The anonymizers (the operators of the worker-wide
policy and of every topic's own, built from the secret) are built next to it and
forked along, so every worker applies the same policies with the same keys. The
patient directory is the exception: each worker process opens its own copy after
the fork (a Kafka consumer and an SQLite file are per process) and reads it to the
end of its topic before it joins the group.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from multiprocessing.context import ForkProcess
from types import FrameType

from prometheus_client import multiprocess

from deidstream.anonymization.anonymizer import Anonymizer
from deidstream.anonymization.secret import Secret
from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.directory.follower import DirectoryError
from deidstream.directory.local import open_directory
from deidstream.ops.health import HealthState, serve
from deidstream.ops.status import StatusLine
from deidstream.stream import metrics
from deidstream.stream.topic_anonymizers import TopicAnonymizers
from deidstream.stream.worker import Worker

log = logging.getLogger(__name__)

RESTART_BACKOFF_S = 2.0
SUPERVISE_INTERVAL_S = 0.2
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def _worker_main(settings: Settings, engine: Engine, anonymizers: TopicAnonymizers, secret: Secret | None) -> None:
    """Runs in the forked worker, whose stop signals stay blocked (see `Supervisor._start`) until it can handle them.

    The patient directory, when the settings name one, is this process's own: opened here, after the fork.
    """
    worker = Worker(settings, engine, anonymizers, open_directory(settings, secret))
    worker.install_signal_handlers()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    try:
        worker.run()
    except DirectoryError as error:  # e.g. the topic was deleted: say so, exit, and be restarted (not ready)
        log.error("worker stops: %s", error)
        raise SystemExit(1) from None


class Supervisor:
    """Owns the worker processes of one `deidstream run`."""

    def __init__(self, settings: Settings, secret: Secret | None) -> None:
        """`secret` is the policies', checked by the caller: present whenever one of them needs it."""
        self._settings = settings
        self._secret = secret
        self._stopping = False
        self._context = multiprocessing.get_context("fork")
        self._workers: dict[int, ForkProcess] = {}

    def request_stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        self._stopping = True

    def run(self) -> int:
        """Run until SIGTERM/SIGINT; returns the process exit code."""
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)
        health = HealthState()
        health.workers_wanted = self._settings.processes
        health.directory_wanted = self._settings.directory.topic is not None
        server = serve(self._settings.metrics_port, health)
        log.info("metrics and health on port %d", self._settings.metrics_port)
        engine = Engine(self._settings.engine)
        anonymizers = TopicAnonymizers(self._settings, self._secret)
        health.engine_loaded = True
        metrics.MODEL_LOADED.set(1)
        policy = anonymizers.default.policy
        sizes = engine.site_list_sizes
        site_lists = ",".join(f"{name}={size}" for name, size in sizes.items()) or "none"
        metrics.INFO.labels(
            engine.version,
            engine.model_version,
            "none" if policy is None else f"{policy.id}@{policy.version}",
            site_lists,
        ).set(1)
        if sizes:
            log.info("site lists read: %s (names and sizes only)", ", ".join(f"{n} {s}" for n, s in sizes.items()))
        _log_policies(anonymizers)
        if self._stopping:
            return 0
        for slot in range(self._settings.processes):
            self._start(slot, engine, anonymizers)
        log.info("%d worker processes started (pid %d supervises)", self._settings.processes, os.getpid())
        restart_after: dict[int, float] = {}
        status = StatusLine(self._settings.status_interval_s) if self._settings.status_interval_s else None
        while not self._stopping:
            time.sleep(SUPERVISE_INTERVAL_S)
            if self._stopping:  # the signal that stops us may have stopped the workers too: not a crash
                break
            alive = sum(process.is_alive() for process in self._workers.values())
            health.tick(alive)
            metrics.PROCESSES_ALIVE.set(alive)
            if status is not None:
                status.maybe_print(alive)
            self._note_exits(restart_after)
            for slot, due in list(restart_after.items()):
                if time.monotonic() >= due and not self._stopping:
                    self._restart(slot, engine, anonymizers)
                    del restart_after[slot]
        exit_code = self._stop_all()
        server.shutdown()
        return exit_code

    def _note_exits(self, restart_after: dict[int, float]) -> None:
        """Schedule the restart of workers that exited; a crash is an error at once.

        A worker exits with code 0 only when told to stop. That is a signal to the
        whole process group (Ctrl-C, `timeout`) whose other half, ours, may not have
        been handled yet: judged when its restart is due, by then we know.
        """
        for slot, process in self._workers.items():
            if process.is_alive() or slot in restart_after:
                continue
            if process.exitcode != 0:
                log.error("worker %d (pid %s) exited with code %s; restarting", slot, process.pid, process.exitcode)
            multiprocess.mark_process_dead(process.pid)  # type: ignore[no-untyped-call]  # unannotated upstream
            restart_after[slot] = time.monotonic() + RESTART_BACKOFF_S

    def _restart(self, slot: int, engine: Engine, anonymizers: TopicAnonymizers) -> None:
        stopped = self._workers[slot]
        if stopped.exitcode == 0:
            log.warning(
                "worker %d (pid %s) stopped on a signal that did not reach the supervisor; restarting it",
                slot,
                stopped.pid,
            )
        self._start(slot, engine, anonymizers)

    def _start(self, slot: int, engine: Engine, anonymizers: TopicAnonymizers) -> None:
        """Fork a worker with SIGTERM and SIGINT blocked: one sent to the whole group while the worker is still
        being built waits for the worker's own handler, instead of reaching the supervisor's handler it inherits."""
        process = self._context.Process(
            target=_worker_main,
            args=(self._settings, engine, anonymizers, self._secret),
            name=f"worker-{slot}",
            daemon=False,
        )
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        self._workers[slot] = process

    def _stop_all(self) -> int:
        """SIGTERM every worker, wait for them to drain and commit, kill what outlives the timeout."""
        log.info("stopping %d worker processes", len(self._workers))
        for process in self._workers.values():
            if process.is_alive():
                process.terminate()  # SIGTERM
        deadline = time.monotonic() + self._settings.shutdown_timeout_s
        for process in self._workers.values():
            process.join(max(0.0, deadline - time.monotonic()))
        stragglers = [process for process in self._workers.values() if process.is_alive()]
        for process in stragglers:
            log.error(
                "worker pid %s did not stop within %.0f s; killing it", process.pid, self._settings.shutdown_timeout_s
            )
            process.kill()
            process.join()
        return 1 if stragglers else 0


def _log_policies(anonymizers: TopicAnonymizers) -> None:
    """Which policy the workers apply, then each topic's own, with the key id of the secret (never the secret)."""
    _log_policy(anonymizers.default, "")
    for topic, anonymizer in anonymizers.by_topic.items():
        _log_policy(anonymizer, f"topic {topic}: ")


def _log_policy(anonymizer: Anonymizer, scope: str) -> None:
    if anonymizer.policy is None:
        log.info("%sno anonymization policy: every entity becomes <TYPE>", scope)
        return
    policy = anonymizer.policy
    log.info(
        "%spolicy %s version %s, key id %s",
        scope,
        policy.id,
        policy.version,
        anonymizer.key_id or "none (no keyed operators)",
    )
