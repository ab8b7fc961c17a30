"""A time budget for detection: one report that makes the engine crawl must not hold the stream.

The worker runs detection in its main thread, so the budget is a real-time interval
timer (`signal.setitimer`) whose SIGALRM raises `DetectTimeout` inside the engine
call: the call is abandoned instead of being waited for. Python runs the handler
between bytecodes, so a single C call (one regular-expression match) finishes before
the exception lands; the engine's recognizers are short C calls in a Python loop.
Where no timer can be set (another thread, no SIGALRM), the call runs to its end and
`DetectTimeout` is raised afterwards if it took too long: the message is still
quarantined, only later.

The worker's `max.poll.interval.ms` must outlast the worst case of a batch: one try
of the whole batch under one budget, then each message under its own
(`Settings.poll_interval_needed_ms`).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class DetectTimeout(Exception):
    """Detection took longer than `max_detect_seconds`; says how long, never what was analysed."""


def _can_use_timer() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise `DetectTimeout` in the block once it has run for `seconds`."""
    started = time.monotonic()
    if not _can_use_timer():
        yield
        if time.monotonic() - started > seconds:
            raise DetectTimeout(f"detection took {time.monotonic() - started:.1f} s, budget {seconds:g} s")
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise DetectTimeout(f"detection stopped after {time.monotonic() - started:.1f} s, budget {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
