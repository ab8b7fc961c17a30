"""Shared by the structured-format tests (and benchmarks/structured.py): a processor under a policy with a fixed
secret, and the Synthea notes in Bundles with their patients."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from deidstream.anonymization.secret import Secret
from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.stream.pipeline import BatchProcessor
from deidstream.stream.records import OutputRecord, SourceMessage
from deidstream.stream.topic_anonymizers import TopicAnonymizers

SECRET = Secret(b"structured-formats-test-secret-0123456789")
FHIR_DATA = Path(__file__).parent / "data" / "fhir"


def run_batch(
    engine: Engine, values: list[bytes], key: bytes | None = b"patient-1", **settings: object
) -> list[OutputRecord]:
    """`values` on topic `raw` with settings such as `formats={"raw": {...}}` and `policy="research"`."""
    configured = Settings(output_topic="clean", quarantine_topic="quarantine", **settings)
    processor = BatchProcessor(configured, engine, TopicAnonymizers(configured, SECRET))
    return processor.process([SourceMessage("raw", 0, offset, key, value, []) for offset, value in enumerate(values)])


def synthea_bundles() -> list[tuple[dict[str, Any], bytes]]:
    """Each Synthea note (`tests/data/fhir`) in a Bundle with its patient, as a feed would carry it: (patient, value)."""
    patients = {
        json.loads(line)["id"]: json.loads(line) for line in (FHIR_DATA / "Patient.ndjson").read_text().splitlines()
    }
    bundles = []
    for line in (FHIR_DATA / "DocumentReference.ndjson").read_text().splitlines():
        document = json.loads(line)
        patient = patients[document["subject"]["reference"].split("/")[1]]
        bundle = {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": patient}, {"resource": document}],
        }
        bundles.append((patient, json.dumps(bundle).encode()))
    return bundles
