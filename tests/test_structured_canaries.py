"""Canaries from the specs: an invented name in every string-bearing path of FHIR R4 and HL7 v2, and none survives.

The messages are generated from the same definitions the walks read (FHIRPath's
R4 model, hl7apy's tables), not written by hand: for each of the 45 R4 resource
types most used in clinical feeds, one resource with every element path filled,
down through its data types and backbone elements (a type not repeated within a
path); for each HL7 v2 message structure below, in three versions, one message
with every segment the structure has, every field and component filled. Every
value of a type that can carry a name gets its own canary, `Seen by Dr. Ansel
<unique invented name> today.`; coded elements get a local (non-public) system,
and what `kept` keeps by type gets a plain filler, which must come out unchanged.
After the worker's batch step, under every shipped policy, no canary name may
appear anywhere in the output (nor in Base64 inside it), and every message must
reach the clean topic. The test prints how many paths it covered.

The engine is the real one, asked once per distinct text and remembered across
the three policies (the canaries are the same in each run). Two cheaper tests
without the engine cover every R4 resource type and every HL7 version from 2.3
to 2.8.2: with each text the walk hands the engine emptied, as if all of it were
a name, nothing of any canary may be left, so every string path is proven to go
through the engine, a field operator or the bin.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import hl7apy
import pytest

from deidstream.anonymization.policy import BUILT_IN_POLICIES
from deidstream.detection.engine import Engine
from deidstream.entity import Entity
from deidstream.formats import decode
from deidstream.formats.fhir_definitions import RESOURCE, r4_definitions
from deidstream.formats.hl7_definitions import v2_definitions
from deidstream.formats.kept import FHIR_KEPT_ELEMENTS, HL7_CODED_TYPES, HL7_KEPT_COMPONENTS
from deidstream.formats.settings import TopicFormat
from structured_helpers import run_batch

POLICIES = [None, *BUILT_IN_POLICIES]

# The R4 resource types most used in clinical feeds (US Core, Synthea, EHR bulk exports), 45 of them.
R4_RESOURCE_TYPES = [
    "Patient", "Practitioner", "PractitionerRole", "RelatedPerson", "Organization", "Location", "HealthcareService",
    "Encounter", "EpisodeOfCare", "Observation", "DiagnosticReport", "DocumentReference", "Composition", "Condition",
    "Procedure", "AllergyIntolerance", "MedicationRequest", "MedicationAdministration", "MedicationStatement",
    "MedicationDispense", "Medication", "Immunization", "CarePlan", "CareTeam", "Goal", "ServiceRequest", "Specimen",
    "ImagingStudy", "Appointment", "Schedule", "Slot", "Coverage", "Claim", "ExplanationOfBenefit", "Communication",
    "CommunicationRequest", "QuestionnaireResponse", "Consent", "Device", "FamilyMemberHistory", "Provenance", "Task",
    "Flag", "ClinicalImpression", "NutritionOrder",
]  # fmt: skip
# HL7 v2 message structures: ADT_A01 is the structure of A01, A04 and A08 alike.
HL7_STRUCTURES = ["ADT_A01", "ORU_R01", "MDM_T02", "ORM_O01", "SIU_S12"]
HL7_VERSIONS = ["2.3", "2.5.1"]
HL7_ALL_VERSIONS = ["2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.8", "2.8.1", "2.8.2"]
# OBX-5 is read as the type OBX-2 names: one OBX per value type of HL7 table 0125 the version knows.
OBX_VALUE_TYPES = [
    "AD", "CE", "CF", "CK", "CN", "CNE", "CP", "CWE", "CX", "DT", "DTM", "ED", "FT", "ID", "IS", "MO", "NM", "PN",
    "RP", "SN", "ST", "TM", "TN", "TS", "TX", "XAD", "XCN", "XON", "XPN", "XTN",
]  # fmt: skip

LOCAL_SYSTEM = "http://example.org/fhir/CodeSystem/local"
FHIR_FILLERS: dict[str, Any] = {
    "code": "local-code", "uri": LOCAL_SYSTEM, "canonical": "http://example.org/fhir/StructureDefinition/local",
    "boolean": True, "integer": 7, "positiveInt": 7, "unsignedInt": 7, "decimal": 7.5, "time": "04:05:06",
    "date": "2001-02-03", "dateTime": "2001-02-03T04:05:06Z", "instant": "2001-02-03T04:05:06.000Z",
}  # fmt: skip
KEPT_FILLER = "kept-as-is"
HL7_TEXT_TYPES = frozenset({"ST", "TX", "FT", "GTS", "TN", "SNM"})
HL7_FILLERS = {"ID": "L", "IS": "L", "NM": "7", "SI": "7", "TM": "0405", "DT": "20010203", "DTM": "20010203040506"}


class Canaries:
    """Unique invented surnames, one per path, in sentences the engine reads as a clinician's name."""

    def __init__(self) -> None:
        onsets, vowels, codas = (
            ["br", "k", "v", "z", "th", "m", "qu", "d", "l", "g"],
            "aoeiuy",
            ["nd", "rth", "sk", "lm", "v", "n"],
        )
        self._names: Iterator[str] = (  # Brandavo, Brandavon, ... Glynyxys: 155,520 names
            "".join(parts).title()
            for parts in itertools.product(onsets, vowels, codas, vowels, ["v", "l", "r", "x"], vowels, ["", "n", "s"])
        )
        self.paths: dict[str, str] = {}  # surname -> path
        self._by_path: dict[str, str] = {}

    def name(self, path: str) -> str:
        """The canary of `path`: the same wherever the path comes again (PID in every message structure)."""
        if path not in self._by_path:
            surname = next(self._names)
            self.paths[surname] = path
            self._by_path[path] = surname
        return self._by_path[path]

    def sentence(self, path: str) -> str:
        return f"Seen by Dr. Ansel {self.name(path)} today."

    def left_in(self, output: str) -> list[str]:
        """The paths whose canary is still somewhere in `output` (any case)."""
        words = set(re.findall(r"[^\W\d_]+", output.casefold()))
        return sorted(self.paths[name] for name in self.paths if name.casefold() in words)


