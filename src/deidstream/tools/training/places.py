"""Towns, cities, countries, street addresses and facility names, of a requested number of words.

Real place names come from the GeoNames list the detector ships (title-cased)
and from Faker's locales; invented ones (`East Paulaside`) from Faker en_US.
Both matter: real names teach what towns look like, invented ones keep the
model from memorising a list. Word counts can be requested so a replacement
keeps the shape of the original (`Boston` by `Rauma`, `Glen Burnie` by `Lake
Jamesmouth`).
"""

from __future__ import annotations

import random
import re
import string
from functools import cache

from deidstream.detection.lexicons.vocabulary import place_names
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
_WARDS = ("Ward {n}{letter}", "{family} {n}", "{n} North", "{n} South", "{family} Building", "{family} Wing")


@cache
def _real_places_by_words() -> dict[int, tuple[str, ...]]:
    """GeoNames places, title-cased and grouped by word count; sorted so draws do not depend on hash order."""
    grouped: dict[int, list[str]] = {}
    for place in sorted(place_names()):
        if place.replace(" ", "").replace("-", "").isalpha():
            grouped.setdefault(len(place.split()), []).append(string.capwords(place))
    return {words: tuple(places) for words, places in grouped.items()}


def city(rng: random.Random, words: int | None = None) -> str:
    """A town or city, real or invented, of exactly `words` words when asked."""
    real = _real_places_by_words()
    for _ in range(12):
        if rng.random() < 0.6:
            candidates = real.get(words) if words else real[rng.choice((1, 1, 1, 2))]
            if candidates:
                return rng.choice(candidates)
        value = faker(rng, "en_US" if rng.random() < 0.6 else rng.choice(LOCALES)).city()
        if words is None or len(value.split()) == words:
            return value
    return " ".join(given_name(rng) for _ in range(words or 1))


def country(rng: random.Random) -> str:
    return rng.choice(COUNTRIES)


def street_address(rng: random.Random) -> str:
    """Number and street (`12 Main Street`, `4 Elm St. Apt 2`), the STREET_ADDRESS convention of synthetic.py."""
    fake = faker(rng, "en_US")
    if rng.random() < 0.2:
        return fake.street_address()  # sometimes with `Apt.` or `Suite`
    return f"{fake.building_number()} {fake.street_name()}"


def hospital(rng: random.Random) -> str:
    """A named hospital, clinic, nursing home or named ward."""
    template = rng.choice(_WARDS) if rng.random() < 0.12 else rng.choice(_HOSPITAL_PATTERNS)
    return template.format(
        city=city(rng, rng.choice((1, 1, 2))),
        given=given_name(rng),
        family=family_name(rng),
        n=rng.randint(2, 12),
        letter=rng.choice("ABCDEFGH"),
    )


def location_like(original: str, rng: random.Random) -> str:
    """A place of the same kind as `original`: street for a street, facility for a facility, town of as many words.

    Short all-capital originals are mostly abbreviations of hospitals in clinical
    notes, so they get an abbreviation back rather than a town.
    """
    stripped = original.strip()
    if stripped.isalpha() and stripped.isupper() and 2 <= len(stripped) <= 5:
        return acronym(rng, len(stripped))
    if re.match(r"\d", stripped) and re.search(r"[A-Za-z]{2}", stripped):
        return street_address(rng)
    if FACILITY_WORDS.search(stripped):
        return hospital_like(stripped, rng)
    if "," in stripped:
        state = faker(rng, "en_US").state_abbr(include_territories=False, include_freely_associated_states=False)
        return f"{city(rng)}, {state}"
    words = len(stripped.split())
    if words == 1 and rng.random() < 0.15:
        return rng.choice([name for name in COUNTRIES if " " not in name])
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
