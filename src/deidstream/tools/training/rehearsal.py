"""Rehearsal: general English labelled by the base model, mixed into training so the fine-tuned NER keeps it.

Fine-tuning en_core_web_sm's `ner` on a few thousand clinical notes makes it
forget what it knew of people, places and organisations in other text
(catastrophic forgetting). spaCy's documented remedy is pseudo-rehearsal: run the
original model over other text and train on its analyses beside the new
examples. Its `PERSON`, `GPE`/`LOC`/`FAC`, `ORG` and dated `DATE` entities become
deidstream's PERSON, LOCATION, HOSPITAL and DATE_TIME, so they teach the model's
PHI labels; every other entity (`NORP`, `CARDINAL`, a `DATE` without a digit such
as `last week`) is left out, which trains it as no PHI.

The text is WordNet's glosses and examples (Princeton WordNet 3.0, under the
WordNet licence; Debian's `wordnet-base` installs it in /usr/share/wordnet):
definitions of people, places and organisations (`English navigator who
explored the Arctic (1550-1605)`) and example sentences, no clinical note.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import spacy

from deidstream.detection.entity import DATE_TIME, HOSPITAL, LOCATION, PERSON
from deidstream.tools.evaluation import GoldDocument, GoldSpan

WORDNET_FOLDER = Path("/usr/share/wordnet")
WORDNET_FILES = ("data.noun", "data.verb", "data.adj", "data.adv")
BASE_TYPES = {"PERSON": PERSON, "GPE": LOCATION, "LOC": LOCATION, "FAC": LOCATION, "ORG": HOSPITAL, "DATE": DATE_TIME}
_EXAMPLE = re.compile(r'"([^"]{12,})"')
_INSTANCE = " @i "  # a synset that is an instance: a named person, place or organisation


def wordnet_texts(folder: Path = WORDNET_FOLDER) -> list[str]:
    """Glosses of WordNet's named instances and every quoted example sentence, in file order.

    A data line is `offset lex_filenum ss_type words... pointers... | gloss; "example"; "example"`.
    """
    missing = [name for name in WORDNET_FILES if not (folder / name).is_file()]
    if missing:
        raise ValueError(f"{folder}: no WordNet data files {missing}; on Debian `apt-get install wordnet-base`")
    texts: list[str] = []
    for name in WORDNET_FILES:
        for line in (folder / name).read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("  ") or " | " not in line:  # the licence header
                continue
            synset, gloss = line.split(" | ", 1)
            if _INSTANCE in synset:
                texts.append(gloss.split(";")[0].strip())
            texts += [example.strip() for example in _EXAMPLE.findall(gloss)]
    return texts


def sample(texts: Sequence[str], count: int, seed: int) -> list[str]:
    """`count` of `texts`, the same for the same seed."""
    return random.Random(f"rehearsal/{seed}").sample(list(texts), min(count, len(texts)))


def label_with_base(texts: Iterable[str], base_model: str) -> list[GoldDocument]:
    """The base pipeline's entities, as deidstream types, on each text; ids `rehearsal-<n>`."""
    nlp = spacy.load(base_model, disable=["lemmatizer"])
    documents = []
    for number, doc in enumerate(nlp.pipe(texts, batch_size=64)):
        spans = [
            GoldSpan(entity.start_char, entity.end_char, BASE_TYPES[entity.label_])
            for entity in doc.ents
            if entity.label_ in BASE_TYPES and (entity.label_ != "DATE" or any(char.isdigit() for char in entity.text))
        ]
        documents.append(GoldDocument(f"rehearsal-{number}", doc.text, spans))
    return documents
