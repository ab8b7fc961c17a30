"""The review workbench in a real browser: Debian's chromium driven by Playwright, against the real server process.

The scenario of issue 23: refused without the token; a missed span added by selecting
text, a false alarm, a type changed; all there after a reload, and after the server is
killed and started again; the summary's figures equal those computed here from the
stored verdicts; the exported sign-off holds no text of the sample. Every request the
page makes goes to the review server (the browser's network log), and the test run
writes the README's screenshot.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scipy.stats import beta, chi2

from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.formats.settings import TopicFormat
from deidstream.review.make import SampleOrigin, make_review
from deidstream.review.sources import read_files
from review_helpers import INVENTED_REPORTS, ReviewServer, make_text_review

playwright_api = pytest.importorskip("playwright.sync_api")

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOT = REPO_ROOT / "docs" / "review-workbench.png"
WORD = re.compile(r"\S*\w\S*")


@pytest.fixture(scope="module")
def browser() -> Iterator[playwright_api.Browser]:
    if not CHROMIUM.exists():
        missing = "Debian's chromium is not installed at /usr/bin/chromium (.ci/run installs it with apt)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}: the browser scenario must run in CI")
        pytest.skip(missing)
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class WatchedPage:
    """A page in a fresh context, with every request it makes and every console error it reports."""

    def __init__(self, browser: playwright_api.Browser) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 760})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.on(
            "response",
            lambda response: response.status >= 400 and self.problems.append(f"{response.status} {response.url}"),
        )
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))

    def _console(self, message: playwright_api.ConsoleMessage) -> None:
        """Errors the page reports; a failed load is left to the response listener, which names the URL."""
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.problems.append(message.text)

    def open_report(self, url: str, number: int) -> None:
        self.page.goto(f"{url}#{number}")
        self.page.wait_for_selector(f"body[data-state=ready][data-report='{number}']")

    def wait_for_report(self, number: int) -> None:
        self.page.wait_for_selector(f"body[data-report='{number}']")


def drag_select(page: playwright_api.Page, start: int, end: int) -> None:
    """Select characters start..end of the first text with the mouse, as a person would."""
    box = page.evaluate(
        """([start, end]) => {
            const container = document.querySelector(".text");
            const rectOf = (offset) => {
                const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
                let total = 0;
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    if (offset < total + node.data.length) {
                        const range = document.createRange();
                        range.setStart(node, offset - total);
                        range.setEnd(node, offset - total + 1);
                        return range.getBoundingClientRect();
                    }
                    total += node.data.length;
                }
            };
            const first = rectOf(start), last = rectOf(end - 1);
            return [first.left + 1, (first.top + first.bottom) / 2, last.right - 1, (last.top + last.bottom) / 2];
        }""",
        [start, end],
    )
    page.mouse.move(box[0], box[1])
    page.mouse.down()
    page.mouse.move(box[2], box[3], steps=8)
    page.mouse.up()


def choose_edits(text: str, detections: list[dict[str, Any]]) -> tuple[tuple[int, int], dict[str, Any], dict[str, Any]]:
    """What the reviewer does to report 2: add the place the engine missed, drop a duplicate, retype a hospital part.

    Chosen by rule from what the engine found, with plain fallbacks, so a change of detection changes the
    example but not what the test proves.
    """
    spans = [(d["start"], d["end"]) for d in detections]
    place = text.index("riverside")
    if any(start < place + 9 and place < end for start, end in spans):
        place_span = next(
            (m.start(), m.end())
            for m in re.finditer(r"[A-Za-z]{5,}", text)
            if not any(start < m.end() and m.start() < end for start, end in spans)
        )
    else:
        place_span = (place, place + 9)
    duplicates = [d for d in detections if any((o["start"], o["end"]) == (d["start"], d["end"]) and o["type"] != d["type"]
                                               for o in detections)]  # fmt: skip
    false_alarm = next((d for d in duplicates if d["type"] == "LOCATION"), detections[0])
    inside_hospital = [
        d for d in detections if d["type"] == "LOCATION" and any(
            h["type"] == "HOSPITAL" and h["start"] <= d["start"] and d["end"] <= h["end"] for h in detections)
    ]  # fmt: skip
    retyped = next((d for d in inside_hospital + detections if d["id"] != false_alarm["id"]), detections[-1])
    return place_span, false_alarm, retyped


def stored_state(path: Path) -> tuple[list[tuple[int, str | None, str | None]], list[tuple[int, int, str]], int]:
    """The verdicts of report 2, its missed spans, and how many reports are reviewed, read straight from SQLite."""
    connection = sqlite3.connect(path)
    verdicts = connection.execute(
        "SELECT detections.id, verdict, reviewed_type FROM detections JOIN texts ON texts.id = text_id "
        "WHERE texts.report = 2 ORDER BY detections.id"
    ).fetchall()
    missed = connection.execute(
        "SELECT start, end, type FROM missed JOIN texts ON texts.id = text_id WHERE texts.report = 2"
    ).fetchall()
    (reviewed,) = connection.execute("SELECT COUNT(reviewed_at) FROM reports").fetchone()
    connection.close()
    return verdicts, missed, reviewed


def expected_figures(path: Path) -> dict[tuple[str, str], tuple[int, int]]:
    """Recall and precision counts under the strict rule, computed here from the stored verdicts alone."""
    connection = sqlite3.connect(path)
    texts = connection.execute(
        "SELECT texts.id FROM texts JOIN reports ON number = report WHERE reviewed_at IS NOT NULL"
    ).fetchall()
    counts: dict[tuple[str, str], list[int]] = {}
    for (text_id,) in texts:
        predicted = connection.execute(
            "SELECT start, end, type FROM detections WHERE text_id = ?", (text_id,)
        ).fetchall()
        gold = connection.execute(
            "SELECT start, end, COALESCE(reviewed_type, type) FROM detections "
            "WHERE text_id = ? AND (verdict IS NULL OR verdict != 'false_alarm') "
            "UNION ALL SELECT start, end, type FROM missed WHERE text_id = ?",
            (text_id, text_id),
        ).fetchall()
        for start, end, kind in gold:
            found = any(p_start <= start and p_end >= end for p_start, p_end, _ in predicted)
            for key in (("recall", "all PHI"), ("recall", kind)):
                counts.setdefault(key, [0, 0])
                counts[key][0] += found
                counts[key][1] += 1
        for start, end, kind in predicted:
            correct = any(start <= g_start and end >= g_end for g_start, g_end, _ in gold)
            for key in (("precision", "all detections"), ("precision", kind)):
                counts.setdefault(key, [0, 0])
                counts[key][0] += correct
                counts[key][1] += 1
    connection.close()
    return {key: (found, total) for key, (found, total) in counts.items()}


def test_the_review_scenario_in_a_real_browser(tmp_path: Path, engine: Engine, browser: playwright_api.Browser) -> None:
    review_file = tmp_path / "review.db"
    store = make_text_review(review_file, engine)
    second = store.report(2)["texts"][0]
    store.close()
    text = second["text"]
    spans = [(d["start"], d["end"]) for d in second["detections"]]
    assert len(spans) >= 3, "the invented report has names, dates and a record number to detect"
    (missed_start, missed_end), false_alarm, retyped = choose_edits(text, second["detections"])
    server = ReviewServer(review_file, tmp_path / "server-1.log")
    watched = WatchedPage(browser)
    page = watched.page
    try:
        # 1. Without the token the server refuses; with it the page loads.
        assert page.goto(f"{server.base}/").status == 403
        assert page.goto(f"{server.base}/?token=not-{server.token}").status == 403
        watched.problems.clear()  # the refusals, as expected
        watched.open_report(server.url, 1)
        assert page.inner_text("#progress-text") == "0 / 4 reviewed"
        assert page.query_selector_all(".legend .t-PERSON"), "a legend of the types' colours"
        assert "<PERSON>" in page.inner_text("#output"), "the policy's output beside the text"
        page.keyboard.press("a")  # report 1: all correct, and on to report 2
        watched.wait_for_report(2)
        assert len(page.query_selector_all(".text .mark")) >= 3

        # 2. A missed span by selecting text, a false alarm, a changed type.
        drag_select(page, missed_start, missed_end)
        page.select_option("#popover select", "LOCATION")
        page.click("#add-missed")
        page.wait_for_selector(".text .missed")

        page.click(f".text .mark[data-start='{false_alarm['start']}']")
        page.click(f"#popover [data-detection='{false_alarm['id']}'] .false-alarm-button")
        page.wait_for_selector("#popover", state="hidden")

        page.click(f".text .mark[data-start='{retyped['start']}']")
        page.select_option(f"#popover [data-detection='{retyped['id']}'] select", "HOSPITAL")
        page.click(f"#popover [data-detection='{retyped['id']}'] .change-type")
        page.wait_for_selector("#popover", state="hidden")

        # Keys: "a" marks the report reviewed (the rest correct) and goes on; "p" goes back, "n" forward.
        page.keyboard.press("a")
        watched.wait_for_report(3)
        page.keyboard.press("p")
        watched.wait_for_report(2)
        page.keyboard.press("n")
        watched.wait_for_report(3)
        assert page.inner_text("#progress-text") == "2 / 4 reviewed"

        verdicts, missed, reviewed = stored_state(review_file)
        assert (false_alarm["id"], "false_alarm", None) in verdicts
        assert (retyped["id"], "correct", "HOSPITAL") in verdicts
        assert missed == [(missed_start, missed_end, "LOCATION")]
        assert reviewed == 2

        # 3. A reload shows every verdict again.
        page.keyboard.press("ArrowLeft")
        watched.wait_for_report(2)
        page.reload()
        page.wait_for_selector("body[data-state=ready][data-report='2']")
        assert_verdicts_shown(page)

        # 4. A killed server, started again on the same file, has lost nothing.
        server.kill()
        server = ReviewServer(review_file, tmp_path / "server-2.log")
        watched.open_report(server.url, 2)
        assert_verdicts_shown(page)
        assert stored_state(review_file) == (verdicts, missed, reviewed)
        page.locator(".text .mark").last.click()  # a popover below the text, in the README's screenshot
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

        # 5. The summary's counts and intervals are those computed here from the stored verdicts.
        page.goto(server.url.replace("/?", "/summary?"))
        assert_summary_matches(page, review_file)
        assert page.query_selector("svg.chart .chart-row[data-type='all PHI'] circle"), "the chart is SVG in the page"

        # 6. The sign-off report holds no text of the sample, unless examples are asked for.
        assert_signoff_has_no_phi(review_file, tmp_path)
    finally:
        server.stop()
        watched.context.close()

    outside = [url for url in watched.requests if not url.startswith(("http://127.0.0.1:", "data:"))]
    assert outside == [], "the page fetched something from outside"
    assert watched.problems == [], "console errors (a CSP violation among them?)"
    logs = (tmp_path / "server-1.log").read_text() + (tmp_path / "server-2.log").read_text()
    assert "GET /api/reports/1 200" in logs
    assert "token=" not in logs and server.token not in logs
    for start, end in spans:
        assert text[start:end] not in logs, "no PHI in the server's log"


def assert_verdicts_shown(page: playwright_api.Page) -> None:
    assert len(page.query_selector_all(".text .missed")) == 1
    assert len(page.query_selector_all(".text .has-false-alarm")) == 1
    assert len(page.query_selector_all(".text .retyped.t-HOSPITAL")) >= 1
    assert page.inner_text("#report-status") == "✓ reviewed"
    assert page.inner_text("#progress-text") == "2 / 4 reviewed"


def assert_summary_matches(page: playwright_api.Page, review_file: Path) -> None:
    expected = expected_figures(review_file)
    shown = {}
    for row in page.query_selector_all("tr.figure"):
        successes, trials = int(row.get_attribute("data-successes") or 0), int(row.get_attribute("data-trials") or 0)
        key = (row.get_attribute("data-measure") or "", row.get_attribute("data-type") or "")
        shown[key] = (successes, trials)
        low, high = (
            beta.ppf(0.025, successes, trials - successes + 1),
            beta.ppf(0.975, successes + 1, trials - successes),
        )
        low, high = (0.0 if successes == 0 else low), (1.0 if successes == trials else high)
        assert float(row.get_attribute("data-low") or "nan") == pytest.approx(low, abs=1e-9), key
        assert float(row.get_attribute("data-high") or "nan") == pytest.approx(high, abs=1e-9), key
    assert shown == expected
    connection = sqlite3.connect(review_file)
    words = sum(
        len(WORD.findall(text))
        for (text,) in connection.execute(
            "SELECT text FROM texts JOIN reports ON number = report WHERE reviewed_at IS NOT NULL"
        )
    )
    connection.close()
    residual = page.query_selector("#residual")
    assert residual is not None
    missed = expected[("recall", "all PHI")][1] - expected[("recall", "all PHI")][0]
    assert (int(residual.get_attribute("data-missed") or -1), int(residual.get_attribute("data-words") or -1)) == (
        missed,
        words,
    )
    assert float(residual.get_attribute("data-high") or "nan") == pytest.approx(
        chi2.ppf(0.975, 2 * missed + 2) / 2 * 1000 / words, rel=1e-9
    )
    assert "Power:" in page.inner_text("#power")


def assert_signoff_has_no_phi(review_file: Path, tmp_path: Path) -> None:
    def export(prefix: Path, *extra: str) -> str:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "deidstream",
                "review",
                "export",
                str(review_file),
                "--signoff",
                str(prefix),
                *extra,
            ],
            check=True,
            capture_output=True,
        )
        return prefix.with_suffix(".html").read_text() + prefix.with_suffix(".json").read_text()

    exported = export(tmp_path / "signoff")
    assert "Test Reviewer" in exported and '"seed"' in exported
    for _source_id, report in INVENTED_REPORTS:
        for start in range(0, len(report) - 12):
            assert report[start : start + 12] not in exported, "a piece of a report in the sign-off"
    with_examples = export(tmp_path / "signoff-examples", "--include-examples")
    assert any(
        report[start : start + 12] in with_examples for _i, report in INVENTED_REPORTS for start in range(len(report))
    ), "with --include-examples it quotes the reports"


def test_a_structured_message_shows_its_texts_and_field_decisions(
    tmp_path: Path, engine: Engine, browser: playwright_api.Browser
) -> None:
    settings = Settings(formats={"raw-hl7": TopicFormat(format="hl7v2")})
    reports = read_files(REPO_ROOT / "tests" / "data" / "hl7" / "oru_r01.hl7", "hl7v2")
    origin = SampleOrigin("Test Reviewer", "files oru_r01.hl7", None)
    make_review(tmp_path / "hl7.db", reports, settings, "raw-hl7", engine, None, origin).close()
    server = ReviewServer(tmp_path / "hl7.db", tmp_path / "server.log")
    watched = WatchedPage(browser)
    try:
        watched.open_report(server.url, 1)
        labels = [label.inner_text() for label in watched.page.query_selector_all(".text-label")]
        assert {"OBX-5", "OBX[3]-5", "NTE-3", "PV1-7"} <= set(labels)
        rows = [row.inner_text().split("\t") for row in watched.page.query_selector_all("#field-decisions tbody tr")]
        assert ["OBX-5", "text", f"text {labels.index('OBX-5') + 1}"] in rows
        assert ["PV1-7", "replaced", f"ID, PERSON; text {labels.index('PV1-7') + 1}"] in rows
        assert "PID|" in watched.page.inner_text("#output")
    finally:
        server.stop()
        watched.context.close()
