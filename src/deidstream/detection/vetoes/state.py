"""A US state taken for an identifying place: `sister in Illinois`, `MOVED FROM NEW MEXICO`.

HIPAA Safe Harbor removes geographic subdivisions smaller than a state; a state
itself identifies nobody, and the place recognizers already skip one. The NER does
not know that, so a place that is a state's full name, and nothing more, is
dropped here. `New York` and `Washington` are kept: they name cities as often.
So is a state that opens a facility's name (`Maryland Rehab`, `Vermont General`):
the facility is PHI, and the state is part of its name.
"""

from __future__ import annotations

import regex

from deidstream.detection.lexicons.facility_words import FACILITY_AFTER
from deidstream.detection.lexicons.us_states import STATE_NAMES
from deidstream.entity import EntityType

CITY_STATES = frozenset({"new york", "washington"})
STATES = frozenset(name.lower() for name in STATE_NAMES) - CITY_STATES
BLANKS = regex.compile(r"[ \t]+")


class StateVeto:
    name = "StateVeto"

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if entity_type != EntityType.LOCATION:
            return False
        if BLANKS.sub(" ", text[start:end].strip(" \t.,;:")).lower() not in STATES:
            return False
        gap = BLANKS.match(text, end)
        return gap is None or FACILITY_AFTER.match(text, gap.end()) is None
