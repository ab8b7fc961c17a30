"""Making a review: the sample through the worker's step, then into a new review file with its provenance."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deidstream import __version__
from deidstream.anonymization.secret import Secret
from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.review.detect import ReviewDetection
from deidstream.review.sources import SourceReport
from deidstream.review.store import Provenance, ReviewStore
from deidstream.stream.topic_anonymizers import TopicAnonymizers


@dataclass(frozen=True)
class SampleOrigin:
    """What the sign-off says of the sample: where it came from, the seed, and who reviews it."""

    reviewer: str
    source: str
    seed: int | None
    config_file: Path | None = None


def make_review(
    path: Path,
    reports: list[SourceReport],
    settings: Settings,
    topic: str,
    engine: Engine,
    secret: Secret | None,
    origin: SampleOrigin,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> ReviewStore:
    """Detect once with the worker's engine, settings and the topic's policy, and store the sample and provenance."""
    policy = settings.topic_format(topic).policy or settings.policy
    rows = ReviewDetection(settings, topic, engine, TopicAnonymizers(settings, secret)).run(reports, progress)
    provenance = Provenance(
        reviewer=origin.reviewer,
        source=origin.source,
        seed=origin.seed,
        sample_size=len(reports),
        format=settings.topic_format(topic).format,
        policy=f"{policy.id} {policy.version}" if policy is not None else "none (every span becomes <TYPE>)",
        engine_version=engine.version,
        model_version=engine.model_version,
        deidstream_version=__version__,
        config_sha256=hashlib.sha256(origin.config_file.read_bytes()).hexdigest() if origin.config_file else "",
    )
    return ReviewStore.create(path, provenance, rows)
