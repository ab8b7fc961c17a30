"""The review file: owner-only, write-ahead log on, verdicts durable across reopening, gold spans from verdicts."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from deidstream.entity import Entity
from deidstream.review.store import (
    FALSE_ALARM,
    NewReport,
    NewText,
    Provenance,
    ReviewFileError,
    ReviewStore,
)
from deidstream.tools.evaluation import GoldSpan, PredictedSpan

TEXT = "Met Dr. Quist and Ansel Brack on 3/14/2031 at the Lantern Clinic."
PROVENANCE = Provenance("Test Reviewer", "files x", None, 2, "text", "none", "deidstream-0", "model-0", "0")


def sample_store(path: Path) -> ReviewStore:
    detections = [
        Entity(4, 13, "PERSON", 0.9, "a"),  # Dr. Quist
        Entity(18, 29, "PERSON", 0.9, "b"),  # Ansel Brack
        Entity(33, 42, "DATE_TIME", 0.9, "c"),  # 3/14/2031
    ]
    reports = [
        NewReport("one", "text", TEXT, "clean", None, [NewText("text", TEXT, detections)]),
        NewReport("two", "text", "x", None, "invalid_utf8", []),
    ]
    return ReviewStore.create(path, PROVENANCE, reports)


def test_the_review_file_and_its_log_are_owner_only_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    store = sample_store(path)
    store.set_reviewed(1, True)  # a write, so the -wal and -shm files exist
    for name in ("review.db", "review.db-wal", "review.db-shm"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
    (mode,) = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()
    assert mode == "wal"
    store.close()


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    path.write_text("precious")
    with pytest.raises(ReviewFileError, match="already exists"):
        sample_store(path)
    assert path.read_text() == "precious"


def test_a_file_that_is_no_review_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(ReviewFileError, match="not a review file"):
        ReviewStore.open(path)
    with pytest.raises(ReviewFileError, match="does not exist"):
        ReviewStore.open(tmp_path / "missing.db")


def test_verdicts_survive_closing_and_reopening(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    store = sample_store(path)
    first, second, _date = (item["id"] for item in store.report(1)["texts"][0]["detections"])
    store.judge(first, FALSE_ALARM)
    store.judge(second, "correct", "HOSPITAL")
    store.add_missed(store.report(1)["texts"][0]["id"], 51, 65, "HOSPITAL")  # Lantern Clinic
    store.set_reviewed(1, True)
    store.close()

    reopened = ReviewStore.open(path)
    report = reopened.report(1)
    assert [d["verdict"] for d in report["texts"][0]["detections"]] == [FALSE_ALARM, "correct", None]
    assert report["texts"][0]["detections"][1]["reviewed_type"] == "HOSPITAL"
    assert [(m["start"], m["end"], m["type"]) for m in report["texts"][0]["missed"]] == [(51, 65, "HOSPITAL")]
    assert reopened.progress() == (1, 2)
    assert reopened.first_unreviewed() == 2
    (text,) = reopened.reviewed_texts()
    assert text.gold.phi == [GoldSpan(18, 29, "HOSPITAL"), GoldSpan(33, 42, "DATE_TIME"), GoldSpan(51, 65, "HOSPITAL")]
    assert text.predicted == [PredictedSpan(4, 13, "PERSON"), PredictedSpan(18, 29, "PERSON"),
                              PredictedSpan(33, 42, "DATE_TIME")]  # fmt: skip
    assert text.words == 12


def test_bad_changes_are_refused_without_quoting_the_text(tmp_path: Path) -> None:
    store = sample_store(tmp_path / "review.db")
    text_id = store.report(1)["texts"][0]["id"]
    with pytest.raises(ReviewFileError, match="not inside") as refused:
        store.add_missed(text_id, 60, 600, "PERSON")
    assert "Quist" not in str(refused.value)
    with pytest.raises(ReviewFileError, match="unknown verdict"):
        store.judge(1, "maybe")
    with pytest.raises(ReviewFileError, match="no detection"):
        store.judge(999, FALSE_ALARM)
    with pytest.raises(ReviewFileError, match="no report"):
        store.report(7)


def test_a_quarantined_report_is_counted_and_has_nothing_to_review(tmp_path: Path) -> None:
    store = sample_store(tmp_path / "review.db")
    report = store.report(2)
    assert report["quarantine"] == "invalid_utf8" and report["texts"] == [] and report["output"] is None
    assert store.quarantined() == 1
