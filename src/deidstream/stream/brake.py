"""The quarantine brake: a topic whose messages mostly go to quarantine is stopped, not drained into it.

A wrong `json_paths`, a producer that changed its format, a model that fails on
every text: each sends the whole stream to quarantine, where nobody may read it
and where it is committed as done. The brake notices first. It keeps, per input
topic, the outcomes of the last `quarantine_window` messages; once more than
`quarantine_max_ratio` of that window is quarantined, the topic is braked: the
worker pauses its partitions and publishes and commits nothing more of it, so the
messages stay on the input topic for a fixed worker to process after a restart.
Reasons in `quarantine_brake_ignores` (oversized or undecodable messages a
producer sends now and then) are left out of the window.

This follows arroyo's `DlqLimit` (getsentry/arroyo, `arroyo/dlq.py`), which
stops a consumer whose invalid-message ratio or run of invalid messages passes a
limit, over a sliding window rather than since start. Until a window is full the
missing outcomes count as clean, so the first bad messages of a stream cannot
brake it on their own.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable

from deidstream.stream.records import QuarantineReason


class QuarantineBrake:
    """Sliding windows of quarantine outcomes per input topic, and the topics braked so far."""

    def __init__(self, window: int, max_ratio: float, ignores: Iterable[str] = ()) -> None:
        self.window = window
        self.max_ratio = max_ratio
        self._ignores = frozenset(ignores)
        self._outcomes: dict[str, deque[QuarantineReason | None]] = {}
        self.braked: set[str] = set()

    def record(self, topic: str, reason: QuarantineReason | None) -> bool:
        """Count one message of `topic` (None: clean); True when this one engages the topic's brake."""
        if topic in self.braked or (reason is not None and reason.value in self._ignores):
            return False
        outcomes = self._outcomes.setdefault(topic, deque(maxlen=self.window))
        outcomes.append(reason)
        if self.quarantined(topic) > self.max_ratio * self.window:
            self.braked.add(topic)
            return True
        return False

    def quarantined(self, topic: str) -> int:
        """Messages of the topic's window that went to quarantine (and count)."""
        return sum(reason is not None for reason in self._outcomes.get(topic, ()))

    def reasons(self, topic: str) -> Counter[str]:
        """The quarantine reasons in the topic's window, for the log line: a fixed set of names, never content."""
        return Counter(reason.value for reason in self._outcomes.get(topic, ()) if reason is not None)
