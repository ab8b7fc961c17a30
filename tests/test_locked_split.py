"""The locked split: whole patients, a third of them, by a rule anyone can recompute; eval and training obey it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from deidstream.cli import main
from deidstream.tools import locked_split
from deidstream.tools.evaluation import GoldDocument, GoldSpan, load_gold
from deidstream.tools.training.__main__ import main as train_main
from test_evaluation import PHYSIONET_DEV, SYNTHETIC_SET, needs_physionet

# Invented patient numbers on each side of the rule, pinned so a changed rule (which would unlock notes that
# were locked) cannot pass unnoticed.
LOCKED_PATIENTS = ("15", "16", "18", "19", "22")
TRAINING_PATIENTS = ("1", "2", "3", "14", "17")


def test_the_rule_is_a_hash_of_the_patient_number_that_anyone_can_recompute() -> None:
    for patient in LOCKED_PATIENTS + TRAINING_PATIENTS:
        digest = hashlib.sha256(f"deidstream-locked-split/{patient}".encode()).hexdigest()
        assert locked_split.is_locked_patient(patient) == (int(digest, 16) % 3 == 0)
    assert all(locked_split.is_locked(f"{patient}-7") for patient in LOCKED_PATIENTS)
    assert not any(locked_split.is_locked(f"{patient}-7") for patient in TRAINING_PATIENTS)


def test_about_a_third_of_patients_are_locked_and_every_note_of_one_patient_on_the_same_side() -> None:
    patients = [str(number) for number in range(1, 601)]
    share = sum(map(locked_split.is_locked_patient, patients)) / len(patients)
    assert 0.28 < share < 0.39
    for patient in patients[:50]:
        assert len({locked_split.is_locked(f"{patient}-{note}") for note in range(1, 30)}) == 1


@pytest.mark.parametrize("document_id", ["synthetic-2026-00001", "asq-0004", "15", "15-2-a", "x15-2", ""])
def test_documents_of_other_corpora_belong_to_no_patient_and_are_never_locked(document_id: str) -> None:
    assert locked_split.patient_of(document_id) is None
    assert not locked_split.is_locked(document_id)


def test_the_parts_are_disjoint_and_together_all() -> None:
    documents = [GoldDocument(f"{patient}-1", "text", []) for patient in range(1, 40)]
    documents.append(GoldDocument("synthetic-1", "text", []))
    train = locked_split.select(documents, "train")
    locked = locked_split.select(documents, "locked")
    assert locked and train and not {d.id for d in train} & {d.id for d in locked}
    assert sorted(d.id for d in train + locked) == sorted(d.id for d in locked_split.select(documents, "all"))
    assert "synthetic-1" in {d.id for d in train}
    with pytest.raises(ValueError, match="unknown part 'test'"):
        locked_split.select(documents, "test")


@needs_physionet
def test_the_development_notes_split_as_the_readme_says() -> None:
    locked = locked_split.select(load_gold(PHYSIONET_DEV), "locked")
    patients = {locked_split.patient_of(document.id) for document in locked}
    assert (len(patients), len(locked), sum(len(d.phi) for d in locked)) == (24, 481, 310)


# ---------------------------------------------------------------- deidstream eval


def _gold_file(tmp_path: Path, patient: str) -> Path:
    """Two invented notes of one patient, with a name that must never be printed in aggregate output."""
    text = "Spoke with daughter Wilhelmina Quillfeather about discharge."
    gold = tmp_path / "notes.jsonl"
    lines = [{"id": f"{patient}-{note}", "text": text, "phi": [[20, 43, "PERSON"]]} for note in (1, 2)]
    gold.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return gold


def test_eval_scores_the_locked_part_in_aggregate_with_intervals(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["eval", str(_gold_file(tmp_path, LOCKED_PATIENTS[0])), "--part", "locked"])
    assert result.exit_code == 0, result.output
    assert "2 documents (locked part), 2 gold PHI spans" in result.output
    assert "95% Wilson intervals" in result.output and "PERSON" in result.output
    assert "Quillfeather" not in result.output and "Wilhelmina" not in result.output


def test_eval_never_lists_a_locked_note(tmp_path: Path) -> None:
    gold = str(_gold_file(tmp_path, LOCKED_PATIENTS[0]))
    for part in ("locked", "all"):
        result = CliRunner().invoke(main, ["eval", gold, "--part", part, "--show-misses", "5"])
        assert result.exit_code == 2 and "aggregate only" in result.output
        assert "Quillfeather" not in result.output


def test_eval_lists_misses_of_training_notes_but_not_with_aggregate_only(tmp_path: Path) -> None:
    gold = str(_gold_file(tmp_path, TRAINING_PATIENTS[0]))
    listed = CliRunner().invoke(main, ["eval", gold, "--part", "train", "--show-misses", "5"])
    assert listed.exit_code == 0, listed.output
    refused = CliRunner().invoke(main, ["eval", gold, "--aggregate-only", "--show-misses", "5"])
    assert refused.exit_code == 2 and "--aggregate-only prints no text" in refused.output
    aggregate = CliRunner().invoke(main, ["eval", gold, "--aggregate-only"])
    assert aggregate.exit_code == 0 and "Quillfeather" not in aggregate.output


def test_eval_says_when_a_part_is_empty() -> None:
    result = CliRunner().invoke(main, ["eval", str(SYNTHETIC_SET), "--part", "locked"])
    assert result.exit_code == 2 and "no document" in result.output and "<patient>-<note>" in result.output


# ---------------------------------------------------------------- training


def test_training_reads_no_locked_note_unless_told_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus the training command works on, caught before any training starts."""
    gold = tmp_path / "notes.jsonl"
    patients = LOCKED_PATIENTS + TRAINING_PATIENTS
    gold.write_text(
        "".join(json.dumps({"id": f"{p}-1", "text": "Seen today.", "phi": []}) + "\n" for p in patients),
        encoding="utf-8",
    )
    seen: dict[str, list[str]] = {}

    def stop(corpus: list[GoldDocument], *_: object) -> None:
        seen.setdefault("ids", []).extend(document.id for document in corpus)

    monkeypatch.setattr("deidstream.tools.training.__main__._train_and_save", stop)
    common = ["--corpus", str(gold), "--reports", "0", "--output", str(tmp_path / "model")]
    train_main(common)
    assert sorted(seen.pop("ids")) == sorted(f"{p}-1" for p in TRAINING_PATIENTS)
    train_main([*common, "--part", "all"])
    assert sorted(seen.pop("ids")) == sorted(f"{p}-1" for p in patients)


def test_cross_validation_is_of_the_training_part_only() -> None:
    with pytest.raises(SystemExit) as stopped:
        train_main(["--folds", "2", "--part", "all"])
    assert stopped.value.code == 2


def test_gold_spans_of_invented_notes_stay_where_they_were() -> None:
    """select keeps documents whole: same text, same spans."""
    document = GoldDocument("16-3", "Wife Odalys visited.", [GoldSpan(5, 11, "PERSON")])
    assert locked_split.select([document], "locked") == [document]
