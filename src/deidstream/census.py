"""The US Census name frequency lists (shipped by the `names` package), loaded once per process.

Shared by detection (a listed name is a candidate, never a reason to drop one) and by
anonymization (whether a word is more often a first name or a surname), so it sits
below both rather than in either.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def census_first_names() -> dict[str, int]:
    """First name -> frequency rank (1 is the most common)."""
    return _census("dist.female.first") | _census("dist.male.first")


@cache
def census_surnames() -> dict[str, int]:
    """Surname -> frequency rank (1 is the most common)."""
    return _census("dist.all.last")


def _census(file_name: str) -> dict[str, int]:
    """Census files hold `NAME  freq  cumulative-freq  rank` lines."""
    text = files("names").joinpath(file_name).read_text(encoding="ascii")
    return {fields[0].lower(): int(fields[3]) for line in text.splitlines() if len(fields := line.split()) == 4}
