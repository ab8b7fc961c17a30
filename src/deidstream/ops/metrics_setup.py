"""Where the worker processes write their metric files; kept apart from `metrics` because prometheus-client
reads `PROMETHEUS_MULTIPROC_DIR` once, when it is first imported."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry


@contextmanager
def multiprocess_directory() -> Iterator[str]:
    """A fresh directory for this process tree's metric files, removed afterwards (no stale series at restart)."""
    directory = tempfile.mkdtemp(prefix="deidstream-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def workers_registry() -> CollectorRegistry:
    """The worker processes' metrics, read from their files: what /metrics serves and the status line sums."""
    from prometheus_client import CollectorRegistry, multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # unannotated in prometheus-client
    return registry
