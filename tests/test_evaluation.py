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
from deidstream.detection.engine import Engine
from deidstream.tools.evaluation import (
    GoldDocument,
    GoldSpan,
    PredictedSpan,
    Report,
    format_report,
    load_gold,
    score,
    wilson_interval,
)

SYNTHETIC_SET = REPO_ROOT / "tests" / "data" / "synthetic-reports.jsonl"
# Beside the repository: /work/shared/... for /work/main, ../shared/... for a clone.
PHYSIONET_DEV = Path(
    os.environ.get(
        "DEIDSTREAM_PHYSIONET_DIR", Path(__file__).resolve().parents[2] / "shared" / "corpora" / "physionet-deid-dev"
    )
)
needs_physionet = pytest.mark.skipif(not PHYSIONET_DEV.is_dir(), reason="PhysioNet deid dev corpus not present")
ASQ_VALIDATION = PHYSIONET_DEV.parent / "asq-phi-validation" / "queries.jsonl"

NOTE = "Dr. John Smith saw Mary on 7/22."
JOHN_SMITH, MARY, DATE = (
    GoldSpan(4, 14, "PERSON", "HCPName"),
    GoldSpan(19, 23, "PERSON", "PTName"),
    GoldSpan(27, 31, "DATE_TIME", "Date"),
)


def _score_note(*predicted: PredictedSpan) -> Report:
    return score([GoldDocument("d", NOTE, [JOHN_SMITH, MARY, DATE])], [list(predicted)])


def _counts(report: Report, rule: str) -> tuple[int, int, int, int]:
    tally = report.overall[rule]
    return tally.gold, tally.found, tally.predicted, tally.correct


def test_overlap_rule_finds_a_partial_hit_that_the_strict_rule_does_not() -> None:
    report = _score_note(
        PredictedSpan(9, 14, "PERSON"), PredictedSpan(27, 31, "DATE_TIME"), PredictedSpan(0, 2, "PERSON")
    )

    assert _counts(report, "overlap") == (3, 2, 3, 2)
    assert _counts(report, "strict") == (3, 1, 3, 1), "`Smith` overlaps but does not cover `John Smith`"
    overlap = report.overall["overlap"]
    assert overlap.recall == pytest.approx(2 / 3) and overlap.precision == pytest.approx(2 / 3)
    assert overlap.f2 == pytest.approx(2 / 3)
    assert report.misses[0].span == MARY and report.misses[0].document_id == "d"
    assert [miss.context for miss in report.misses] == ["Dr. John Smith saw [[Mary]] on 7/22."]
    assert [alarm.context for alarm in report.false_alarms] == ["[[Dr]]. John Smith saw Mary on 7/22."]


def test_strict_rule_accepts_a_covering_prediction_and_any_type() -> None:
    report = _score_note(PredictedSpan(0, 14, "PERSON"), PredictedSpan(18, 31, "LOCATION"))

    assert _counts(report, "strict") == (3, 3, 2, 2), "one prediction may cover several gold spans, whatever its type"
    assert _counts(report, "overlap") == (3, 3, 2, 2)


def test_adjacent_spans_do_not_overlap_because_ends_are_exclusive() -> None:
    report = _score_note(PredictedSpan(0, 4, "PERSON"), PredictedSpan(14, 19, "PERSON"))

    assert _counts(report, "overlap") == (3, 0, 2, 0)
    assert len(report.misses) == 3 and len(report.false_alarms) == 2


def test_per_type_recall_uses_both_vocabularies_and_precision_the_predicted_type() -> None:
    report = _score_note(
        PredictedSpan(4, 10, "PERSON"), PredictedSpan(27, 31, "PHONE_NUMBER"), PredictedSpan(0, 2, "ID")
    )

    assert report.gold_types["PERSON"]["overlap"].recall == 0.5 and report.gold_types["PERSON"]["strict"].recall == 0.0
    assert (
        report.source_types["HCPName"]["overlap"].recall == 1.0
        and report.source_types["PTName"]["overlap"].recall == 0.0
    )
    assert report.gold_types["DATE_TIME"]["strict"].recall == 1.0, "a date masked as a phone number is still masked"
    assert report.predicted_types["ID"]["overlap"].precision == 0.0
    assert (
        report.predicted_types["PERSON"]["strict"].precision == 0.0
        and report.predicted_types["PERSON"]["overlap"].precision == 1.0
    )


def test_no_predictions_is_perfect_precision_and_zero_recall() -> None:
    report = _score_note()
    for rule in ("overlap", "strict"):
        tally = report.overall[rule]
        assert (tally.recall, tally.precision, tally.f2) == (0.0, 1.0, 0.0)
    assert report.false_alarms == [] and len(report.misses) == 3


def test_nothing_to_find_and_nothing_predicted_never_divide_by_zero() -> None:
    report = score([GoldDocument("empty", "No PHI here.", [])], [[]])
    tally = report.overall["overlap"]
    assert (tally.recall, tally.precision, tally.f2) == (1.0, 1.0, 1.0)
    assert score([], []).overall["strict"].f2 == 1.0


