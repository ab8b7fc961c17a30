"""FHIR R4 resources and Bundles: no identifier survives anywhere, structure and clinical content do."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from deidstream.detection.engine import Engine
from deidstream.formats import DecodeFailure, Unprocessable, decode
from deidstream.formats.settings import TopicFormat
from structured_helpers import run_batch, synthea_bundles

DATA = Path(__file__).parent / "data" / "fhir"
FHIR = {"raw": {"format": "fhir"}}
BUNDLE = (DATA / "diagnostic-report-bundle.json").read_bytes()
BUNDLE_ORIGINALS = [
    "Quillon", "Vasquenza", "Dafydd", "Okonkwo", "Marisol", "Orlaith", "Brennagh", "4471902", "999-31-7704",
    "9990012345", "Marrowgate", "Tillbrook", "01776", "613-2290", "6132290", "613-8841", "quillon.v",
    "1958-11-23", "pacs.example.org",
]  # fmt: skip


def everything(value: bytes) -> str:
    """The output and every Base64 value inside it, decoded, lower case: where an original must not be."""
    document = json.loads(value)
    texts = [value.decode()]
    for data in _values_of(document, "data"):
        texts.append(base64.b64decode(data).decode("utf-8", "replace"))
    return "\n".join(texts).casefold()


def _values_of(node: Any, key: str) -> list[Any]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == key] + [x for v in node.values() for x in _values_of(v, key)]
    if isinstance(node, list):
        return [x for item in node for x in _values_of(item, key)]
    return []


def resources(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["resource"]["resourceType"]: entry["resource"] for entry in bundle["entry"]}


def test_a_bundle_keeps_no_identifier_but_its_structure_and_clinical_content(engine: Engine) -> None:
    (record,) = run_batch(engine, [BUNDLE], policy="research", formats=FHIR)
    assert record.topic == "clean", dict(record.headers)
    seen = everything(record.value)
    for original in BUNDLE_ORIGINALS:
        assert original.casefold() not in seen, original
    bundle = json.loads(record.value)
    assert bundle["resourceType"] == "Bundle"
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    references = _values_of(bundle, "reference")
    assert references and all(reference in full_urls for reference in references), "references still resolve"
    by_type = resources(bundle)
    assert {f"urn:uuid:{resource['id']}" for resource in by_type.values()} == full_urls
    observation = by_type["Observation"]
    assert observation["code"]["coding"][0]["code"] == "2160-0"
    assert observation["valueQuantity"] == {
        "value": 1.4,
        "unit": "mg/dL",
        "system": "http://unitsofmeasure.org",
        "code": "mg/dL",
    }
    assert by_type["DiagnosticReport"]["code"]["coding"][0]["code"] == "24627-2"
    assert "extension" not in by_type["Patient"], "extensions go"
    narrative = by_type["Patient"]["text"]
    name = by_type["Patient"]["name"][0]
    assert narrative == {
        "status": "generated",
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{name["given"][0]} {name["family"]}</div>',
    }, "the narrative is de-identified, the field's surrogate in it, its markup kept"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", by_type["Patient"]["birthDate"])
    assert observation["effectiveDateTime"].endswith("T08:15:00-04:00"), "the time of day stays, the date moves"
    form = by_type["DiagnosticReport"]["presentedForm"][0]
    data = base64.b64decode(form["data"])
    assert form["size"] == len(data) and form["hash"] == base64.b64encode(hashlib.sha1(data).digest()).decode()
    assert "url" not in form


def test_the_patients_name_from_the_field_replaces_it_in_the_text(engine: Engine) -> None:
    conclusion_text = "vasquenza tolerated the scan"
    assert not any(entity.type == "PERSON" for entity in engine.analyze_batch([conclusion_text])[0]), (
        "the engine alone does not find this name"
    )
    (record,) = run_batch(engine, [BUNDLE], policy="research", formats=FHIR)
    by_type = resources(json.loads(record.value))
    name = by_type["Patient"]["name"][0]
    report = base64.b64decode(by_type["DiagnosticReport"]["presentedForm"][0]["data"]).decode()
    assert f"{name['given'][0]} {name['family']}" in report, "the same surrogate in field and text"
    assert f"{name['family'].lower()} tolerated the scan" in report
    assert f"{name['given'][0]} {name['family']}".upper() in by_type["DiagnosticReport"]["conclusion"]


def patient_originals(patient: dict[str, Any]) -> list[str]:
    words = [
        re.sub(r"\d+", "", part)
        for name in patient["name"]
        for part in [name.get("family", ""), *name.get("given", [])]
    ]
    values = [identifier["value"] for identifier in patient["identifier"]]
    values += [point["value"] for point in patient.get("telecom", [])]
    values += [line for address in patient.get("address", []) for line in address.get("line", [])]
    values += [address["city"] for address in patient.get("address", [])]
    return [word for word in words if len(word) > 2] + values + [patient["birthDate"], patient["id"]]


def test_synthea_notes_with_their_patients_keep_nothing_of_them(engine: Engine) -> None:
    bundles = synthea_bundles()
    records = run_batch(engine, [value for _, value in bundles], policy="research", formats=FHIR)
    for (patient, _), record in zip(bundles, records, strict=True):
        assert record.topic == "clean", dict(record.headers)
        seen = everything(record.value)
        for original in patient_originals(patient):
            assert original.casefold() not in seen, original
        assert "kunze" not in seen and "newman regional" not in seen, "author and custodian displays go"


@pytest.mark.parametrize(
    "value",
    [b'{"resourceType": "Patient", ', b'{"id": "x"}', b'[1]', b'{"resourceType": "Bundle", "entry": [5]}',
     b'{"resourceType": "patient lower"}', b'{"resourceType": "Bundle", "entry": [{"resource": {"a": 1}}]}'],
)  # fmt: skip
def test_malformed_fhir_is_invalid_fhir(value: bytes) -> None:
    with pytest.raises(Unprocessable) as problem:
        decode(value, TopicFormat(format="fhir"), 10_000)
    assert problem.value.reason == DecodeFailure.INVALID_FHIR


def test_without_a_policy_identifiers_are_removed_and_references_still_resolve(engine: Engine) -> None:
    (record,) = run_batch(engine, [BUNDLE], formats=FHIR)
    bundle = json.loads(record.value)
    seen = everything(record.value)
    for original in BUNDLE_ORIGINALS:
        assert original.casefold() not in seen, original
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert all(reference in full_urls for reference in _values_of(bundle, "reference"))
    assert "birthDate" not in resources(bundle)["Patient"], "a tagged date is removed: FHIR has no <DATE_TIME>"


def test_free_text_inside_observation_components_goes_through_the_engine(engine: Engine) -> None:
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
        "component": [
            {
                "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
                "valueQuantity": {"value": 128, "unit": "mm[Hg]"},
            },
            {"code": {"text": "remark"}, "valueString": "Taken by Dr. Alan Brown at home."},
        ],
    }
    (record,) = run_batch(engine, [json.dumps(observation).encode()], formats=FHIR)
    output = json.loads(record.value)
    assert output["component"][0]["valueQuantity"] == {"value": 128, "unit": "mm[Hg]"}
    assert output["component"][1]["valueString"] == "Taken by Dr. <PERSON> at home."


def test_a_resource_inside_another_is_walked_as_a_resource(engine: Engine) -> None:
    parameters = {
        "resourceType": "Parameters",
        "parameter": [
            {
                "name": "patient",
                "resource": {
                    "resourceType": "Patient",
                    "id": "p1",
                    "name": [{"family": "Grantham", "given": ["Elowen"]}],
                },
            }
        ],
    }
    (record,) = run_batch(engine, [json.dumps(parameters).encode()], policy="research", formats=FHIR)
    output = json.loads(record.value)
    patient = output["parameter"][0]["resource"]
    assert patient["resourceType"] == "Patient" and patient["id"] != "p1"
    assert patient["name"][0]["family"] not in ("", "Grantham") and "Elowen" not in record.value.decode()


def test_an_escaped_lone_surrogate_is_invalid_utf8() -> None:
    with pytest.raises(Unprocessable) as problem:
        decode(b'{"resourceType": "Patient", "gender": "\\ud800"}', TopicFormat(format="fhir"), 10_000)
    assert problem.value.reason == DecodeFailure.INVALID_UTF8
