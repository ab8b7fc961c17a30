"""`format = "fhir"`: a FHIR R4 resource or Bundle (JSON), de-identified element by element by its R4 data type.

Every element is looked up in the R4 definitions (`fhir_definitions`: the type of
every element path, from the StructureDefinitions), and its type decides, in the
spirit of the Safe Harbor profile of Microsoft's FHIR anonymizer:

- `string` and `markdown` (CodeableConcept.text, Annotation.text,
  Communication.payload.contentString, Coding.display of a local code system, ...)
  go through the engine as free text, and so do Base64 `text/*` attachments
  (their `size` and `hash` made anew; other attachment data is removed) and the
  runs of text of XHTML narratives, markup kept (see `narrative`);
- HumanName, Address, ContactPoint.value, Identifier.value, Reference.display,
  Annotation.authorString and the names of Organizations, Locations and
  HealthcareServices are replaced through the policy's operators (a value the
  policy tags or redacts is removed: FHIR has no `<PERSON>`);
- date, dateTime and instant values are shifted per patient or generalized to
  the year, keeping their precision and time of day;
- resource ids, `id`, `oid` and `uuid` values and references become ids derived
  from a keyed token (random per message without a secret), so references inside
  a Bundle still resolve;
- codes, URIs, numbers, booleans, quantities and the displays of public
  terminologies are kept: `kept` lists them, the one place that does;
- base64Binary data other than text attachments is removed; extensions, and
  anything R4 does not define, take the topic's `default` (`drop` unless `keep`).

The names, identifiers, telecoms, addresses and birth date of the Patients, their
contacts and other people (and the people of Reference.display) seed the free text,
see `seeds`; all but the practitioners' are what the patient directory records.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from deidstream.entity import EntityType
from deidstream.formats.base import DecodedMessage, DecodeFailure, FieldValues, TaggingValues, Unprocessable
from deidstream.formats.fhir_definitions import RESOURCE, Element, r4_definitions
from deidstream.formats.jsontools import check_text, decode_base64_text, dump_json, parse_json
from deidstream.formats.kept import FHIR_KEPT_ELEMENTS, FHIR_KEPT_PRIMITIVES, is_public_fhir_system
from deidstream.formats.narrative import Narrative
from deidstream.formats.structured import TwoPassWalker, replace_date, replace_name

if TYPE_CHECKING:
    from deidstream.formats.settings import TopicFormat

RESOURCE_TYPE = re.compile(r"[A-Z][A-Za-z]{1,63}")
# FHIR date, dateTime and instant: YYYY, YYYY-MM, YYYY-MM-DD, then an optional time of day and zone.
FHIR_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?")
FHIR_TIME = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
PERSON_TYPES = frozenset({"Patient", "Practitioner", "PractitionerRole", "RelatedPerson", "Person"})
# People whose identifiers seed the message's text but are not the patient's (see `KnownIdentifiers.about_patient`).
STAFF_TYPES = frozenset({"Practitioner", "PractitionerRole"})
PLACE_TYPES = frozenset({"Organization", "Location", "HealthcareService"})
TEXT_TYPES = frozenset({"string", "markdown"})
DATE_TYPES = frozenset({"date", "dateTime", "instant"})
ID_TYPES = frozenset({"id", "oid", "uuid"})
# The few elements whose R4 type (string, uri, date) is general but whose definition says what they hold: the
# names of places (HOSPITAL); a Bundle's URLs, which name its resources (their ids made pseudonymous like
# references); the patient's birth date, which also seeds the free text.
FULL_URL, REFERENCE, BIRTH_DATE = "full_url", "reference", "birth_date"
PATH_RULES = {
    **dict.fromkeys(
        ("Organization.name", "Organization.alias", "Location.name", "Location.alias", "HealthcareService.name"),
        EntityType.HOSPITAL,
    ),
    "Bundle.entry.fullUrl": FULL_URL,
    **dict.fromkeys(("Bundle.entry.request.url", "Bundle.entry.response.location", "Bundle.link.url"), REFERENCE),
    "Patient.birthDate": BIRTH_DATE,
}
SECTION_NARRATIVE = "Composition.section.text"  # the document itself: de-identified even where narratives are removed


def decode_fhir(text: str, topic_format: TopicFormat) -> DecodedMessage:
    document = parse_json(text, DecodeFailure.INVALID_FHIR)
    _check_resource(document, "the message")
    targets = _reference_targets(document)
    narratives: dict[str, Narrative] = {}  # parsed once, for both passes
    collector = _Walker(topic_format, targets, narratives, None, TaggingValues())
    collector.resource(document)
    known = collector.known

    def encode(anonymized: list[str], values: FieldValues) -> bytes:
        walker = _Walker(topic_format, targets, narratives, iter(anonymized), values)
        return dump_json(walker.resource(document))

    return DecodedMessage(
        collector.texts,
        encode,
        lambda name: _lookup(document, name),
        known,
    )


def _check_resource(node: Any, where: str) -> None:
    """A resource is an object with a resourceType; a Bundle's entries hold resources. Else `invalid_fhir`."""
    if not isinstance(node, dict) or not isinstance(node.get("resourceType"), str):
        raise Unprocessable(DecodeFailure.INVALID_FHIR, f"{where} is not a FHIR resource (no resourceType)")
    if not RESOURCE_TYPE.fullmatch(node["resourceType"]):
        raise Unprocessable(DecodeFailure.INVALID_FHIR, f"{where} has a resourceType that is no FHIR type name")
    if "id" in node and not isinstance(node["id"], str):
        raise Unprocessable(DecodeFailure.INVALID_FHIR, f"{where} has an id that is not a string")
    if node["resourceType"] == "Bundle":
        entries = node.get("entry", [])
        if not isinstance(entries, list):
            raise Unprocessable(DecodeFailure.INVALID_FHIR, "Bundle.entry is not a list")
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise Unprocessable(DecodeFailure.INVALID_FHIR, f"Bundle.entry[{index}] is not an object")
            if "resource" in entry:
                _check_resource(entry["resource"], f"Bundle.entry[{index}].resource")
    for index, contained in enumerate(node.get("contained", []) if isinstance(node.get("contained"), list) else []):
        _check_resource(contained, f"contained[{index}]")


