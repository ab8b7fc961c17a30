"""Towns, cities, countries, wards, street addresses and facility names, of a requested number of words.

Real place names come from GeoNames (`gazetteer`: US towns, world cities with
their diacritics, US counties, countries) and from Faker's locales; invented ones
from Faker en_US (`East Paulaside`) and from the English place-name parts below
(`Thornbury`, `Ashcombe Heights`). Both matter: real names teach what towns look
like, invented ones keep the model from memorising a list, and wards and
buildings with invented names (`Harrowgate 4`, `Ashcombe3`, `7 Penwick`, `Dunmere
Pavilion`) teach the contexts of a destination inside a hospital rather than the
corpus' own ward names. Word counts can be requested so a replacement keeps the
shape of the original (`Boston` by `Rauma`, `Glen Burnie` by `Lake Jamesmouth`).
"""

from __future__ import annotations

import random
import re
import string
from functools import cache

from deidstream.tools.training import gazetteer
from deidstream.tools.training.fakers import LOCALES, faker
from deidstream.tools.training.names import family_name, given_name

COUNTRIES = (
    "Mexico", "Canada", "Guatemala", "Honduras", "El Salvador", "Haiti", "Jamaica", "Puerto Rico", "Dominican Republic",
    "Colombia", "Brazil", "Peru", "Ireland", "Poland", "Italy", "Germany", "Vietnam", "Philippines", "India",
    "China", "Korea", "Nigeria", "Ghana", "Ethiopia", "Somalia", "Kenya", "Ukraine", "Russia", "Turkey", "Greece",
    "Portugal", "Spain", "France", "England", "Scotland", "Cape Verde", "Lebanon", "Iran", "Iraq", "Cuba",
)  # fmt: skip
FACILITY_WORDS = re.compile(
    r"\b(hospital|medical|center|centre|clinic|health|infirmary|nursing|rehab\w*|hospice|institute|home|manor|"
    r"care|memorial|general|associates|practice|ward|unit|house)\b",
    re.I,
)
_HOSPITAL_PATTERNS = (
    "{city} General Hospital", "St. {given} Medical Center", "{family} Memorial Hospital",
    "{city} Regional Medical Center", "{family} Community Hospital", "Saint {given} Hospital", "{city} Hospital",
    "{family} Family Health Center", "{city} Cardiology Clinic", "{family} Orthopedic Clinic",
    "{family} Nursing and Rehabilitation Center", "{city} Rehabilitation Hospital", "{family} House",
    "{city} Children's Hospital", "{family} Clinic", "{city} VA Medical Center", "{family} Manor",
    "{city} Hospice", "{city} Medical Associates", "Mount {family} Hospital", "{family} Pavilion",
    "{city} Urgent Care", "{family} Institute", "University of {city} Medical Center",
)  # fmt: skip
# English place-name parts, combined into names no gazetteer need hold (`Ashcombe`, `Fenwick`, `Morrowdale`).
PLACE_STARTS = (
    "Ash", "Bram", "Brook", "Carl", "Dun", "Elm", "Fair", "Glen", "Hart", "Kings", "Lang", "Mar", "Nor", "Oak", "Pen",
    "Red", "Sand", "Thorn", "Whit", "Wil", "Wood", "Ard", "Bel", "Cal", "Dal", "Gran", "Hal", "Lin", "Mon", "Ros",
    "Stan", "Tal", "Ver", "Bux", "Crom", "Fen", "Har", "Kel", "Mor", "Pel", "Quen", "Rath", "Sel", "Tre", "Ux",
    "Wyn", "Ald", "Bar", "Cor", "Dor", "Ex", "Fal", "Gil", "Hol", "Ips", "Lud", "Nan", "Ot", "Pim", "Rud", "Stow",
)  # fmt: skip
PLACE_ENDS = (
    "combe", "ford", "ton", "wick", "field", "more", "ley", "bury", "dale", "haven", "mouth", "stead", "worth",
    "brook", "ham", "by", "thorpe", "well", "gate", "side", "view", "crest", "ridge", "mont", "ville", "port", "mere",
    "hurst", "den", "stow", "caster", "holm", "wood", "minster", "land", "bourne", "hill", "row", "lake", "ness",
)  # fmt: skip
PLACE_SUFFIX_WORDS = ("Heights", "Falls", "Springs", "Center", "Junction", "Landing", "Hills", "Park", "Village")
COMPASS = ("North", "South", "East", "West", "Upper", "Lower", "New", "Old", "Port", "Mount", "Lake", "Fort")
BUILDING_WORDS = ("Building", "Wing", "Pavilion", "Tower", "House", "Hall", "Unit", "Center", "Annex")
# A ward or building with a name: `Ward 4B`, `Harrowgate 4`, `Ashcombe3` (name and floor run together),
# `7 Penwick`, `Dunmere Pavilion`, `Calder 2 North`.
_WARDS = (
    "Ward {n}{letter}", "{name} {n}", "{name}{n}", "{n} {name}", "{n} North", "{n} South", "{name} {building}",
    "{name} {n} {compass}", "{name} {n}{letter}", "{family} {building}", "{family} {n}",
)  # fmt: skip
_KEPT_WARD_WORDS = frozenset((*COMPASS, *BUILDING_WORDS, "Ward", "Floor", "Wing"))
STREET_WORDS = re.compile(
    r"\b(street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|circle|apt)\b", re.I
)
REAL_TOWN_CHANCE = 0.5
INVENTED_TOWN_CHANCE = 0.25  # the rest: Faker's towns, real and invented, of many locales
WARD_CHANCE = 0.25  # of facility names


