"""A clean stop, by SIGTERM or SIGINT to the whole process group or to the supervisor alone: no ERROR, no restart.

A signal to the group (Ctrl-C in a terminal, `timeout`, some container runtimes)
reaches the workers and the supervisor at once; the workers may then exit before
the supervisor's loop turns, and must not be taken for crashed ones. The signal
is sent at different moments of a worker's life: while it builds its Kafka
clients, while it joins the group, while it processes a batch, while it idles.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Topics, WorkerProcess, _descendants
from deidstream.tools.embedded_broker import free_port
from test_worker_kafka import text_messages

pytestmark = pytest.mark.integration

# Seconds after "worker processes started": 0 reaches workers still building their clients; the group join takes
# about 3 s here (half the session timeout), and the reports published before each run take a second or two.
SIGTERM_DELAYS_S = [0.0, 0.05, 0.2, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0]


def stop_cleanly(topics: Topics, log_path: Path, signum: int, delay_s: float, whole_group: bool) -> str:
    """Start a two-process worker, signal it `delay_s` after its workers started, and return its log."""
    topics.publish(text_messages(4))
    worker = WorkerProcess(topics, log_path, processes=2, quiet=True, own_process_group=True)
    try:
        worker.wait_for_log("worker processes started")
        time.sleep(delay_s)
        if whole_group:
            os.killpg(worker.process.pid, signum)
        else:
            worker.process.send_signal(signum)
        exit_code = worker.process.wait(timeout=60)
    finally:
        if worker.process.poll() is None:
            worker.kill()
    log = worker.log_text()
    assert exit_code == 0, log
    return log


def assert_clean(log: str) -> None:
    errors = [line for line in log.splitlines() if " ERROR [" in line or "Traceback" in line]
    assert not errors, "\n".join(errors)
    assert "restarting" not in log and log.count("worker processes started") == 1
    assert log.count("worker stopped and left the group") == 2, log


def test_ten_group_wide_sigterms_in_a_row_log_no_error_and_restart_no_worker(topics: Topics, tmp_path: Path) -> None:
    for run, delay_s in enumerate(SIGTERM_DELAYS_S):
        assert_clean(stop_cleanly(topics, tmp_path / f"run-{run}.log", signal.SIGTERM, delay_s, whole_group=True))


@pytest.mark.parametrize("whole_group", [True, False], ids=["ctrl-c-to-the-group", "sigint-to-the-supervisor"])
def test_sigint_stops_cleanly_too(topics: Topics, tmp_path: Path, whole_group: bool) -> None:
    assert_clean(stop_cleanly(topics, tmp_path / "run.log", signal.SIGINT, 1.0, whole_group))


def test_workers_stopped_before_the_supervisor_hears_the_signal_are_not_crashes(topics: Topics, tmp_path: Path) -> None:
    """The race of a group-wide signal, made certain: the workers get it half a second before the supervisor.

    A worker stopped alone is restarted, with a warning: the supervisor keeps its count of workers.
    """
    worker = WorkerProcess(topics, tmp_path / "run.log", processes=2, quiet=True, own_process_group=True)
    try:
        worker.wait_for_log("worker processes started")
        first = _descendants(worker.process.pid)
        os.kill(first[0], signal.SIGTERM)
        worker.wait_for_log("stopped on a signal that did not reach the supervisor; restarting it")
        time.sleep(1.0)
        for pid in _descendants(worker.process.pid):
            os.kill(pid, signal.SIGTERM)
        time.sleep(0.5)
        worker.process.send_signal(signal.SIGTERM)
        assert worker.process.wait(timeout=60) == 0
    finally:
        if worker.process.poll() is None:
            worker.kill()
    log = worker.log_text()
    assert not [line for line in log.splitlines() if " ERROR [" in line], log
    assert log.count("restarting it") == 1, log


def test_ctrl_c_while_the_brokers_are_checked_ends_without_a_traceback(tmp_path: Path) -> None:
    """Before any worker starts, `run` waits up to ten seconds for brokers that do not answer: Ctrl-C there is quiet."""
    command = [sys.executable, "-m", "deidstream", "run", "--bootstrap-servers", f"127.0.0.1:{free_port()}"]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    time.sleep(2.0)  # inside the start-up check, which has not given up yet
    os.killpg(run.pid, signal.SIGINT)
    output, _ = run.communicate(timeout=30)
    assert run.returncode == 130, output
    assert b"Traceback" not in output and b"interrupted before any worker started" in output
