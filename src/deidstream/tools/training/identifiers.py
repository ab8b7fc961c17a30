"""Numbers and codes (record numbers, accounts, SSNs, ZIP codes) that keep the original's pattern.

A model learns an identifier from its label and its look (`MRN: 0934122`,
`Acct #A12-55310`); keeping the pattern character class by character class
keeps the look, while every digit and letter is new. Now and then the length
changes by a character or two so the model does not learn exact lengths.
"""

from __future__ import annotations

import random
import string

LENGTH_CHANGE_CHANCE = 0.2


def same_pattern(original: str, rng: random.Random, vary_length: bool = True) -> str:
    """Each digit a random digit, each letter a random letter of its case; everything else kept."""
    characters = [_like(char, rng) for char in original]
    if vary_length and rng.random() < LENGTH_CHANGE_CHANCE:
        digit_positions = [index for index, char in enumerate(original) if char.isdigit()]
        if digit_positions and rng.random() < 0.5 and len(digit_positions) > 2:
            del characters[rng.choice(digit_positions)]
        elif digit_positions:
            position = rng.choice(digit_positions)
            characters.insert(position, rng.choice(string.digits))
    return "".join(characters)


def _like(char: str, rng: random.Random) -> str:
    if char.isdigit():
        return rng.choice(string.digits)
    if char.isalpha() and char.isascii():
        return rng.choice(string.ascii_uppercase if char.isupper() else string.ascii_lowercase)
    return char


def ssn(rng: random.Random) -> str:
    """Nine digits as written in notes: dashed most often, also spaced or run together."""
    area, group, serial = rng.randint(1, 899), rng.randint(1, 99), rng.randint(1, 9999)
    return rng.choice(
        ("{a:03}-{g:02}-{s:04}", "{a:03}-{g:02}-{s:04}", "{a:03} {g:02} {s:04}", "{a:03}{g:02}{s:04}")
    ).format(a=area, g=group, s=serial)


def identifier(rng: random.Random) -> str:
    """A record, account or accession number in one of the common patterns."""
    pattern = rng.choice(
        ("#######", "########", "#########", "##-###-##", "A#######", "??######", "###-##-####-#", "E#########",
         "MRN#######", "#####-####", "??-#####", "#### #### ####", "S##-#####", "##########")
    )  # fmt: skip
    out = []
    for char in pattern:
        if char == "#":
            out.append(rng.choice(string.digits))
        elif char == "?":
            out.append(rng.choice(string.ascii_uppercase))
        else:
            out.append(char)
    return "".join(out)
