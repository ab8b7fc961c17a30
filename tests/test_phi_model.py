"""The trained PHI NER ships with the package, loads once with the engine, and finds names in many forms by itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from deidstream.detection.engine import Engine, ModelLoadError
from deidstream.detection.phi_model import bundled_model_path
from deidstream.detection.settings import EngineSettings
from deidstream.tools.training.phi_model import save

SIZE_LIMIT_MB = 20

# Invented sentences: a name in the contexts clinicians write them, in several alphabets' Latin forms and cases.
NAMED = [
    ("Long talk today with Teodor Malinescu about the plan.", "Teodor Malinescu"),
    ("Dr Hollis Fairweather (attending) agreed.", "Hollis Fairweather"),
    ("Wound checked (Dr. Imogen Castellanos).", "Imogen Castellanos"),
    ("Emergency contact: Bram Okonkwo.", "Bram Okonkwo"),
    ("Update given to Marisol Etxeberria by phone.", "Marisol Etxeberria"),
    ("Patient Oskar Lindqvist was reviewed on rounds.", "Oskar Lindqvist"),
    ("Seen by Dr. Inés Cuadrado; son Joaquín called.", "Inés Cuadrado"),
    ("DAUGHTER WIKTORIA ZIELIŃSKA IN TO VISIT.", "WIKTORIA ZIELIŃSKA"),
]


def test_the_bundled_model_is_in_the_package_and_small() -> None:
    folder = bundled_model_path()
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    assert (folder / "ner").is_dir() and size < SIZE_LIMIT_MB * 1024 * 1024


def test_the_bundled_model_carries_no_words_of_its_training_notes() -> None:
    vocabulary = bundled_model_path() / "vocab"
    assert [path.name for path in vocabulary.iterdir()] == ["strings.json"]
    assert json.loads((vocabulary / "strings.json").read_text(encoding="utf-8")) == []


def test_a_saved_model_keeps_no_strings_and_loads(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("ner").add_label("PERSON")
    nlp.initialize()
    nlp("Spoke with Quillon Abernathy-Ruiz today.")  # words the vocabulary now holds
    save(nlp, tmp_path)
    assert json.loads((tmp_path / "vocab" / "strings.json").read_text(encoding="utf-8")) == []
    assert spacy.load(tmp_path).pipe_names == ["ner"]


@pytest.fixture(scope="module")
def phi_ner() -> Language:
    return spacy.load(bundled_model_path())


@pytest.mark.parametrize(("text", "name"), NAMED)
def test_the_model_alone_finds_the_whole_name(phi_ner: Language, text: str, name: str) -> None:
    start = text.index(name)
    found = list(phi_ner(text).ents)
    covered = {offset for span in found for offset in range(span.start_char, span.end_char)}
    assert any(span.label_ == "PERSON" for span in found), found
    assert all(offset in covered for offset in range(start, start + len(name)) if text[offset] != " "), (name, found)


def test_a_phi_model_directory_that_holds_no_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="engine.phi_model"):
        Engine(EngineSettings(phi_model=str(tmp_path)))