# FHIR R4


@dataclass
class FhirCanaryResource:
    resource: dict[str, Any]
    kept: list[str] = field(default_factory=list)  # fillers of what `kept` keeps: they must come out unchanged


def fhir_resource(resource_type: str, canaries: Canaries) -> FhirCanaryResource:
    r4 = r4_definitions()
    made = FhirCanaryResource({"resourceType": resource_type})

    def fill(base: str, path: str, stack: frozenset[str]) -> dict[str, Any]:
        node: dict[str, Any] = {}
        for key in r4.elements(base):
            element = r4.child(base, key)
            here = f"{path}.{key}"
            if element is None or element.type == RESOURCE:
                continue
            if key in ("extension", "modifierExtension"):
                if base == resource_type:  # extensions take `default`: one, at the top, must be dropped
                    node[key] = [{"url": LOCAL_SYSTEM, "valueString": canaries.sentence(here)}]
                continue
            if key in FHIR_KEPT_ELEMENTS.get(base, ()):
                node[key] = KEPT_FILLER
                made.kept.append(here)
            elif base == "Attachment" and key == "contentType":
                node[key] = "text/plain"  # so the data is text, for the engine
            elif element.type in FHIR_FILLERS:
                node[key] = FHIR_FILLERS[element.type]
            elif element.type in ("string", "markdown"):
                node[key] = canaries.sentence(here)
            elif element.type in ("id", "oid", "uuid"):
                node[key] = f"{canaries.name(here)}-7"
            elif element.type == "url":
                node[key] = f"http://example.org/{canaries.name(here)}"
            elif element.type == "base64Binary":
                node[key] = base64.b64encode(canaries.sentence(here).encode()).decode()
            elif element.type == "xhtml":
                node[key] = f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{canaries.sentence(here)}</p></div>'
            elif element.base not in stack:  # in a list, as R4 JSON has elements that repeat (it takes one too)
                node[key] = [fill(element.base, here, stack | {element.base})]
        return node

    made.resource.update(fill(resource_type, resource_type, frozenset({resource_type})))
    return made


# HL7 v2


def hl7_structure_segments(version: str, structure: str) -> list[str]:
    """The segments a message structure holds (in groups or not), in order, each once."""
    library = hl7apy.load_library(version)
    found: list[str] = []

    def walk(children: Any) -> None:
        for name, reference, _, kind in children:
            if kind == "GRP":
                walk(reference[1])
            elif name not in found:
                found.append(name)

    walk(library.MESSAGES[structure][1])
    return found


