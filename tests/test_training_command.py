"""`python -m deidstream.tools.training`: folds of whole patients, and arguments that say what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from deidstream.tools.evaluation import GoldDocument
from deidstream.tools.training.__main__ import DEFAULT_CORPUS, main, patient_folds


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
