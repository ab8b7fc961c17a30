"""The soak: the engine kept busy for a set time after warm-up, its RSS sampled from start to end.

A worker runs for weeks, so memory that grows with every batch is a slow outage.
With a generated corpus every round brings fresh reports (new names, numbers,
dates), which is what would expose per-string growth such as spaCy's vocabulary;
a file corpus can only be replayed.

RSS moves by several MB within each batch (its documents come and go), and the
allocator keeps growing its arenas for the first minute or so. So the soak
starts after a warm-up of one pass over the corpus and at least `WARM_UP_S`, and
RSS at start and at end are medians over the first and the last `EDGE_S` of the
soak, not single samples.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from deidstream.anonymization.anonymizer import Anonymizer
from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.tools.bench.corpus import Corpus
from deidstream.tools.bench.engine_batches import batches, tag_batch
from deidstream.tools.bench.isolated import Ready
from deidstream.tools.bench.procinfo import peak_rss_mb, rss_mb

WARM_UP_S = 60.0
EDGE_S = 30.0
SAMPLE_EVERY_S = 2.0


@dataclass(frozen=True)
class SoakResult:
    seconds: float
    warm_up_s: float
    messages: int
    rounds: int
    fresh_texts: bool
    rss_start_mb: float | None
    rss_end_mb: float | None
    peak_rss_mb: float | None
    rss_samples: list[tuple[float, float]]

    @property
    def growth_pct(self) -> float | None:
        if self.rss_start_mb is None or self.rss_end_mb is None:
            return None
        return round((self.rss_end_mb - self.rss_start_mb) / self.rss_start_mb * 100, 2)

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "growth_pct": self.growth_pct}


class _Rounds:
    """Batches of the corpus, round after round, fresh texts each round when the corpus can make them."""

    def __init__(self, corpus: Corpus, batch_size: int) -> None:
        self._corpus, self._size, self.count = corpus, batch_size, 0

    def __iter__(self) -> Iterator[list[str]]:
        while True:
            yield from batches(self._corpus.round(self.count), self._size)
            self.count += 1


def soak_engine(corpus: Corpus, settings: Settings, seconds: float, *, ready: Ready) -> SoakResult:
    engine, tags = Engine(settings.engine), Anonymizer()
    ready()
    rounds = _Rounds(corpus, settings.batch_max_messages)
    warm_up_started = time.monotonic()
    samples: list[tuple[float, float]] = []
    messages = 0
    stream = iter(rounds)
    for batch in stream:  # warm-up: a whole round and WARM_UP_S, so that caches and arenas have grown
        tag_batch(engine, tags, batch)
        if rounds.count >= 1 and time.monotonic() - warm_up_started >= WARM_UP_S:
            break
    started = next_sample = time.monotonic()
    for batch in stream:
        tag_batch(engine, tags, batch)
        now = time.monotonic()
        messages += len(batch)
        if now >= next_sample and (rss := rss_mb()) is not None:
            samples.append((round(now - started, 1), rss))
            next_sample = now + SAMPLE_EVERY_S
        if now - started >= seconds:
            break
    elapsed = samples[-1][0] if samples else 0.0
    return SoakResult(
        seconds=round(time.monotonic() - started, 1),
        warm_up_s=round(started - warm_up_started, 1),
        messages=messages,
        rounds=rounds.count,
        fresh_texts=corpus.source == "generated",
        rss_start_mb=_median([rss for at, rss in samples if at <= EDGE_S]),
        rss_end_mb=_median([rss for at, rss in samples if at >= elapsed - EDGE_S]),
        peak_rss_mb=peak_rss_mb(),
        rss_samples=samples,
    )


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None
