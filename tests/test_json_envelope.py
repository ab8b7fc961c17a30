"""JSON envelopes fail closed: declared text, structured fields by rule, everything else dropped."""

from __future__ import annotations

import base64
import json

import pytest
from pydantic import ValidationError

from deidstream.detection.engine import Engine
from deidstream.formats import DecodeFailure, Unprocessable, decode
from deidstream.formats.rules import ANY_INDEX, infer_type, parse_path
from deidstream.formats.settings import TopicFormat
from deidstream.stream.records import ProcessingFailure
from structured_helpers import run_batch

ENVELOPE = {
    "id": "doc-1",
    "site": {"code": "RAD", "ward": 7},
    "patient": {"name": "Quentin Albescu", "mrn": "MRN-880123", "phone": "(555) 201-7788"},
    "visit": {"date": "2021-03-14"},
    "notes": [
        {"text": "Mr. Albescu called from 555-201-7788 about MRN-880123.", "by": "Dr. Ines Okafor"},
        {"text": "Quentin reports less pain.", "by": "Dr. Ines Okafor"},
    ],
    "attachment": {"data": base64.b64encode(b"Seen with Quentin Albescu today.").decode()},
}
FORMAT = {
    "format": "json",
    "text_paths": ["notes[*].text", {"path": "attachment.data", "encoding": "base64"}],
    "fields": {
        "patient.name": "surrogate",
        "patient.mrn": "token",
        "patient.phone": "policy",
        "visit.date": "shift_date",
        "site": "keep",
        "id": "keep",
    },
}


def test_paths_parse_with_indexes_and_wildcards() -> None:
    assert parse_path("notes[*].text") == ["notes", ANY_INDEX, "text"]
    assert parse_path("content[0].attachment.data") == ["content", 0, "attachment", "data"]
    for bad in ("a..b", "[0].a", "a.", "a b]"):
        with pytest.raises(ValueError):
            parse_path(bad)
    assert (infer_type("patient.mrn"), infer_type("visit.date"), infer_type("patient.name")) == (
        "ID",
        "DATE_TIME",
        "PERSON",
    )


def test_a_field_of_unknown_kind_needs_a_type() -> None:
    with pytest.raises(ValidationError, match="give one"):
        TopicFormat(format="json", fields={"patient.xyz": "surrogate"})
    TopicFormat(format="json", fields={"patient.xyz": {"operator": "surrogate", "type": "PERSON"}})


def test_an_undeclared_patient_name_is_not_published(engine: Engine) -> None:
    document = {"report": {"text": "Chest film unremarkable."}, "patient": {"name": "Quentin Albescu", "mrn": "88"}}
    (record,) = run_batch(
        engine, [json.dumps(document).encode()], formats={"raw": {"format": "json", "text_paths": ["report.text"]}}
    )
    assert record.topic == "clean"
    assert b"Quentin" not in record.value and b"Albescu" not in record.value and b"88" not in record.value
    assert json.loads(record.value)["report"]["text"] == "Chest film unremarkable."


def test_structured_fields_and_texts_share_surrogates(engine: Engine) -> None:
    (record,) = run_batch(engine, [json.dumps(ENVELOPE).encode()], policy="research", formats={"raw": FORMAT})
    assert record.topic == "clean", record.headers
    output = json.loads(record.value)
    attachment = base64.b64decode(output["attachment"]["data"]).decode()
    everything = record.value.decode() + attachment
    for original in ("Quentin", "Albescu", "880123", "201-7788", "2021-03-14", "Okafor"):
        assert original not in everything
    assert output["site"] == ENVELOPE["site"] and output["id"] == "doc-1"
    assert "by" not in output["notes"][0], "undeclared fields are dropped"
    surrogate_name = output["patient"]["name"]
    family = surrogate_name.split()[-1]
    assert family in output["notes"][0]["text"], "the field's family name is the text's"
    assert surrogate_name in attachment
    assert output["patient"]["mrn"].startswith("ID_") and output["patient"]["mrn"] in output["notes"][0]["text"]
    assert output["visit"]["date"] != "2021-03-14" and len(output["visit"]["date"]) == 10


def test_base64_text_that_is_not_base64_is_quarantined() -> None:
    topic_format = TopicFormat(**FORMAT)
    broken = {**ENVELOPE, "attachment": {"data": "not base64 at all!"}}
    with pytest.raises(Unprocessable) as problem:
        decode(json.dumps(broken).encode(), topic_format, 10_000)
    assert problem.value.reason == DecodeFailure.INVALID_BASE64
    assert "base64 at all" not in str(problem.value)


def test_a_structured_rule_on_an_object_is_quarantined() -> None:
    topic_format = TopicFormat(**FORMAT)
    broken = {**ENVELOPE, "patient": {"name": {"given": "Quentin"}}}
    with pytest.raises(Unprocessable) as problem:
        decode(json.dumps(broken).encode(), topic_format, 10_000)
    assert problem.value.reason == DecodeFailure.FIELD_NOT_TEXT
    assert "Quentin" not in str(problem.value)


def test_a_shift_date_field_needs_the_patient_even_when_the_policy_shifts_nothing(engine: Engine) -> None:
    topic = {"format": "json", "text_paths": ["text"], "fields": {"visit.date": "shift_date"}}
    value = json.dumps({"text": "Stable.", "visit": {"date": "2021-03-14"}}).encode()
    (shifted,) = run_batch(engine, [value], formats={"raw": topic})
    (unnamed,) = run_batch(engine, [value], key=None, formats={"raw": topic})
    assert shifted.topic == "clean" and json.loads(shifted.value)["visit"]["date"] != "2021-03-14"
    assert unnamed.quarantine_reason == ProcessingFailure.MISSING_PATIENT_KEY
