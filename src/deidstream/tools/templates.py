"""What the two report generators share (`synthetic.py` for tests and benchmarks, `training/` for the PHI model):
templates whose `{field}`s are drawn on demand, and the random draws they are written with.

A template names the values it needs; each is resolved from the values given for
that template or from the generator's table of field functions, so only the
values a paragraph uses are drawn, and PHI values come back as `Phi`, which the
generator turns into gold spans.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple, TypeVar

from faker import Faker

Writer = TypeVar("Writer")


class Phi(NamedTuple):
    """A PHI value to write, with the entity type of its gold span."""

    text: str
    type: str


def expand(
    template: str, given: Mapping[str, str | Phi], fields: Mapping[str, Callable[[Writer], str | Phi]], writer: Writer
) -> Iterator[str | Phi]:
    """The pieces of `template` in order: literal text, and each `{field}` from `given` or else `fields`."""
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        yield literal
        if field is not None:
            yield given[field] if field in given else fields[field](writer)


class RandomDraws:
    """Small choices drawn from one seeded generator, so the same seed writes the same text."""

    rng: random.Random

    def pick(self, *options: str) -> str:
        return self.rng.choice(options)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def number(self, low: float, high: float, decimals: int = 1) -> str:
        return f"{self.rng.uniform(low, high):.{decimals}f}"


def us_state(fake: Faker, draws: RandomDraws) -> str:
    """A US state, spelt out or abbreviated: plain text in both generators, as a state is no PHI under Safe Harbor."""
    if draws.chance(0.3):
        return fake.state()
    return fake.state_abbr(include_territories=False, include_freely_associated_states=False)
