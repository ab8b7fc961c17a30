"""Runs the stages in order on one corpus and collects a `BenchReport`, saying on stderr what it is doing."""

from __future__ import annotations

import os
import platform
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib.metadata import version

from deidstream import __version__
from deidstream.config import Settings
from deidstream.tools.bench.corpus import Corpus
from deidstream.tools.bench.end_to_end import WorkerOptions, measure_end_to_end
from deidstream.tools.bench.engine_batches import measure_engine
from deidstream.tools.bench.floor import measure_floor
from deidstream.tools.bench.isolated import run_isolated
from deidstream.tools.bench.measure import StageResult
from deidstream.tools.bench.presidio_shipped import measure_presidio
from deidstream.tools.bench.report import BenchReport
from deidstream.tools.bench.soak import soak_engine

IN_PROCESS_STAGES = {"floor": measure_floor, "presidio": measure_presidio, "engine": measure_engine}
STAGES = (*IN_PROCESS_STAGES, "end-to-end")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BenchOptions:
    settings: Settings
    processes: int
    stages: tuple[str, ...] = STAGES
    soak_s: float = 0.0
    worker: WorkerOptions = field(default_factory=WorkerOptions)


def run_bench(corpus: Corpus, options: BenchOptions, progress: Progress) -> BenchReport:
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    machine = _machine()
    results: list[StageResult] = []
    for name, stage in IN_PROCESS_STAGES.items():
        if name in options.stages:
            progress(f"{name}: starting a fresh process")
            result, ready_s = run_isolated(stage, corpus, options.settings)
            results.append(replace(result, ready_s=ready_s))
            progress(f"{name}: {_summary(results[-1])}")
    if "end-to-end" in options.stages:
        results += _end_to_end(corpus, options, progress)
    soak = None
    if options.soak_s > 0:
        progress(f"soak: the engine for {options.soak_s:.0f} s after a warm-up of a pass and a minute")
        soak, _ready_s = run_isolated(soak_engine, corpus, options.settings, options.soak_s)
        progress(f"soak: RSS {soak.rss_start_mb} -> {soak.rss_end_mb} MB ({soak.growth_pct:+.1f} %)")
    machine["load_average_at_end"] = _load_average()
    return BenchReport(started_at, machine, _settings(options), corpus.describe(), results, soak)


def _prefixed(progress: Progress, name: str) -> Progress:
    """Progress lines of one stage, each starting with its name."""
    return lambda line: progress(f"{name}: {line}")


def _end_to_end(corpus: Corpus, options: BenchOptions, progress: Progress) -> list[StageResult]:
    """One process, then N; the raw topic has N partitions both times."""
    results = []
    for processes in sorted({1, options.processes}):
        name = f"end to end ({processes} process{'es' if processes > 1 else ''})"
        progress(f"{name}: starting deidstream run on an embedded broker")
        result = measure_end_to_end(corpus, processes, options.processes, options.worker, _prefixed(progress, name))
        results.append(result)
        progress(f"{name}: {_summary(result)}")
    return results


def _summary(result: StageResult) -> str:
    ready = f", ready after {result.ready_s:.1f} s" if result.ready_s is not None else ""
    return (
        f"{result.messages} messages in {result.seconds:.1f} s: {result.messages_per_s:.1f} msg/s, "
        f"{result.kchar_per_s:.1f} kchar/s{ready}"
    )


def _settings(options: BenchOptions) -> dict[str, object]:
    """What the results depend on; Kafka client settings are left out (they may hold credentials)."""
    settings = options.settings
    return {
        **settings.engine.model_dump(),
        "batch_max_messages": settings.batch_max_messages,
        "batch_max_wait_s": settings.batch_max_wait_s,
        "processes": options.processes,
        "config_file": str(options.worker.config_file) if options.worker.config_file else None,
    }


def _machine() -> dict[str, object]:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": _load_average(),
        "deidstream": __version__,
        "spacy": version("spacy"),
        "presidio_analyzer": version("presidio-analyzer"),
        "confluent_kafka": version("confluent-kafka"),
    }


def _load_average() -> list[float] | None:
    """The machine's 1, 5 and 15 minute load: a busy machine gives lower, noisier figures."""
    try:
        return [round(load, 2) for load in os.getloadavg()]
    except OSError:
        return None
