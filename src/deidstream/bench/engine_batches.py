"""Stage c: deidstream's engine in one process, on batches as the worker takes them from Kafka."""

from __future__ import annotations

import time

from deidstream.bench.corpus import Corpus
from deidstream.bench.isolated import Ready
from deidstream.bench.measure import Latency, StageResult, Window, in_process_result
from deidstream.config import Settings
from deidstream.detection.engine import Engine


def batches(texts: list[str], size: int) -> list[list[str]]:
    return [texts[start : start + size] for start in range(0, len(texts), size)]


def measure_engine(corpus: Corpus, settings: Settings, *, ready: Ready) -> StageResult:
    engine = Engine(settings.engine)
    ready()
    latencies = []
    with Window() as window:
        for batch in batches(corpus.texts, settings.batch_max_messages):
            started = time.perf_counter()
            engine.anonymize_batch(batch)
            latencies.append(time.perf_counter() - started)
    return in_process_result(
        "engine",
        "deidstream engine: anonymize_batch, one process",
        corpus,
        window,
        latency=Latency.of_samples(f"batch of up to {settings.batch_max_messages}", latencies),
        details={
            "batch_max_messages": settings.batch_max_messages,
            "nlp_batch_size": settings.engine.nlp_batch_size,
            "sentence_boundaries": settings.engine.sentence_boundaries,
        },
    )
