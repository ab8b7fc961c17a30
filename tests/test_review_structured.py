"""Structured messages in a review: the worker's own step decides, and the review shows each text and field decision."""

from __future__ import annotations

import json
from pathlib import Path

from deidstream.anonymization.secret import Secret
from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.formats.settings import TopicFormat
from deidstream.review.make import SampleOrigin, make_review
from deidstream.review.sources import SourceReport, read_files
from deidstream.review.store import ReviewStore

DATA = Path(__file__).resolve().parent / "data"
ORIGIN = SampleOrigin("Test Reviewer", "files", None)


def review_of(tmp_path: Path, engine: Engine, topic_format: TopicFormat, reports: list[SourceReport]) -> ReviewStore:
    settings = Settings(formats={"raw-x": topic_format})
    return make_review(tmp_path / "review.db", reports, settings, "raw-x", engine, None, ORIGIN)


def decisions(report: dict[str, object]) -> dict[str, tuple[str, str]]:
    return {field["path"]: (field["decision"], field["detail"]) for field in report["fields"]}  # type: ignore[attr-defined,index]


def test_an_hl7_message_shows_its_texts_by_field_and_each_field_decision(tmp_path: Path, engine: Engine) -> None:
    store = review_of(tmp_path, engine, TopicFormat(format="hl7v2"), read_files(DATA / "hl7" / "oru_r01.hl7", "hl7v2"))
    report = store.report(1)
    labels = [text["label"] for text in report["texts"]]
    assert {"OBX-5", "OBX[3]-5", "NTE-3", "OBX[3]-3", "PV1-7"} <= set(labels)  # OBX[3]-5: Base64 text
    fields = decisions(report)
    assert fields["OBX-5"] == ("text", f"text {labels.index('OBX-5') + 1}")
    assert fields["NTE-3"] == ("text", f"text {labels.index('NTE-3') + 1}")
    assert fields["OBX[3]-3"] == ("text", f"text {labels.index('OBX[3]-3') + 1}"), "a local code's text is read"
    assert fields["OBX-3"] == ("kept", ""), "a CPT code's text is kept"
    assert fields["PID-5"][0] == "replaced" and fields["PID-5"][1].startswith("PERSON; text ")
    assert fields["PV1-7"] == ("replaced", f"ID, PERSON; text {labels.index('PV1-7') + 1}"), "the name, and DR as text"
    assert fields["MSH-7"] == ("replaced", "DATE_TIME")
    assert fields["MSH-9"] == ("kept", "")
    assert fields["ZPI-1"][0] == "dropped"
    assert "VASTREL" in report["raw"] and "VASTREL" not in report["output"]
    assert report["output"].startswith("MSH|") and "\nPID|" in report["output"], "one segment a line"
    assert any(text["detections"] for text in report["texts"])


def test_a_fhir_bundle_and_its_base64_attachment(tmp_path: Path, engine: Engine) -> None:
    bundle = DATA / "fhir" / "diagnostic-report-bundle.json"
    store = review_of(tmp_path, engine, TopicFormat(format="fhir"), read_files(bundle, "fhir"))
    report = store.report(1)
    labels = [text["label"] for text in report["texts"]]
    assert "entry[3].resource.conclusion" in labels and "entry[3].resource.presentedForm[0].data" in labels
    fields = decisions(report)
    assert fields["entry[0].resource.text.div"] == ("text", f"text {labels.index('entry[0].resource.text.div') + 1}")
    assert fields["entry[0].resource.gender"] == ("kept", "")
    assert fields["entry[0].resource.name[0].family"][0] == "dropped", "without a policy FHIR removes tagged names"
    assert json.loads(report["output"])["resourceType"] == "Bundle"


def test_a_json_envelope_with_field_rules(tmp_path: Path, engine: Engine) -> None:
    envelope = {
        "report": {"text": "Seen by Dr. Halvorsen Quist on 3/14/2031."},
        "patient": {"name": "Ansel Brack", "notes": "lives with Orla"},
        "kind": "note",
    }
    topic_format = TopicFormat(
        format="json", text_paths=["report.text"], fields={"patient.name": "policy", "kind": "keep"}
    )
    store = review_of(tmp_path, engine, topic_format, [SourceReport("e1", json.dumps(envelope).encode())])
    report = store.report(1)
    assert [text["label"] for text in report["texts"]] == ["report.text"]
    assert decisions(report) == {
        "report.text": ("text", "text 1"),
        "patient.name": ("replaced", "PERSON"),
        "patient.notes": ("dropped", ""),
        "kind": ("kept", ""),
    }
    types = {detection["type"] for detection in report["texts"][0]["detections"]}
    assert {"PERSON", "DATE_TIME"} <= types


def test_a_message_the_worker_would_quarantine_is_shown_as_such(tmp_path: Path, engine: Engine) -> None:
    reports = [SourceReport("bad", b"this is no HL7 message"), *read_files(DATA / "hl7" / "adt_a08.hl7", "hl7v2")]
    store = review_of(tmp_path, engine, TopicFormat(format="hl7v2"), reports)
    assert store.report(1)["quarantine"] == "invalid_hl7" and store.report(1)["texts"] == []
    assert store.report(2)["quarantine"] is None
    assert store.quarantined() == 1


def test_files_under_a_date_shifting_policy_are_reviewed_not_quarantined(tmp_path: Path, engine: Engine) -> None:
    """A file has no Kafka key: its name stands in, so the research policy can shift its dates."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("Admitted 3/14/2031, seen by Dr. Halvorsen Quist.", encoding="utf-8")
    settings = Settings(policy="research")
    secret = Secret(b"review test secret, long enough!")
    store = make_review(tmp_path / "r.db", read_files(notes, "text"), settings, "raw", engine, secret, ORIGIN)
    report = store.report(1)
    assert report["quarantine"] is None
    assert "3/14/2031" not in report["output"] and "Quist" not in report["output"]
    assert store.provenance.policy == "research 1"
