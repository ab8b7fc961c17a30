"""Phone, fax and pager numbers in the written forms of notes, grouped by how many digits they show.

Shape classes follow the digits of the original: an extension alone (`x4412`),
a local seven-digit number (`555-1234`), a ten-digit national number in its many
punctuations, a number with an extension, and international numbers. A
replacement keeps the class most of the time, so `ext 4412` is not replaced by
a full international number that no longer fits `call back at ___`.
"""

from __future__ import annotations

import random
import re

EXTENSION, LOCAL, NATIONAL, WITH_EXTENSION, INTERNATIONAL = (
    "extension",
    "local",
    "national",
    "with_extension",
    "international",
)
SHAPES = (EXTENSION, LOCAL, NATIONAL, WITH_EXTENSION, INTERNATIONAL)
KEEP_SHAPE_CHANCE = 0.85

_NATIONAL = (
    "({a}){e}-{l}", "({a}) {e}-{l}", "{a}-{e}-{l}", "{a}.{e}.{l}", "{a} {e} {l}", "{a}/{e}-{l}", "{a}{e}{l}",
    "1-{a}-{e}-{l}", "1 ({a}) {e}-{l}",
)  # fmt: skip
_EXTENSION_MARKS = ("x{x}", " x{x}", " ext {x}", " ext. {x}", " Ext {x}", " X{x}", "#{x}", " extension {x}")
_LOCAL = ("{e}-{l}", "{e} {l}", "{e}.{l}", "{e}{l}")
_EXTENSION_ONLY = ("x{x}", "x {x}", "ext {x}", "ext. {x}", "X{x}", "{x}", "{d}-{x}")
_INTERNATIONAL = (
    "+1-{a}-{e}-{l}", "+1 ({a}) {e}-{l}", "+44 20 {e4} {l}", "+44 7{e3} {l6}", "+33 1 {p2} {p2} {p2} {p2}",
    "+49 30 {e4}{l}", "+34 91 {e3} {p2} {p2}", "+52 55 {e4} {l}", "001-{a}-{e}-{l}", "+39 06 {e4} {l}",
    "+1-{a}-{e}-{l}x{x5}", "+353 1 {e3} {l}", "+91 98{e3} {l6}",
)  # fmt: skip


def shape_of(text: str) -> str:
    """The class of a written number, from its digit count and any extension mark or `+`."""
    digits = len(re.findall(r"\d", text))
    has_extension = bool(re.search(r"x|ext|#", text, re.I))
    if text.lstrip().startswith("+") or text.startswith("00") or digits > 11 and not has_extension:
        return INTERNATIONAL
    if digits <= 5:
        return EXTENSION
    if has_extension:
        return WITH_EXTENSION
    if digits <= 8:
        return LOCAL
    return NATIONAL


def write_phone(shape: str, rng: random.Random) -> str:
    """A number of class `shape` in a random written form."""
    area, exchange = rng.randint(201, 989), rng.randint(201, 989)
    values = {
        "a": str(area),
        "e": str(exchange),
        "l": f"{rng.randrange(10000):04}",
        "x": str(rng.randint(10, 99999) if rng.random() < 0.2 else rng.randint(100, 9999)),
        "x5": f"{rng.randrange(100000):05}",
        "d": str(rng.randint(1, 9)),
        "e3": f"{rng.randrange(1000):03}",
        "e4": f"{rng.randrange(10000):04}",
        "l6": f"{rng.randrange(1000000):06}",
    }
    if shape == EXTENSION:
        template = rng.choice(_EXTENSION_ONLY)
    elif shape == LOCAL:
        template = rng.choice(_LOCAL)
    elif shape == NATIONAL:
        template = rng.choice(_NATIONAL)
    elif shape == WITH_EXTENSION:
        template = rng.choice(_NATIONAL) + rng.choice(_EXTENSION_MARKS)
    else:
        template = rng.choice(_INTERNATIONAL)
    while "{p2}" in template:  # each pair its own digits, so French-style numbers do not repeat one pair
        template = template.replace("{p2}", f"{rng.randrange(100):02}", 1)
    return template.format(**values)


def replacement(original: str, rng: random.Random) -> str:
    """A new number for `original`: same class with probability KEEP_SHAPE_CHANCE, any class otherwise."""
    shape = shape_of(original) if rng.random() < KEEP_SHAPE_CHANCE else rng.choice(SHAPES)
    return write_phone(shape, rng)
