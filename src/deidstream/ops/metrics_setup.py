"""Where the worker processes write their metric files; kept apart from `metrics` because prometheus-client
reads `PROMETHEUS_MULTIPROC_DIR` once, when it is first imported."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def multiprocess_directory() -> Iterator[str]:
    """A fresh directory for this process tree's metric files, removed afterwards (no stale series at restart)."""
    directory = tempfile.mkdtemp(prefix="deidstream-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)
