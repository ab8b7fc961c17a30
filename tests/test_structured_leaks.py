"""Issue 20's leaks, rebuilt from invented text: names in coded text, in messages and narratives, and half brackets.

Each runs through the worker's batch step with the real engine under every shipped
policy (the default, `safe-harbor`, `research`): the names must be gone, the
content must still be there.
"""

from __future__ import annotations

import json
from typing import Any

import hl7
import pytest

from deidstream.anonymization.policy import BUILT_IN_POLICIES
from deidstream.detection.engine import Engine
from structured_helpers import run_batch

POLICIES = [None, *BUILT_IN_POLICIES]
FHIR = {"raw": {"format": "fhir"}}
HL7 = {"raw": {"format": "hl7v2"}}
LOCAL_CODES = "http://example.org/fhir/CodeSystem/social-history-local"
XHTML = 'xmlns="http://www.w3.org/1999/xhtml"'


def run(engine: Engine, value: bytes, policy: str | None, formats: dict[str, Any]) -> str:
    settings: dict[str, Any] = {"formats": formats} | ({"policy": policy} if policy else {})
    (record,) = run_batch(engine, [value], **settings)
    assert record.topic == "clean", dict(record.headers)
    return record.value.decode()


def observation(**elements: Any) -> bytes:
    return json.dumps({"resourceType": "Observation", "id": "obs-1", "status": "final", **elements}).encode()


@pytest.mark.parametrize("policy", POLICIES)
def test_names_in_the_text_of_codeable_concepts_are_removed(engine: Engine, policy: str | None) -> None:
    value = observation(
        code={
            "coding": [{"system": LOCAL_CODES, "code": "SH-LIVES", "display": "Lives with Dr. Ilse Tavernholt"}],
            "text": "Social history: lives with her neighbour Barnaby Quillfeather",
        },
        valueCodeableConcept={"text": "Marisela's daughter Josefina Quintavalle visits daily"},
    )
    output = run(engine, value, policy, FHIR)
    for name in ("Quillfeather", "Barnaby", "Quintavalle", "Josefina", "Tavernholt"):
        assert name not in output, (name, output)
    result = json.loads(output)
    assert result["code"]["coding"][0]["code"] == "SH-LIVES" and result["code"]["coding"][0]["system"] == LOCAL_CODES
    assert result["code"]["text"].startswith("Social history: lives with her neighbour ")
    assert "daughter" in result["valueCodeableConcept"]["text"]


def test_a_public_terminologys_display_is_kept_and_the_concepts_text_still_read(engine: Engine) -> None:
    loinc = {"system": "http://loinc.org", "code": "2160-0", "display": "Creatinine [Mass/volume] in Serum or Plasma"}
    value = observation(code={"coding": [loinc], "text": "Creatinine, drawn by Dr. Ilse Tavernholt"})
    result = json.loads(run(engine, value, "research", FHIR))
    assert result["code"]["coding"] == [loinc]
    assert "Tavernholt" not in result["code"]["text"] and result["code"]["text"].startswith("Creatinine, drawn by Dr. ")


def hl7_message(*segments: str) -> bytes:
    header = "MSH|^~\\&|LAB|NFH|EHR|NFH|20230412093015||ORU^R01^ORU_R01|M1|P|2.5.1"
    return "\r".join([header, "PID|1||MRN44120^^^NFH^MR||ROOKWOOD^ANSELM", *segments]).encode() + b"\r"


