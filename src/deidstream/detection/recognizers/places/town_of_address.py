"""The town after a street address: `lives at 82 Birchwood Lane, Northfield.`, `1234 Oak St, Apt 5, Springfield,
IL 62704`, `4 Rue Lepic, Montréal`.

An address line names the street, then the town, then the state and ZIP code.
The town is found by its place after the street, whatever it is called (no list
of towns is complete); a state after the street (`12 Main St, Ohio`) is not
identifying under HIPAA Safe Harbor and is left alone. `street_address.py` finds
the street, and the city before a state and ZIP code.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.detection.recognizers.base import ClinicalPatternRecognizer
from deidstream.detection.recognizers.places.street_address import STATE, STREET

# capitalised words, or words in capitals, of a town name: `Smithborough`, `Glen Ellyn`, `SAINT-LAURENT`
TOWN_WORD = r"(?:\p{Lu}\p{Ll}+(?:['’\-]\p{Lu}?\p{Ll}+)*|\p{Lu}[\p{Lu}'’\-]{2,})"
TOWN = rf"{TOWN_WORD}(?:[ \t]+{TOWN_WORD}){{0,2}}"


class TownOfAddressRecognizer(ClinicalPatternRecognizer):
    ENTITY = "LOCATION"
    PATTERNS = [
        Pattern(
            "town after a street address",
            rf"(?-i:{STREET}[ \t]*,?[ \t]*(?:\n[ \t]*)?\K(?!(?:{STATE})(?![\p{{L}}]))(?:{TOWN})(?=[ \t]*(?:[,.;:)\n]|$|\d{{5}}\b)))",
            0.7,
        ),
    ]
    CONTEXT = ["lives", "address", "resides", "home"]
