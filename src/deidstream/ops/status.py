"""The periodic status line for the person at the terminal: rates, lag and quarantine in one line.

It reads the same multiprocess metric files as `/metrics`, so the line and the
dashboards never disagree, and it needs no Prometheus server to be useful while
trying the worker out. Written to standard error, so it never mixes with output
that a script might parse.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TextIO

from deidstream.ops.metrics_setup import workers_registry


@dataclass(frozen=True)
class Totals:
    """Counters summed over every worker process, and the current lag over every partition."""

    consumed: float
    clean: float
    quarantined: float
    lag: float

    @classmethod
    def read(cls) -> Totals:
        registry = workers_registry()
        sums: dict[str, float] = {}
        for family in registry.collect():
            for sample in family.samples:
                sums[sample.name] = sums.get(sample.name, 0.0) + sample.value
        return cls(
            consumed=sums.get("deidstream_messages_consumed_total", 0.0),
            clean=sums.get("deidstream_messages_clean_total", 0.0),
            quarantined=sums.get("deidstream_messages_quarantined_total", 0.0),
            lag=sums.get("deidstream_consumer_lag", 0.0),
        )


class StatusLine:
    """Prints a line every `interval_s` when `maybe_print` is called from a loop that turns more often."""

    def __init__(self, interval_s: float, stream: TextIO = sys.stderr) -> None:
        self._interval_s = interval_s
        self._stream = stream
        self._last = Totals.read()
        self._last_time = time.monotonic()

    def maybe_print(self, processes_alive: int) -> None:
        now = time.monotonic()
        elapsed = now - self._last_time
        if elapsed < self._interval_s:
            return
        totals = Totals.read()
        rate_in = (totals.consumed - self._last.consumed) / elapsed
        rate_out = (totals.clean + totals.quarantined - self._last.clean - self._last.quarantined) / elapsed
        print(
            f"deidstream: {rate_in:.1f} msg/s in, {rate_out:.1f} msg/s out, lag {totals.lag:.0f}, "
            f"{totals.consumed:.0f} consumed, {totals.clean:.0f} clean, {totals.quarantined:.0f} quarantined, "
            f"{processes_alive} processes",
            file=self._stream,
            flush=True,
        )
        self._last, self._last_time = totals, now
