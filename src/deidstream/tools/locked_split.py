"""The development notes' split by patient: a training part to develop on and a locked part to measure with.

Figures from notes that a rule, a veto, a list entry, a threshold or the model's
training was written from overstate what holds on other patients (issue 22: 0.995
recall on the development notes, 0.945 on other patients of the same hospital). So
about a third of the development notes' patients are locked: nothing is written
from their notes, and they are only ever scored in aggregate. This module is the
one place that says which notes those are; `deidstream eval --part` and the
training command both ask it, so training never reads a locked note unless told
to (the final retrain on all notes, after the locked figure is taken).

The rule, which anyone can recompute without this code: a note whose id is
`<patient>-<note>` (the PhysioNet corpus' numbering) is locked when the SHA-256
digest of `deidstream-locked-split/<patient>`, read as a big-endian integer, is
divisible by 3. On the development notes that locks 24 of 82 patients: 481 of
1,450 notes, 310 of 999 PHI spans. Documents with other ids (generated reports,
other corpora) belong to no patient and are never locked.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Protocol, TypeVar

SPLIT_KEY = "deidstream-locked-split"
LOCKED_SHARE = 3  # one patient in LOCKED_SHARE, by hash
TRAIN, LOCKED, ALL = "train", "locked", "all"
PARTS = (TRAIN, LOCKED, ALL)
_NOTE_ID = re.compile(r"(\d+)-\d+")


class Identified(Protocol):
    """Anything with an id, such as a `GoldDocument`."""

    @property
    def id(self) -> str: ...


Document = TypeVar("Document", bound=Identified)


def patient_of(document_id: str) -> str | None:
    """The patient number of a corpus note id `<patient>-<note>`; None for any other id."""
    match = _NOTE_ID.fullmatch(document_id)
    return match[1] if match else None


def is_locked_patient(patient: str) -> bool:
    """The rule of the module docstring, for one patient number as written in the corpus (`17`, not `017`)."""
    digest = hashlib.sha256(f"{SPLIT_KEY}/{patient}".encode()).digest()
    return int.from_bytes(digest, "big") % LOCKED_SHARE == 0


def is_locked(document_id: str) -> bool:
    patient = patient_of(document_id)
    return patient is not None and is_locked_patient(patient)


def select(documents: Iterable[Document], part: str) -> list[Document]:
    """The documents of `part`: `locked` (notes of locked patients), `train` (every other document) or `all`."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}; expected one of {', '.join(PARTS)}")
    if part == ALL:
        return list(documents)
    want_locked = part == LOCKED
    return [document for document in documents if is_locked(document.id) == want_locked]
