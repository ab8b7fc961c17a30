"""Given and family names from many locales, with the spellings name detectors stumble on.

Faker's locales give diacritics (Hájková, Nguyễn, Gülşen) and foreign spellings;
on top of them this module adds the forms that break naive tokenizers and
capitalization rules: hyphens (Jean-Luc, Smith-Jones), apostrophes (O'Neil,
D'Angelo), Mc/Mac prefixes (McKenzie, MacLeod), run-together particles
(DeLuca, VanDyke), spaced particles (van der Berg, de la Cruz), and names
that are also words (Hope, June, Will, Brown, Ward, Bell) so the model cannot
decide by the word alone.

Callers ask for a number of words so a replacement can keep the shape of the
name it replaces: a one-word slot never gets `van der Berg`, only one-word forms.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from deidstream.tools.training.fakers import faker, pick_locale

HYPHENATED_GIVEN_CHANCE = 0.07
DECORATED_FAMILY_CHANCE = 0.18
WORDLIKE_CHANCE = 0.05  # names that are also English words, where only context tells a name from a word

WORDLIKE_GIVEN = (
    "Hope", "Faith", "Grace", "Joy", "Rose", "June", "April", "May", "Summer", "Autumn", "Dawn", "Will", "Bill",
    "Mark", "Grant", "Hunter", "Chase", "Rich", "Frank", "Art", "Sandy", "Iris", "Ivy", "Olive", "Pearl", "Ruby",
    "Amber", "Crystal", "Gene", "Guy", "Patience", "Sunny", "Destiny", "Heather", "Holly", "Bob", "Pat", "Sue",
)  # fmt: skip
WORDLIKE_FAMILY = (
    "Brown", "Baker", "White", "Black", "Green", "King", "Hill", "Wood", "Ward", "Bell", "Stone", "Park", "Rose",
    "Young", "Long", "Cook", "Hunt", "Fox", "Love", "Little", "Sharp", "Small", "Strong", "Walker", "Banks",
    "Waters", "Moody", "Swift", "Rich", "Lamb", "Cross", "Bush", "Wells", "Price", "Hope", "Major", "Dean", "Nurse",
)  # fmt: skip

_APOSTROPHE_FAMILIES = (
    "O'Neil", "O'Neill", "O'Brien", "O'Connor", "O'Sullivan", "O'Reilly", "O'Malley", "O'Donnell", "O'Hara",
    "O'Leary", "O'Keefe", "O'Rourke", "D'Angelo", "D'Amico", "D'Souza", "D'Arcy", "D'Agostino", "D'Alessandro",
    "D'Costa", "L'Heureux", "Dell'Orto",
)  # fmt: skip
_MC_STEMS = (
    "Donald", "Kenzie", "Carthy", "Bride", "Intyre", "Gregor", "Leod", "Kay", "Allister", "Dermott", "Guire",
    "Namara", "Millan", "Pherson", "Intosh", "Lean", "Cormick", "Laughlin", "Gowan", "Kinnon",
)  # fmt: skip
_RUN_TOGETHER = (
    "DeLuca", "DeMarco", "DiMaggio", "DiNapoli", "VanDyke", "VanBuren", "LaRosa", "LaFleur", "DuBois", "DeVries",
    "VonAhn", "DelVecchio", "LeBlanc", "DeSantis", "FitzGerald", "MacArthur",
)  # fmt: skip
_SPACED_PARTICLES = {
    1: ("van", "de", "da", "di", "del", "von", "le", "du", "dos", "bin", "al", "ter"),
    2: ("van der", "van den", "de la", "de los", "von der", "van de", "de las", "da la"),
}
_PARTICLE_STEMS = (
    "Berg", "Cruz", "Silva", "Heuvel", "Rosa", "Leyen", "Santos", "Costa", "Meer", "Torre", "Linden", "Vega",
    "Hoek", "Fuente", "Bruggen", "Mar", "Sousa", "Luna", "Velde", "Dijk",
)  # fmt: skip


@dataclass(frozen=True)
class Name:
    """One invented person; `middle` is a second given name, used only when a shape asks for one."""

    given: str
    family: str
    middle: str
    locale: str


def person(rng: random.Random, male: bool | None = None, family_words: int = 1, locale: str = "") -> Name:
    """A person from one locale, so given and family names belong together most of the time."""
    locale = locale or pick_locale(rng)
    is_male = rng.random() < 0.5 if male is None else male
    return Name(
        given_name(rng, is_male, locale),
        family_name(rng, family_words, locale),
        given_name(rng, is_male, locale),
        locale,
    )


def given_name(rng: random.Random, male: bool | None = None, locale: str = "") -> str:
    """One word (a hyphen joins two given names into one word: Jean-Luc, Anna-Lena)."""
    locale = locale or pick_locale(rng)
    is_male = rng.random() < 0.5 if male is None else male
    if rng.random() < WORDLIKE_CHANCE:
        return rng.choice(WORDLIKE_GIVEN)
    fake = faker(rng, locale)
    draw = fake.first_name_male if is_male else fake.first_name_female
    first = _one_word(draw)
    if rng.random() < HYPHENATED_GIVEN_CHANCE:
        return f"{first}-{_one_word(draw)}"
    return first


def family_name(rng: random.Random, words: int = 1, locale: str = "") -> str:
    """A family name of exactly `words` words; decorations (hyphen, apostrophe, Mc, particles) some of the time."""
    if words < 1:
        raise ValueError("a family name has at least one word")
    locale = locale or pick_locale(rng)
    if words > 1:
        return _particle_name(rng, words, locale)
    roll = rng.random()
    if roll < WORDLIKE_CHANCE:
        return rng.choice(WORDLIKE_FAMILY)
    if roll < WORDLIKE_CHANCE + DECORATED_FAMILY_CHANCE:
        return _decorated(rng, locale)
    return _one_word(faker(rng, locale).last_name)


def _decorated(rng: random.Random, locale: str) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return f"{_one_word(faker(rng, locale).last_name)}-{_one_word(faker(rng, pick_locale(rng)).last_name)}"
    if kind == 1:
        return rng.choice(_APOSTROPHE_FAMILIES)
    if kind == 2:
        return rng.choice(("Mc", "Mac")) + rng.choice(_MC_STEMS)
    return rng.choice(_RUN_TOGETHER)


def _particle_name(rng: random.Random, words: int, locale: str) -> str:
    """`van Berg`, `de la Cruz`; longer slots get a particle name after other family words."""
    particle_words = min(words - 1, 2)
    particle = rng.choice(_SPACED_PARTICLES[particle_words])
    stem = rng.choice(_PARTICLE_STEMS) if rng.random() < 0.5 else _one_word(faker(rng, locale).last_name)
    leading = [_one_word(faker(rng, locale).last_name) for _ in range(words - 1 - particle_words)]
    return " ".join([*leading, particle, stem])


def _one_word(draw: object) -> str:
    """Faker's next single-word value; some locales list compound names (`João Felipe`, `van Vliet`)."""
    assert callable(draw)
    for _ in range(20):
        value = str(draw())
        if " " not in value:
            return value
    return value.split()[-1]
