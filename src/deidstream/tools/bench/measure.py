"""What every stage reports, and the stopwatch they all time their window with."""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from types import TracebackType
from typing import Self

from deidstream.tools.bench.corpus import Corpus
from deidstream.tools.bench.procinfo import cpu_wait_seconds, peak_rss_mb


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
    second) or idle. `cpu_wait_s` is the time they were ready to run but waited for
    a CPU: other work on the machine, which makes the figures of this run low.
    """

    key: str
    title: str
    processes: int
    messages: int
    chars: int
    seconds: float
    cpu_seconds: float | None
    peak_rss_mb: list[float | None]
    cpu_wait_s: float | None = None
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
            "cpu_per_process": self.cpu_per_process,
            "cpu_wait_per_process": self.cpu_wait_per_process,
        }

    @property
    def cpu_per_process(self) -> float | None:
        return self._per_process(self.cpu_seconds)

    @property
    def cpu_wait_per_process(self) -> float | None:
        return self._per_process(self.cpu_wait_s)

    def _per_process(self, seconds: float | None) -> float | None:
        """Seconds per second of the window and per process."""
        return None if seconds is None else round(seconds / self.seconds / self.processes, 2)


class Window:
    """Wall-clock time, and this process's CPU time and CPU wait, between `with` entry and exit."""

    seconds: float
    cpu_seconds: float
    cpu_wait_s: float | None

    def __enter__(self) -> Self:
        self._wall, self._cpu, self._wait = time.perf_counter(), time.process_time(), cpu_wait_seconds()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.cpu_seconds = time.process_time() - self._cpu
        wait = cpu_wait_seconds()
        self.cpu_wait_s = None if wait is None or self._wait is None else wait - self._wait


def in_process_result(
    key: str,
    title: str,
    corpus: Corpus,
    window: Window,
    details: dict[str, object],
    latency: Latency | None = None,
) -> StageResult:
    """A stage measured inside its own process (a to c): one process, its window and its peak RSS so far."""
    return StageResult(
        key=key,
        title=title,
        processes=1,
        messages=len(corpus.texts),
        chars=corpus.chars,
        seconds=window.seconds,
        cpu_seconds=window.cpu_seconds,
        cpu_wait_s=window.cpu_wait_s,
        peak_rss_mb=[peak_rss_mb()],
        latency=latency,
        details=details,
    )
