"""What every stage reports, and the stopwatch they all time their window with."""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from types import TracebackType
from typing import Self


@dataclass(frozen=True)
class Latency:
    """Percentiles of one kind of latency, in milliseconds; `of` says what was timed."""

    of: str
    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @classmethod
    def of_samples(cls, of: str, seconds: list[float]) -> Latency:
        ordered = sorted(seconds)
        return cls(of, len(ordered), *(round(_percentile(ordered, q) * 1000, 1) for q in (50, 95, 99)))


def _percentile(ordered: list[float], percent: float) -> float:
    """Nearest-rank percentile: a value that was actually observed."""
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


@dataclass(frozen=True)
class StageResult:
    """One measured stage. Throughput counts only `seconds`, the window after start-up and warm-up.

    `cpu_seconds` is the CPU time the measured processes used in that window: with
    `seconds` it shows whether they were busy (one fully busy process: 1.0 per
    second) or waiting.
    """

    key: str
    title: str
    processes: int
    messages: int
    chars: int
    seconds: float
    cpu_seconds: float | None
    peak_rss_mb: list[float | None]
    ready_s: float | None = None
    latency: Latency | None = None
    details: dict[str, object] = field(default_factory=dict)

    @property
    def messages_per_s(self) -> float:
        return self.messages / self.seconds

    @property
    def kchar_per_s(self) -> float:
        return self.chars / self.seconds / 1000

    def to_json(self) -> dict[str, object]:
        return {
            **asdict(self),
            "messages_per_s": round(self.messages_per_s, 2),
            "kchar_per_s": round(self.kchar_per_s, 2),
            "cpu_per_process": round(self.cpu_seconds / self.seconds / self.processes, 2)
            if self.cpu_seconds is not None
            else None,
        }


class Window:
    """Wall-clock and this process's CPU time between `with` entry and exit."""

    seconds: float
    cpu_seconds: float

    def __enter__(self) -> Self:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.cpu_seconds = time.process_time() - self._cpu
