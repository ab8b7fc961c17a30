"""`format = "hl7v2"`: an HL7 v2 message, de-identified field by field by segment, and in its free text.

python-hl7 parses and checks the message (segments, separators); the fields are
then rewritten on the message's own delimiters, so the output keeps the segment
structure, the delimiters and the MSH of the input. Rules by segment and field
(`FIELD_RULES`) say what each field holds: names (XPN, XCN), identifiers (CX, EI,
SSN), dates (TS/DTM), addresses (XAD), phones (XTN), facility names (XON), free
text, or what to keep or drop. Segments heavy with demographics (PID, NK1, PD1)
drop the fields no rule names; other known segments keep them (codes, units,
values); unknown segments (Z-segments) take the topic's `default`, `drop`
unless `keep`: every field but the segment id emptied.

Free text: OBX-5 of types TX, FT and ST (escapes such as `\\.br\\` decoded to a line
break for the engine and encoded again), NTE-3, and ED values holding Base64
text. The names, record numbers, dates, phones, e-mails, streets, towns and SSNs of
PID and NK1, and the clinicians' names, seed that text (see `seeds`); those of PID
and NK1 are also what the patient directory records.

Batches (FHS/BHS) and several messages in one value are quarantined
(`invalid_hl7`): one Kafka record carries one message. MLLP framing is removed.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import hl7

from deidstream.detection.entity import (
    EMAIL_ADDRESS,
    HOSPITAL,
    ID,
    LOCATION,
    PHONE_NUMBER,
    STREET_ADDRESS,
    US_SSN,
    ZIP_CODE,
)
from deidstream.formats.base import DecodedMessage, FieldValues, QuarantineReason, TaggingValues, Unprocessable
from deidstream.formats.structured import TwoPassWalker, replace_date, replace_name

if TYPE_CHECKING:
    from deidstream.formats.settings import TopicFormat

MLLP_START, MLLP_END = "\x0b", "\x1c"
SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{2}")
HL7_DATE = re.compile(r"(\d{4})(\d{2})?(\d{2})?(.*)", re.S)
TEXT_VALUE_TYPES = frozenset({"TX", "FT", "ST"})
KEPT_ID_COMPONENTS = 6

# What a field holds. Names: XPN (family^given^middle^suffix^prefix), XCN (id^family^given^middle^suffix^prefix).
KEEP, DROP, XPN, XCN, CX, EI, SSN, DATE, XAD, XTN, XON, TEXT, VALUE, CONTROL_ID, PLACE = (
    "keep", "drop", "xpn", "xcn", "cx", "ei", "ssn", "date", "xad", "xtn", "xon", "text", "value", "control_id", "place",
)  # fmt: skip
FIELD_RULES: dict[str, dict[int, str]] = {
    "MSH": {7: DATE, 10: CONTROL_ID},
    "EVN": {2: DATE, 3: DATE, 5: XCN, 6: DATE},
    "PID": {
        1: KEEP, 2: CX, 3: CX, 4: CX, 5: XPN, 6: XPN, 7: DATE, 8: KEEP, 9: XPN, 10: KEEP, 11: XAD, 13: XTN, 14: XTN,
        15: KEEP, 16: KEEP, 17: KEEP, 18: CX, 19: SSN, 20: CX, 21: CX, 22: KEEP, 23: PLACE, 24: KEEP, 25: KEEP,
        26: KEEP, 27: KEEP, 28: KEEP, 29: DATE, 30: KEEP, 33: DATE, 35: KEEP,
    },
    "PD1": {4: XCN},
    "NK1": {
        1: KEEP, 2: XPN, 3: KEEP, 4: XAD, 5: XTN, 6: XTN, 7: KEEP, 8: DATE, 9: DATE, 12: CX, 13: XON, 15: KEEP,
        16: DATE, 30: XPN, 31: XTN, 32: XAD, 33: CX, 37: SSN,
    },
    "PV1": {7: XCN, 8: XCN, 9: XCN, 17: XCN, 19: CX, 44: DATE, 45: DATE, 50: CX, 52: XCN},
    "PV2": {8: DATE, 9: DATE},
    "ORC": {2: EI, 3: EI, 4: EI, 9: DATE, 10: XCN, 11: XCN, 12: XCN, 15: DATE, 19: XCN, 21: XON, 22: XAD, 23: XTN, 24: XAD},
    "OBR": {
        2: EI, 3: EI, 6: DATE, 7: DATE, 8: DATE, 10: XCN, 14: DATE, 16: XCN, 17: XTN, 18: DROP, 19: DROP, 20: DROP,
        21: DROP, 22: DATE, 28: XCN, 32: DROP, 33: DROP, 34: DROP, 35: DROP, 36: DATE,
    },
    "OBX": {5: VALUE, 14: DATE, 16: XCN, 19: DATE, 23: XON, 24: XAD, 25: XCN},
    "NTE": {3: TEXT, 5: XCN, 6: DATE, 7: DATE},
    "TXA": {
        4: DATE, 5: XCN, 6: DATE, 7: DATE, 8: DATE, 9: XCN, 10: XCN, 11: XCN, 12: EI, 13: EI, 14: EI, 15: EI,
        16: DROP, 22: DROP, 23: XCN,
    },
    "DG1": {5: DATE, 16: XCN, 19: DATE},
    "AL1": {6: DATE},
    "SPM": {17: DATE, 18: DATE},
}  # fmt: skip
# OBX-5 values of these types are read like fields of the type (a date result is shifted, a name replaced).
STRUCTURED_VALUE_TYPES = {"DT": DATE, "DTM": DATE, "TS": DATE, "XPN": XPN, "XCN": XCN, "XAD": XAD, "XTN": XTN, "CX": CX}
# Segments whose fields no rule names are dropped: they are mostly demographics.
DROP_UNNAMED = frozenset({"PID", "PD1", "NK1"})
# Fields of a person's record whose identifiers seed the free text.
SEEDING = frozenset({"PID", "NK1"})


@dataclass(frozen=True)
class _Delimiters:
    field: str
    component: str
    repetition: str
    escape: str
    subcomponent: str


def decode_hl7(text: str, topic_format: TopicFormat) -> DecodedMessage:
    segments, delimiters = _parse(text)
    collector = _Walker(delimiters, topic_format, None, TaggingValues())
    collector.rewrite(segments)

    def encode(anonymized: list[str], values: FieldValues) -> bytes:
        walker = _Walker(delimiters, topic_format, iter(anonymized), values)
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
            QuarantineReason.INVALID_HL7, "batch (FHS/BHS) values are not accepted: one message per record"
        )
    if not stripped.startswith("MSH") or len(stripped) < 8:
        raise Unprocessable(QuarantineReason.INVALID_HL7, "the value does not start with an MSH segment")
    field_sep, encoding = stripped[3], stripped[4:8]
    if field_sep.isalnum() or len(set(field_sep + encoding)) != 5 or any(c.isalnum() for c in encoding):
        raise Unprocessable(QuarantineReason.INVALID_HL7, "MSH-1/MSH-2 do not define five distinct delimiters")
    lines = [line for line in stripped.split("\r") if line.strip()]
    stripped = "\r".join(lines)
    try:
        message = hl7.parse(stripped)
    except Exception as error:  # noqa: BLE001 - python-hl7 raises several types for malformed input
        raise Unprocessable(
            QuarantineReason.INVALID_HL7, f"python-hl7 cannot parse it ({type(error).__name__})"
        ) from None
    if len(message) != len(lines):
        raise Unprocessable(QuarantineReason.INVALID_HL7, "python-hl7 reads another number of segments")
    delimiters = _Delimiters(field_sep, encoding[0], encoding[1], encoding[2], encoding[3])
    segments: list[list[str]] = []
    for number, raw in enumerate(lines, start=1):
        fields = raw.split(field_sep)
        if not SEGMENT_ID.fullmatch(fields[0]):
            raise Unprocessable(QuarantineReason.INVALID_HL7, f"segment {number} has no valid segment id")
        if fields[0] in ("FHS", "BHS", "FTS", "BTS") or (fields[0] == "MSH" and number > 1):
            raise Unprocessable(
                QuarantineReason.INVALID_HL7, "a batch or several messages in one value: one per record"
            )
        if fields[0] == "MSH":
            fields = ["MSH", field_sep, *fields[1:]]  # field numbers as HL7 counts them: MSH-1 is the separator
        segments.append(fields)
    msh = segments[0]
    if len(msh) < 13 or not msh[9] or not msh[12]:
        raise Unprocessable(QuarantineReason.INVALID_HL7, "MSH lacks the message type (MSH-9) or version fields")
    return segments, delimiters


class _Walker(TwoPassWalker):
    """One pass over the segments (see `TwoPassWalker`)."""

    def __init__(
        self, delimiters: _Delimiters, topic_format: TopicFormat, anonymized: Iterator[str] | None, values: FieldValues
    ) -> None:
        super().__init__(anonymized, values)
        self._d = delimiters
        self._keep_unknown = topic_format.default == "keep"
        self._token_control_id = topic_format.hl7_control_id == "token"

    def rewrite(self, segments: list[list[str]]) -> list[list[str]]:
        output = []
        for fields in segments:
            segment_id = fields[0]
            rules = FIELD_RULES.get(segment_id)
            new = [segment_id]
            for number in range(1, len(fields)):
                value = fields[number]
                if segment_id == "MSH" and number <= 2:
                    new.append(value)
                    continue
                if rules is None:
                    rule = KEEP if self._keep_unknown else DROP
                else:
                    rule = rules.get(number, DROP if segment_id in DROP_UNNAMED else KEEP)
                new.append(self._field(segment_id, fields, rule, value))
            output.append(new if segment_id != "MSH" else ["MSH", *new[2:]])
        return output

    # Fields

    def _field(self, segment_id: str, fields: list[str], rule: str, value: str) -> str:
        if rule == KEEP or not value or value == '""':
            return value
        if rule == DROP:
            return ""
        if rule == CONTROL_ID:
            if not self._token_control_id or self._collecting:
                return value
            return self._values.identifier(value).replace("-", "")[:20]
        if rule == TEXT:
            return self._repetitions(value, self._text_repetition)
        if rule == VALUE:
            value_type = fields[2] if len(fields) > 2 else ""
            if value_type in TEXT_VALUE_TYPES:
                return self._repetitions(value, self._text_repetition)
            if value_type == "ED":
                return self._repetitions(value, self._encapsulated)
            if value_type in STRUCTURED_VALUE_TYPES:  # a date, name, address... as the result: its field's rule
                return self._field(segment_id, fields, STRUCTURED_VALUE_TYPES[value_type], value)
            return value
        seeding = segment_id in SEEDING
        handler = {
            XPN: lambda rep: self._name(rep, 0, seeding),
            XCN: lambda rep: self._name(rep, 1, True),
            CX: lambda rep: self._components(rep, {1: (ID, seeding)}),
            EI: lambda rep: self._components(rep, {1: (ID, False)}),
            SSN: lambda rep: self._components(rep, {1: (US_SSN, seeding)}),
            DATE: lambda rep: self._date(rep, seeding and segment_id == "PID", required=segment_id == "MSH"),
            XAD: lambda rep: self._address(rep, seeding),
            XTN: lambda rep: self._phone(rep, seeding),
            XON: lambda rep: self._components(rep, {1: (HOSPITAL, False)}, keep_others=False),
            PLACE: lambda rep: self._components(rep, {1: (LOCATION, False)}, keep_others=False),
        }[rule]
        return self._repetitions(value, handler)

    def _repetitions(self, value: str, handle: Any) -> str:
        return self._d.repetition.join(handle(repetition) for repetition in value.split(self._d.repetition))

    def _components(self, repetition: str, replaced: dict[int, tuple[str, bool]], keep_others: bool = True) -> str:
        """Components at the given 1-based positions replaced (and maybe seeded); others kept or emptied.

        Kept are only the first six (CX: check digit, scheme, assigning authority, type, facility; EI: namespace and
        universal id): later ones hold dates and agencies, not codes.
        """
        components = repetition.split(self._d.component)
        output = []
        for number, component in enumerate(components, start=1):
            if number in replaced:
                entity_type, seed = replaced[number]
                plain = self._unescape(component.split(self._d.subcomponent)[0])
                if seed and self._collecting:
                    self.known.add_value(entity_type, plain)
                output.append(self._replace(entity_type, plain))
            else:
                output.append(component if keep_others and number <= KEPT_ID_COMPONENTS else "")
        return self._d.component.join(output).rstrip(self._d.component)

    def _name(self, repetition: str, offset: int, seed: bool) -> str:
        """XPN (offset 0) or XCN (offset 1: an id first): family, given and middle replaced as one name."""
        components = repetition.split(self._d.component)
        padded = components + [""] * (offset + 6 - len(components))
        family = self._unescape(padded[offset].split(self._d.subcomponent)[0])
        given = [self._unescape(padded[offset + 1]), self._unescape(padded[offset + 2])]
        if seed and self._collecting:  # XCN (an id first) names a clinician, not the patient's people
            self.known.add_name([part for part in given if part], [family] if family else [], staff=offset > 0)
        output = list(padded)
        if offset:
            plain_id = self._unescape(padded[0])
            output[0] = self._replace(ID, plain_id) if plain_id else ""
        if not self._collecting:
            new_family, new_given = replace_name(self._values, [family] if family else [], [g for g in given if g])
            output[offset] = self._escape(" ".join(new_family))
            given_slots = [index for index, part in enumerate(given) if part]
            for slot in (0, 1):
                output[offset + 1 + slot] = ""
            for slot, part in zip(given_slots, new_given, strict=False):
                output[offset + 1 + slot] = self._escape(part)
        # Suffix, prefix and degree (the next three) are kept; anything after them is dropped.
        return self._d.component.join(output[: offset + 6]).rstrip(self._d.component)

    def _address(self, repetition: str, seed: bool) -> str:
        rules = {1: STREET_ADDRESS, 2: STREET_ADDRESS, 3: LOCATION, 5: ZIP_CODE}
        components = repetition.split(self._d.component)
        output = []
        for number, component in enumerate(components, start=1):
            if number in rules and component:
                plain = self._unescape(component.split(self._d.subcomponent)[0])
                if seed and self._collecting and number in (1, 3):  # street and town, not the ZIP code
                    self.known.add_value(rules[number], plain)
                output.append(self._replace(rules[number], plain))
            elif number in (4, 6, 7):  # state, country, address type
                output.append(component)
            else:
                output.append("")
        return self._d.component.join(output).rstrip(self._d.component)

    def _phone(self, repetition: str, seed: bool) -> str:
        """XTN: the number (1, or 6 and 7 as area and local number) and email (4) replaced; codes kept."""
        components = repetition.split(self._d.component)
        output = []
        for number, component in enumerate(components, start=1):
            plain = self._unescape(component)
            if number in (1, 6, 7) and plain:
                if seed and self._collecting and number == 1:
                    self.known.add_value(PHONE_NUMBER, plain)
                output.append(self._replace(PHONE_NUMBER, plain))
            elif number == 4 and plain:
                if seed and self._collecting:
                    self.known.add_value(EMAIL_ADDRESS, plain)
                output.append(self._replace(EMAIL_ADDRESS, plain))
            elif number in (2, 3, 5):
                output.append(component)
            else:
                output.append("")
        if seed and self._collecting and len(components) >= 7:
            self.known.add_value(PHONE_NUMBER, self._unescape(components[5]) + self._unescape(components[6]))
        return self._d.component.join(output).rstrip(self._d.component)

    def _date(self, repetition: str, seed: bool, required: bool = False) -> str:
        """TS/DTM: the date part replaced, the time of day kept; a removed date is emptied (MSH-7: its year stays)."""
        components = repetition.split(self._d.component)
        match = HL7_DATE.fullmatch(components[0])
        if match is None:
            return ""
        year, month, day, rest = int(match[1]), match[2], match[3], match[4]
        if seed and self._collecting and month and day:
            self.known.add_date(year, int(month), int(day))
        if self._collecting:
            return repetition
        replaced = replace_date(self._values, year, int(month or 1), int(day or 1))
        if replaced is None:
            new = f"{year:04d}" if required else ""
        elif isinstance(replaced, int):
            new = f"{replaced:04d}"
        else:
            new = (
                f"{replaced[0]:04d}"
                + (f"{replaced[1]:02d}" if month else "")
                + (f"{replaced[2]:02d}{rest}" if day else "")
            )
        return self._d.component.join([new, *components[1:]])

    def _text_repetition(self, repetition: str) -> str:
        return self._escape(self._text(self._unescape(repetition, formatted=True)), formatted=True)

    def _encapsulated(self, repetition: str) -> str:
        """ED: source^type^subtype^encoding^data. Base64 text is de-identified; other data removed."""
        components = repetition.split(self._d.component)
        if len(components) < 5:
            return ""
        kind = f"{components[1]}/{components[2]}".upper()
        is_text = components[3].upper() == "BASE64" and ("TEXT" in kind or "PLAIN" in kind or "HTML" in kind)
        if not is_text:
            return self._d.component.join([*components[:4], ""])
        if self._collecting:
            try:
                plain = base64.b64decode(components[4], validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                raise Unprocessable(
                    QuarantineReason.INVALID_BASE64, "an ED value's data is not Base64 UTF-8 text"
                ) from None
            self._text(plain)
            return repetition
        data = base64.b64encode(self._text("").encode("utf-8")).decode("ascii")
        return self._d.component.join([*components[:4], data, *components[5:]])

    # Values

    def _replace(self, entity_type: str, plain: str) -> str:
        if self._collecting or not plain:
            return self._escape(plain)
        return self._escape(self._values.replace(entity_type, plain))

    def _unescape(self, value: str, formatted: bool = False) -> str:
        """HL7 escapes decoded: delimiters, `\\.br\\` (and `\\.sp\\`) as line breaks; other formatting dropped."""
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
        escaped = value.replace(d.escape, f"{d.escape}E{d.escape}")
        for char, code in ((d.field, "F"), (d.component, "S"), (d.subcomponent, "T"), (d.repetition, "R")):
            escaped = escaped.replace(char, f"{d.escape}{code}{d.escape}")
        if formatted:
            escaped = escaped.replace("\r\n", "\n").replace("\n", f"{d.escape}.br{d.escape}")
        return escaped.replace("\r", " ").replace("\n", " ")


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
