"""Scoring rules, gold loaders, and the detection quality the engine must keep on both gold sets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO_ROOT
from deidstream.cli import main
from deidstream.engine import Engine
from deidstream.evaluation import GoldDocument, GoldSpan, PredictedSpan, load_gold, score

SYNTHETIC_SET = REPO_ROOT / "tests" / "data" / "synthetic-reports.jsonl"
PHYSIONET_DEV = Path(
    os.environ.get("DEIDSTREAM_PHYSIONET_DIR", REPO_ROOT.parent / "shared" / "corpora" / "physionet-deid-dev")
)
needs_physionet = pytest.mark.skipif(not PHYSIONET_DEV.is_dir(), reason="PhysioNet deid dev corpus not present")


def test_overlap_and_strict_rules() -> None:
    document = GoldDocument("d", "Dr. John Smith saw Mary on 7/22.", [GoldSpan(4, 14, "PERSON"), GoldSpan(19, 23, "PERSON"), GoldSpan(27, 31, "DATE_TIME")])
    predicted = [PredictedSpan(9, 14, "PERSON"), PredictedSpan(27, 31, "DATE_TIME"), PredictedSpan(0, 2, "PERSON")]

    report = score([document], [predicted])

    overlap, strict = report.overall["overlap"], report.overall["strict"]
    assert (overlap.gold, overlap.found, overlap.predicted, overlap.correct) == (3, 2, 3, 2)
    assert (strict.found, strict.correct) == (1, 1), "`Smith` overlaps but does not cover `John Smith`"
    assert overlap.recall == pytest.approx(2 / 3) and overlap.precision == pytest.approx(2 / 3)
    assert report.gold_types["PERSON"]["overlap"].recall == 0.5
    assert [example.context for example in report.misses] == ["Dr. John Smith saw [[Mary]] on 7/22."]
    assert "[[Dr]]" in report.false_alarms[0].context


def test_nothing_to_find_and_nothing_predicted_never_divide_by_zero() -> None:
    report = score([GoldDocument("empty", "No PHI here.", [])], [[]])
    assert report.overall["overlap"].recall == 1.0 and report.overall["overlap"].precision == 1.0


def test_jsonl_round_trip_and_clear_errors(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": 1, "text": "Call 410-555-1234", "phi": [[5, 17, "PHONE_NUMBER"]]}) + "\n")
    assert load_gold(path) == [GoldDocument("1", "Call 410-555-1234", [GoldSpan(5, 17, "PHONE_NUMBER", "PHONE_NUMBER")])]
    path.write_text('{"id": 1, "text": "x"}\n')
    with pytest.raises(ValueError, match=r"gold.jsonl:1: expected"):
        load_gold(path)


def test_shipped_synthetic_set_is_the_generators_output() -> None:
    generated = subprocess.run(
        [sys.executable, "-m", "deidstream", "generate", "--count", "120", "--seed", "2026"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert generated == SYNTHETIC_SET.read_text(encoding="utf-8"), (
        "regenerate: deidstream generate --count 120 --seed 2026 > tests/data/synthetic-reports.jsonl"
    )


def _overall(engine: Engine, documents: list[GoldDocument]):
    found = engine.analyze_batch([document.text for document in documents])
    return score(documents, [[PredictedSpan(e.start, e.end, e.type) for e in entities] for entities in found])


def test_synthetic_set_quality(engine: Engine) -> None:
    overlap = _overall(engine, load_gold(SYNTHETIC_SET)).overall["overlap"]
    assert overlap.recall >= 0.99 and overlap.precision >= 0.95, (overlap.recall, overlap.precision)


@needs_physionet
def test_physionet_corpus_loads_with_every_span_on_its_phrase() -> None:
    documents = load_gold(PHYSIONET_DEV)
    assert len(documents) == 1450 and sum(len(d.phi) for d in documents) == 999
    phrases = (PHYSIONET_DEV / "gold-phi.phrase").read_text(encoding="latin-1").splitlines()
    by_position = {tuple(line.split(" ", 5)[:4]): line.split(" ", 5)[5] for line in phrases}
    mismatched = [
        (document.id, span)
        for document in documents
        for span in document.phi
        if document.text[span.start : span.end].strip() != by_position[(*document.id.split("-"), str(span.start), str(span.end))].strip()
    ]
    assert len(mismatched) <= 3, "the corpus' own phrase file disagrees with its offsets in three places"


@needs_physionet
def test_physionet_quality_does_not_regress(engine: Engine) -> None:
    """A floor under what the recognizers reach today, so tuning for one corpus cannot silently cost the other."""
    overlap = _overall(engine, load_gold(PHYSIONET_DEV)).overall["overlap"]
    assert overlap.recall >= 0.87 and overlap.precision >= 0.82, (overlap.recall, overlap.precision)


def test_eval_command_prints_both_rules_and_warns_about_phi_in_help() -> None:
    help_text = CliRunner().invoke(main, ["eval", "--help"]).output
    assert "CONTAIN PHI" in help_text
    result = CliRunner().invoke(main, ["eval", str(SYNTHETIC_SET), "--show-misses", "2"])
    assert result.exit_code == 0, result.output
    assert "overlap rule" in result.output and "strict rule" in result.output
    assert "PERSON" in result.output and "false alarms" in result.output
