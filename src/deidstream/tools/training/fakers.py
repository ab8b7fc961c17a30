"""Faker instances for a mix of locales, created once, driven by the caller's random generator.

Creating a Faker instance costs milliseconds (it loads every provider), so each
locale gets one instance per process. Determinism comes from the caller: every
draw first points the instance at the caller's `random.Random`, so the values
depend only on that generator (and on the pinned Faker release), never on the
order in which other code used the shared instances, nor on the process' hash
seed (a city list built from a set is sorted first). Not thread-safe, which
training tooling does not need.
"""

from __future__ import annotations

import random
from functools import cache

from faker import Faker

# Locales whose names appear in clinical notes written in English; en_US weighs most because US notes
# dominate the target corpora, the others make sure diacritics, particles and unfamiliar spellings appear.
LOCALE_WEIGHTS: dict[str, int] = {
    "en_US": 30,
    "en_GB": 5,
    "en_IE": 3,
    "ga_IE": 1,
    "en_IN": 4,
    "es_ES": 4,
    "es_MX": 6,
    "fr_FR": 4,
    "de_DE": 4,
    "it_IT": 4,
    "pt_BR": 4,
    "pl_PL": 3,
    "nl_NL": 3,
    "vi_VN": 3,
    "cs_CZ": 2,
    "sv_SE": 2,
    "tr_TR": 2,
    "ro_RO": 2,
    "hu_HU": 2,
    "fi_FI": 2,
}
LOCALES = tuple(LOCALE_WEIGHTS)
_WEIGHTS = tuple(LOCALE_WEIGHTS.values())


@cache
def _instance(locale: str) -> Faker:
    fake = Faker(locale)
    for provider in fake.get_providers():
        cities = getattr(provider, "cities", None)
        if isinstance(cities, list):  # it_IT builds its list from a set: its order followed the process' hash seed
            cities.sort()
    return fake


def faker(rng: random.Random, locale: str = "en_US") -> Faker:
    """The shared instance for `locale`, drawing from `rng` until the next call repoints it."""
    fake = _instance(locale)
    fake.random = rng  # type: ignore[attr-defined]  # Faker's proxy forwards it to its generator, untyped
    return fake


def pick_locale(rng: random.Random) -> str:
    return rng.choices(LOCALES, weights=_WEIGHTS)[0]
