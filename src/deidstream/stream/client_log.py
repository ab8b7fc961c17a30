"""librdkafka's log lines, folded: a message that repeats is written once per interval, with a count.

While no broker answers, librdkafka logs every failed connection attempt, about
twenty lines a second per client: an outage would flood the log pipeline exactly
when an SRE needs to read it. Each client gets its own `FoldedLog` as its
`logger`. The first line of a kind is written at once; repeats within
`FOLD_INTERVAL_S` are only counted, and the next one after the interval is
written with the count of those held back. Lines are of the same kind when they
differ only in standalone numbers (durations, counters: "after 0ms", "timeout
#3") or in librdkafka's own note of errors it suppressed; numbers inside an
address or a name ("127.0.0.1:9092/1") keep lines apart, so each broker's
failures stay visible.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

FOLD_INTERVAL_S = 60.0

# A number standing alone: after a space, "(" or "#", and before a space, ")", ",", "/" or the end.
_VOLATILE_NUMBER = re.compile(r"(?<=[\s(#])\d+(?:\.\d+)?(?:[a-z]{1,2})?(?=[\s),/]|$)")
# librdkafka's own, shorter folding of repeated errors, which would make its lines of one kind look different.
_SUPPRESSED = re.compile(r", \d+ identical error\(s\) suppressed")


@dataclass
class _Kind:
    """When a line of one kind of message was last written, how many were held back since, and the latest's text."""

    text: str
    written_at: float
    held_back: int = 0


class FoldedLog:
    """A logger for one librdkafka client (confluent-kafka calls `log(level, format, *args)` from its poll)."""

    def __init__(
        self,
        logger: logging.Logger,
        interval_s: float = FOLD_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._logger = logger
        self._interval_s = interval_s
        self._clock = clock
        self._kinds: dict[tuple[int, str], _Kind] = {}
        self._lock = threading.Lock()  # librdkafka may log from its own threads while a client starts or closes

    def log(self, level: int, msg: str, *args: object) -> None:
        text = msg % args if args else msg
        key = (level, _VOLATILE_NUMBER.sub("#", _SUPPRESSED.sub("", text)))
        with self._lock:
            now = self._clock()
            previous = self._kinds.get(key)
            if previous is not None and now - previous.written_at < self._interval_s:
                previous.held_back += 1
                previous.text = text
                return
            self._forget_quiet_kinds(now)
            self._kinds[key] = _Kind(text, now)
        if previous is None or not previous.held_back:
            self._logger.log(level, "%s", text)
        else:
            self._logger.log(level, "%s%s", text, _held_back(previous, now))

    def flush(self) -> None:
        """Write what was held back since each kind's last line, with its count: the client is closing."""
        with self._lock:
            now = self._clock()
            pending = [(level, kind) for (level, _), kind in self._kinds.items() if kind.held_back]
            self._kinds.clear()
        for level, kind in pending:
            self._logger.log(level, "%s%s", kind.text, _held_back(kind, now))

    def _forget_quiet_kinds(self, now: float) -> None:
        """Drop the kinds with nothing held back whose interval is over, so the table stays small."""
        quiet = [
            key for key, kind in self._kinds.items() if not kind.held_back and now - kind.written_at >= self._interval_s
        ]
        for key in quiet:
            del self._kinds[key]


def _held_back(kind: _Kind, now: float) -> str:
    return f" ({kind.held_back} more like it in the last {now - kind.written_at:.0f} s)"
