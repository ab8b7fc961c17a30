"""Case copies: whole training notes again in a case they were not written in.

Nursing notes come in capitals, in lower case and in sentence case, and a name
or a place is PHI in all of them (`SON LIVES IN NORTH COVE`, `returned to east
haddam today`). A model that saw each note only as it was written learns that a
capital letter marks a name, and misses the lower-case ones. A copy of every note
in another case (its PHI values swapped for new ones first, so no value is seen
twice) keeps the contexts and takes case away as a cue. Recasing is one character
for one, so the gold spans keep their offsets.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from deidstream.tools.evaluation import GoldDocument
from deidstream.tools.training.augment import augment
from deidstream.tools.training.casing import LOWER, SENTENCE, UPPER, recase, written_case

CASES = (UPPER, LOWER, SENTENCE)


def case_copies(documents: Iterable[GoldDocument], seed: int) -> list[GoldDocument]:
    """One copy of each document in a case drawn from those it is not written in; ids become `<id>~<case>`.

    Each copy draws from its own generator seeded by (seed, document id), so it does not change when other
    documents are added or removed. A document with PHI gets new values first; one without is only recased.
    """
    copies = []
    for document in documents:
        rng = random.Random(f"case-copy/{seed}/{document.id}")
        source = augment(document, rng) if document.phi else document
        case = rng.choice([case for case in CASES if case != written_case(document.text)])
        copies.append(GoldDocument(f"{document.id}~{case}", recase(source.text, case), source.phi))
    return copies
