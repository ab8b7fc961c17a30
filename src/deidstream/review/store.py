"""The review file: one SQLite database per review, holding the sample, the detections, the verdicts and provenance.

It holds PHI (the reports themselves), so it is created with owner-only permissions
(SQLite gives its `-wal` and `-shm` files the database's mode). Every verdict is
committed before the page hears back, with the write-ahead log on and `synchronous =
FULL`: a browser refresh, a killed server or a restart loses nothing the page showed.

What the engine found is never changed: a verdict sits beside its detection, and a
span the reviewer adds is a row of `missed`. A detection without a verdict on a report
marked reviewed was accepted as it is.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deidstream.entity import Entity
from deidstream.tools.evaluation import GoldDocument, GoldSpan, PredictedSpan

SCHEMA_VERSION = "1"
WORD = re.compile(r"\S*\w\S*")  # a word: a run of non-blanks with a letter or digit in it
CORRECT, FALSE_ALARM = "correct", "false_alarm"
VERDICTS = (CORRECT, FALSE_ALARM)

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE reports (
    number INTEGER PRIMARY KEY,             -- 1..N in the order of the sample
    source_id TEXT NOT NULL,                -- file name, line id, or topic/partition/offset
    format TEXT NOT NULL,                   -- text, json, hl7v2 or fhir
    raw TEXT NOT NULL,                      -- the input as read, for display
    output TEXT,                            -- what the worker would publish; NULL when quarantined
    quarantine TEXT,                        -- the worker's quarantine reason, if it would quarantine it
    fields TEXT NOT NULL DEFAULT '[]',      -- JSON: what happened to each field of a structured message
    reviewed_at TEXT                        -- when the reviewer confirmed the report
);
CREATE TABLE texts (
    id INTEGER PRIMARY KEY,
    report INTEGER NOT NULL REFERENCES reports(number),
    label TEXT NOT NULL,                    -- where the text sits in the message (`text` for a plain report)
    text TEXT NOT NULL,
    words INTEGER NOT NULL
);
CREATE TABLE detections (
    id INTEGER PRIMARY KEY,
    text_id INTEGER NOT NULL REFERENCES texts(id),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    type TEXT NOT NULL,
    score REAL NOT NULL,
    recognizer TEXT NOT NULL,
    verdict TEXT CHECK (verdict IN ('correct', 'false_alarm')),
    reviewed_type TEXT,                     -- the reviewer's type when it differs from the engine's
    updated_at TEXT
);
CREATE TABLE missed (
    id INTEGER PRIMARY KEY,
    text_id INTEGER NOT NULL REFERENCES texts(id),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    type TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX texts_by_report ON texts(report);
CREATE INDEX detections_by_text ON detections(text_id);
CREATE INDEX missed_by_text ON missed(text_id);
"""


class ReviewFileError(ValueError):
    """A review file that cannot be made or read, or a change that does not fit it; never quotes report text."""


@dataclass(frozen=True)
class FieldDecision:
    """What the worker's step did with one field of a structured message: `text`, `replaced`, `dropped` or `kept`."""

    path: str
    decision: str
    detail: str = ""


@dataclass(frozen=True)
class NewText:
    label: str
    text: str
    detections: list[Entity]


@dataclass(frozen=True)
class NewReport:
    """One report of the sample as detection left it, ready to be stored."""

    source_id: str
    format: str
    raw: str
    output: str | None
    quarantine: str | None
    texts: list[NewText]
    fields: list[FieldDecision] = field(default_factory=list)


@dataclass(frozen=True)
class Provenance:
    """Where the sample came from and what processed it: the sign-off report's header."""

    reviewer: str
    source: str
    seed: int | None
    sample_size: int
    format: str
    policy: str
    engine_version: str
    model_version: str
    deidstream_version: str
    config_sha256: str = ""
    created_at: str = ""


@dataclass(frozen=True)
class ReviewedText:
    """A text of a reviewed report as `eval` scores it: the PHI the verdicts say is there, and what was predicted."""

    gold: GoldDocument
    predicted: list[PredictedSpan]
    words: int


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _words(text: str) -> int:
    return len(WORD.findall(text))


