"""`python -m deidstream.tools.training`: folds of whole patients, and arguments that say what to do."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from deidstream.tools.evaluation import GoldDocument, GoldSpan
from deidstream.tools.training.__main__ import DEFAULT_CORPUS, main, patient_folds, training_set


def test_folds_hold_whole_patients_and_every_note_once() -> None:
    corpus = [GoldDocument(f"{patient}-{note}", "text", []) for patient in range(1, 9) for note in range(1, 4)]
    folds = patient_folds(corpus, 2, seed=0)
    patients = [{document.id.split("-")[0] for document in fold} for fold in folds]
    assert not patients[0] & patients[1]
    assert sorted(document.id for fold in folds for document in fold) == sorted(document.id for document in corpus)
    assert patient_folds(corpus, 2, seed=0) == folds, "same seed, same folds"


@pytest.mark.parametrize("arguments", [[], ["--output", "model", "--folds", "2"], ["--folds", "1"]])
def test_it_asks_for_either_an_output_or_folds(arguments: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(arguments)
    assert stopped.value.code == 2


def test_the_default_corpus_is_the_development_notes_beside_the_repository() -> None:
    repository = Path(__file__).resolve().parent.parent
    assert repository.parent / "shared" / "corpora" / "physionet-deid-dev" == DEFAULT_CORPUS


def _recipe(**options: object) -> argparse.Namespace:
    return argparse.Namespace(**({"seed": 0, "variants": 2, "originals": True, "case_copies": False} | options))


def test_the_training_set_holds_what_the_recipe_asks_for() -> None:
    named = GoldDocument("3-1", "Wife Odalys Brenner visited.", [GoldSpan(5, 19, "PERSON")])
    plain = GoldDocument("3-2", "No events overnight.", [])
    generated = [GoldDocument("synthetic-1", "Seen by Dr. Quill.", [GoldSpan(12, 17, "PERSON")])]

    def ids(**options: object) -> list[str]:
        return [document.id for document in training_set([named, plain], generated, _recipe(**options))]

    assert ids() == ["3-1", "3-2", "3-1~aug0", "3-1~aug1", "synthetic-1"]
    assert ids(originals=False) == ["3-2", "3-1~aug0", "3-1~aug1", "synthetic-1"], "no note with the corpus' values"
    with_copies = ids(case_copies=True)
    assert [i.split("~")[0] for i in with_copies[4:6]] == ["3-1", "3-2"] and with_copies[-1] == "synthetic-1"
