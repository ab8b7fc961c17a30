"""Letter case: follow the original's case most of the time, sometimes not.

Notes are written in capitals (ICU nursing), lower case (hurried nursing notes)
and title case; a model that only ever sees title-case names learns that
capitals mean a name. Keeping the original's case keeps each note consistent;
the occasional random case keeps the model from trusting case at all.
"""

from __future__ import annotations

import random

UPPER, LOWER, TITLE, MIXED = "upper", "lower", "title", "mixed"
RANDOM_CASE_CHANCE = 0.15


def case_of(text: str) -> str:
    """UPPER, LOWER, TITLE (as written, capitals where words start) or MIXED when no letters decide."""
    letters = [char for char in text if char.isalpha()]
    if len(letters) > 1 and all(char.isupper() for char in letters):
        return UPPER
    if letters and all(char.islower() for char in letters):
        return LOWER
    return TITLE if letters else MIXED


def apply_case(value: str, case: str) -> str:
    """`value` in `case`; TITLE and MIXED leave it as generated, which already capitalizes names properly."""
    if case == UPPER:
        return value.upper()
    if case == LOWER:
        return value.lower()
    return value


def follow_case(value: str, original: str, rng: random.Random, random_chance: float = RANDOM_CASE_CHANCE) -> str:
    """`value` in the case of `original`, or with probability `random_chance` in a random case."""
    if rng.random() < random_chance:
        return apply_case(value, rng.choice((UPPER, LOWER, TITLE)))
    return apply_case(value, case_of(original))
