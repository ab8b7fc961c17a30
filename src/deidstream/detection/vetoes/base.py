"""What a veto is: a named rule that shows a candidate span is not PHI.

The engine takes the union of every recognizer's candidates and drops one only
when a veto says so. Vetoes name themselves so that `deidstream eval` can count
what each one drops, true PHI included: a veto that drops names does not earn
its keep.
"""

from __future__ import annotations

from typing import Protocol


class Veto(Protocol):
    name: str

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        """Whether `text[start:end]`, proposed as `entity_type`, is shown not to be PHI."""
        ...
