"""Wider surrogates for places: GeoNames towns, invented towns, wards and buildings laid out as the original."""

from __future__ import annotations

import random
import re

import pytest

from deidstream.tools.training import gazetteer, places
from deidstream.tools.training.fakers import LOCALES
from deidstream.tools.training.names import person


def test_the_gazetteer_holds_us_towns_world_cities_with_diacritics_counties_and_countries() -> None:
    assert len(gazetteer.us_towns()) > 10_000 and len(gazetteer.world_towns()) > 20_000
    assert any(not town.isascii() for town in gazetteer.world_towns())
    assert all(county.split()[-1] in ("County", "Parish", "Borough") for county in gazetteer.us_counties())
    assert len(gazetteer.countries()) > 200
    assert list(gazetteer.world_towns()) == sorted(gazetteer.world_towns()), "sorted: draws follow the seed only"


@pytest.mark.parametrize(("name", "latin"), [("Zürich", True), ("'s-Gravenzande", True), ("Łódź", True),
                                             ("Москва", False), ("東京", False), ("Ward 4", False), ("", False)])  # fmt: skip
def test_only_latin_script_names_are_kept(name: str, latin: bool) -> None:
    assert gazetteer.is_latin_name(name) == latin


def test_invented_towns_are_made_of_place_name_parts_and_have_the_words_asked_for() -> None:
    rng = random.Random(1)
    for _ in range(200):
        word = places.invented_place(rng)
        assert word.isalpha() and " " not in word
        assert word.startswith(places.PLACE_STARTS) and word.endswith(places.PLACE_ENDS)
    for words in (1, 2, 3):
        assert all(len(places.invented_town(rng, words).split()) == words for _ in range(50))
    with pytest.raises(ValueError):
        places.invented_town(rng, 4)


def test_cities_mix_real_towns_of_the_world_and_invented_ones() -> None:
    rng = random.Random(2)
    drawn = [places.city(rng, 1) for _ in range(600)]
    real = set(gazetteer.us_towns()) | set(gazetteer.world_towns())
    assert 0.3 < sum(town in real for town in drawn) / len(drawn) < 0.8
    assert any(town in gazetteer.world_towns() and not town.isascii() for town in drawn)
    assert sum(town.startswith(places.PLACE_STARTS) and town.endswith(places.PLACE_ENDS) for town in drawn) > 60
    assert all(len(places.city(rng, 2).split()) == 2 for _ in range(100))


@pytest.mark.parametrize(
    ("original", "layout"),
    [
        ("Brackwell 3", r"[^\W\d_]+ [1-9]"),
        ("Quenholm7", r"[^\W\d_]+[1-9]"),
        ("412 ashgrove", r"[1-9]\d\d [^\W\d_]+"),
        ("Tamsby 6 North", r"[^\W\d_]+ [1-9] North"),
        ("Ellery 2B", r"[^\W\d_]+ [1-9]B"),
    ],
)
def test_a_ward_is_replaced_by_a_ward_of_the_same_layout(original: str, layout: str) -> None:
    rng = random.Random(3)
    for _ in range(30):
        value = places.location_like(original, rng)
        assert re.fullmatch(layout, value), value
        assert value.split()[0].casefold() != original.split()[0].casefold() or value[0].isdigit()


def test_a_street_address_stays_a_street_address() -> None:
    rng = random.Random(4)
    assert all(re.match(r"\d", places.location_like("18 Quarrymoor Lane", rng)) for _ in range(30))


def test_facility_names_include_named_wards_and_buildings() -> None:
    rng = random.Random(5)
    drawn = [places.hospital(rng) for _ in range(400)]
    assert 0.15 < sum(re.search(r"\d", name) is not None for name in drawn) / len(drawn) < 0.35
    assert any(name.split()[-1] in places.BUILDING_WORDS for name in drawn)


def test_names_come_from_many_locales_of_several_continents() -> None:
    rng = random.Random(6)
    locales = {person(rng).locale for _ in range(3000)}
    assert {"yo_NG", "zu_ZA", "id_ID", "lt_LT", "es_CO"} <= locales
    assert len(locales) == len(LOCALES)