class ReviewStore:
    """One open review file. Safe to share between the web server's threads (one connection, one lock)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.path = path
        self._connection = connection
        self._lock = threading.Lock()

    @classmethod
    def create(cls, path: Path, provenance: Provenance, reports: list[NewReport]) -> ReviewStore:
        """A new review file with the sample in it; an existing file is never overwritten."""
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            raise ReviewFileError(f"{path} already exists; give a new file name or delete the old review") from None
        except OSError as error:
            raise ReviewFileError(f"cannot create {path}: {error.strerror}") from None
        os.close(descriptor)
        try:
            store = cls(_connect(path), path)
            with store._write() as connection:
                connection.executescript(SCHEMA)
            stamped = Provenance(**{**asdict(provenance), "created_at": provenance.created_at or _now()})
            store._insert(stamped, reports)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return store

    @classmethod
    def open(cls, path: Path) -> ReviewStore:
        if not path.is_file():
            raise ReviewFileError(f"{path} does not exist; make a review first with `deidstream review sample`")
        connection = _connect(path)
        try:
            version = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError:
            connection.close()
            raise ReviewFileError(f"{path} is not a review file of deidstream") from None
        if version is None or version[0] != SCHEMA_VERSION:
            connection.close()
            raise ReviewFileError(f"{path} is a review file of another version of deidstream (schema {version})")
        return cls(connection, path)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed before returning: what the caller reports as saved is on disk."""
        with self._lock, self._connection:
            yield self._connection

    def _read(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()

    def _insert(self, provenance: Provenance, reports: list[NewReport]) -> None:
        with self._write() as connection:
            meta = {"schema": SCHEMA_VERSION, "provenance": json.dumps(asdict(provenance))}
            connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            for number, report in enumerate(reports, start=1):
                connection.execute(
                    "INSERT INTO reports (number, source_id, format, raw, output, quarantine, fields) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        number,
                        report.source_id,
                        report.format,
                        report.raw,
                        report.output,
                        report.quarantine,
                        json.dumps([asdict(decision) for decision in report.fields]),
                    ),
                )
                for text in report.texts:
                    text_id = connection.execute(
                        "INSERT INTO texts (report, label, text, words) VALUES (?, ?, ?, ?)",
                        (number, text.label, text.text, _words(text.text)),
                    ).lastrowid
                    connection.executemany(
                        "INSERT INTO detections (text_id, start, end, type, score, recognizer) VALUES (?, ?, ?, ?, ?, ?)",
                        [(text_id, d.start, d.end, d.type, d.score, d.recognizer) for d in text.detections],
                    )

    # What the page reads.

    @property
    def provenance(self) -> Provenance:
        (row,) = self._read("SELECT value FROM meta WHERE key = 'provenance'")
        return Provenance(**json.loads(row[0]))

    def progress(self) -> tuple[int, int]:
        """(reviewed, total) reports."""
        ((reviewed, total),) = self._read("SELECT COUNT(reviewed_at), COUNT(*) FROM reports")
        return reviewed, total

    def first_unreviewed(self) -> int:
        rows = self._read("SELECT MIN(number) FROM reports WHERE reviewed_at IS NULL")
        return rows[0][0] or 1

    def report(self, number: int) -> dict[str, Any]:
        """Everything the page shows of one report, as JSON-ready data."""
        rows = self._read("SELECT * FROM reports WHERE number = ?", (number,))
        if not rows:
            raise ReviewFileError(f"no report {number} in this review")
        report = rows[0]
        texts = self._read("SELECT id, label, text FROM texts WHERE report = ? ORDER BY id", (number,))
        detections = self._by_text("detections", number)
        missed = self._by_text("missed", number)
        reviewed, total = self.progress()
        return {
            "number": number,
            "total": total,
            "reviewed_count": reviewed,
            "source_id": report["source_id"],
            "format": report["format"],
            "reviewed": report["reviewed_at"] is not None,
            "quarantine": report["quarantine"],
            "raw": report["raw"] if report["format"] != "text" else None,
            "output": report["output"],
            "fields": json.loads(report["fields"]),
            "texts": [
                {
                    "id": text["id"],
                    "label": text["label"],
                    "text": text["text"],
                    "detections": detections.get(text["id"], []),
                    "missed": missed.get(text["id"], []),
                }
                for text in texts
            ],
        }

    def _by_text(self, table: str, number: int) -> dict[int, list[dict[str, Any]]]:
        columns = "id, text_id, start, end, type" + (
            ", score, recognizer, verdict, reviewed_type" if table == "detections" else ""
        )
        rows = self._read(
            f"SELECT {columns} FROM {table} WHERE text_id IN (SELECT id FROM texts WHERE report = ?) "
            "ORDER BY start, end, id",
            (number,),
        )
        grouped: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            item = dict(row)
            grouped.setdefault(item.pop("text_id"), []).append(item)
        return grouped

    def report_of(self, table: str, row_id: int) -> int:
        """The number of the report a detection, missed span or text belongs to."""
        joined = "texts.id = ?" if table == "texts" else f"texts.id = (SELECT text_id FROM {table} WHERE id = ?)"
        rows = self._read(f"SELECT report FROM texts WHERE {joined}", (row_id,))
        if not rows:
            raise ReviewFileError(f"no {table} row {row_id} in this review")
        return int(rows[0][0])

    # What the reviewer changes.

    def judge(self, detection_id: int, verdict: str | None, reviewed_type: str | None = None) -> None:
        """A detection is correct (possibly of another type), a false alarm, or back to unjudged (None)."""
        if verdict is not None and verdict not in VERDICTS:
            raise ReviewFileError(f"unknown verdict {verdict!r}; expected one of {VERDICTS}")
        with self._write() as connection:
            row = connection.execute("SELECT type FROM detections WHERE id = ?", (detection_id,)).fetchone()
            if row is None:
                raise ReviewFileError(f"no detection {detection_id} in this review")
            kept_type = reviewed_type if verdict == CORRECT and reviewed_type != row[0] else None
            connection.execute(
                "UPDATE detections SET verdict = ?, reviewed_type = ?, updated_at = ? WHERE id = ?",
                (verdict, kept_type, _now(), detection_id),
            )

    def add_missed(self, text_id: int, start: int, end: int, entity_type: str) -> int:
        with self._write() as connection:
            row = connection.execute("SELECT length(text) FROM texts WHERE id = ?", (text_id,)).fetchone()
            if row is None:
                raise ReviewFileError(f"no text {text_id} in this review")
            if not 0 <= start < end <= row[0]:
                raise ReviewFileError(f"span {start}-{end} is not inside the {row[0]}-character text")
            cursor = connection.execute(
                "INSERT INTO missed (text_id, start, end, type, created_at) VALUES (?, ?, ?, ?, ?)",
                (text_id, start, end, entity_type, _now()),
            )
            return int(cursor.lastrowid or 0)

    def remove_missed(self, missed_id: int) -> None:
        with self._write() as connection:
            if connection.execute("DELETE FROM missed WHERE id = ?", (missed_id,)).rowcount == 0:
                raise ReviewFileError(f"no missed span {missed_id} in this review")

    def set_reviewed(self, number: int, reviewed: bool) -> None:
        with self._write() as connection:
            changed = connection.execute(
                "UPDATE reports SET reviewed_at = ? WHERE number = ?", (_now() if reviewed else None, number)
            )
            if changed.rowcount == 0:
                raise ReviewFileError(f"no report {number} in this review")

    # What the figures and the exports read.

    def quarantined(self) -> int:
        ((count,),) = self._read("SELECT COUNT(*) FROM reports WHERE quarantine IS NOT NULL")
        return int(count)

    def reviewed_texts(self) -> list[ReviewedText]:
        """Every text of the reviewed reports, with its gold spans as the verdicts make them.

        PHI is each detection not marked a false alarm (with the reviewer's type if changed)
        and each span the reviewer added; what was predicted is every detection as the engine typed it.
        """
        texts = self._read(
            "SELECT texts.id, texts.report, texts.label, texts.text, texts.words, reports.source_id FROM texts "
            "JOIN reports ON reports.number = texts.report WHERE reports.reviewed_at IS NOT NULL ORDER BY texts.id"
        )
        detections = self._read(
            "SELECT text_id, start, end, type, verdict, reviewed_type FROM detections ORDER BY start, end, id"
        )
        missed = self._read("SELECT text_id, start, end, type FROM missed ORDER BY start, end, id")
        predicted: dict[int, list[PredictedSpan]] = {}
        phi: dict[int, list[GoldSpan]] = {}
        for row in detections:
            predicted.setdefault(row["text_id"], []).append(PredictedSpan(row["start"], row["end"], row["type"]))
            if row["verdict"] != FALSE_ALARM:
                kind = row["reviewed_type"] or row["type"]
                phi.setdefault(row["text_id"], []).append(GoldSpan(row["start"], row["end"], kind))
        for row in missed:
            phi.setdefault(row["text_id"], []).append(GoldSpan(row["start"], row["end"], row["type"]))
        return [
            ReviewedText(
                GoldDocument(
                    f"{row['report']}:{row['label']}",
                    row["text"],
                    sorted(phi.get(row["id"], []), key=lambda span: (span.start, span.end)),
                ),
                predicted.get(row["id"], []),
                row["words"],
            )
            for row in texts
        ]


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level="DEFERRED")
    connection.row_factory = sqlite3.Row
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError:
        connection.close()
        raise ReviewFileError(f"{path} is not a review file of deidstream") from None
    return connection