def invented_place(rng: random.Random) -> str:
    """One word made of an English place name's start and end: `Thornbury`, `Quenmere`."""
    return rng.choice(PLACE_STARTS) + rng.choice(PLACE_ENDS)


def invented_town(rng: random.Random, words: int | None = None) -> str:
    """An invented town of `words` words, one to three: `Ashcombe`, `East Morrowdale`, `Upper Fenwick Springs`."""
    words = words or rng.choice((1, 1, 1, 2))
    if not 1 <= words <= 3:
        raise ValueError("an invented town has one to three words")
    if words == 1:
        return invented_place(rng)
    if words == 3:
        return f"{rng.choice(COMPASS)} {invented_place(rng)} {rng.choice(PLACE_SUFFIX_WORDS)}"
    if rng.random() < 0.5:
        return f"{rng.choice(COMPASS)} {invented_place(rng)}"
    return f"{invented_place(rng)} {rng.choice(PLACE_SUFFIX_WORDS)}"


def ward(rng: random.Random) -> str:
    """A named ward or building, with its floor or wing where it has one."""
    return rng.choice(_WARDS).format(
        name=invented_place(rng) if rng.random() < 0.7 else city(rng, 1),
        family=family_name(rng),
        n=rng.randint(2, 12),
        letter=rng.choice("ABCDEFGH"),
        compass=rng.choice(COMPASS[:4]),
        building=rng.choice(BUILDING_WORDS),
    )


def ward_like(original: str, rng: random.Random) -> str:
    """A ward or building laid out as `original`: each number by one of as many digits, each name by another;
    compass and building words stay (`Calder 2 North` by `Penwick 7 North`, `Ashcombe3` by `Thornbury5`)."""
    pieces = re.split(r"(\d+|[^\W\d_]+)", original)
    for index, piece in enumerate(pieces):
        if piece.isdigit():
            pieces[index] = str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in piece[1:])
        elif piece.isalpha() and piece.title() not in _KEPT_WARD_WORDS and not (len(piece) == 1 and index > 1):
            pieces[index] = invented_place(rng) if rng.random() < 0.7 else city(rng, 1).split()[0]
    return "".join(pieces)


@cache
def _real_towns_by_words() -> dict[str, dict[int, tuple[str, ...]]]:
    """GeoNames' US and world towns, grouped by word count."""
    regions = {"us": gazetteer.us_towns(), "world": gazetteer.world_towns()}
    grouped: dict[str, dict[int, tuple[str, ...]]] = {}
    for region, towns in regions.items():
        by_words: dict[int, list[str]] = {}
        for town in towns:
            by_words.setdefault(len(town.split()), []).append(town)
        grouped[region] = {words: tuple(names) for words, names in by_words.items()}
    return grouped


