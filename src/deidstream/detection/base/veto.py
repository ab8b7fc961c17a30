"""What a veto is: a named rule that shows a candidate span is not PHI; and what the vetoes of names read alike.

The engine takes the union of every recognizer's candidates and drops one only
when a veto says so. Vetoes name themselves so that `deidstream eval` can count
what each one drops, true PHI included: a veto that drops names does not earn
its keep.
"""

from __future__ import annotations

from typing import Protocol

import regex

from deidstream.detection.lexicons.titles import NAMING_TITLES

# A word without the hyphen of a heading or a cut-off compound after it (`heme-`, `Ortho-`).
WORD = regex.compile(r"\p{L}(?:[\p{L}'’\-]*\p{L})?")
# Shorter words are abbreviations and names alike (`St`, `Ed`, `Or`): they show nothing either way.
MIN_TERM_LENGTH = 3
TITLE_BEFORE = regex.compile(rf"(?i)\b(?:{NAMING_TITLES})\.?[ \t]*$")
TITLE_REACH = 12


class Veto(Protocol):
    name: str

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        """Whether `text[start:end]`, proposed as `entity_type`, is shown not to be PHI."""
        ...


def after_title(text: str, start: int) -> bool:
    """Whether a title stands right before `start` (`Dr. Murphy`, `Nurse Will`): after one every word is a name."""
    return TITLE_BEFORE.search(text, max(0, start - TITLE_REACH), start) is not None