class Hl7Generator:
    """Values of every type of one version, a canary in each component of a type that can carry a name."""

    def __init__(self, version: str, canaries: Canaries) -> None:
        self.definitions = v2_definitions(version)
        self.canaries = canaries
        self.kept: list[str] = []

    def segment(self, segment_id: str) -> str:
        fields = [segment_id]
        for number, type_name in enumerate(self.definitions.segments[segment_id], start=1):
            fields.append(self.value(type_name, 0, f"{self.definitions.version} {segment_id}-{number}"))
        return "|".join(fields)

    def observation(self, value_type: str, first: bool) -> str:
        """An OBX whose value is of `value_type`; only the first of them has its other fields filled too."""
        fields = self.segment("OBX").split("|") if first else ["OBX", "7"]
        fields += [""] * (6 - len(fields))
        fields[2] = value_type
        fields[5] = self.value(value_type, 0, f"{self.definitions.version} OBX-5({value_type})")
        return "|".join(fields)

    def value(self, type_name: str, depth: int, path: str) -> str:
        if type_name in HL7_TEXT_TYPES:
            return self.canaries.sentence(path)
        if type_name in HL7_FILLERS:
            return HL7_FILLERS[type_name]
        if type_name == "TS":
            return "20010203040506"
        if type_name == "DR_SIMPLE":
            return "20010203&20010204" if depth == 1 else "20010203"
        if type_name == "ED":
            data = base64.b64encode(self.canaries.sentence(f"{path}.5").encode()).decode()
            return "^".join(["L", "TEXT", "PLAIN", "Base64", data]) if depth == 0 else ""
        components = self.definitions.component_types(type_name)
        if components is None:  # WD, VARIES outside OBX-5, or unknown
            return ""
        if depth == 2:
            return self.value(components[0], depth, f"{path}.1")
        kept = HL7_KEPT_COMPONENTS.get(type_name, frozenset())
        parts = []
        for number, component_type in enumerate(components, start=1):
            here = f"{path}.{number}"
            if number in kept:
                parts.append("L" if type_name in HL7_CODED_TYPES else KEPT_FILLER.replace("-", ""))
                self.kept.append(here)
            else:
                parts.append(self.value(component_type, depth + 1, here))
        return ("^" if depth == 0 else "&").join(parts)

    def messages_of_one_segment(self, segment_id: str) -> list[bytes]:
        """MSH alone, or MSH and one segment (OBX: one message per value type), in messages of their own."""
        header = self.header("ADT_A01")
        if segment_id == "MSH":
            bodies = [[]]
        elif segment_id == "OBX":
            known = [kind for kind in OBX_VALUE_TYPES if self.definitions.knows(kind)]
            bodies = [[self.observation(kind, first=index == 0)] for index, kind in enumerate(known)]
        elif segment_id in self.definitions.segments:
            bodies = [[self.segment(segment_id)]]
        else:
            bodies = []
        return [("\r".join([header, *body]) + "\r").encode() for body in bodies]

    def header(self, structure: str) -> str:
        fields = self.segment("MSH").split("|")
        fields[1:3] = ["^~\\&"]  # MSH-1 is the field separator itself, MSH-2 the encoding characters
        message_type = f"{structure.split('_')[0]}^{structure.split('_')[1]}^{structure}"
        fields[8], fields[9], fields[11] = message_type, "CTRL7", self.definitions.version
        return "|".join(fields)

    def message(self, structure: str) -> bytes:
        version = self.definitions.version
        segments = []
        for segment_id in hl7_structure_segments(version, structure):
            if segment_id == "MSH":
                segments.append(self.header(structure))
            elif segment_id == "OBX":
                known = [kind for kind in OBX_VALUE_TYPES if self.definitions.knows(kind)]
                segments += [self.observation(kind, first=index == 0) for index, kind in enumerate(known)]
            elif segment_id in self.definitions.segments:
                segments.append(self.segment(segment_id))
        return ("\r".join(segments) + "\r").encode()


# Running them