@pytest.mark.parametrize("policy", POLICIES)
def test_names_in_the_text_of_a_coded_hl7_value_are_removed(engine: Engine, policy: str | None) -> None:
    value = hl7_message(
        "OBX|1|CE|ALERT^Patient alert^L||A^Alert; husband Barnaby Quillfeather present^L||||||F",
        "OBX|2|CWE|72166-2^Tobacco smoking status^LN||LS^Lives with sister Josefina Quintavalle^99LOC||||||F",
        "OBX|3|CE|8302-2^Body height^LN||170^cm^UCUM||||||F",
    )
    output = run(engine, value, policy, HL7)
    for name in ("Quillfeather", "Barnaby", "Quintavalle", "Josefina", "ROOKWOOD"):
        assert name not in output, (name, output)
    observations = hl7.parse(output.replace("\r", "\n").strip().replace("\n", "\r")).segments("OBX")
    assert str(observations[0][5]).startswith("A^Alert; husband ") and str(observations[0][5]).endswith("^L")
    assert str(observations[1][3]) == "72166-2^Tobacco smoking status^LN", "a LOINC code and its text are kept"
    assert str(observations[2][5]) == "170^cm^UCUM"


@pytest.mark.parametrize("policy", POLICIES)
def test_communication_payload_text_is_de_identified_not_dropped(engine: Engine, policy: str | None) -> None:
    communication = {
        "resourceType": "Communication",
        "status": "completed",
        "payload": [{"contentString": "Please call Barnaby Quillfeather back about the biopsy results."}],
    }
    result = json.loads(run(engine, json.dumps(communication).encode(), policy, FHIR))
    text = result["payload"][0]["contentString"]
    assert text.startswith("Please call ") and text.endswith(" back about the biopsy results.")
    assert "Quillfeather" not in text and "Barnaby" not in text


@pytest.mark.parametrize("policy", POLICIES)
def test_a_composition_section_narrative_is_de_identified_with_its_markup(engine: Engine, policy: str | None) -> None:
    div = (
        f"<div {XHTML}><p>Seen with her daughter <b>Josefina Quintavalle</b> on 03/14/2023.</p>"
        "<table><tr><td>Next of kin</td><td>Barnaby Quillfeather &amp; family</td></tr></table></div>"
    )
    composition = {
        "resourceType": "Composition",
        "status": "final",
        "type": {"coding": [{"system": "http://loinc.org", "code": "11506-3"}]},
        "date": "2023-03-14",
        "title": "Progress note",
        "section": [{"title": "Social history", "text": {"status": "generated", "div": div}}],
    }
    result = json.loads(run(engine, json.dumps(composition).encode(), policy, FHIR))
    section = result["section"][0]
    new_div = section["text"]["div"]
    for name in ("Quillfeather", "Barnaby", "Quintavalle", "Josefina", "03/14/2023"):
        assert name not in new_div, (name, new_div)
    assert new_div.startswith(f"<div {XHTML}><p>Seen with her daughter <b>") and "</b> on " in new_div
    assert "<table><tr><td>Next of kin</td><td>" in new_div and new_div.endswith(
        " &amp; family</td></tr></table></div>"
    )
    assert section["title"] == "Social history" and section["text"]["status"] == "generated"


def test_resource_narratives_are_removed_when_the_topic_says_so_but_not_section_narratives(engine: Engine) -> None:
    composition = {
        "resourceType": "Composition",
        "text": {"status": "generated", "div": f"<div {XHTML}>Progress note of Barnaby Quillfeather</div>"},
        "section": [{"text": {"status": "generated", "div": f"<div {XHTML}><p>Doing well.</p></div>"}}],
    }
    formats = {"raw": {"format": "fhir", "fhir_narratives": "remove"}}
    result = json.loads(run(engine, json.dumps(composition).encode(), "research", formats))
    assert "text" not in result
    assert result["section"][0]["text"]["div"] == f"<div {XHTML}><p>Doing well.</p></div>"


@pytest.mark.parametrize("policy", POLICIES)
def test_a_bracketed_phone_number_loses_both_brackets_or_neither(engine: Engine, policy: str | None) -> None:
    text = "Daughter Josefina Quintavalle (612-555-0123) to pick up; nurse line [612-555-0199]."
    result = json.loads(run(engine, observation(valueString=text), policy, FHIR))["valueString"]
    assert "555-0123" not in result and "555-0199" not in result and "Quintavalle" not in result
    assert result.count("(") == result.count(")") and result.count("[") == result.count("]"), result
    assert result.startswith("Daughter ") and " to pick up; nurse line " in result
