"""The review workbench's speed: a 200-report review file opens in under 2 s; the next report shows in under 100 ms.

    python benchmarks/review_speed.py [--reports 200] [--opens 5] [--file review.db]

Makes a review file of generated reports (detected by the real engine, as `deidstream
review sample` does; kept with --file for later runs), then, in Debian's chromium:
- open, cold: from starting `deidstream review open FILE` to the first report drawn in the
  page (Python's start and the command line's imports, the server, the page, its script
  and the report's JSON), --opens times, with the CPU time the server process had used by
  then (on a shared machine the wall time also measures the neighbours);
- open, page: from asking for the page, server up, to the first report drawn (a reload);
- next: pressing `n` through every report, each timed in the page from the key event to
  the report drawn (`data-render-ms`) and to the next frame (`data-frame-ms`); and here,
  from the driver's key press to its seeing the new report (Playwright's round trips included).
Prints the load average, and median and worst of each against the targets; exit code 1 if
a target is missed.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.review.make import SampleOrigin, make_review
from deidstream.review.sources import SourceReport
from deidstream.tools.synthetic import generate_reports

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
OPEN_TARGET_S, NEXT_TARGET_MS = 2.0, 100.0
URL = re.compile(r"http://\S+")


def make_file(path: Path, count: int) -> None:
    reports = [SourceReport(report.id, report.text.encode()) for report in generate_reports(count, seed=0)]
    started = time.monotonic()
    origin = SampleOrigin("Benchmark", f"generated reports (seed 0, {count})", 0)
    make_review(path, reports, Settings(), "review", Engine(Settings().engine), None, origin).close()
    print(f"review file of {count} reports made in {time.monotonic() - started:.0f} s: {path}", file=sys.stderr)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far: what the open cost it, whatever else the machine runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_once(page: Page, review_file: Path) -> tuple[float, float, float, subprocess.Popen[str]]:
    """Seconds from starting the server to the first report drawn, the server's CPU seconds by then, and a reload's
    seconds; the server is left running."""
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "deidstream", "review", "open", str(review_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    url = URL.search(server.stdout.readline())
    if url is None:
        server.kill()
        raise SystemExit("the review server printed no URL")
    page.goto(url[0])
    page.wait_for_selector("body[data-state=ready][data-report]")
    cold, cpu = time.monotonic() - started, cpu_seconds(server.pid)
    started = time.monotonic()
    page.reload()
    page.wait_for_selector("body[data-state=ready][data-report]")
    return cold, cpu, time.monotonic() - started, server


def step_through(page: Page, count: int) -> tuple[list[float], list[float], list[float]]:
    """Per report, ms: in the page from the key event to drawn and to the next frame; here, key press to seen."""
    in_page, frames, outside = [], [], []
    first = int(page.get_attribute("body", "data-report") or 1)
    for number in range(first + 1, count + 1):
        started = time.monotonic()
        page.keyboard.press("n")
        page.wait_for_selector(f"body[data-report='{number}']")
        outside.append((time.monotonic() - started) * 1000)
        in_page.append(float(page.get_attribute("body", "data-render-ms") or "nan"))
        page.wait_for_selector("body[data-frame-ms]")
        frames.append(float(page.get_attribute("body", "data-frame-ms") or "nan"))
        page.evaluate("delete document.body.dataset.frameMs")
    return in_page, frames, outside


def summary(name: str, values: list[float], unit: str, target: float | None) -> bool:
    """One line of the table; the verdict is on the worst value."""
    worst = max(values)
    met = target is None or worst < target
    verdict = "(for information)" if target is None else f"target < {target:g} {unit}: {'met' if met else 'MISSED'}"
    print(f"{name:40} median {statistics.median(values):8.2f} {unit}  worst {worst:8.2f} {unit}  {verdict}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--file", type=Path, help="review file to use (made first if missing)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        review_file = options.file or Path(folder) / "review.db"
        if not review_file.exists():
            make_file(review_file, options.reports)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
            opens, cpus, reloads = [], [], []
            for _attempt in range(options.opens):
                page = browser.new_context().new_page()
                cold, cpu, reload, server = open_once(page, review_file)
                opens.append(cold)
                cpus.append(cpu)
                reloads.append(reload)
                if len(opens) < options.opens:
                    server.terminate()
                    server.wait()
                    page.context.close()
            in_page, frames, outside = step_through(page, options.reports)
            server.terminate()
            server.wait()
            browser.close()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"{options.reports}-report review file, {options.opens} opens, {len(in_page)} next-report steps")
    results = [
        summary("open, cold (command start to report 1)", opens, "s", OPEN_TARGET_S),
        summary("  the server process' CPU time by then", cpus, "s", None),
        summary("open, page (reload to report 1)", reloads, "s", OPEN_TARGET_S),
        summary("next report, key to drawn (in the page)", in_page, "ms", NEXT_TARGET_MS),
        summary("next report, key to next frame", frames, "ms", NEXT_TARGET_MS),
        summary("next report, driver round trip", outside, "ms", None),
    ]
    if not all(results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
