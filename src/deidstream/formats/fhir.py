"""`format = "fhir"`: a FHIR R4 resource or Bundle (JSON), de-identified element by element and in its free text.

Plain JSON walking (no R4 models in Python worth the weight), by element name and
data type, in the spirit of the HIPAA Safe Harbor profile of Microsoft's FHIR
anonymizer:

- HumanName, Address, ContactPoint, Identifier.value, Reference.display and
  Annotation authors are replaced through the policy (a surrogate, a token, a
  tag; a value the policy tags or redacts is removed, as FHIR has no `<PERSON>`);
- date, dateTime and instant values are shifted per patient or generalized to
  the year, keeping their precision and time of day;
- resource ids and references become ids derived from a keyed token (random per
  message without a secret), so references inside a Bundle still resolve;
- free text (`conclusion`, `valueString`, `description`, `comment`, Annotation
  `text`, Base64 `text/*` attachments) goes through the engine; an attachment's
  `size` and `hash` are recomputed, non-text attachment data is removed;
- the narrative (`text.div`) is removed: it repeats the resource in XHTML;
- every element no rule names (extensions among them) takes the topic's
  `default`, `drop` unless `keep`: unknown content never passes unread.

The names, identifiers, telecoms, addresses and birth date of the Patients (and
contacts, RelatedPersons, practitioners and the people of Reference.display) seed
the free text, see `seeds`; all but the practitioners' are what the patient
directory records.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from deidstream.detection.entity import (
    EMAIL_ADDRESS,
    HOSPITAL,
    ID,
    LOCATION,
    PERSON,
    PHONE_NUMBER,
    STREET_ADDRESS,
    URL,
    US_SSN,
    ZIP_CODE,
)
from deidstream.formats.base import DecodedMessage, FieldValues, QuarantineReason, TaggingValues, Unprocessable
from deidstream.formats.jsontools import check_text, decode_base64_text, dump_json, parse_json
from deidstream.formats.structured import TwoPassWalker, replace_date, replace_name

if TYPE_CHECKING:
    from deidstream.formats.settings import TopicFormat

RESOURCE_TYPE = re.compile(r"[A-Z][A-Za-z]{1,63}")
# FHIR date, dateTime and instant: YYYY, YYYY-MM, YYYY-MM-DD, then an optional time of day and zone.
FHIR_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?")
PERSON_TYPES = frozenset({"Patient", "Practitioner", "PractitionerRole", "RelatedPerson", "Person"})
# People whose identifiers seed the message's text but are not the patient's (see `KnownIdentifiers.about_patient`).
STAFF_TYPES = frozenset({"Practitioner", "PractitionerRole"})
PLACE_TYPES = frozenset({"Organization", "Location", "HealthcareService"})
# Free text: through the engine.
TEXT_ELEMENTS = frozenset({"conclusion", "valueString", "description", "comment", "valueMarkdown", "summary"})
# Coded and clinical content, kept as it is (whole subtrees).
KEPT_SUBTREES = frozenset(
    {
        "coding", "valueQuantity", "valueCodeableConcept", "referenceRange", "interpretation", "category", "type",
        "maritalStatus", "communication", "code", "class", "format", "valueCoding", "bodySite", "method",
        "reasonCode", "vaccineCode", "medicationCodeableConcept", "severity",
        "clinicalStatus", "verificationStatus", "relationship", "security", "tag",
    }
)  # fmt: skip
# Primitive elements kept as they are.
KEPT_PRIMITIVES = frozenset(
    {
        "resourceType", "status", "use", "system", "version", "unit", "value", "comparator", "gender", "language",
        "contentType", "docStatus", "intent", "priority", "active", "multipleBirthBoolean", "deceasedBoolean",
        "valueBoolean", "valueInteger", "valueDecimal", "rank", "preferred", "state", "country", "prefix", "suffix",
        "profile", "total", "mode",
    }
)  # fmt: skip
REFERENCE_ELEMENTS = frozenset(
    {
        "subject", "patient", "author", "performer", "custodian", "encounter", "requester", "resultsInterpreter",
        "managingOrganization", "generalPractitioner", "organization", "assigner", "authenticator", "basedOn",
        "partOf", "result", "specimen", "context", "recorder", "asserter", "location", "serviceProvider",
        "individual", "participant", "source", "authorReference", "focus", "hasMember", "derivedFrom", "imagingStudy",
    }
)  # fmt: skip


def decode_fhir(text: str, topic_format: TopicFormat) -> DecodedMessage:
    document = parse_json(text, QuarantineReason.INVALID_FHIR)
    _check_resource(document, "the message")
    keep_unnamed = topic_format.default == "keep"
    collector = _Walker(keep_unnamed, None, TaggingValues())
    collector.resource(copy.deepcopy(document))
    known = collector.known

    def encode(anonymized: list[str], values: FieldValues) -> bytes:
        walker = _Walker(keep_unnamed, iter(anonymized), values)
        return dump_json(walker.resource(copy.deepcopy(document)))

    return DecodedMessage(
        collector.texts,
        encode,
        lambda name: _lookup(document, name),
        known,
    )


def _check_resource(node: Any, where: str) -> None:
    """A resource is an object with a resourceType; a Bundle's entries hold resources. Else `invalid_fhir`."""
    if not isinstance(node, dict) or not isinstance(node.get("resourceType"), str):
        raise Unprocessable(QuarantineReason.INVALID_FHIR, f"{where} is not a FHIR resource (no resourceType)")
    if not RESOURCE_TYPE.fullmatch(node["resourceType"]):
        raise Unprocessable(QuarantineReason.INVALID_FHIR, f"{where} has a resourceType that is no FHIR type name")
    if "id" in node and not isinstance(node["id"], str):
        raise Unprocessable(QuarantineReason.INVALID_FHIR, f"{where} has an id that is not a string")
    if node["resourceType"] == "Bundle":
        entries = node.get("entry", [])
        if not isinstance(entries, list):
            raise Unprocessable(QuarantineReason.INVALID_FHIR, "Bundle.entry is not a list")
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise Unprocessable(QuarantineReason.INVALID_FHIR, f"Bundle.entry[{index}] is not an object")
            if "resource" in entry:
                _check_resource(entry["resource"], f"Bundle.entry[{index}].resource")
    for index, contained in enumerate(node.get("contained", []) if isinstance(node.get("contained"), list) else []):
        _check_resource(contained, f"contained[{index}]")