def city(rng: random.Random, words: int | None = None) -> str:
    """A town or city, real (US or elsewhere), invented, or of Faker's locales, of exactly `words` words when asked."""
    for _ in range(12):
        roll = rng.random()
        if roll < REAL_TOWN_CHANCE:
            towns = _real_towns_by_words()["us" if rng.random() < 0.6 else "world"]
            candidates = towns.get(words) if words else towns[rng.choice((1, 1, 1, 2))]
            if candidates:
                return rng.choice(candidates)
            continue
        if roll < REAL_TOWN_CHANCE + INVENTED_TOWN_CHANCE and (words or 1) <= 3:
            return invented_town(rng, words)
        value = faker(rng, "en_US" if rng.random() < 0.6 else rng.choice(LOCALES)).city()
        if words is None or len(value.split()) == words:
            return value
    return " ".join(given_name(rng) for _ in range(words or 1))


def country(rng: random.Random) -> str:
    """A country, most often one patients of US hospitals come from, else any of GeoNames'."""
    return rng.choice(COUNTRIES) if rng.random() < 0.7 else rng.choice(gazetteer.countries())


def county(rng: random.Random) -> str:
    return rng.choice(gazetteer.us_counties())


def street_address(rng: random.Random) -> str:
    """Number and street (`12 Main Street`, `4 Elm St. Apt 2`), the STREET_ADDRESS convention of synthetic.py."""
    fake = faker(rng, "en_US")
    if rng.random() < 0.2:
        return fake.street_address()  # sometimes with `Apt.` or `Suite`
    return f"{fake.building_number()} {fake.street_name()}"


def hospital(rng: random.Random) -> str:
    """A named hospital, clinic, nursing home or named ward."""
    if rng.random() < WARD_CHANCE:
        return ward(rng)
    return rng.choice(_HOSPITAL_PATTERNS).format(
        city=city(rng, rng.choice((1, 1, 2))),
        given=given_name(rng),
        family=family_name(rng),
    )


def location_like(original: str, rng: random.Random) -> str:
    """A place of the same kind as `original`: street for a street, facility for a facility, town of as many words.

    Short all-capital originals are mostly abbreviations of hospitals in clinical
    notes, so they get an abbreviation back rather than a town.
    """
    stripped = original.strip()
    if stripped.isalpha() and stripped.isupper() and 2 <= len(stripped) <= 5:
        return acronym(rng, len(stripped))
    if STREET_WORDS.search(stripped) and re.search(r"\d", stripped):
        return street_address(rng)
    if FACILITY_WORDS.search(stripped):
        return hospital_like(stripped, rng)
    if re.search(r"\d", stripped) and re.search(r"[^\W\d_]{2}", stripped):  # a ward and its floor, a bed
        return ward_like(stripped, rng)
    if "," in stripped:
        state = faker(rng, "en_US").state_abbr(include_territories=False, include_freely_associated_states=False)
        return f"{city(rng)}, {state}"
    words = len(stripped.split())
    if words == 1 and rng.random() < 0.15:
        return rng.choice([name for name in COUNTRIES if " " not in name])
    if words <= 2 and rng.random() < 0.05:
        return county(rng)
    return city(rng, words)


def acronym(rng: random.Random, letters: int) -> str:
    """A facility's initials (`BMC`, `SJGH`) for a short all-capital place.

    Never a state code: states are not PHI under the gold convention, and a state
    labelled as a place would teach the model the opposite.
    """
    initials = "".join(word[0] for word in hospital(rng).split() if word[0].isalpha()).upper()[:letters]
    return initials + "".join(rng.choice(string.ascii_uppercase) for _ in range(letters - len(initials)))


def hospital_like(original: str, rng: random.Random) -> str:
    """A facility name, with as many words as `original` when a few draws find one."""
    words = len(original.split())
    value = hospital(rng)
    for _ in range(10):
        if len(value.split()) == words:
            break
        value = hospital(rng)
    return value