def test_predictions_must_line_up_with_documents() -> None:
    with pytest.raises(ValueError, match="1 gold documents but 2 prediction lists"):
        score([GoldDocument("d", NOTE, [])], [[], []])


def test_report_shows_both_rules_per_type_and_phi_only_when_asked() -> None:
    report = _score_note(PredictedSpan(9, 14, "PERSON"), PredictedSpan(0, 2, "ID"))

    table = format_report(report)
    assert "overlap rule" in table and "strict rule" in table
    for name in ("all PHI", "PERSON", "HCPName", "PTName", "ID"):
        assert name in table
    assert "Mary" not in table and "missed" not in table

    listing = format_report(report, show_misses=1)
    assert "missed gold spans (2), first 1:" in listing and "[[Mary]]" in listing and "PTName" in listing
    assert "false alarms (1), first 1:" in listing and "[[Dr]]" in listing


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [(0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634), (10, 10, 0.7225, 1.0), (81, 100, 0.7222, 0.8749)],
)
def test_wilson_interval_matches_published_values(successes: int, trials: int, low: float, high: float) -> None:
    assert wilson_interval(successes, trials) == (pytest.approx(low, abs=1e-4), pytest.approx(high, abs=1e-4))


def test_wilson_interval_of_nothing_is_everything_and_impossible_counts_are_refused() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError, match="0 <= successes <= trials"):
        wilson_interval(3, 2)


def test_report_gives_counts_and_intervals_per_type() -> None:
    table = format_report(_score_note(PredictedSpan(9, 14, "PERSON"), PredictedSpan(0, 2, "ID")))
    intervals = table[table.index("95% Wilson intervals") :].splitlines()
    person = next(line for line in intervals if line.strip().startswith("PERSON")).split()
    assert person[:4] == ["PERSON", "1", "2", "0.500"], "found, gold, recall of PERSON spans"
    assert person[6:9] == ["1", "1", "1.000"], "correct, predicted, precision of PERSON predictions"
    identifier = next(line for line in intervals if line.strip().startswith("ID")).split()
    assert identifier[:3] == ["ID", "0", "0"] and identifier[6:9] == ["0", "1", "0.000"]


def test_context_is_one_line_and_clipped_to_thirty_characters() -> None:
    text = "x" * 40 + "\nJohn\n" + "y" * 40
    report = score([GoldDocument("d", text, [GoldSpan(41, 45, "PERSON")])], [[]])
    assert report.misses[0].context == "x" * 29 + "⏎[[John]]⏎" + "y" * 29


