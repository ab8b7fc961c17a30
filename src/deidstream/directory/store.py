"""One worker process's copy of the directory topic: record key -> encrypted entry, in an SQLite file.

A directory of a million patients holds a few hundred megabytes of entries: kept in
memory, that is more than a worker process may take beside its model. So each
process keeps them in an SQLite file of its own, rebuilt from the topic at every
start (like a Kafka Streams state store restored from its changelog), and in
memory only SQLite's page cache and the entries of recent patients (`local`). The
file holds what the topic holds, ciphertexts under tokens, and is removed when the
process stops.

The file is unlinked as soon as it is open: it lives as long as the process's handle
on it, and nothing is left behind however the process ends (even SIGKILL).

The first read of the topic appends every record in topic order, then indexes the
keys and keeps the last record of each (a tombstone removes its key), which is
several times faster than updating an index record by record; afterwards each
record replaces its key's row.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# SQLite's page cache, in KiB (negative cache_size): enough for the index's inner pages, small beside the model.
CACHE_KIB = 8192


class DirectoryStore:
    """Record key -> value, the last record of each key winning, as compaction would leave the topic."""

    def __init__(self, state_dir: Path | None = None) -> None:
        if state_dir is not None:
            state_dir.mkdir(parents=True, exist_ok=True)
        directory = Path(tempfile.mkdtemp(prefix="deidstream-directory-", dir=state_dir))
        path = directory / "directory.sqlite"
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{CACHE_KIB}", "locking_mode=EXCLUSIVE"):
            self._db.execute(f"PRAGMA {pragma}")  # a cache rebuilt at every start: no journal, no fsync
        self._db.execute("CREATE TABLE entries (key BLOB NOT NULL, value BLOB)")
        path.unlink()  # SQLite keeps its open handle (and takes its exclusive lock on it)
        os.rmdir(directory)
        self._indexed = False
        self._tombstones = 0
        self._count = 0

    def append(self, rows: list[tuple[bytes, bytes | None]]) -> None:
        """Records of the first read, in topic order (None: a tombstone); `finish_load` then keeps the last of each."""
        self._db.execute("BEGIN")
        self._db.executemany("INSERT INTO entries VALUES (?, ?)", rows)
        self._db.execute("COMMIT")
        self._tombstones += sum(value is None for _, value in rows)

    def finish_load(self) -> None:
        """Index the keys and keep each key's last record; after this, `put` and `delete` keep it so."""
        self._db.execute("CREATE INDEX entries_key ON entries (key)")
        rows = self._db.execute("SELECT count(*) FROM entries").fetchone()[0]
        keys = self._db.execute("SELECT count(DISTINCT key) FROM entries").fetchone()[0]
        if rows != keys or self._tombstones:  # an uncompacted stretch of the topic: several records per key
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM entries WHERE rowid NOT IN (SELECT max(rowid) FROM entries GROUP BY key)")
            self._db.execute("DELETE FROM entries WHERE value IS NULL")
            self._db.execute("COMMIT")
        self._count = self._db.execute("SELECT count(*) FROM entries").fetchone()[0]
        self._indexed = True

    @contextmanager
    def changes(self) -> Iterator[None]:
        """Several `put` and `delete` in one transaction (records applied between batches, a registry load)."""
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    def put(self, key: bytes, value: bytes) -> None:
        self._check_loaded()
        replaced = self._db.execute("DELETE FROM entries WHERE key = ?", (key,)).rowcount
        self._db.execute("INSERT INTO entries VALUES (?, ?)", (key, value))
        self._count += 0 if replaced else 1

    def delete(self, key: bytes) -> bool:
        """Remove a key (an erasure); whether it was there."""
        self._check_loaded()
        removed = self._db.execute("DELETE FROM entries WHERE key = ?", (key,)).rowcount > 0
        self._count -= 1 if removed else 0
        return removed

    def get(self, key: bytes) -> bytes | None:
        self._check_loaded()
        row = self._db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def __len__(self) -> int:
        return self._count

    def items(self) -> Iterator[tuple[bytes, bytes]]:
        """Every key and value, one at a time (for `deidstream directory stats` and the benchmark)."""
        self._check_loaded()
        for key, value in self._db.execute("SELECT key, value FROM entries"):
            yield bytes(key), bytes(value)

    def file_bytes(self) -> int:
        """Disk space the copy takes (its file has no name)."""
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        return int(pages) * int(self._db.execute("PRAGMA page_size").fetchone()[0])

    def close(self) -> None:
        """Close the copy, which frees its file: it is rebuilt from the topic at the next start."""
        self._db.close()

    def _check_loaded(self) -> None:
        if not self._indexed:
            raise RuntimeError("the directory store is read and changed only after finish_load")
