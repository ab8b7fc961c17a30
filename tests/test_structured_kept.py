"""What structured messages keep verbatim, by data type: the one list (`formats.kept`), pinned, and kept indeed.

Widening a list is a decision about what may reach the clean topic unread, so the
lists are spelled out here: a change to `kept.py` fails this test until the test
says the same. The other tests check that each kept type does come out unchanged,
and that the text beside a code is kept only for public terminologies.
"""

from __future__ import annotations

import json

import pytest

from deidstream.formats import decode
from deidstream.formats.kept import (
    FHIR_KEPT_ELEMENTS,
    FHIR_KEPT_PRIMITIVES,
    HL7_CODED_TYPES,
    HL7_KEPT_COMPONENTS,
    HL7_KEPT_PRIMITIVES,
    HL7_TEXT_AND_SYSTEM_COMPONENTS,
    is_public_fhir_system,
    is_public_hl7_system,
)
from deidstream.formats.settings import TopicFormat


def test_the_kept_lists_are_these() -> None:
    assert {
        "code", "uri", "canonical", "boolean", "integer", "decimal", "positiveInt", "unsignedInt", "time",
    } == FHIR_KEPT_PRIMITIVES  # fmt: skip
    quantities = {"Quantity", "Age", "Count", "Distance", "Duration", "SimpleQuantity", "MoneyQuantity"}
    assert {**dict.fromkeys(quantities, {"unit"}), "Address": {"state", "country"}} == FHIR_KEPT_ELEMENTS
    assert {"ID", "IS", "NM", "SI", "TM"} == HL7_KEPT_PRIMITIVES
    codes = {1, 3, 4, 6, 7, 8, 10, 12, 13}
    assert {
        "XAD": {4},
        "AD": {4},
        "XTN": {5},
        "TS": {2},
        **dict.fromkeys(HL7_CODED_TYPES, codes),
    } == HL7_KEPT_COMPONENTS
    assert {"CE", "CWE", "CNE", "CF"} == HL7_CODED_TYPES
    assert HL7_TEXT_AND_SYSTEM_COMPONENTS == {2: 3, 5: 6, 11: 12}, "the original text (.9) is never kept"


@pytest.mark.parametrize(
    ("system", "public"),
    [
        ("http://loinc.org", True), ("http://snomed.info/sct", True), ("http://www.nlm.nih.gov/research/umls/rxnorm", True),
        ("http://hl7.org/fhir/sid/icd-10-cm", True), ("http://www.ama-assn.org/go/cpt", True),
        ("http://unitsofmeasure.org", True), ("http://hl7.org/fhir/sid/ndc", True), ("http://hl7.org/fhir/sid/cvx", True),
        ("http://terminology.hl7.org/CodeSystem/v2-0203", True), ("http://hl7.org/fhir/administrative-gender", True),
        ("urn:oid:2.16.840.1.113883.6.96", True), ("http://hl7.org/fhir/sid/us-ssn", False),
        ("http://example.org/fhir/CodeSystem/local", False), ("http://loinc.org.example.net", False), (None, False),
    ],
)  # fmt: skip
def test_public_fhir_terminologies(system: str | None, public: bool) -> None:
    assert is_public_fhir_system(system) is public


@pytest.mark.parametrize(
    ("name", "public"),
    [("LN", True), ("SCT", True), ("RXNORM", True), ("I10C", True), ("C4", True), ("CPT4", True), ("UCUM", True),
     ("NDC", True), ("CVX", True), ("HL70063", True), ("hl70203", True), ("L", False), ("99LOC", False), ("", False)],
)  # fmt: skip
def test_public_hl7_coding_systems(name: str, public: bool) -> None:
    assert is_public_hl7_system(name) is public


def unchanged_fhir(resource: dict[str, object]) -> dict[str, object]:
    """The resource through the walk with tagging values, every engine text handed back as it was."""
    decoded = decode(json.dumps(resource).encode(), TopicFormat(format="fhir"), 100_000)
    result: dict[str, object] = json.loads(decoded.encode(decoded.texts))
    return result