DROP = object()  # an element's rule says: remove it


class _Walker(TwoPassWalker):
    """One pass over a resource (see `TwoPassWalker`)."""

    def __init__(self, keep_unnamed: bool, anonymized: Iterator[str] | None, values: FieldValues) -> None:
        super().__init__(anonymized, values)
        self._keep_unnamed = keep_unnamed

    # Resources

    def resource(self, node: dict[str, Any]) -> dict[str, Any]:
        resource_type = node["resourceType"]
        output: dict[str, Any] = {}
        for key, value in node.items():
            if key == "resourceType":
                new: Any = value
            elif key == "id":
                new = self._values.identifier(value) if isinstance(value, str) else DROP
            elif key == "text" and isinstance(value, dict):
                new = DROP  # the narrative repeats the resource in XHTML: removed
            elif key == "contained" and isinstance(value, list):
                new = [self.resource(item) for item in value]
            elif resource_type == "Bundle" and key == "entry" and isinstance(value, list):
                new = [self._entry(entry) for entry in value]
            elif key == "name" and resource_type in PLACE_TYPES and isinstance(value, str):
                new = self._replace(HOSPITAL, value)
            elif key == "name" and isinstance(value, list | dict):
                new = self._each(value, lambda item: self._human_name(item, resource_type))
            elif key == "birthDate" and resource_type == "Patient" and isinstance(value, str):
                if self._collecting:
                    self._seed_date(value)
                new = self._date(value)
            elif key == "contact" and isinstance(value, list):
                new = [self._contact(item) for item in value]
            else:
                new = self._element(key, value, resource_type)
            if new is not DROP:
                output[key] = new
        return output

    def _entry(self, entry: dict[str, Any]) -> dict[str, Any]:
        output: dict[str, Any] = {}
        for key, value in entry.items():
            if key == "fullUrl" and isinstance(value, str):
                output[key] = self._full_url(value)
            elif key == "resource" and isinstance(value, dict):
                output[key] = self.resource(value)
            elif key == "request" and isinstance(value, dict):
                request = {"method": value["method"]} if "method" in value else {}
                if isinstance(value.get("url"), str):
                    request["url"] = self._reference(value["url"])
                output[key] = request
            elif self._keep_unnamed:
                output[key] = value
        return output

    def _contact(self, contact: Any) -> Any:
        """Patient.contact: next of kin, whose name, address and phones are PHI like the patient's."""
        if not isinstance(contact, dict):
            return DROP if not self._keep_unnamed else contact
        output: dict[str, Any] = {}
        for key, value in contact.items():
            new = self._human_name(value, "RelatedPerson") if key == "name" else self._element(key, value, "Patient")
            if new is not DROP:
                output[key] = new
        return output

    # Elements by name and data type

    def _element(self, key: str, value: Any, context: str) -> Any:
        if key in ("extension", "modifierExtension"):
            return value if self._keep_unnamed else DROP
        if isinstance(value, dict) and isinstance(value.get("resourceType"), str):
            return self.resource(value)  # a resource inside another (Parameters.parameter.resource, ...)
        if key in KEPT_SUBTREES:
            return value
        if key == "identifier":
            return self._each(value, lambda item: self._identifier(item, context))
        if key in ("address", "valueAddress"):
            return self._each(value, lambda item: self._address(item, context))
        if key == "telecom":
            return self._each(value, lambda item: self._contact_point(item, context))
        if key == "note":
            return self._each(value, self._annotation)
        if key in ("attachment", "presentedForm", "photo", "valueAttachment"):
            return self._each(value, self._attachment)
        if key in TEXT_ELEMENTS and isinstance(value, str):
            return self._text(value)
        if key in REFERENCE_ELEMENTS or key.endswith("Reference"):
            return self._each(value, self._reference_object)
        if key == "period" and isinstance(value, dict):
            return self._object(value, context)
        if isinstance(value, dict):
            return self._object(value, context)
        if isinstance(value, list):
            return self._each(value, lambda item: self._element(key, item, context))
        return self._primitive(key, value)

    def _object(self, node: dict[str, Any], context: str) -> Any:
        if "coding" in node:  # a CodeableConcept: codes and their text are clinical content
            return node
        if "reference" in node or ("display" in node and len(node) <= 2):
            return self._reference_object(node)
        output: dict[str, Any] = {}
        for key, value in node.items():
            new = self._element(key, value, context)
            if new is not DROP:
                output[key] = new
        return output

    def _primitive(self, key: str, value: Any) -> Any:
        """Coded primitives kept; anything written as a FHIR date is a date; numbers and booleans kept; else default."""
        if key in KEPT_PRIMITIVES:
            return value
        if isinstance(value, str) and FHIR_DATE.fullmatch(value):
            return self._date(value)
        if isinstance(value, bool | int | float) or self._keep_unnamed:
            return value
        return DROP

    def _each(self, value: Any, handle: Any) -> Any:
        """`handle` on a single element or on every element of a list (dropping what it drops)."""
        if isinstance(value, list):
            return [new for new in (handle(item) for item in value) if new is not DROP]
        return handle(value)

    def _human_name(self, name: Any, context: str) -> Any:
        if isinstance(name, str):
            return self._replace(PERSON, name)
        if not isinstance(name, dict):
            return DROP
        family_value = name.get("family")
        family = [family_value] if isinstance(family_value, str) else []
        given = [part for part in name.get("given", []) if isinstance(part, str)]
        if self._collecting and context in PERSON_TYPES:
            self.known.add_name(given, family, staff=context in STAFF_TYPES)
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
            elif key == "text" and isinstance(value, str):
                new = self._replace(PERSON, value)
                if new is not DROP:
                    output[key] = new
            elif key in ("use", "prefix", "suffix"):
                output[key] = value
            elif key == "period" and isinstance(value, dict):
                output[key] = self._object(value, context)
            elif self._keep_unnamed:
                output[key] = value
        return output

    def _identifier(self, identifier: Any, context: str) -> Any:
        if not isinstance(identifier, dict):
            return DROP if not self._keep_unnamed else identifier
        entity_type = US_SSN if _is_ssn(identifier) else ID
        output: dict[str, Any] = {}
        for key, value in identifier.items():
            if key == "value" and isinstance(value, str):
                if self._collecting and context in PERSON_TYPES:
                    self.known.add_value(entity_type, value, staff=context in STAFF_TYPES)
                new = self._replace(entity_type, value)
            elif key in ("use", "type", "system"):
                new = value
            elif key == "assigner":
                new = self._reference_object(value)
            else:
                new = self._element(key, value, context)
            if new is not DROP:
                output[key] = new
        return output

    def _address(self, address: Any, context: str) -> Any:
        if not isinstance(address, dict):
            return DROP if not self._keep_unnamed else address
        if self._collecting and context in PERSON_TYPES:  # streets and town of a person, not of a place
            for entity_type, parts in ((STREET_ADDRESS, address.get("line")), (LOCATION, address.get("city"))):
                for part in parts if isinstance(parts, list) else [parts]:
                    if isinstance(part, str):
                        self.known.add_value(entity_type, part, staff=context in STAFF_TYPES)
        output: dict[str, Any] = {}
        for key, value in address.items():
            if key == "line":
                new: Any = self._each(value, lambda line: self._replace(STREET_ADDRESS, line))
            elif key in ("city", "district"):
                new = self._replace(LOCATION, value)
            elif key == "postalCode":
                new = self._replace(ZIP_CODE, value)
            elif key == "text":
                new = self._replace(STREET_ADDRESS, value)
            elif key in ("use", "type", "state", "country"):
                new = value
            else:
                new = self._element(key, value, "Address")
            if new is not DROP:
                output[key] = new
        return output

    def _contact_point(self, point: Any, context: str) -> Any:
        if not isinstance(point, dict):
            return DROP if not self._keep_unnamed else point
        system = point.get("system")
        entity_type = EMAIL_ADDRESS if system == "email" else URL if system == "url" else PHONE_NUMBER
        output: dict[str, Any] = {}
        for key, value in point.items():
            if key == "value" and isinstance(value, str):
                if self._collecting and context in PERSON_TYPES:
                    self.known.add_value(entity_type, value, staff=context in STAFF_TYPES)
                new: Any = self._replace(entity_type, value)
            elif key in ("system", "use", "rank"):
                new = value
            else:
                new = self._element(key, value, context)
            if new is not DROP:
                output[key] = new
        return output

    def _annotation(self, note: Any) -> Any:
        if not isinstance(note, dict):
            return DROP if not self._keep_unnamed else note
        output: dict[str, Any] = {}
        for key, value in note.items():
            if key == "text" and isinstance(value, str):
                new: Any = self._text(value)
            elif key == "authorString" and isinstance(value, str):
                new = self._replace(PERSON, value)
            else:
                new = self._element(key, value, "Annotation")
            if new is not DROP:
                output[key] = new
        return output

    def _attachment(self, attachment: Any) -> Any:
        """Text attachments de-identified in their Base64 and their size and hash made anew; other data removed."""
        if not isinstance(attachment, dict):
            return DROP if not self._keep_unnamed else attachment
        content_type = str(attachment.get("contentType", ""))
        is_text = content_type.startswith("text/")
        output: dict[str, Any] = {}
        text_bytes: bytes | None = None
        for key, value in attachment.items():
            if key == "data" and isinstance(value, str) and is_text:
                decoded = self._text(decode_base64_text(value, "an attachment's data") if self._collecting else value)
                text_bytes = decoded.encode("utf-8")
                output[key] = base64.b64encode(text_bytes).decode("ascii")
            elif key in ("contentType", "language"):
                output[key] = value
            elif key == "title" and isinstance(value, str):
                output[key] = self._text(value)
            elif key == "creation" and isinstance(value, str):
                new = self._date(value)
                if new is not DROP:
                    output[key] = new
            # url, size and hash of the original (and non-text data) are not kept
        if text_bytes is not None:
            output["size"] = len(text_bytes)
            if "hash" in attachment:
                output["hash"] = base64.b64encode(hashlib.sha1(text_bytes).digest()).decode("ascii")  # noqa: S324 - FHIR's hash is SHA-1
        return output

    def _reference_object(self, node: Any) -> Any:
        if isinstance(node, str):
            return self._reference(node)
        if not isinstance(node, dict):
            return DROP if not self._keep_unnamed else node
        target = str(node.get("reference", "")).split("?")[0].split("/")
        target_type = next((part for part in target if RESOURCE_TYPE.fullmatch(part)), node.get("type"))
        output: dict[str, Any] = {}
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                new: Any = self._reference(value)
            elif key == "display" and isinstance(value, str):
                entity_type = HOSPITAL if target_type in PLACE_TYPES else PERSON
                if self._collecting and entity_type == PERSON:
                    self.known.add_full_name(_strip_title(value), staff=target_type not in PERSON_TYPES - STAFF_TYPES)
                new = self._replace(entity_type, value)
            elif key == "type":
                new = value
            elif key == "identifier":
                new = self._identifier(value, "Reference")
            else:
                new = self._element(key, value, "Reference")
            if new is not DROP:
                output[key] = new
        return output

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
