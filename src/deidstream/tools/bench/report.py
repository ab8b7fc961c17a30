"""The benchmark's results: the table a person reads, the ratios the acceptance targets are about, and the JSON.

Targets are those of issue 5 for a 2-core machine: the JSON says for each whether
this run met it, so runs can be tracked over time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from deidstream.tools.bench.measure import StageResult
from deidstream.tools.bench.soak import SoakResult

# Stage letters as the issue names them.
LETTERS = {"floor": "a", "presidio": "b", "engine": "c"}
SOAK_TARGET_S = 300.0


class Target(NamedTuple):
    name: str
    value: float | None
    limit: float
    at_least: bool
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return self.value >= self.limit if self.at_least else self.value <= self.limit


@dataclass(frozen=True)
class BenchReport:
    started_at: str
    machine: dict[str, object]
    settings: dict[str, object]
    corpus: dict[str, object]
    stages: list[StageResult]
    soak: SoakResult | None = None

    def stage(self, key: str) -> StageResult | None:
        return next((stage for stage in self.stages if stage.key == key), None)

    @property
    def end_to_end(self) -> list[StageResult]:
        return sorted((stage for stage in self.stages if stage.key.startswith("end_to_end")), key=lambda s: s.processes)

    def ratios(self) -> dict[str, float | None]:
        """Throughput ratios; None where a stage was not run."""
        floor, presidio, engine = self.stage("floor"), self.stage("presidio"), self.stage("engine")
        one = next((stage for stage in self.end_to_end if stage.processes == 1), None)
        many = next((stage for stage in self.end_to_end if stage.processes > 1), None)
        return {
            "engine/presidio (c/b)": _ratio(engine, presidio),
            "engine/floor (c/a)": _ratio(engine, floor),
            "end_to_end_1/floor (d1/a)": _ratio(one, floor),
            "end_to_end_N/(N*floor) (dN/(N*a), per core)": _ratio(many, floor, many.processes if many else 1),
            "end_to_end_N/end_to_end_1 (dN/d1)": _ratio(many, one),
        }

    def targets(self) -> list[Target]:
        ratios = self.ratios()
        many = self.end_to_end[-1] if len(self.end_to_end) > 1 else None
        processes = [stage for stage in self.stages if stage.key == "engine" or stage.key.startswith("end_to_end")]
        rss = [mb for stage in processes for mb in stage.peak_rss_mb if mb is not None]
        ready = [stage.ready_s for stage in self.end_to_end if stage.ready_s is not None]
        soak = self.soak
        return [
            Target("engine at least 2x Presidio as shipped", ratios["engine/presidio (c/b)"], 2.0, True),
            Target("end to end, 1 process, at least 0.8x the floor", ratios["end_to_end_1/floor (d1/a)"], 0.8, True),
            Target(
                f"{many.processes if many else 'N'} processes at least {0.85 * (many.processes if many else 2):.2f}x "
                "1 process",
                ratios["end_to_end_N/end_to_end_1 (dN/d1)"],
                0.85 * (many.processes if many else 2),
                True,
            ),
            Target("peak RSS per process (MB, engine and end to end)", max(rss, default=None), 600.0, False),
            Target("ready after start (s, end to end)", max(ready, default=None), 10.0, False),
            Target(
                "soak RSS growth (%)",
                soak.growth_pct if soak else None,
                5.0,
                False,
                ""
                if soak is None or soak.seconds >= SOAK_TARGET_S
                else f"soak of {soak.seconds:.0f} s, target is 300 s",
            ),
        ]

    def to_json(self) -> dict[str, object]:
        return {
            "started_at": self.started_at,
            "machine": self.machine,
            "settings": self.settings,
            "corpus": self.corpus,
            "stages": [stage.to_json() for stage in self.stages],
            "ratios": {name: None if value is None else round(value, 3) for name, value in self.ratios().items()},
            "targets": [{**target._asdict(), "met": target.met} for target in self.targets()],
            "soak": self.soak.to_json() if self.soak else None,
        }


def _ratio(numerator: StageResult | None, denominator: StageResult | None, per: int = 1) -> float | None:
    if numerator is None or denominator is None:
        return None
    return numerator.kchar_per_s / (denominator.kchar_per_s * per)


def format_report(report: BenchReport) -> str:
    corpus = report.corpus
    load = report.machine.get("load_average")
    header = (
        f"corpus: {corpus['messages']} messages, {corpus['chars']} chars (mean {corpus['mean_chars']}), "
        f"{corpus['source']}; model {report.settings['model']}; {report.machine['cpus']} CPUs, "
        f"load average {load} at start"
    )
    columns = (
        f"{'':2} {'stage':52} {'proc':>4} {'msg/s':>8} {'kchar/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'peak RSS MB':>11} {'ready s':>8} {'CPU/proc':>8} {'wait/proc':>9}"
    )
    lines = [header, "", columns]
    for stage in report.stages:
        latency = stage.latency
        p50, p95, p99 = (latency.p50_ms, latency.p95_ms, latency.p99_ms) if latency else (None, None, None)
        rss = max((mb for mb in stage.peak_rss_mb if mb is not None), default=None)
        lines.append(
            f"{LETTERS.get(stage.key, 'd'):2} {stage.title:52} {stage.processes:>4} {stage.messages_per_s:>8.1f} "
            f"{stage.kchar_per_s:>8.1f} {_cell(p50)} {_cell(p95)} {_cell(p99)} {_cell(rss, 11)} "
            f"{_cell(stage.ready_s, 8, '.1f')} {_cell(stage.cpu_per_process, 8, '.2f')} "
            f"{_cell(stage.cpu_wait_per_process, 9, '.2f')}"
        )
    lines += ["", "latency of:"]
    lines += [f"  {LETTERS.get(s.key, 'd')} {s.latency.of}" for s in report.stages if s.latency is not None]
    lines += [
        "",
        "CPU/proc: CPU seconds per second and process in the window (1.00: busy all the time);",
        "wait/proc: seconds per second a process was ready but waited for a CPU (other work on the machine).",
        "",
        "ratios (kchar/s):",
    ]
    lines += [f"  {name:48} {_cell(value, 6, '.2f')}" for name, value in report.ratios().items()]
    if report.soak is not None:
        soak = report.soak
        lines += [
            "",
            (
                f"soak: {soak.seconds:.0f} s after {soak.warm_up_s:.0f} s of warm-up, {soak.messages} messages, "
                f"{'fresh' if soak.fresh_texts else 'repeated'} texts; RSS {soak.rss_start_mb} -> {soak.rss_end_mb} MB "
                f"({soak.growth_pct:+.1f} %; medians of the first and last 30 s), peak {soak.peak_rss_mb} MB"
            ),
        ]
    lines += ["", "targets (issue 5, 2-core machine):"]
    for target in report.targets():
        verdict = {True: "met", False: "NOT MET", None: "not measured"}[target.met]
        bound = f"{'>=' if target.at_least else '<='} {target.limit:g}"
        value = _cell(target.value, 8, ".2f")
        lines.append(
            f"  {target.name:56} {value} {bound:>8}  {verdict}{'  (' + target.note + ')' if target.note else ''}"
        )
    return "\n".join(lines)


def _cell(value: float | None, width: int = 8, spec: str = ".1f") -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}{spec}}"