def _reference_targets(document: dict[str, Any]) -> dict[str, str]:
    """The resource type each reference of a Bundle can point at: `urn:uuid:…` full URLs and `Type/id`."""
    targets: dict[str, str] = {}
    entries = document.get("entry", []) if document["resourceType"] == "Bundle" else []
    for entry in entries:
        resource = entry.get("resource")
        if isinstance(resource, dict):
            if isinstance(entry.get("fullUrl"), str):
                targets[entry["fullUrl"]] = resource["resourceType"]
            if isinstance(resource.get("id"), str):
                targets[f"{resource['resourceType']}/{resource['id']}"] = resource["resourceType"]
    return targets


DROP = object()  # an element's rule says: remove it


class _Walker(TwoPassWalker):
    """One pass over a resource (see `TwoPassWalker`), each element by its R4 data type."""

    def __init__(
        self,
        topic_format: TopicFormat,
        targets: dict[str, str],
        narratives: dict[str, Narrative],
        anonymized: Iterator[str] | None,
        values: FieldValues,
    ) -> None:
        super().__init__(anonymized, values)
        self._narratives = narratives
        self._keep_unnamed = topic_format.default == "keep"
        self._remove_narratives = topic_format.fhir_narratives == "remove"
        self._targets = targets
        self._r4 = r4_definitions()
        # Whose elements the walk is in: resource types, and "Reference" inside a reference (whose ids seed nothing).
        self._owners: list[str] = []
        # The data types whose elements carry identifiers by the type's own definition.
        self._handlers: dict[str, Callable[[dict[str, Any], str], Any]] = {
            "HumanName": self._human_name,
            "Identifier": self._identifier,
            "Address": self._address,
            "ContactPoint": self._contact_point,
            "Reference": self._reference_object,
            "Annotation": self._annotation,
            "Attachment": self._attachment,
            "Coding": self._coding,
            "Narrative": self._narrative,
        }

    @property
    def _seeding(self) -> bool:
        """Whether the identifiers met now are a person's (a Patient's, a contact's, a Practitioner's...)."""
        return self._collecting and bool(self._owners) and self._owners[-1] in PERSON_TYPES

    @property
    def _staff(self) -> bool:
        """Whether that person is a clinician: their identifiers seed the text but are not the patient's."""
        return bool(self._owners) and self._owners[-1] in STAFF_TYPES

    # Resources and elements

    def resource(self, node: dict[str, Any]) -> dict[str, Any]:
        resource_type = node["resourceType"]
        self._owners.append(resource_type)
        output: dict[str, Any] = {}
        for key, value in node.items():
            if key == "resourceType":
                new: Any = value
            elif key == "id":
                new = self._values.identifier(value) if isinstance(value, str) else DROP
            else:
                new = self._element(resource_type, key, value)
            if new is not DROP:
                output[key] = new
        self._owners.pop()
        return output

    def _element(self, base: str, key: str, value: Any) -> Any:
        """Element `key` of `base` (a resource type, a data type or a backbone path), by its path's rule or its type."""
        path = f"{base}.{key}"
        if path in PATH_RULES:
            rule = PATH_RULES[path]
            if rule == EntityType.HOSPITAL:
                return self._each(value, lambda item: self._replace(EntityType.HOSPITAL, item))
            if not isinstance(value, str):
                return DROP
            if rule == FULL_URL:
                return self._full_url(value)
            if rule == BIRTH_DATE:
                if self._seeding:
                    self._seed_date(value)
                return self._date(value)
            return self._reference(value)
        element = None if key.startswith("_") else self._r4.child(base, key)  # `_status`: a primitive's extensions
        if element is None:
            return self._default(value)
        return self._each(value, lambda item: self._typed(element, path, item))

    def _typed(self, element: Element, path: str, value: Any) -> Any:
        """One value of an element of R4 type `element.type`."""
        type_name = element.type
        if isinstance(value, dict):
            handler = self._handlers.get(type_name)
            if handler is not None:
                return handler(value, path)
            if type_name in FHIR_KEPT_ELEMENTS:
                return self._object(type_name, value, kept=FHIR_KEPT_ELEMENTS[type_name])
            if type_name == RESOURCE:
                return self.resource(value) if isinstance(value.get("resourceType"), str) else self._default(value)
            if type_name == "Extension" or type_name[0].islower():  # extensions; a primitive type given an object
                return self._default(value)
            return self._object(element.base, value)
        if isinstance(value, list):
            return self._default(value)  # a list inside a list: no FHIR element is one
        if type_name in FHIR_KEPT_PRIMITIVES and _is_json_of(type_name, value):
            return value
        if not isinstance(value, str):
            return self._default(value)  # a number or boolean where R4 has a string or an object
        if type_name in TEXT_TYPES or type_name in FHIR_KEPT_PRIMITIVES:  # a string where R4 has a number: text
            return self._free_text(value)
        if type_name in DATE_TYPES:
            return self._date(value)
        if type_name in ID_TYPES:
            return self._values.identifier(value)
        if type_name == "url":
            return self._replace(EntityType.URL, value)
        return DROP if type_name in ("base64Binary", "xhtml") else self._default(value)

    def _object(self, base: str, node: dict[str, Any], kept: frozenset[str] = frozenset()) -> dict[str, Any]:
        """A data type or backbone element: each of its elements by its own type (those in `kept` kept as they are)."""
        output: dict[str, Any] = {}
        for key, value in node.items():
            new = value if key in kept and isinstance(value, str) else self._element(base, key, value)
            if new is not DROP:
                output[key] = new
        return output

    def _each(self, value: Any, handle: Callable[[Any], Any]) -> Any:
        """`handle` on a single value or on every value of a list (dropping what it drops, and a list left empty)."""
        if isinstance(value, list):
            kept = [new for new in (handle(item) for item in value) if new is not DROP]
            return kept if kept else DROP
        return handle(value)

    def _default(self, value: Any) -> Any:
        """What R4 does not define (or defines otherwise): the topic's `default`."""
        return value if self._keep_unnamed else DROP

    # Data types whose elements carry identifiers

    def _human_name(self, name: dict[str, Any], path: str) -> Any:
        family_value, given_value = name.get("family"), name.get("given")
        family = [family_value] if isinstance(family_value, str) else []
        given_values = given_value if isinstance(given_value, list) else [given_value]
        given = [part for part in given_values if isinstance(part, str)]
        if self._seeding:
            self.known.add_name(given, family, staff=self._staff)
        new_family, new_given = replace_name(self._values, family, given) if not self._collecting else (family, given)
        output: dict[str, Any] = {}
        for key, value in name.items():
            if key == "family":
                if new_family and not _is_tag(new_family[0]):
                    output[key] = " ".join(new_family)
            elif key == "given":
                kept = [part for part in new_given if not _is_tag(part)]
                if kept:
                    output[key] = kept
            elif key == "text":
                new = self._replace(EntityType.PERSON, value)
                if new is not DROP:
                    output[key] = new
            else:
                new = self._element("HumanName", key, value)
                if new is not DROP:
                    output[key] = new
        return output

    def _identifier(self, identifier: dict[str, Any], path: str) -> Any:
        entity_type = EntityType.US_SSN if _is_ssn(identifier) else EntityType.ID
        output: dict[str, Any] = {}
        for key, value in identifier.items():
            if key == "value" and isinstance(value, str):
                if self._seeding:
                    self.known.add_value(entity_type, value, staff=self._staff)
                new = self._replace(entity_type, value)
            else:
                new = self._element("Identifier", key, value)
            if new is not DROP:
                output[key] = new
        return output

    def _address(self, address: dict[str, Any], path: str) -> Any:
        """Street, city, district, postal code and text replaced; state and country kept (see `kept`)."""
        kept = FHIR_KEPT_ELEMENTS["Address"]
        if self._seeding:  # a person's streets and town seed the text
            for entity_type, parts in (
                (EntityType.STREET_ADDRESS, address.get("line")),
                (EntityType.LOCATION, address.get("city")),
            ):
                for part in parts if isinstance(parts, list) else [parts]:
                    if isinstance(part, str):
                        self.known.add_value(entity_type, part, staff=self._staff)
        output: dict[str, Any] = {}
        for key, value in address.items():
            if key == "line":
                new: Any = self._each(value, lambda line: self._replace(EntityType.STREET_ADDRESS, line))
            elif key in ("city", "district"):
                new = self._replace(EntityType.LOCATION, value)
            elif key == "postalCode":
                new = self._replace(EntityType.ZIP_CODE, value)
            elif key == "text":
                new = self._replace(EntityType.STREET_ADDRESS, value)
            elif key in kept and isinstance(value, str):
                new = value
            else:
                new = self._element("Address", key, value)
            if new is not DROP:
                output[key] = new
        return output

    def _contact_point(self, point: dict[str, Any], path: str) -> Any:
        system = point.get("system")
        entity_type = (
            EntityType.EMAIL_ADDRESS
            if system == "email"
            else EntityType.URL
            if system == "url"
            else EntityType.PHONE_NUMBER
        )
        output: dict[str, Any] = {}
        for key, value in point.items():
            if key == "value" and isinstance(value, str):
                if self._seeding:
                    self.known.add_value(entity_type, value, staff=self._staff)
                new: Any = self._replace(entity_type, value)
            else:
                new = self._element("ContactPoint", key, value)
            if new is not DROP:
                output[key] = new
        return output

    def _reference_object(self, node: dict[str, Any], path: str) -> Any:
        target_type = self._target_type(node)
        self._owners.append("Reference")
        output: dict[str, Any] = {}
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                new: Any = self._reference(value)
            elif key == "display" and isinstance(value, str):
                new = self._display(value, target_type)
            else:
                new = self._element("Reference", key, value)
            if new is not DROP:
                output[key] = new
        self._owners.pop()
        return output

    def _target_type(self, node: dict[str, Any]) -> str | None:
        """The type of the resource a Reference points at, from its reference or its `type`; None when neither says."""
        reference = node.get("reference")
        if isinstance(reference, str):
            if reference in self._targets:
                return self._targets[reference]
            parts = reference.split("?")[0].split("/")
            found = next((part for part in reversed(parts[:-1] or parts) if RESOURCE_TYPE.fullmatch(part)), None)
            if found is not None:
                return found
        kind = node.get("type")
        return kind.rsplit("/", 1)[-1] if isinstance(kind, str) else None

    def _display(self, display: str, target_type: str | None) -> Any:
        """A person's name (or a display of nothing known): PERSON; a place's: HOSPITAL; any other resource's: text."""
        if target_type in PLACE_TYPES:
            return self._replace(EntityType.HOSPITAL, display)
        if target_type is None or target_type in PERSON_TYPES or not self._r4.is_resource_type(target_type):
            if self._collecting:  # the patient's people by name; anyone else (an author, a performer) a clinician
                self.known.add_full_name(_strip_title(display), staff=target_type not in PERSON_TYPES - STAFF_TYPES)
            return self._replace(EntityType.PERSON, display)
        return self._text(display)

    def _annotation(self, note: dict[str, Any], path: str) -> Any:
        output: dict[str, Any] = {}
        for key, value in note.items():
            if key == "authorString" and isinstance(value, str):
                new: Any = self._replace(EntityType.PERSON, value)
            else:
                new = self._element("Annotation", key, value)
            if new is not DROP:
                output[key] = new
        return output

    def _attachment(self, attachment: dict[str, Any], path: str) -> Any:
        """Text attachments de-identified in their Base64 and their size and hash made anew; other data removed.

        `url`, `size` and `hash` describe the original content: not kept.
        """
        is_text = str(attachment.get("contentType", "")).startswith("text/")
        output: dict[str, Any] = {}
        text_bytes: bytes | None = None
        for key, value in attachment.items():
            if key == "data" and isinstance(value, str) and is_text:
                decoded = self._text(decode_base64_text(value, "an attachment's data") if self._collecting else value)
                text_bytes = decoded.encode("utf-8")
                output[key] = base64.b64encode(text_bytes).decode("ascii")
            elif key not in ("data", "url", "size", "hash"):
                new = self._element("Attachment", key, value)
                if new is not DROP:
                    output[key] = new
        if text_bytes is not None:
            output["size"] = len(text_bytes)
            if "hash" in attachment:
                output["hash"] = base64.b64encode(hashlib.sha1(text_bytes).digest()).decode("ascii")  # noqa: S324 - FHIR's hash is SHA-1
        return output

    def _coding(self, coding: dict[str, Any], path: str) -> Any:
        """A code and its system kept; the display too when the system is a public terminology, else free text."""
        public = is_public_fhir_system(coding.get("system"))
        output: dict[str, Any] = {}
        for key, value in coding.items():
            if key == "display" and public and isinstance(value, str):
                new: Any = value
            else:
                new = self._element("Coding", key, value)
            if new is not DROP:
                output[key] = new
        return output

    def _narrative(self, narrative: dict[str, Any], path: str) -> Any:
        """The XHTML's text through the engine, its markup kept; a resource's narrative removed if the topic says so."""
        if self._remove_narratives and path != SECTION_NARRATIVE:
            return DROP
        output: dict[str, Any] = {}
        for key, value in narrative.items():
            if key == "div" and isinstance(value, str):
                new: Any = self._div(value)
            else:
                new = self._element("Narrative", key, value)
            if new is not DROP:
                output[key] = new
        return output

    def _div(self, div: str) -> str:
        parsed = self._narratives.get(div)
        if parsed is None:
            parsed = self._narratives[div] = Narrative(div)
        if not parsed.runs:
            return parsed.render("")
        return parsed.render(self._text(parsed.text))

    # Values

    def _reference(self, reference: str) -> str:
        """`Patient/123`, `urn:uuid:…`, `https://…/Patient/123`, `Practitioner?identifier=…`: ids made pseudonymous."""
        if reference.startswith("#"):
            return "#" + self._values.identifier(reference[1:])
        if reference.startswith("urn:uuid:"):
            return "urn:uuid:" + self._values.identifier(reference[len("urn:uuid:") :])
        if "?" in reference:
            resource_type = reference.split("?", 1)[0].rsplit("/", 1)[-1]
            return f"{resource_type}/{self._values.identifier(reference)}"
        parts = reference.rstrip("/").split("/")
        if "_history" in parts:
            parts = parts[: parts.index("_history")]
        if len(parts) >= 2 and RESOURCE_TYPE.fullmatch(parts[-2]):
            return f"{parts[-2]}/{self._values.identifier(parts[-1])}"
        return self._values.identifier(reference)

    def _full_url(self, url: str) -> str:
        if url.startswith("urn:uuid:"):
            return "urn:uuid:" + self._values.identifier(url[len("urn:uuid:") :])
        parts = url.rstrip("/").split("/")
        return "urn:uuid:" + self._values.identifier(parts[-1])

    def _text(self, text: str) -> str:
        if self._collecting:
            check_text(text, "a FHIR text element")
        return super()._text(text)

    def _replace(self, entity_type: str, value: Any) -> Any:
        if not isinstance(value, str):
            return DROP
        if self._collecting:
            return value
        new = self._values.replace(entity_type, value)
        return DROP if not new or _is_tag(new) else new

    def _date(self, value: str) -> Any:
        match = FHIR_DATE.fullmatch(value)
        if match is None:
            return DROP
        if self._collecting:
            return value
        year, month, day, clock = int(match[1]), match[2], match[3], match[4]
        replaced = replace_date(self._values, year, int(month or 1), int(day or 1))
        if replaced is None:
            return DROP
        if isinstance(replaced, int):
            return f"{replaced:04d}"
        new_year, new_month, new_day = replaced
        if month is None:
            return f"{new_year:04d}"
        if day is None:
            return f"{new_year:04d}-{new_month:02d}"
        return f"{new_year:04d}-{new_month:02d}-{new_day:02d}{clock or ''}"

    def _seed_date(self, value: str) -> None:
        match = FHIR_DATE.fullmatch(value)
        if match and match[2] and match[3]:
            self.known.add_date(int(match[1]), int(match[2]), int(match[3]))