class RememberingEngine:
    """The real engine, asked once per distinct text: the same canaries go through three policies."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._found: dict[str, list[Entity]] = {}

    def analyze_batch(self, texts: list[str]) -> list[list[Entity]]:
        missing = [text for text in dict.fromkeys(texts) if text not in self._found]
        for text, found in zip(missing, self._engine.analyze_batch(missing) if missing else [], strict=True):
            self._found[text] = found
        return [self._found[text] for text in texts]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


def everything(output: bytes) -> str:
    """The output and every Base64 value in it, decoded."""
    text = output.decode()
    decoded = []
    for candidate in re.findall(r"[A-Za-z0-9+/]{16,}={0,2}", text):
        try:
            decoded.append(base64.b64decode(candidate, validate=True).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
    return "\n".join([text, *decoded])


@pytest.fixture(scope="module")
def remembering_engine(engine: Engine) -> RememberingEngine:
    return RememberingEngine(engine)


@pytest.fixture(scope="module")
def fhir_cases() -> tuple[Canaries, list[FhirCanaryResource]]:
    canaries = Canaries()
    return canaries, [fhir_resource(resource_type, canaries) for resource_type in R4_RESOURCE_TYPES]


@pytest.fixture(scope="module")
def hl7_cases() -> tuple[Canaries, list[tuple[str, bytes]], list[str]]:
    canaries = Canaries()
    messages, kept = [], []
    for version in HL7_VERSIONS:
        generator = Hl7Generator(version, canaries)
        for structure in HL7_STRUCTURES:
            if structure in hl7apy.load_library(version).MESSAGES:
                messages.append((f"{structure} {version}", generator.message(structure)))
        kept += generator.kept
    return canaries, messages, kept


@pytest.mark.parametrize("policy", POLICIES)
def test_no_fhir_canary_survives_any_policy(
    remembering_engine: RememberingEngine,
    fhir_cases: tuple[Canaries, list[FhirCanaryResource]],
    policy: str | None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    canaries, cases = fhir_cases
    settings: dict[str, Any] = {"formats": {"raw": {"format": "fhir"}}} | ({"policy": policy} if policy else {})
    left: list[str] = []
    for case in cases:
        (record,) = run_batch(remembering_engine, [json.dumps(case.resource).encode()], **settings)  # type: ignore[arg-type]
        assert record.topic == "clean", (case.resource["resourceType"], dict(record.headers))
        output = everything(record.value)
        left += canaries.left_in(output)
        assert output.count(KEPT_FILLER) >= len(case.kept) > 0 or not case.kept, case.kept
    assert not left, f"{len(left)} canaries survived: {left[:20]}"
    with capsys.disabled():
        print(
            f"\nFHIR canaries ({policy or 'default'}): {len(canaries.paths)} string-bearing element paths "
            f"of {len(cases)} R4 resource types, none left"
        )


@pytest.mark.parametrize("policy", POLICIES)
def test_no_hl7_canary_survives_any_policy(
    remembering_engine: RememberingEngine,
    hl7_cases: tuple[Canaries, list[tuple[str, bytes]], list[str]],
    policy: str | None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    canaries, messages, kept = hl7_cases
    settings: dict[str, Any] = {"formats": {"raw": {"format": "hl7v2"}}} | ({"policy": policy} if policy else {})
    left: list[str] = []
    kept_seen = 0
    for name, value in messages:
        (record,) = run_batch(remembering_engine, [value], **settings)  # type: ignore[arg-type]
        assert record.topic == "clean", (name, dict(record.headers))
        output = everything(record.value)
        left += canaries.left_in(output)
        kept_seen += output.count(KEPT_FILLER.replace("-", ""))
    assert not left, f"{len(left)} canaries survived: {left[:20]}"
    assert kept_seen > 0
    with capsys.disabled():
        print(
            f"\nHL7 v2 canaries ({policy or 'default'}): {len(canaries.paths)} field and component paths "
            f"in {len(messages)} messages ({', '.join(name for name, _ in messages)}), none left"
        )


def left_when_every_text_is_emptied(value: bytes, format_name: str, canaries: Canaries) -> list[str]:
    """The canaries of `value` still in its output when the engine's texts all come back empty."""
    decoded = decode(value, TopicFormat(format=format_name), 100_000_000)  # type: ignore[arg-type]
    return canaries.left_in(everything(decoded.encode(["" for _ in decoded.texts])))


def test_every_string_path_of_every_r4_resource_type_reaches_the_engine_an_operator_or_the_bin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    r4 = r4_definitions()
    resource_types = sorted(name for name in r4.parents if r4.is_resource_type(name))
    canaries = Canaries()
    left = [
        path
        for resource_type in resource_types
        for path in left_when_every_text_is_emptied(
            json.dumps(fhir_resource(resource_type, canaries).resource).encode(), "fhir", canaries
        )
    ]
    assert not left, f"{len(left)} string paths kept verbatim: {left[:20]}"
    assert len(resource_types) > 140
    with capsys.disabled():
        print(f"\nFHIR routing: {len(canaries.paths)} string paths of all {len(resource_types)} R4 resource types")


def test_every_string_field_and_component_of_every_version_reaches_the_engine_an_operator_or_the_bin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each segment of the structures in a message of its own (MSH and it): the routing does not need the rest."""
    canaries = Canaries()
    left = []
    segments = 0
    for version in HL7_ALL_VERSIONS:
        generator = Hl7Generator(version, canaries)
        library = hl7apy.load_library(version)
        structures = [structure for structure in HL7_STRUCTURES if structure in library.MESSAGES]
        for segment_id in dict.fromkeys(
            s for structure in structures for s in hl7_structure_segments(version, structure)
        ):
            for value in generator.messages_of_one_segment(segment_id):
                left += left_when_every_text_is_emptied(value, "hl7v2", canaries)
            segments += 1
    assert not left, f"{len(left)} fields or components kept verbatim: {left[:20]}"
    with capsys.disabled():
        print(
            f"\nHL7 v2 routing: {len(canaries.paths)} field and component paths of {segments} segments "
            f"in versions 2.3 to 2.8.2"
        )
