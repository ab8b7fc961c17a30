"""The definitions the structured walks read: FHIR R4 element types, HL7 v2 field and component types, narratives."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from deidstream.formats import decode
from deidstream.formats.fhir_definitions import BACKBONE, Element, r4_definitions
from deidstream.formats.hl7_definitions import library_version, v2_definitions
from deidstream.formats.narrative import SEPARATOR, XHTML_NAMESPACE, Narrative
from deidstream.formats.settings import TopicFormat


@pytest.mark.parametrize(
    ("base", "key", "expected"),
    [
        ("Observation", "status", Element("code", "code")),
        ("Observation", "valueString", Element("string", "string")),
        ("Observation", "code", Element("CodeableConcept", "CodeableConcept")),
        ("CodeableConcept", "text", Element("string", "string")),
        ("Coding", "system", Element("uri", "uri")),
        ("Annotation", "text", Element("markdown", "markdown")),
        ("Communication.payload", "contentString", Element("string", "string")),
        ("Composition.section", "text", Element("Narrative", "Narrative")),
        ("Narrative", "div", Element("xhtml", "xhtml")),
        ("Observation", "component", Element(BACKBONE, "Observation.component")),
        ("Questionnaire.item", "item", Element(BACKBONE, "Questionnaire.item")),
        ("Age", "unit", Element("string", "string")),
        ("SimpleQuantity", "value", Element("decimal", "decimal")),
        ("Extension", "url", Element("uri", "uri")),
        ("Observation.component", "id", Element("string", "string")),
        ("Observation", "comment", None),
        ("NoSuchResource", "status", None),
    ],
)
def test_r4_element_types(base: str, key: str, expected: Element | None) -> None:
    assert r4_definitions().child(base, key) == expected


def test_r4_knows_every_resource_type() -> None:
    r4 = r4_definitions()
    resource_types = {name for name in r4.parents if r4.is_resource_type(name)}
    assert {"Patient", "Observation", "Bundle", "Binary", "EffectEvidenceSynthesis"} <= resource_types
    assert len(resource_types) == 147 and not r4.is_resource_type("CodeableConcept")


@pytest.mark.parametrize(
    ("version", "read_with"),
    [("2.5.1", "2.5.1"), ("2.3", "2.3"), ("2.4.1", "2.4"), ("2.9", "2.8.2"), ("2.2", "2.3"), ("2.x", "2.8.2")],
)
def test_a_messages_version_picks_the_tables_it_is_read_with(version: str, read_with: str) -> None:
    assert library_version(version) == read_with


def test_hl7_types_by_version() -> None:
    v23, v25, v282 = v2_definitions("2.3"), v2_definitions("2.5"), v2_definitions("2.8.2")
    assert v25.field_type("PID", 5) == "XPN" and v25.field_type("OBX", 5) == "VARIES"
    assert v25.field_type("OBX", 23) is None and v2_definitions("2.5.1").field_type("OBX", 23) == "XON"
    assert v25.field_type("ZPI", 1) is None
    assert v23.component_types("CE") == ("ID", "ST", "ST", "ID", "ST", "ST")
    assert len(v25.component_types("CWE") or ()) == 9 and len(v282.component_types("CWE") or ()) == 22
    assert v23.component_types("TS") == ("ST", "ST") and v25.component_types("TS") == ("DTM", "ID")
    assert v25.component_types("ST") is None and v25.knows("ST") and not v25.knows("VARIES")


def test_a_message_of_a_version_hl7apy_lacks_is_read_with_the_closest_before_it() -> None:
    value = (
        b"MSH|^~\\&|LAB|NFH|EHR|NFH|20230412093015||ORU^R01^ORU_R01|M1|P|2.9\r"
        b"PID|1||MRN1^^^NFH^MR||ROOK^ANSEL\rOBX|1|ST|X^Note^L||Called Ansel Rook||||||F\r"
    )
    decoded = decode(value, TopicFormat(format="hl7v2"), 10_000)
    assert decoded.texts == ["Note", "Called Ansel Rook"]
    assert b"ROOK" not in decoded.encode(decoded.texts)


def test_the_definitions_load_and_messages_decode_with_no_network() -> None:
    """In a fresh interpreter that refuses every name lookup and connection, as a hospital network may."""
    program = textwrap.dedent(
        """
        import sys
        def refuse(event, args):
            if event in ("socket.getaddrinfo", "socket.connect", "urllib.Request"):
                raise OSError(f"no network: {event}")
        sys.addaudithook(refuse)
        from deidstream.formats import decode
        from deidstream.formats.fhir_definitions import r4_definitions
        from deidstream.formats.hl7_definitions import library_version, v2_definitions
        from deidstream.formats.settings import TopicFormat
        assert r4_definitions().child("Observation", "status").type == "code"
        for version in ("2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.8", "2.8.1", "2.8.2"):
            assert v2_definitions(version).field_type("PID", 5) == "XPN"
        fhir = b'{"resourceType": "Observation", "code": {"text": "seen"}}'
        assert decode(fhir, TopicFormat(format="fhir"), 1000).texts == ["seen"]
        hl7 = b"MSH|^~\\\\&|A|B|C|D|20230101||ADT^A08|1|P|2.5\\rPID|1||M1^^^H^MR||ROOK^ANSEL\\r"
        assert decode(hl7, TopicFormat(format="hl7v2"), 1000).texts == []
        """
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]


XHTML = f'xmlns="{XHTML_NAMESPACE}"'


def test_a_narratives_runs_of_text_come_back_in_their_markup() -> None:
    div = (
        f'<div {XHTML}><p class="x" title="Ansel Rook">Seen by <b>Dr. Ansel</b> Rook &amp; wife</p><!-- Rook -->'
        '<table><tr><td>Name</td><td><a href="mailto:ansel@example.org">Ansel Rook</a></td></tr></table>'
        "<br/><script>var rook = 1;</script>tail &lt;3</div>"
    )
    narrative = Narrative(div)
    assert narrative.runs == ["Seen by ", "Dr. Ansel", " Rook & wife", "Name", "Ansel Rook", "tail <3"]
    assert narrative.text == SEPARATOR.join(narrative.runs)
    assert narrative.render(narrative.text.replace("Rook", "<X>")) == (
        f'<div {XHTML}><p class="x">Seen by <b>Dr. Ansel</b> &lt;X&gt; &amp; wife</p>'
        "<table><tr><td>Name</td><td><a>Ansel &lt;X&gt;</a></td></tr></table><br/>tail &lt;3</div>"
    ), "layout attributes kept; title, href, comments and scripts gone; text escaped"


def test_a_narrative_whose_runs_cannot_be_told_apart_is_written_as_its_text_alone() -> None:
    narrative = Narrative(f"<div {XHTML}><b>Ansel</b> <i>Rook</i></div>")
    assert narrative.runs == ["Ansel", "Rook"]
    assert narrative.render("<PERSON> & co") == f"<div {XHTML}>&lt;PERSON&gt; &amp; co</div>"


def test_a_narrative_without_text_is_its_markup() -> None:
    narrative = Narrative(f"<div {XHTML}><br/> </div>")
    assert narrative.runs == [] and narrative.render("") == f"<div {XHTML}><br/> </div>"