def _is_json_of(type_name: str, value: Any) -> bool:
    """Whether a JSON value has the form of a kept primitive type: a name where a number or time belongs is text."""
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "decimal":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name in ("integer", "positiveInt", "unsignedInt"):
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "time":
        return isinstance(value, str) and FHIR_TIME.fullmatch(value) is not None
    return isinstance(value, str)


def _is_ssn(identifier: dict[str, Any]) -> bool:
    """An Identifier for a US Social Security number: by its system, or by its v2-0203 type code `SS`."""
    if "us-ssn" in str(identifier.get("system", "")):
        return True
    kind = identifier.get("type")
    codings = kind.get("coding", []) if isinstance(kind, dict) else []
    return any(isinstance(coding, dict) and coding.get("code") == "SS" for coding in codings)


def _is_tag(value: str) -> bool:
    return value.startswith("<") and value.endswith(">")


def _strip_title(name: str) -> str:
    return re.sub(r"^(?:Dr|Mr|Mrs|Ms|Miss|Prof)\.?\s+", "", name.strip())


def _lookup(document: Any, name: str) -> Any:
    """`Patient.id` or `Patient.identifier[0].value`: the first Patient of the message (itself or in a Bundle)."""
    from deidstream.formats.json_envelope import _lookup as json_lookup

    resource_type, _, path = name.partition(".")
    resources = [document]
    if isinstance(document, dict) and document.get("resourceType") == "Bundle":
        resources += [entry.get("resource") for entry in document.get("entry", []) if isinstance(entry, dict)]
    for resource in resources:
        if isinstance(resource, dict) and resource.get("resourceType") == resource_type and path:
            return json_lookup(resource, path)
    return None