def test_jsonl_round_trip(tmp_path: Path) -> None:
    documents = [
        GoldDocument("1", "Call 410-555-1234", [GoldSpan(5, 17, "PHONE_NUMBER")]),
        GoldDocument("2", "Nothing here.", []),
    ]
    path = tmp_path / "gold.jsonl"
    lines = [
        json.dumps({"id": d.id, "text": d.text, "phi": [[s.start, s.end, s.type] for s in d.phi]}) for d in documents
    ]
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")

    assert load_gold(path) == documents


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": 1, "text": "x"}', r"gold.jsonl:1: expected .*missing 'phi'"),
        ("not json", r"gold.jsonl:1: expected .*JSONDecodeError"),
        ('{"id": 1, "text": "x", "phi": [[0, 1]]}', r"gold.jsonl:1: expected .*ValueError"),
        (
            '{"id": 1, "text": "abc", "phi": [[2, 4, "ID"]]}',
            r"gold.jsonl:1: span 2-4 is not inside the 3-character text",
        ),
        ('{"id": 1, "text": 5, "phi": []}', r"text is not a string"),
    ],
)
def test_jsonl_errors_say_what_was_expected(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_gold(path)


def test_load_gold_rejects_what_it_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        load_gold(tmp_path / "missing.jsonl")
    with pytest.raises(ValueError, match="folder without notes.text"):
        load_gold(tmp_path)
    (tmp_path / "gold.json").write_text("[]")
    with pytest.raises(ValueError, match="expected a PhysioNet deid folder or a .jsonl file"):
        load_gold(tmp_path / "gold.json")
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(ValueError, match="no documents"):
        load_gold(tmp_path / "empty.jsonl")


def _write_physionet(folder: Path, phi: str, phrases: str) -> Path:
    """Two notes the way the real corpus lays them out, latin-1 and all."""
    notes = (
        "START_OF_RECORD=1||||1||||\nPt seen by Dr. Müller.\nDaughter Ann called 7/22.\n\n||||END_OF_RECORD\n"
        "START_OF_RECORD=1||||2||||\nNo events.\n\n||||END_OF_RECORD\n"
    )
    (folder / "notes.text").write_text(notes, encoding="latin-1")
    (folder / "gold.phi").write_text(phi, encoding="latin-1")
    (folder / "gold-phi.phrase").write_text(phrases, encoding="latin-1")
    return folder


def test_physionet_offsets_start_after_the_header_newline_and_count_newlines(tmp_path: Path) -> None:
    phi = "Patient 1\tNote 1\n15\t15\t21\n32\t32\t35\n43\t43\t47\nPatient 1\tNote 2\n"
    phrases = "1 1 15 21 HCPName Müller\n1 1 32 35 RelativeProxyName Ann\n1 1 43 47 Date 7/22\n"

    first, second = load_gold(_write_physionet(tmp_path, phi, phrases))

    assert [first.text[s.start : s.end] for s in first.phi] == ["Müller", "Ann", "7/22"]
    assert [(s.type, s.source_type) for s in first.phi] == [
        ("PERSON", "HCPName"),
        ("PERSON", "RelativeProxyName"),
        ("DATE_TIME", "Date"),
    ]
    assert (first.id, second.id, second.text, second.phi) == ("1-1", "1-2", "No events.\n\n", [])


@pytest.mark.parametrize(
    ("phi", "phrases", "message"),
    [
        ("Patient 1\tNote 1\n15\t15\t21\n", "", r"span 15-21 of note \('1', '1'\) has no line in gold-phi.phrase"),
        ("Patient 1\tNote 1\n", "1 1 15 21 HCPName Müller\n", r"spans \[\('1', '1', 15, 21\)\] are not in gold.phi"),
        ("Patient 1\tNote 1\n15\t15\t21\n", "1 1 15 21 Doctor Müller\n", r"gold-phi.phrase:1: expected .* HCPName"),
        ("15\t15\t21\n", "", r"gold.phi:1: expected 'Patient <p>"),
        ("Patient 9\tNote 1\n", "", r"notes \[\('9', '1'\)\] are not in notes.text"),
        ("Patient 1\tNote 2\n10\t10\t20\n", "1 2 10 20 Other x\n", r"span 10-20 is not inside the 12-character text"),
    ],
)
def test_physionet_files_that_disagree_are_refused(tmp_path: Path, phi: str, phrases: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_gold(_write_physionet(tmp_path, phi, phrases))


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
def test_physionet_dev_corpus_loads_with_every_span_exactly_on_its_phrase() -> None:
    documents = load_gold(PHYSIONET_DEV)

    assert len(documents) == 1450 and sum(len(d.phi) for d in documents) == 999, "the counts in its README"
    phrases = {}
    for line in (PHYSIONET_DEV / "gold-phi.phrase").read_text(encoding="latin-1").splitlines():
        patient, note, start, end, source_type, phrase = line.split(" ", 5)
        phrases[(f"{patient}-{note}", int(start), int(end))] = (source_type, phrase)
    loaded = {(d.id, s.start, s.end): (s.source_type, d.text[s.start : s.end]) for d in documents for s in d.phi}
    assert loaded == phrases
    first = documents[0]
    assert (first.id, first.phi[0]) == ("1-1", GoldSpan(48, 55, "LOCATION", "Location"))
    assert first.text.startswith("O: 58 YEAR OLD FEMALE") and first.text.endswith("\n\n")


@needs_physionet
def test_physionet_quality_does_not_regress(engine: Engine) -> None:
    """A floor under what the recognizers reach today, so tuning for one corpus cannot silently cost the other."""
    overlap = _overall(engine, load_gold(PHYSIONET_DEV)).overall["overlap"]
    assert overlap.recall >= 0.885 and overlap.precision >= 0.86, (overlap.recall, overlap.precision)


@pytest.mark.skipif(not ASQ_VALIDATION.is_file(), reason="ASQ-PHI validation set not present")
def test_validation_set_quality(engine: Engine) -> None:
    """Aggregate figures only: a floor under the validation set's scores, never a rule from one of its questions."""
    report = _overall(engine, load_gold(ASQ_VALIDATION))
    overlap, names = report.overall["overlap"], report.gold_types["PERSON"]["overlap"]
    assert overlap.recall >= 0.95 and overlap.precision >= 0.90 and names.recall >= 0.98, (overlap, names)


def test_asq_spans_load_with_deidstream_types_and_keep_their_own(tmp_path: Path) -> None:
    gold = tmp_path / "asq.jsonl"
    line = {"id": "q1", "text": "Can Ana K. take it?", "spans": [{"start": 4, "end": 10, "type": "NAME"}]}
    gold.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert load_gold(gold)[0].phi == [GoldSpan(4, 10, "PERSON", "NAME")]


def test_eval_command_prints_both_rules_and_warns_about_phi_in_help() -> None:
    help_text = CliRunner().invoke(main, ["eval", "--help"]).output
    assert "CONTAIN PHI" in help_text
    result = CliRunner().invoke(main, ["eval", str(SYNTHETIC_SET), "--show-misses", "2"])
    assert result.exit_code == 0, result.output
    assert "overlap rule" in result.output and "strict rule" in result.output
    assert "PERSON" in result.output and "false alarms" in result.output
    assert "gold found" in result.output and "gold dropped" in result.output, "the per-recognizer and per-veto counts"
