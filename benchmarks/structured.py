"""Structured messages: what the FHIR and HL7 v2 walks cost, alone and end to end.

    python benchmarks/structured.py [--repeats 20] [--policy research]

Two figures per message kind, in CPU time of this process (wall time on a shared
machine measures the neighbours too):

- `walk`: `decode` then `encode` of every message with tagging values, no engine:
  the format's own cost on the hot path, in milliseconds per message;
- `end to end`: the worker's batch step (`BatchProcessor`, the real engine, the
  policy) on all messages of the kind as one batch, in milliseconds per message,
  with the texts and characters the walk hands the engine per message.

The messages are those the tests ship: the Synthea patients with each of their
notes as a Bundle (`tests/data/fhir`), the invented diagnostic-report Bundle and the
HL7 v2 fixtures (`tests/data/hl7`). Compare two runs of this script (before and
after a change) made one after the other on the same machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # structured_helpers: the Synthea Bundles

from deidstream.anonymization.secret import Secret
from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.detection.settings import EngineSettings
from deidstream.formats import decode
from deidstream.formats.settings import TopicFormat
from deidstream.stream.pipeline import BatchProcessor, SourceMessage
from deidstream.stream.topic_anonymizers import TopicAnonymizers
from structured_helpers import synthea_bundles

REPO_ROOT = Path(__file__).resolve().parents[1]
FHIR_DATA = REPO_ROOT / "tests" / "data" / "fhir"
HL7_DATA = REPO_ROOT / "tests" / "data" / "hl7"
SECRET = Secret(b"structured-benchmark-secret-0123456789")


def kinds() -> dict[str, tuple[str, list[bytes]]]:
    """Name -> (format, messages)."""
    return {
        "fhir synthea bundles": ("fhir", [value for _, value in synthea_bundles()]),
        "fhir report bundle": ("fhir", [(FHIR_DATA / "diagnostic-report-bundle.json").read_bytes()]),
        "hl7v2 fixtures": ("hl7v2", [path.read_bytes() for path in sorted(HL7_DATA.glob("*.hl7"))]),
    }


def walk_ms(topic_format: TopicFormat, messages: list[bytes], repeats: int) -> float:
    started = time.process_time()
    for _ in range(repeats):
        for value in messages:
            decoded = decode(value, topic_format, 10_000_000)
            decoded.encode(decoded.texts)
    return (time.process_time() - started) * 1000 / (repeats * len(messages))


def end_to_end_ms(engine: Engine, name: str, topic_format: str, messages: list[bytes], policy: str) -> float:
    settings = Settings(
        output_topic="clean", quarantine_topic="quarantine", policy=policy, formats={"raw": {"format": topic_format}}
    )
    processor = BatchProcessor(settings, engine, TopicAnonymizers(settings, SECRET))
    batch = [SourceMessage("raw", 0, offset, b"p", value, []) for offset, value in enumerate(messages)]
    processor.process(batch)  # warm: caches, tables built on first use
    started = time.process_time()
    records = processor.process(batch)
    elapsed = time.process_time() - started
    quarantined = [record for record in records if record.topic != "clean"]
    if quarantined:
        sys.exit(f"{name}: {len(quarantined)} messages quarantined")
    return elapsed * 1000 / len(messages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=20, help="passes of the walk over each kind's messages")
    parser.add_argument("--policy", default="research", help="the policy of the end-to-end figure")
    options = parser.parse_args()
    engine = Engine(EngineSettings())
    print(f"{'messages':<24} {'n':>3} {'walk ms/msg':>12} {'e2e ms/msg':>11} {'texts/msg':>10} {'chars/msg':>10}")
    for name, (topic_format, messages) in kinds().items():
        fmt = TopicFormat(format=topic_format)  # type: ignore[arg-type]
        walk_ms(fmt, messages, 1)  # warm
        walk = walk_ms(fmt, messages, options.repeats)
        e2e = end_to_end_ms(engine, name, topic_format, messages, options.policy)
        texts = [decode(value, fmt, 10_000_000).texts for value in messages]
        per_text = sum(map(len, texts)) / len(messages)
        per_char = sum(len(text) for group in texts for text in group) / len(messages)
        print(f"{name:<24} {len(messages):>3} {walk:>12.2f} {e2e:>11.1f} {per_text:>10.1f} {per_char:>10.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
