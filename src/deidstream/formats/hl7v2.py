"""`format = "hl7v2"`: an HL7 v2 message, de-identified field by field and component by component by data type.

python-hl7 parses and checks the message (segments, separators); the fields are
then rewritten on the message's own delimiters, so the output keeps the segment
structure, the delimiters and the MSH of the input. Each field and component is
read by its data type in the definitions of the message's version (MSH-12; see
`hl7_definitions`, from hl7apy):

- ST, TX, FT and GTS anywhere go through the engine as free text (escapes such as
  `\\.br\\` decoded to a line break for the engine and encoded again); so do
  the texts of coded types (CE, CWE, CNE, CF) unless their coding system is a
  public terminology, and Base64 text in ED values;
- names (XPN, XCN, CN, CNN, PPN), identifiers (CX, EI, CK, DLN), addresses (XAD,
  AD), phones and e-mails (XTN, TN, SNM) and organisation names (XON) are replaced
  through the policy's operators; dates (TS, DTM, DT) are shifted or generalized;
- codes of tables (ID, IS), numbers (NM, SI) and times of day (TM) are kept: `kept`
  lists them, the one place that does;
- OBX-5 is read as the type OBX-2 names;
- segments the version does not define (Z-segments), fields and components past
  the last it defines, and types it does not know take the topic's `default`,
  `drop` unless `keep`.

The names, identifiers, birth date, phones, e-mails, streets, towns and SSN of PID
and NK1, and the clinicians' names, seed the free text (see `seeds`); those of PID
and NK1 are what the patient directory records.

Batches (FHS/BHS) and several messages in one value are quarantined
(`invalid_hl7`): one Kafka record carries one message. MLLP framing is removed.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

import hl7

from deidstream.entity import EntityType
from deidstream.formats.base import DecodedMessage, DecodeFailure, FieldValues, TaggingValues, Unprocessable
from deidstream.formats.hl7_definitions import V2Definitions, library_version, v2_definitions
from deidstream.formats.kept import (
    HL7_CODED_TYPES,
    HL7_KEPT_COMPONENTS,
    HL7_KEPT_PRIMITIVES,
    HL7_TEXT_AND_SYSTEM_COMPONENTS,
    is_public_hl7_system,
)
from deidstream.formats.structured import TwoPassWalker, replace_date, replace_name

if TYPE_CHECKING:
    from deidstream.formats.settings import TopicFormat

MLLP_START, MLLP_END = "\x0b", "\x1c"
SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{2}")
HL7_DATE = re.compile(r"(\d{4})(\d{2})?(\d{2})?(.*)", re.S)
TEXT_TYPES = frozenset({"ST", "TX", "FT", "GTS"})
# The form of kept primitives that have one (ID and IS are codes of any spelling).
KEPT_SYNTAX = {
    "NM": re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)"),
    "SI": re.compile(r"\d+"),
    "TM": re.compile(r"\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,4})?)?)?(?:[+-]\d{4})?"),
}
DATE_TYPES = frozenset({"DT", "DTM"})
PHONE_TYPES = frozenset({"TN", "SNM"})
# Person names: where the family name is (XCN, CN, CNN, PPN start with the person's id).
NAME_OFFSETS = {"XPN": 0, "XCN": 1, "CN": 1, "CN_SIMPLE": 1, "CNN": 1, "PPN": 1}
# Identifiers: the entity type of the id in their first component.
IDENTIFIER_TYPES = {"CX": EntityType.ID, "EI": EntityType.ID, "CK": EntityType.ID, "DLN": EntityType.LICENSE_NUMBER}
# Addresses (XAD; AD before 2.3): street, other designation, city, ZIP, other geographic designation, county;
# the census tract ("") dropped; the state kept (see `kept`), the country and type by their type (ID).
ADDRESS_PARTS = {
    1: EntityType.STREET_ADDRESS,
    2: EntityType.STREET_ADDRESS,
    3: EntityType.LOCATION,
    5: EntityType.ZIP_CODE,
    8: EntityType.LOCATION,
    9: EntityType.LOCATION,
    10: "",
}
SEEDED_ADDRESS_PARTS = frozenset({1, 3})  # the street and the town of a person's address
# XTN: the number (1, or 6, 7, 8 as area code, local number and extension; 12 unformatted) and e-mail (4);
# the country code (5) kept (see `kept`).
PHONE_PARTS = {
    1: EntityType.PHONE_NUMBER,
    4: EntityType.EMAIL_ADDRESS,
    6: EntityType.PHONE_NUMBER,
    7: EntityType.PHONE_NUMBER,
    8: EntityType.PHONE_NUMBER,
    12: EntityType.PHONE_NUMBER,
}
# The few fields whose type (ST) is general but whose definition names one identifier.
IDENTIFIER_FIELDS = {("PID", 19): EntityType.US_SSN, ("NK1", 37): EntityType.US_SSN, ("PID", 23): EntityType.LOCATION}
CONTROL_ID = ("MSH", 10)  # kept or tokenized, as the topic says
BIRTH_DATE = ("PID", 7)
# Segments of a person's record, whose identifiers seed the free text (clinicians' names seed it from anywhere).
SEEDING = frozenset({"PID", "NK1"})


@dataclass(frozen=True)
class _Delimiters:
    field: str
    component: str
    repetition: str
    escape: str
    subcomponent: str

    def split(self, value: str, depth: int) -> list[str]:
        """The parts of a value at `depth` (0: a field's repetition, 1: a component, 2: a subcomponent)."""
        if depth == 0:
            return value.split(self.component)
        return value.split(self.subcomponent) if depth == 1 else [value]

    def join(self, parts: list[str], depth: int) -> str:
        separator = self.component if depth == 0 else self.subcomponent
        return separator.join(parts).rstrip(separator)


class _Field(NamedTuple):
    """Where a value is: its segment, and what that makes of its identifiers and dates."""

    segment: str
    seeding: bool  # a person's record: identifiers seed the free text
    birth_date: bool  # PID-7
    date_required: bool  # MSH-7: a removed date keeps its year


def decode_hl7(text: str, topic_format: TopicFormat) -> DecodedMessage:
    segments, delimiters = _parse(text)
    definitions = v2_definitions(library_version(segments[0][12].split(delimiters.component)[0]))
    collector = _Walker(delimiters, topic_format, definitions, None, TaggingValues())
    collector.rewrite(segments)

    def encode(anonymized: list[str], values: FieldValues) -> bytes:
        walker = _Walker(delimiters, topic_format, definitions, iter(anonymized), values)
        return "\r".join(delimiters.field.join(fields) for fields in walker.rewrite(segments)).encode("utf-8") + b"\r"

    return DecodedMessage(
        collector.texts,
        encode,
        lambda name: _lookup(segments, delimiters, name),
        collector.known,
    )


def _parse(text: str) -> tuple[list[list[str]], _Delimiters]:
    """The segments as lists of raw fields (index = field number; MSH-1 is the separator), or `invalid_hl7`."""
    stripped = text.strip()
    if stripped.startswith(MLLP_START):
        stripped = stripped[1:].rstrip(MLLP_END + "\r\n").rstrip(MLLP_END)
    stripped = stripped.replace("\r\n", "\r").replace("\n", "\r").strip("\r")
    if stripped[:3] in ("FHS", "BHS"):
        raise Unprocessable(
            DecodeFailure.INVALID_HL7, "batch (FHS/BHS) values are not accepted: one message per record"
        )
    if not stripped.startswith("MSH") or len(stripped) < 8:
        raise Unprocessable(DecodeFailure.INVALID_HL7, "the value does not start with an MSH segment")
    field_sep, encoding = stripped[3], stripped[4:8]
    if field_sep.isalnum() or len(set(field_sep + encoding)) != 5 or any(c.isalnum() for c in encoding):
        raise Unprocessable(DecodeFailure.INVALID_HL7, "MSH-1/MSH-2 do not define five distinct delimiters")
    lines = [line for line in stripped.split("\r") if line.strip()]
    stripped = "\r".join(lines)
    try:
        message = hl7.parse(stripped)
    except Exception as error:  # noqa: BLE001 - python-hl7 raises several types for malformed input
        raise Unprocessable(DecodeFailure.INVALID_HL7, f"python-hl7 cannot parse it ({type(error).__name__})") from None
    if len(message) != len(lines):
        raise Unprocessable(DecodeFailure.INVALID_HL7, "python-hl7 reads another number of segments")
    delimiters = _Delimiters(field_sep, encoding[0], encoding[1], encoding[2], encoding[3])
    segments: list[list[str]] = []
    for number, raw in enumerate(lines, start=1):
        fields = raw.split(field_sep)
        if not SEGMENT_ID.fullmatch(fields[0]):
            raise Unprocessable(DecodeFailure.INVALID_HL7, f"segment {number} has no valid segment id")
        if fields[0] in ("FHS", "BHS", "FTS", "BTS") or (fields[0] == "MSH" and number > 1):
            raise Unprocessable(DecodeFailure.INVALID_HL7, "a batch or several messages in one value: one per record")
        if fields[0] == "MSH":
            fields = ["MSH", field_sep, *fields[1:]]  # field numbers as HL7 counts them: MSH-1 is the separator
        segments.append(fields)
    msh = segments[0]
    if len(msh) < 13 or not msh[9] or not msh[12]:
        raise Unprocessable(DecodeFailure.INVALID_HL7, "MSH lacks the message type (MSH-9) or version fields")
    return segments, delimiters


class _Walker(TwoPassWalker):
    """One pass over the segments (see `TwoPassWalker`), each value by its data type."""

    def __init__(
        self,
        delimiters: _Delimiters,
        topic_format: TopicFormat,
        definitions: V2Definitions,
        anonymized: Iterator[str] | None,
        values: FieldValues,
    ) -> None:
        super().__init__(anonymized, values)
        self._d = delimiters
        self._definitions = definitions
        self._keep_unknown = topic_format.default == "keep"
        self._token_control_id = topic_format.hl7_control_id == "token"
        # Types whose components carry identifiers by the type's own definition.
        handlers: dict[str, Callable[[str, str, int, _Field], str]] = {
            **dict.fromkeys(NAME_OFFSETS, self._name),
            **dict.fromkeys(IDENTIFIER_TYPES, self._identifier),
            **dict.fromkeys(HL7_CODED_TYPES, self._coded),
            **dict.fromkeys(("XAD", "AD"), self._address),
            **dict.fromkeys(("TS", "DTM", "DT"), self._date),
            **dict.fromkeys(PHONE_TYPES, self._phone_number),
            "XTN": self._phone,
            "XON": self._organization,
            "ED": self._encapsulated,
            "DR_SIMPLE": self._date_range,
        }
        self._handlers = handlers

    def rewrite(self, segments: list[list[str]]) -> list[list[str]]:
        output = []
        for fields in segments:
            segment_id = fields[0]
            new = [segment_id]
            for number in range(1, len(fields)):
                value = fields[number]
                if (segment_id == "MSH" and number <= 2) or not value or value == '""':
                    new.append(value)
                else:
                    new.append(self._field(segment_id, number, fields, value))
            output.append(new if segment_id != "MSH" else ["MSH", *new[2:]])
        return output

    # Fields

    def _field(self, segment_id: str, number: int, fields: list[str], value: str) -> str:
        place = _Field(segment_id, segment_id in SEEDING, (segment_id, number) == BIRTH_DATE, segment_id == "MSH")
        if (segment_id, number) == CONTROL_ID:
            if not self._token_control_id or self._collecting:
                return value
            return self._values.identifier(value).replace("-", "")[:20]
        if (segment_id, number) in IDENTIFIER_FIELDS:
            entity_type = IDENTIFIER_FIELDS[(segment_id, number)]
            return self._repetitions(
                value, lambda rep: self._leaf(rep, 0, lambda part: self._id(entity_type, part, place))
            )
        type_name = self._definitions.field_type(segment_id, number)
        if type_name == "VARIES" and (segment_id, number) == ("OBX", 5) and len(fields) > 2:
            type_name = fields[2].split(self._d.component)[0].strip().upper()  # OBX-2, the value's type
        if not type_name or not self._definitions.knows(type_name):
            return self._default(value)
        return self._repetitions(value, lambda rep: self._value(rep, type_name, 0, place))

    def _repetitions(self, value: str, handle: Callable[[str], str]) -> str:
        return self._d.repetition.join(handle(repetition) for repetition in value.split(self._d.repetition))

    def _value(self, raw: str, type_name: str, depth: int, place: _Field) -> str:
        """A value of type `type_name` at `depth` (see `_Delimiters.split`), by the type's handler or its components."""
        if not raw or raw == '""':
            return raw
        handler = self._handlers.get(type_name)
        if handler is not None:
            return handler(raw, type_name, depth, place)
        if type_name in HL7_KEPT_PRIMITIVES:
            return self._leaf(
                raw, depth, lambda part: part if _has_form_of(type_name, part) else self._text_value(part)
            )
        if type_name in TEXT_TYPES:
            return self._leaf(raw, depth, self._text_value)
        if self._definitions.component_types(type_name) is None:  # WD (withdrawn), or a type the version lacks
            return self._default(raw)
        return self._composite(raw, type_name, depth, place, {})

    def _composite(
        self,
        raw: str,
        type_name: str,
        depth: int,
        place: _Field,
        roles: dict[int, Callable[[str], str]],
        components: tuple[str, ...] | None = None,
    ) -> str:
        """Components by their `roles` (1-based position -> handler of the raw part), kept where `kept` says, or
        else by their own types (`components`, by default the version's)."""
        if components is None:
            components = self._definitions.component_types(type_name) or ()
        kept = HL7_KEPT_COMPONENTS.get(type_name, frozenset())
        if depth >= 2:  # a composite where no separator is left: only its first component can be there
            if 1 in roles:
                return roles[1](raw)
            return raw if 1 in kept else self._value(raw, components[0] if components else "", depth, place)
        output: list[str] = []
        for number, part in enumerate(self._d.split(raw, depth), start=1):
            if not part:
                output.append(part)
            elif number in roles:
                output.append(roles[number](part))
            elif number in kept:
                output.append(part)
            elif number <= len(components) and components[number - 1]:
                output.append(self._value(part, components[number - 1], depth + 1, place))
            else:
                output.append(self._default(part))
        return self._d.join(output, depth)

    def _leaf(self, raw: str, depth: int, handle: Callable[[str], str]) -> str:
        """A primitive value: `handle` on it; anything after a separator its type does not have takes `default`."""
        parts = self._d.split(raw, depth)
        if len(parts) == 1:
            return handle(raw)
        return self._d.join([handle(parts[0]), *(self._default(part) for part in parts[1:])], depth)

    def _default(self, raw: str) -> str:
        """What the version does not define: the topic's `default`."""
        return raw if self._keep_unknown else ""

    # Types whose components carry identifiers

    def _name(self, raw: str, type_name: str, depth: int, place: _Field) -> str:
        """Family, given and middle name replaced as one name (XPN; after the person's id in XCN, CN, CNN, PPN)."""
        offset = NAME_OFFSETS[type_name]
        parts = self._d.split(raw, depth) + [""] * (offset + 3)
        family = self._plain(parts[offset], depth + 1)
        given = [self._plain(parts[offset + 1], depth + 1), self._plain(parts[offset + 2], depth + 1)]
        if (place.seeding or offset) and self._collecting:  # a name after an id is a clinician's, not the patient's
            self.known.add_name([part for part in given if part], [family] if family else [], staff=offset > 0)
        new_parts = [family, *given]
        if not self._collecting:
            new_family, new_given = replace_name(self._values, [family] if family else [], [g for g in given if g])
            new_parts = [" ".join(new_family), "", ""]
            for slot, part in zip([index for index, part in enumerate(given) if part], new_given, strict=False):
                new_parts[1 + slot] = part
        roles = {offset + 1 + index: _constant(self._escape(new)) for index, new in enumerate(new_parts)}
        if offset:
            roles[1] = lambda part: self._id(EntityType.ID, part, place, depth + 1)
        return self._composite(raw, type_name, depth, place, roles)

    def _identifier(self, raw: str, type_name: str, depth: int, place: _Field) -> str:
        """CX, EI, CK, DLN: the id (first component) replaced; the rest by type (assigning authority, type code...)."""
        entity_type = IDENTIFIER_TYPES[type_name]
        seeding = place if type_name == "CX" else _Field(place.segment, False, False, False)
        roles = {1: lambda part: self._id(entity_type, part, seeding, depth + 1)}
        return self._composite(raw, type_name, depth, place, roles)

    def _address(self, raw: str, type_name: str, depth: int, place: _Field) -> str:
        roles = {
            number: self._address_part(entity_type, depth + 1, place.seeding and number in SEEDED_ADDRESS_PARTS)
            for number, entity_type in ADDRESS_PARTS.items()
        }
        return self._composite(raw, type_name, depth, place, roles)

    def _address_part(self, entity_type: str, depth: int, seeding: bool) -> Callable[[str], str]:
        if not entity_type:
            return lambda part: ""

        def replace(part: str) -> str:
            plain = self._plain(part, depth)
            if seeding and self._collecting:  # a person's street and town seed the text, like FHIR's
                self.known.add_value(entity_type, plain)
            return self._replace(entity_type, plain)

        return replace

    def _phone(self, raw: str, type_name: str, depth: int, place: _Field) -> str:
        """XTN: numbers by the PHONE_NUMBER operator, e-mail by EMAIL_ADDRESS; codes and the rest by type."""
        parts = self._d.split(raw, depth)
        if place.seeding and self._collecting and len(parts) >= 7:
            self.known.add_value(
                EntityType.PHONE_NUMBER, self._plain(parts[5], depth + 1) + self._plain(parts[6], depth + 1)
            )
        roles: dict[int, Callable[[str], str]] = {}
        for number, entity_type in PHONE_PARTS.items():
            seeding = place if number in (1, 4) else _Field(place.segment, False, False, False)  # the number, e-mail
            roles[number] = partial(self._id, entity_type, place=seeding, depth=depth + 1)
        return self._composite(raw, type_name, depth, place, roles)

    def _phone_number(self, raw: str, type_name: str, depth: int, place: _Field) -> str:
        return self._leaf(raw, depth, lambda part: self._id(EntityType.PHONE_NUMBER, part, place, depth))

    def _organization(self, raw: str, type_name: str, depth: int, place: _Field) -> str:
        roles = {1: lambda part: self._replace(EntityType.HOSPITAL, self._plain(part, depth + 1))}
        return self._composite(raw, type_name, depth, place, roles)

    def _coded(self, raw: str, type_name: str, depth: int, place: _Field) -> str:
        """CE, CWE, CNE, CF: codes and coding systems kept; a text kept when its system is public, else free text."""
        parts = self._d.split(raw, depth) if depth < 2 else [raw]
        roles: dict[int, Callable[[str], str]] = {}
        for text_number, system_number in HL7_TEXT_AND_SYSTEM_COMPONENTS.items():
            system = self._plain(parts[system_number - 1], depth + 1) if system_number <= len(parts) else ""
            if is_public_hl7_system(system):
                roles[text_number] = _kept
        return self._composite(raw, type_name, depth, place, roles)

    def _date(self, raw: str, type_name: str, depth: int, place: _Field) -> str:
        """TS, DTM, DT: the date replaced, its time of day kept; a removed date is emptied (MSH-7: its year stays)."""
        if type_name != "TS":
            return self._leaf(raw, depth, lambda part: self._date_value(part, place))
        roles: dict[int, Callable[[str], str]] = {
            1: lambda part: self._leaf(part, depth + 1, lambda date: self._date_value(date, place))
        }
        return self._composite(raw, type_name, depth, place, roles)

    def _date_range(self, raw: str, type_name: str, depth: int, place: _Field) -> str:
        """DR_SIMPLE, hl7apy's date range inside a component: two dates."""
        roles = dict.fromkeys((1, 2), lambda part: self._date_value(part, place))
        return self._composite(raw, type_name, depth, place, roles, components=("DTM", "DTM"))

    def _encapsulated(self, raw: str, type_name: str, depth: int, place: _Field) -> str:
        """ED: source^type^subtype^encoding^data. Base64 text is de-identified; other data removed."""
        parts = self._d.split(raw, depth)
        kind = "/".join(parts[1:3]).upper() if len(parts) >= 3 else ""
        is_text = (
            len(parts) >= 5 and parts[3].upper() == "BASE64" and any(word in kind for word in ("TEXT", "PLAIN", "HTML"))
        )
        roles = {5: self._base64_text if is_text else (lambda part: "")}
        return self._composite(raw, type_name, depth, place, roles)

    # Values

    def _id(self, entity_type: str, raw: str, place: _Field, depth: int = 2) -> str:
        """An identifier, phone or e-mail (its first piece; the rest dropped), seeding the text in a person's record."""
        plain = self._plain(raw, depth)
        if place.seeding and self._collecting:
            self.known.add_value(entity_type, plain)
        return self._replace(entity_type, plain)

    def _date_value(self, value: str, place: _Field) -> str:
        match = HL7_DATE.fullmatch(value)
        if match is None:
            return ""
        year, month, day, rest = int(match[1]), match[2], match[3], match[4]
        if place.birth_date and self._collecting and month and day:
            self.known.add_date(year, int(month), int(day))
        if self._collecting:
            return value
        replaced = replace_date(self._values, year, int(month or 1), int(day or 1))
        if replaced is None:
            return f"{year:04d}" if place.date_required else ""
        if isinstance(replaced, int):
            return f"{replaced:04d}"
        return (
            f"{replaced[0]:04d}" + (f"{replaced[1]:02d}" if month else "") + (f"{replaced[2]:02d}{rest}" if day else "")
        )

    def _text_value(self, raw: str) -> str:
        return self._escape(self._free_text(self._unescape(raw)), formatted=True)

    def _base64_text(self, raw: str) -> str:
        if self._collecting:
            try:
                plain = base64.b64decode(raw, validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                raise Unprocessable(
                    DecodeFailure.INVALID_BASE64, "an ED value's data is not Base64 UTF-8 text"
                ) from None
            self._text(plain)
            return raw
        return base64.b64encode(self._text("").encode("utf-8")).decode("ascii")

    def _plain(self, raw: str, depth: int) -> str:
        """The first piece of a raw value at `depth`, unescaped."""
        return self._unescape(self._d.split(raw, depth)[0])

    def _replace(self, entity_type: str, plain: str) -> str:
        if self._collecting or not plain:
            return self._escape(plain)
        return self._escape(self._values.replace(entity_type, plain))

    def _unescape(self, value: str) -> str:
        """HL7 escapes decoded: delimiters, `\\.br\\` (and `\\.sp\\`) as line breaks; other formatting dropped."""
        if self._d.escape not in value:
            return value
        e = re.escape(self._d.escape)

        def one(match: re.Match[str]) -> str:
            code = match[1]
            simple = {"F": self._d.field, "S": self._d.component, "T": self._d.subcomponent, "R": self._d.repetition,
                      "E": self._d.escape}  # fmt: skip
            if code in simple:
                return simple[code]
            if code.startswith((".br", ".sp")):
                return "\n"
            if code.startswith("X") and re.fullmatch(r"X(?:[0-9A-Fa-f]{2})+", code):
                return bytes.fromhex(code[1:]).decode("latin-1")
            return ""

        return re.sub(rf"{e}([^{e}]*){e}", one, value)

    def _escape(self, value: str, formatted: bool = False) -> str:
        d = self._d
        if not any(
            char in value for char in (d.escape, d.field, d.component, d.subcomponent, d.repetition, "\r", "\n")
        ):
            return value
        escaped = value.replace(d.escape, f"{d.escape}E{d.escape}")
        for char, code in ((d.field, "F"), (d.component, "S"), (d.subcomponent, "T"), (d.repetition, "R")):
            escaped = escaped.replace(char, f"{d.escape}{code}{d.escape}")
        if formatted:
            escaped = escaped.replace("\r\n", "\n").replace("\n", f"{d.escape}.br{d.escape}")
        return escaped.replace("\r", " ").replace("\n", " ")


def _has_form_of(type_name: str, raw: str) -> bool:
    """Whether a kept value has its type's form: a number (NM, SI) or time (TM) that is not one (`<0.5`, a name) is
    read as text."""
    syntax = KEPT_SYNTAX.get(type_name)
    return syntax is None or syntax.fullmatch(raw) is not None


def _kept(part: str) -> str:
    return part


def _constant(value: str) -> Callable[[str], str]:
    return lambda part: value


def _lookup(segments: list[list[str]], delimiters: _Delimiters, name: str) -> str | None:
    """`PID-3` or `PID-3.1`: the first repetition's component (1 by default) of the first such segment."""
    match = re.fullmatch(r"([A-Z][A-Z0-9]{2})-(\d+)(?:\.(\d+))?", name)
    if match is None:
        return None
    for fields in segments:
        if fields[0] == match[1] and int(match[2]) < len(fields):
            repetition = fields[int(match[2])].split(delimiters.repetition)[0]
            components = repetition.split(delimiters.component)
            index = int(match[3] or 1) - 1
            return components[index] if index < len(components) and components[index] else None
    return None
