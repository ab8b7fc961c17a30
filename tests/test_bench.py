"""`deidstream bench`: corpora, percentiles, ratios and targets, and that a short run reports every figure.

Nothing here asserts a speed: timings belong in the benchmark's output, not in pass/fail tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from deidstream.tools.bench.corpus import file_corpus, generated_corpus
from deidstream.tools.bench.measure import Latency, StageResult
from deidstream.tools.bench.report import BenchReport, format_report
from deidstream.tools.bench.soak import SoakResult

STAGE_FIELDS = {"key", "title", "processes", "messages", "chars", "seconds", "messages_per_s", "kchar_per_s"}


def _stage(key: str, kchar_per_s: float, processes: int = 1, rss: float = 300.0, ready: float = 2.0) -> StageResult:
    chars = int(kchar_per_s * 1000 * 10)
    return StageResult(key, key, processes, 100, chars, 10.0, 9.5, [rss], cpu_wait_s=0.1, ready_s=ready)


def _report(soak: SoakResult | None = None) -> BenchReport:
    stages = [
        _stage("floor", 40.0),
        _stage("presidio", 20.0),
        _stage("engine", 42.0),
        _stage("end_to_end_2", 70.0, processes=2, rss=640.0),
        _stage("end_to_end_1", 38.0, ready=12.0),
    ]
    corpus = {"source": "generated", "messages": 100, "chars": 400000, "mean_chars": 4000}
    machine = {"cpus": 2, "load_average": [0.1, 0.1, 0.1]}
    return BenchReport("2026-01-01T00:00:00+00:00", machine, {"model": "m"}, corpus, stages, soak)


def test_percentiles_are_observed_values_by_nearest_rank() -> None:
    latency = Latency.of_samples("message", [i / 1000 for i in range(1, 101)])
    assert (latency.count, latency.p50_ms, latency.p95_ms, latency.p99_ms) == (100, 50.0, 95.0, 99.0)
    assert Latency.of_samples("batch", [0.2]).p99_ms == 200.0


def test_ratios_and_targets_use_kchar_per_second() -> None:
    report = _report()
    ratios = report.ratios()
    assert ratios["engine/presidio (c/b)"] == pytest.approx(2.1)
    assert ratios["end_to_end_1/floor (d1/a)"] == pytest.approx(0.95)
    assert ratios["end_to_end_N/end_to_end_1 (dN/d1)"] == pytest.approx(70 / 38)
    assert ratios["end_to_end_N/(N*floor) (dN/(N*a), per core)"] == pytest.approx(70 / 80)
    met = {target.name: target.met for target in report.targets()}
    assert met == {
        "engine at least 2x Presidio as shipped": True,
        "end to end, 1 process, at least 0.8x the floor": True,
        "2 processes at least 1.70x 1 process": True,
        "peak RSS per process (MB, engine and end to end)": False,
        "ready after start (s, end to end)": False,
        "soak RSS growth (%)": None,
    }


def test_a_short_soak_is_reported_but_flagged() -> None:
    soak = SoakResult(60.0, 61.0, 500, 3, True, 300.0, 306.0, 310.0, [(0.0, 300.0), (60.0, 306.0)])
    report = _report(soak)
    target = report.targets()[-1]
    assert soak.growth_pct == 2.0 and target.met is True and "300 s" in target.note
    assert "RSS 300.0 -> 306.0 MB (+2.0 %;" in format_report(report)


def test_table_lists_every_stage_with_its_letter_and_the_verdicts() -> None:
    table = format_report(_report())
    rows = [line for line in table.splitlines() if line[:2].strip() in {"a", "b", "c", "d"}]
    assert [row[0] for row in rows] == ["a", "b", "c", "d", "d"]
    assert "NOT MET" in table and "not measured" in table
    json.dumps(_report().to_json())  # every figure is JSON-serialisable


def test_generated_corpus_is_deterministic_and_soak_rounds_are_fresh() -> None:
    corpus = generated_corpus(3, seed=4, min_chars=0)
    assert corpus.texts == generated_corpus(3, seed=4, min_chars=0).texts
    assert corpus.round(0) == corpus.texts and corpus.round(1) != corpus.texts and len(corpus.round(1)) == 3
    assert corpus.describe()["messages"] == 3 and corpus.chars == sum(map(len, corpus.texts))


def test_file_corpus_reads_text_fields_and_names_the_bad_line(tmp_path: Path) -> None:
    good = tmp_path / "texts.jsonl"
    good.write_text('{"id": 1, "text": "one"}\n\n{"text": "two"}\n{"text": "three"}\n', encoding="utf-8")
    corpus = file_corpus(good, limit=2)
    assert corpus.texts == ["one", "two"] and corpus.round(5) == corpus.texts
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "one"}\n{"body": "two"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        file_corpus(bad, limit=None)


def _bench(tmp_path: Path, *arguments: str) -> dict:
    output = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "deidstream", "bench", "--count", "4", "--output", str(output), *arguments],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "bench: " in result.stderr, "progress goes to stderr, stage by stage"
    assert "targets (issue 5" in result.stdout
    return json.loads(output.read_text(encoding="utf-8"))


def test_in_process_stages_report_throughput_memory_and_start_up(tmp_path: Path) -> None:
    report = _bench(tmp_path, "--only", "floor", "--only", "engine")
    stages = {stage["key"]: stage for stage in report["stages"]}
    assert set(stages) == {"floor", "engine"}
    for stage in stages.values():
        assert set(stage) >= STAGE_FIELDS and stage["messages"] == 4
        assert stage["ready_s"] > 0 and stage["peak_rss_mb"][0] > 0
    assert stages["engine"]["latency"]["of"].startswith("batch")
    assert report["ratios"]["engine/floor (c/a)"] > 0 and report["corpus"]["messages"] == 4


@pytest.mark.integration
def test_end_to_end_stage_gets_every_message_back_once(tmp_path: Path) -> None:
    report = _bench(tmp_path, "--only", "end-to-end", "--processes", "1")
    (stage,) = report["stages"]
    assert stage["key"] == "end_to_end_1" and stage["messages"] == 4
    assert stage["details"]["duplicates"] == 0 and stage["details"]["quarantined"] == 0
    assert stage["ready_s"] > 0 and stage["latency"]["count"] == 4
    assert len(stage["peak_rss_mb"]) == 2, "the supervisor and its one worker"
