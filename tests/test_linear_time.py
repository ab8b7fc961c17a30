"""Detection time linear in the text: a cheap version of `benchmarks/adversarial.py`.

Each shape was quadratic or worse before issue 13 (runs of blanks through a regex that started at every blank,
lists of names read once per cue, propagation's alternation of every name, Presidio's context enhancer scanning
all tokens for each phone number). Four times the text must take well under sixteen times as long; the bound is
generous because the test shares the machine (and it counts CPU time of this process, not wall time).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from deidstream.detection.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from adversarial import shape_text  # noqa: E402

MAX_RATIO_FOR_4X = 6.0


def _seconds(engine: Engine, text: str) -> float:
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        engine.analyze_batch([text])
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize(
    "shape,size",
    [
        ("spaces", 10_000),
        ("relation words", 2_500),
        ("distinct names", 2_500),
        ("phone-like run", 2_500),
        ("mixed scripts", 2_500),
    ],
)
def test_detection_time_grows_linearly(engine: Engine, shape: str, size: int) -> None:
    small, large = _seconds(engine, shape_text(shape, size)), _seconds(engine, shape_text(shape, 4 * size))
    assert large / small <= MAX_RATIO_FOR_4X, f"{shape}: {small:.3f} s at {size}, {large:.3f} s at {4 * size}"
