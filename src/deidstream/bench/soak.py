"""The soak: the engine kept busy for a set time after warm-up, its RSS sampled from start to end.

A worker runs for weeks, so memory that grows with every batch is a slow outage.
With a generated corpus every round brings fresh reports (new names, numbers,
dates), which is what would expose per-string growth such as spaCy's vocabulary;
a file corpus can only be replayed.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from deidstream.bench.corpus import Corpus
from deidstream.bench.engine_batches import batches
from deidstream.bench.isolated import Ready
from deidstream.bench.procinfo import peak_rss_mb, rss_mb
from deidstream.config import Settings
from deidstream.engine import Engine

SAMPLE_EVERY_S = 5.0


@dataclass(frozen=True)
class SoakResult:
    seconds: float
    messages: int
    rounds: int
    fresh_texts: bool
    rss_start_mb: float | None
    rss_end_mb: float | None
    peak_rss_mb: float | None
    rss_samples: list[tuple[float, float | None]]

    @property
    def growth_pct(self) -> float | None:
        if self.rss_start_mb is None or self.rss_end_mb is None:
            return None
        return round((self.rss_end_mb - self.rss_start_mb) / self.rss_start_mb * 100, 2)

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "growth_pct": self.growth_pct}


def soak_engine(corpus: Corpus, settings: Settings, seconds: float, *, ready: Ready) -> SoakResult:
    engine = Engine(settings.engine)
    ready()
    size = settings.batch_max_messages
    for batch in batches(corpus.round(0), size):
        engine.anonymize_batch(batch)
    started = time.monotonic()
    samples = [(0.0, rss_mb())]
    messages, rounds = 0, 0
    while time.monotonic() - started < seconds:
        rounds += 1
        for batch in batches(corpus.round(rounds), size):
            engine.anonymize_batch(batch)
            messages += len(batch)
            elapsed = time.monotonic() - started
            if elapsed >= samples[-1][0] + SAMPLE_EVERY_S:
                samples.append((round(elapsed, 1), rss_mb()))
            if elapsed >= seconds:
                break
    samples.append((round(time.monotonic() - started, 1), rss_mb()))
    return SoakResult(
        seconds=round(time.monotonic() - started, 1),
        messages=messages,
        rounds=rounds,
        fresh_texts=corpus.source == "generated",
        rss_start_mb=samples[0][1],
        rss_end_mb=samples[-1][1],
        peak_rss_mb=peak_rss_mb(),
        rss_samples=samples,
    )
