"""HL7 v2 and FHIR topics end to end: `deidstream run` on the embedded broker, clean and quarantine."""

from __future__ import annotations

import json
from pathlib import Path

import hl7
import pytest

from conftest import Topics, header
from deidstream.stream.pipeline import HEADER_QUARANTINE_REASON
from deidstream.tools.embedded_broker import EmbeddedBroker
from test_fhir import BUNDLE, BUNDLE_ORIGINALS, synthea_bundles
from test_fhir import everything as fhir_everything
from test_hl7v2 import ORIGINALS as HL7_ORIGINALS
from test_hl7v2 import everything as hl7_everything
from test_hl7v2 import message as hl7_message

pytestmark = pytest.mark.integration

SECRET = "the structured formats secret of the Kafka tests"


def config(path: Path, topic: str, topic_format: str) -> Path:
    path.write_text(f'policy = "research"\n[formats."{topic}"]\nformat = "{topic_format}"\n', encoding="utf-8")
    return path


def test_hl7_and_fhir_topics_flow_into_clean_and_malformed_ones_into_quarantine(
    broker: EmbeddedBroker, start_worker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEIDSTREAM_SECRET", SECRET)
    monkeypatch.delenv("DEIDSTREAM_SECRET_FILE", raising=False)
    hl7_topics, fhir_topics = Topics(broker, raw_partitions=1), Topics(broker, raw_partitions=1)
    hl7_messages = [(name.encode(), hl7_message(name)) for name in sorted(HL7_ORIGINALS)]
    hl7_messages.append((b"broken-hl7", b"PID|1||MRN000111^^^NFH^MR||NOMSH^SEGMENT"))
    _, synthea = synthea_bundles()[0]
    fhir_messages = [(b"bundle", BUNDLE), (b"synthea", synthea), (b"broken-fhir", b'{"id": "no resourceType"}')]
    hl7_topics.publish(hl7_messages)
    fhir_topics.publish(fhir_messages)
    hl7_worker = start_worker(hl7_topics, config=config(tmp_path / "hl7.toml", hl7_topics.raw, "hl7v2"))
    fhir_worker = start_worker(fhir_topics, config=config(tmp_path / "fhir.toml", fhir_topics.raw, "fhir"))

    hl7_out = {m.key().decode(): m for m in hl7_topics.collect(len(hl7_messages))}
    fhir_out = {m.key().decode(): m for m in fhir_topics.collect(len(fhir_messages))}
    assert hl7_worker.terminate() == 0 and fhir_worker.terminate() == 0

    assert set(hl7_out) == {key.decode() for key, _ in hl7_messages}
    for name, originals in HL7_ORIGINALS.items():
        record = hl7_out[name]
        assert record.topic() == hl7_topics.clean
        seen = hl7_everything(record.value())
        assert not [original for original in originals if original.casefold() in seen]
        assert str(hl7.parse(record.value().decode().strip()).segment("MSH")[9]) in (
            "ORU^R01^ORU_R01",
            "MDM^T02^MDM_T02",
            "ADT^A08^ADT_A01",
        )
    assert hl7_out["broken-hl7"].topic() == hl7_topics.quarantine
    assert header(hl7_out["broken-hl7"], HEADER_QUARANTINE_REASON) == "invalid_hl7"

    assert set(fhir_out) == {"bundle", "synthea", "broken-fhir"}
    assert fhir_out["bundle"].topic() == fhir_topics.clean
    seen = fhir_everything(fhir_out["bundle"].value())
    assert not [original for original in BUNDLE_ORIGINALS if original.casefold() in seen]
    assert json.loads(fhir_out["synthea"].value())["resourceType"] == "Bundle"
    assert fhir_out["broken-fhir"].topic() == fhir_topics.quarantine
    assert header(fhir_out["broken-fhir"], HEADER_QUARANTINE_REASON) == "invalid_fhir"
    for worker, originals in ((hl7_worker, HL7_ORIGINALS["oru_r01"]), (fhir_worker, BUNDLE_ORIGINALS)):
        log = worker.log_text()
        assert not [original for original in originals if original in log], "no PHI in the worker log"
