"""Stage c: deidstream's engine in one process, on batches as the worker takes them from Kafka."""

from __future__ import annotations

import time

from deidstream.anonymization.anonymizer import AnonymizedText, Anonymizer
from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.tools.bench.corpus import Corpus
from deidstream.tools.bench.isolated import Ready
from deidstream.tools.bench.measure import Latency, StageResult, Window, in_process_result


def batches(texts: list[str], size: int) -> list[list[str]]:
    return [texts[start : start + size] for start in range(0, len(texts), size)]


def tag_batch(engine: Engine, tags: Anonymizer, texts: list[str]) -> list[AnonymizedText]:
    """What the worker does to a batch of plain-text reports without a policy: detect, then `<TYPE>` tags."""
    return [tags.anonymize(text, entities) for text, entities in zip(texts, engine.analyze_batch(texts), strict=True)]


def measure_engine(corpus: Corpus, settings: Settings, *, ready: Ready) -> StageResult:
    engine, tags = Engine(settings.engine), Anonymizer()
    ready()
    latencies = []
    with Window() as window:
        for batch in batches(corpus.texts, settings.batch_max_messages):
            started = time.perf_counter()
            tag_batch(engine, tags, batch)
            latencies.append(time.perf_counter() - started)
    return in_process_result(
        "engine",
        "deidstream engine: detect and tag, one process",
        corpus,
        window,
        latency=Latency.of_samples(f"batch of up to {settings.batch_max_messages}", latencies),
        details={
            "batch_max_messages": settings.batch_max_messages,
            "nlp_batch_size": settings.engine.nlp_batch_size,
            "sentence_boundaries": settings.engine.sentence_boundaries,
        },
    )
