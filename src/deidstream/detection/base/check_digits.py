"""Checks a site's identifier patterns may ask for by name: Luhn, weighted modulus 11, and length.

A hospital's record or accession numbers often end in a check digit; asking for it
keeps a pattern as loose as `\\d{8}` from taking every eight digits of a note for
one. Separators (blanks, dashes, dots, slashes) are left out before checking.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import regex

SEPARATORS = regex.compile(r"[\s\-./]")
MOD11_TEN = "X"  # a check character of 10, as ISBN-10 writes it


def _characters(text: str) -> str:
    return SEPARATORS.sub("", text)


def luhn(text: str) -> bool:
    """The Luhn check (payment cards, many record numbers): every second digit from the right doubled, the digits'
    sum a multiple of ten."""
    digits = _characters(text)
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def mod11(text: str) -> bool:
    """Weighted modulus 11 (NHS numbers, ISBN-10 and many record numbers): the digits before the last weighted 2, 3,
    4, ... from the right, the last is `(11 - sum % 11) % 11`, written `X` for 10."""
    characters = _characters(text).upper()
    body, check = characters[:-1], characters[-1:]
    if not body.isdigit() or not (check.isdigit() or check == MOD11_TEN):
        return False
    total = sum(int(digit) * weight for weight, digit in enumerate(reversed(body), start=2))
    expected = (11 - total % 11) % 11
    return check == (MOD11_TEN if expected == 10 else str(expected))


def length(allowed: Collection[int]) -> Callable[[str], bool]:
    """A check that the letters and digits number one of `allowed`."""
    return lambda text: len(_characters(text)) in allowed
