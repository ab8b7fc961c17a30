"""Regions named by a compass word: `the North Shore`, `West Coast`, `South End`, `East Valley`.

Families come from, live on and vacation in regions as often as in towns, and a
region smaller than a state identifies under HIPAA Safe Harbor. The gazetteer
lists populated places, not regions, so their shape finds them: a compass word
and a word for a coast, district or valley, capitalised as a name.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.detection.base.recognizers import ClinicalPatternRecognizer
from deidstream.entity import EntityType

COMPASS_WORDS = ("Eastern", "Western", "Northern", "Southern", "North", "South", "East", "West")
AREA_WORDS = ("Shore", "Coast", "Side", "End", "Valley", "Peninsula", "Hills", "Mountains")


def _capitalised(words: tuple[str, ...]) -> str:
    """Title case or capitals: `North Shore` or `NORTH SHORE`, not `west side of the bed`."""
    return "|".join(words + tuple(word.upper() for word in words))


class RegionRecognizer(ClinicalPatternRecognizer):
    ENTITY = EntityType.LOCATION
    PATTERNS = [
        Pattern(
            "compass word and area",
            # Presidio matches patterns ignoring case unless told otherwise
            rf"(?-i:\b(?:{_capitalised(COMPASS_WORDS)})[ \t]+(?:{_capitalised(AREA_WORDS)})\b)",
            0.7,
        )
    ]
