"""Rehearsal texts: WordNet's data lines read, and general English labelled by the base model as PHI types."""

from __future__ import annotations

from pathlib import Path

import pytest

from deidstream.tools.training.phi_model import BASE_MODEL
from deidstream.tools.training.rehearsal import WORDNET_FILES, label_with_base, sample, wordnet_texts

# Invented lines in WordNet's data format: an instance (`@i`) with a gloss, and a common noun with examples.
DATA_LINES = (
    "  1 This software and database is being provided to you under the licence below.\n"
    "09000001 15 n 01 Quillmere 0 001 @i 08000001 n 0000 | a river town of northern Ruritania (1810-1899)  \n"
    '03000002 06 n 01 lantern 0 001 @ 03000003 n 0000 | a light in a case; "she carried a lantern to the barn at dusk"; '
    '"a paper lantern"  \n'
)


@pytest.fixture
def wordnet(tmp_path: Path) -> Path:
    for name in WORDNET_FILES:
        (tmp_path / name).write_text(DATA_LINES if name == "data.noun" else "", encoding="utf-8")
    return tmp_path


def test_wordnet_texts_are_instance_glosses_and_example_sentences(wordnet: Path) -> None:
    assert wordnet_texts(wordnet) == [
        "a river town of northern Ruritania (1810-1899)",
        "she carried a lantern to the barn at dusk",
        "a paper lantern",
    ]


def test_missing_wordnet_says_how_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="apt-get install wordnet-base"):
        wordnet_texts(tmp_path)


def test_sample_is_seeded_and_never_asks_for_more_than_there_is() -> None:
    texts = [f"text {number}" for number in range(100)]
    assert sample(texts, 10, seed=1) == sample(texts, 10, seed=1) != sample(texts, 10, seed=2)
    assert sorted(sample(texts, 500, seed=1)) == sorted(texts)


def test_the_base_models_people_places_and_dated_dates_become_phi_types() -> None:
    texts = ["Ingrid Halvorsen moved from Chicago to Denver in 1998.", "She spent last week with Microsoft in Paris."]
    first, second = label_with_base(texts, BASE_MODEL)
    found = {first.text[span.start : span.end]: span.type for span in first.phi}
    assert found == {"Ingrid Halvorsen": "PERSON", "Chicago": "LOCATION", "Denver": "LOCATION", "1998": "DATE_TIME"}
    kinds = {second.text[span.start : span.end]: span.type for span in second.phi}
    assert "last week" not in kinds, "a date without a digit is no PHI date"
    assert kinds.get("Paris") == "LOCATION"
    assert [first.id, second.id] == ["rehearsal-0", "rehearsal-1"]
