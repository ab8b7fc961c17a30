"""Shared by the review tests: invented reports, a review file made with the real engine, and a real review server."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.review.make import SampleOrigin, make_review
from deidstream.review.sources import SourceReport
from deidstream.review.store import ReviewStore

# Invented for these tests: no person, place or number here comes from a corpus.
INVENTED_REPORTS = [
    (
        "note-1",
        "NURSING NOTE 3/14/2031. Seen by Dr. Halvorsen Quist this morning. Wife Marguerite called at "
        "(617) 555-0143 and was updated; the family will visit from Brindlecombe on Friday. Lungs clear, "
        "plan to continue aspirin and walk twice a day.",
    ),
    (
        "note-2",
        "Discharge summary for Ondrej Vasquell, MRN 4471102, admitted 11/02/2030 to Glenmoor Hospital with "
        "pneumonia. Daughter Tilda Vasquell is aware; she drives him over from riverside. Follow up with "
        "Dr. Amberleigh in two weeks.",
    ),
    ("note-3", "Chest radiograph: no consolidation, no effusion. Heart size normal. Compared with the prior study."),
    (
        "note-4",
        "Pt seen in clinic with her son Caspian Morwenna, who lives at 12 Wicket Lane, Saltmarsh. Call back "
        "at 207-555-0166 with the results.",
    ),
]
SERVER_URL = re.compile(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+")


def text_reports(reports: list[tuple[str, str]] = INVENTED_REPORTS) -> list[SourceReport]:
    return [SourceReport(source_id, text.encode()) for source_id, text in reports]


def make_text_review(path: Path, engine: Engine, reports: list[SourceReport] | None = None) -> ReviewStore:
    """A review file of plain-text reports, detected by the real engine with the default settings."""
    settings = Settings()
    origin = SampleOrigin("Test Reviewer", "files invented-notes.jsonl", None)
    return make_review(path, reports or text_reports(), settings, "review", engine, None, origin)


class ReviewServer:
    """`deidstream review open FILE` as a real child process; its log (stderr) is kept in a file."""

    def __init__(self, review_file: Path, log_path: Path) -> None:
        self._log: IO[bytes] = log_path.open("ab")
        self.log_path = log_path
        self.process = subprocess.Popen(
            [sys.executable, "-m", "deidstream", "review", "open", str(review_file)],
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        found = SERVER_URL.search(line)
        if found is None:
            self.kill()
            raise AssertionError(f"the review server printed no URL: {line!r}; log:\n{self.log()}")
        self.url = found[0]
        self.base = self.url.split("/?", 1)[0]
        self.token = self.url.split("token=", 1)[1]

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM killer would: no chance to flush anything."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self._log.close()
