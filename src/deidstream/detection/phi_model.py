"""The trained PHI NER that ships with deidstream, and how the engine puts it in the general pipeline's place.

The model is en_core_web_sm's `ner` fine-tuned on surrogate-augmented clinical
notes (`deidstream.tools.training.phi_model`, README "Detection"). It replaces the
general `ner` rather than running next to it: one NER pass per text is what keeps
the engine at twice Presidio's speed, and the PHI labels reuse the general model's
`PERSON`, `GPE`, `ORG` and `DATE`, so what it knew of names and places outside
clinical text is where it started from. The rest of the general pipeline (tagger,
parser, lemmatizer) stays, for the lemmas that Presidio's context words read.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import spacy
from spacy.language import Language

from deidstream.entity import EntityType

NER = "ner"
# The model's labels and the entity type each stands for; the general model's own labels map the same way, so the
# engine reads either model's entities alike (`engine.phi_model = "none"` keeps the general one).
LABEL_TYPES = {
    "PERSON": EntityType.PERSON,
    "GPE": EntityType.LOCATION,
    "LOC": EntityType.LOCATION,
    "FAC": EntityType.HOSPITAL,
    "ORG": EntityType.HOSPITAL,
    "DATE": EntityType.DATE_TIME,
    "AGE_OVER_89": EntityType.AGE,
    "ID": EntityType.ID,
    "PHONE": EntityType.PHONE_NUMBER,
}
MODEL_LABELS = ("PERSON", "GPE", "ORG", "DATE", "AGE_OVER_89", "ID", "PHONE")
BUNDLED = "bundled"
NONE = "none"


def bundled_model_path() -> Path:
    return Path(str(files("deidstream.detection").joinpath("model/phi_ner")))


def install_phi_ner(nlp: Language, setting: str) -> str:
    """Put the PHI `ner` named by `setting` (`bundled`, `none` or a directory) in place of `nlp`'s; its `name-version`.

    Raises ValueError naming the setting when the directory holds no spaCy pipeline with a `ner`.
    """
    if setting == NONE:
        return NONE
    path = bundled_model_path() if setting == BUNDLED else Path(setting)
    try:
        phi = spacy.load(path)
    except OSError as error:
        raise ValueError(
            f"engine.phi_model: cannot load a spaCy pipeline from {path} ({error.__class__.__name__}); give the "
            f"directory written by `python -m deidstream.tools.training`, {BUNDLED!r} or {NONE!r}"
        ) from None
    if NER not in phi.pipe_names:
        raise ValueError(f"engine.phi_model: the pipeline in {path} has no {NER!r} component")
    position = nlp.pipe_names.index(NER) if NER in nlp.pipe_names else len(nlp.pipe_names)
    if NER in nlp.pipe_names:
        nlp.remove_pipe(NER)
    nlp.add_pipe(NER, source=phi, before=nlp.pipe_names[position] if position < len(nlp.pipe_names) else None)
    return f"{phi.meta.get('name', 'phi_ner')}-{phi.meta.get('version', '0')}"
