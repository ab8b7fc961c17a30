"""What counts as the same value: `John Smith`, `JOHN SMITH` and `Smith, John` are one person.

Keyed operators (tokens, surrogates) hash a canonical form of the original rather
than its spelling, so that one patient or one number gets one pseudonym wherever
and however it is written. Names are read into words with roles (given, family,
initial, or a title kept as written), numbers are reduced to their letters and
digits, everything else to lower-case words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from deidstream.census import census_first_names, census_surnames
from deidstream.entity import EntityType

NAME_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")
# Titles, suffixes and degrees that may sit inside a name span: kept as written, not part of the identity.
KEPT_WORDS = frozenset(
    {
        "dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "jr", "sr", "ii", "iii", "iv",
        "md", "do", "rn", "np", "pa", "phd", "dds", "dmd", "lpn", "msn", "bsn", "cnm", "crna",
    }
)  # fmt: skip
NUMBER_TYPES = frozenset({"PHONE_NUMBER", "US_SSN", "ID", "DEVICE_ID", "LICENSE_NUMBER", "ZIP_CODE", "CREDIT_CARD"})

Role = Literal["given", "family", "initial", "kept"]
# What the fields of a message say each name word is (`isolde` -> given), by `word_key`; see `name_words`.
NameRoles = Mapping[str, Literal["given", "family"]]


def word_key(word: str) -> str:
    """A name word without case, trailing period or typographic apostrophe: how name words are compared."""
    return word.rstrip(".").replace("’", "'").casefold()


@dataclass(frozen=True)
class NameWord:
    """One word of a name span, where it sits, and what part of the name it is."""

    start: int
    end: int
    text: str
    role: Role

    @property
    def key(self) -> str:
        """The word without case, trailing period or typographic apostrophe."""
        return word_key(self.text)


def name_words(text: str, known_roles: NameRoles | None = None) -> list[NameWord]:
    """The words of a person's name with their roles.

    When the message's fields say what every full word is (`known_roles`: PID-5 gave
    `IZZY` as a given name), that decides, so `izzy` alone in a note is the given name
    the field had. Otherwise `Last, First` puts the family name first, else the last
    full word is the family name, and a name of one word is a given name when it is
    more common as one than as a surname in the US Census lists (`John`), else a
    family name (`Smith`, `Taylor`). Single letters are initials, titles and degrees
    are kept.
    """
    words = [_word(match) for match in NAME_WORD.finditer(text)]
    full = [index for index, word in enumerate(words) if word.role == "given"]
    if known_roles and full and all(words[index].key in known_roles for index in full):
        family = {index for index in full if known_roles[words[index].key] == "family"}
    elif len(full) == 1:
        family = set(full) if not _more_common_as_first_name(words[full[0]].key) else set()
    else:
        after_comma = [index for index in full[1:] if "," in text[words[full[0]].end : words[index].start]]
        family = {index for index in full if index < after_comma[0]} if after_comma else set(full[-1:])
    return [
        NameWord(word.start, word.end, word.text, "family") if index in family else word
        for index, word in enumerate(words)
    ]


def _word(match: re.Match[str]) -> NameWord:
    """A word as a given name, an initial or a kept title; `name_words` then picks the family name."""
    bare = match.group().rstrip(".")
    role: Role = "kept" if bare.casefold() in KEPT_WORDS else "initial" if len(bare) == 1 else "given"
    return NameWord(match.start(), match.end(), match.group(), role)


def canonical(entity_type: str, text: str, known_roles: NameRoles | None = None) -> str:
    """The form keyed operators hash: equal for every spelling of the same value."""
    if entity_type == EntityType.PERSON:
        words = [word for word in name_words(text, known_roles) if word.role != "kept"]
        ordered = [word for word in words if word.role != "family"] + [word for word in words if word.role == "family"]
        return " ".join(word.key for word in ordered)
    if entity_type in NUMBER_TYPES:
        return "".join(char for char in text.casefold() if char.isalnum())
    return " ".join(re.findall(r"\w+", text.casefold()))


def _more_common_as_first_name(key: str) -> bool:
    first_rank = census_first_names().get(key)
    surname_rank = census_surnames().get(key)
    return first_rank is not None and (surname_rank is None or first_rank < surname_rank)