def test_each_kept_fhir_type_comes_out_unchanged() -> None:
    resource = {
        "resourceType": "Observation",
        "status": "final",  # code
        "implicitRules": "http://example.org/rules",  # uri
        "instantiatesCanonical": "http://example.org/PlanDefinition/p",  # not an Observation element: default
        "valueBoolean": True,
        "component": [
            {"code": {"coding": [{"system": "http://example.org/local", "code": "c-1"}]}, "valueInteger": 3},
            {"code": {"text": "x"}, "valueTime": "04:05:06"},
            {"code": {"text": "x"}, "valueQuantity": {"value": 1.5, "unit": "mg/dL", "code": "mg/dL"}},
        ],
        "referenceRange": [{"age": {"low": {"value": 18, "unit": "a"}}}],
    }
    result = unchanged_fhir(resource)
    assert result["status"] == "final" and result["implicitRules"] == "http://example.org/rules"
    assert "instantiatesCanonical" not in result, "what R4 does not define for the type takes default"
    assert result["valueBoolean"] is True
    assert result["component"] == [
        {"code": {"coding": [{"system": "http://example.org/local", "code": "c-1"}]}, "valueInteger": 3},
        {"code": {"text": "x"}, "valueTime": "04:05:06"},
        {"code": {"text": "x"}, "valueQuantity": {"value": 1.5, "unit": "mg/dL", "code": "mg/dL"}},
    ]
    assert result["referenceRange"] == [{"age": {"low": {"value": 18, "unit": "a"}}}]


def test_a_codings_display_goes_to_the_engine_unless_its_system_is_public() -> None:
    resource = {
        "resourceType": "Condition",
        "code": {
            "coding": [
                {"system": "http://snomed.info/sct", "code": "44054006", "display": "Diabetes mellitus type 2"},
                {"system": "http://example.org/local", "code": "DM2", "display": "Sugar, per Dr. Rook"},
            ],
            "text": "Type 2 diabetes",
        },
    }
    decoded = decode(json.dumps(resource).encode(), TopicFormat(format="fhir"), 100_000)
    assert decoded.texts == ["Sugar, per Dr. Rook", "Type 2 diabetes"]


def test_each_kept_hl7_type_comes_out_unchanged_and_the_rest_goes_to_the_engine() -> None:
    value = (
        b"MSH|^~\\&|LAB|NFH|EHR|NFH|20230412093015||ORU^R01^ORU_R01|M1|P|2.5.1\r"
        b"PID|1||MRN1^^^NFH^MR||ROOK^ANSEL||19700101|F|||1 Main St^^Springfield^IL^62701^USA^H|||||||||||||||N\r"
        b"OBX|1|NM|2160-0^Creatinine^LN|1|1.1|mg/dL^milligram per deciliter^UCUM|0.6-1.2|N|||F|||20230412\r"
        b"OBX|2|TM|X^Time^L||0930||||||F\r"
        b"OBX|3|CWE|Y^Local^L||A^Alert text^L^^^^v1^^Original words||||||F\r"
    )
    decoded = decode(value, TopicFormat(format="hl7v2"), 100_000)
    output = decoded.encode(decoded.texts).decode().split("\r")
    assert output[2].startswith("OBX|1|NM|2160-0^Creatinine^LN|1|1.1|mg/dL^milligram per deciliter^UCUM|0.6-1.2|N|||F")
    assert output[3] == "OBX|2|TM|X^Time^L||0930||||||F"
    assert output[4] == "OBX|3|CWE|Y^Local^L||A^Alert text^L^^^^v1^^Original words||||||F"
    assert "Alert text" in decoded.texts and "Original words" in decoded.texts and "Local" in decoded.texts
    assert "Creatinine" not in decoded.texts and "milligram per deciliter" not in decoded.texts, "public: kept"
    assert "IL" not in decoded.texts, "XAD.4, the state, is kept"


def test_a_value_without_the_form_of_its_kept_type_is_read_as_text() -> None:
    resource = {
        "resourceType": "Observation",
        "valueInteger": "Barnaby Quillfeather",
        "component": [{"code": {"text": "x"}, "valueTime": "after Ansel left"}, {"valueBoolean": "yes"}],
    }
    decoded = decode(json.dumps(resource).encode(), TopicFormat(format="fhir"), 100_000)
    assert decoded.texts == ["Barnaby Quillfeather", "x", "after Ansel left", "yes"]
    value = (
        b"MSH|^~\\&|LAB|NFH|EHR|NFH|20230412093015||ORU^R01^ORU_R01|M1|P|2.5.1\r"
        b"OBX|1|NM|2160-0^Creatinine^LN|1|<0.5|mg/dL||||F\r"
        b"OBX|2|NM|2160-0^Creatinine^LN|1|Barnaby Quillfeather|mg/dL||||F\r"
        b"OBX|3|NM|2160-0^Creatinine^LN|2|-1.25|mg/dL||||F\r"
    )
    hl7_decoded = decode(value, TopicFormat(format="hl7v2"), 100_000)
    assert "<0.5" in hl7_decoded.texts and "Barnaby Quillfeather" in hl7_decoded.texts
    assert hl7_decoded.texts == ["1", "<0.5", "1", "Barnaby Quillfeather", "2"], "OBX-4 (ST) is text; -1.25 is kept"
