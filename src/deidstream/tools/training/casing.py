"""Letter case: follow the original's case most of the time, sometimes not.

Notes are written in capitals (ICU nursing), lower case (hurried nursing notes)
and title case; a model that only ever sees title-case names learns that
capitals mean a name. Keeping the original's case keeps each note consistent;
the occasional random case keeps the model from trusting case at all.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

UPPER, LOWER, TITLE, MIXED = "upper", "lower", "title", "mixed"
SENTENCE = "sentence"  # a whole text: lower case but the first letter of each sentence and line
_SENTENCE_START = re.compile(r"(\A\W*|[.!?]\s+|\n\W*)([^\W\d_])")
RANDOM_CASE_CHANCE = 0.15
NEARLY_ALL = 0.9


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


def written_case(text: str) -> str:
    """How a whole text is written: UPPER or LOWER when nearly all its letters are (a heading or an acronym may
    differ), MIXED otherwise."""
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return MIXED
    upper = sum(char.isupper() for char in letters)
    if upper >= NEARLY_ALL * len(letters):
        return UPPER
    if upper <= (1 - NEARLY_ALL) * len(letters):
        return LOWER
    return MIXED


def recase(text: str, case: str) -> str:
    """The whole `text` in UPPER, LOWER or SENTENCE case, one character for one, so offsets into it stay valid.

    A letter whose case mapping has another length (`ß` to `SS`, `İ` to `i̇`) is left as it is.
    """
    if case == UPPER:
        return _each(text, str.upper)
    if case == LOWER:
        return _each(text, str.lower)
    if case == SENTENCE:
        return _SENTENCE_START.sub(lambda start: start[1] + _each(start[2], str.upper), _each(text, str.lower))
    raise ValueError(f"a text is recased to {UPPER}, {LOWER} or {SENTENCE}, not {case!r}")


def _each(text: str, mapping: Callable[[str], str]) -> str:
    return "".join(mapped if len(mapped := mapping(char)) == 1 else char for char in text)
