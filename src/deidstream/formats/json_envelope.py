"""`format = "json"`: a JSON envelope where every field is free text, a structured value with a rule, or dropped.

Fail closed: a field that no `text_paths` entry or `fields` rule names takes the
topic's `default`, `drop` unless the topic says `keep`, so a `patient` object added
to the envelope next to the report never reaches the clean topic unread. Structured
values go through the same operators as the text, whole: a `patient.name` field
under `surrogate` and the same name found in the report text give one surrogate.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from deidstream.entity import EntityType
from deidstream.formats.base import DecodedMessage, DecodeFailure, FieldValues, Unprocessable
from deidstream.formats.jsontools import (
    check_text,
    decode_base64_text,
    dump_json,
    encode_base64_text,
    parse_json,
    path_name,
)
from deidstream.formats.rules import FieldRule, PathSegment, has_wildcard, matches, parse_path, resolve_field_type
from deidstream.formats.seeds import KnownIdentifiers

if TYPE_CHECKING:
    from deidstream.formats.settings import TopicFormat

# Field types whose values are searched for in the envelope's free text (and recorded in the patient directory).
SEEDED_TYPES = (
    EntityType.ID,
    EntityType.US_SSN,
    EntityType.PHONE_NUMBER,
    EntityType.EMAIL_ADDRESS,
    EntityType.STREET_ADDRESS,
    EntityType.LOCATION,
)
# A name field whose last key holds one of these names a clinician, not the patient or a relative.
STAFF_WORDS = ("author", "physician", "doctor", "clinician", "provider", "nurse", "attending", "signed")
# A date field whose last key holds one of these is a birth date.
BIRTH_WORDS = ("birth", "dob")
ISO_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


@dataclass(frozen=True)
class _TextSlot:
    path: list[PathSegment]
    base64: bool


@dataclass(frozen=True)
class _FieldSlot:
    path: list[PathSegment]
    entity_type: str
    rule: FieldRule


class _Plan:
    """What decoding found: text slots in engine order, fields to replace, and paths to drop."""

    def __init__(self, topic_format: TopicFormat) -> None:
        self.text_rules = [(parse_path(tp.path), tp.encoding == "base64") for tp in topic_format.all_text_paths]
        self.field_rules = [
            (parse_path(path), rule, resolve_field_type(path, rule)) for path, rule in topic_format.fields.items()
        ]
        self.drop_unnamed = topic_format.default == "drop"
        self.texts: list[str] = []
        self.text_slots: list[_TextSlot] = []
        self.field_slots: list[_FieldSlot] = []
        self.drops: list[list[PathSegment]] = []
        self.known = KnownIdentifiers()

    def walk(self, node: Any, path: list[PathSegment]) -> None:
        for pattern, base64 in self.text_rules:
            if matches(pattern, path):
                self._text(node, path, pattern, base64)
                return
        for pattern, rule, entity_type in self.field_rules:
            if matches(pattern, path):
                self._field(node, path, pattern, rule, entity_type)
                return
        if isinstance(node, dict):
            for key, child in node.items():
                self.walk(child, [*path, key])
        elif isinstance(node, list):
            for index, child in enumerate(node):
                self.walk(child, [*path, index])
        elif self.drop_unnamed and path:
            self.drops.append(path)

    def _text(self, node: Any, path: list[PathSegment], pattern: list[PathSegment], base64: bool) -> None:
        where = f"field {_describe(path, pattern)!r}"
        if not isinstance(node, str):
            raise Unprocessable(DecodeFailure.FIELD_NOT_TEXT, f"{where} holds {type(node).__name__}, not a string")
        text = decode_base64_text(node, where) if base64 else check_text(node, where)
        self.texts.append(text)
        self.text_slots.append(_TextSlot(path, base64))

    def _field(
        self, node: Any, path: list[PathSegment], pattern: list[PathSegment], rule: FieldRule, entity_type: str | None
    ) -> None:
        if rule.operator == "keep" or node is None or isinstance(node, bool):
            return
        if rule.operator == "drop":
            self.drops.append(path)
            return
        if isinstance(node, dict | list):
            raise Unprocessable(
                DecodeFailure.FIELD_NOT_TEXT,
                f"field {_describe(path, pattern)!r} holds {type(node).__name__}, not a value",
            )
        value = check_text(str(node), f"field {_describe(path, pattern)!r}")
        assert entity_type is not None  # resolved at start-up for every rule that replaces
        self.field_slots.append(_FieldSlot(path, entity_type, rule))
        last_key = next((str(segment).lower() for segment in reversed(path) if isinstance(segment, str)), "")
        if entity_type == EntityType.PERSON:
            self.known.add_full_name(value, staff=any(word in last_key for word in STAFF_WORDS))
        elif entity_type in SEEDED_TYPES:
            self.known.add_value(entity_type, value)
        elif entity_type == EntityType.DATE_TIME and any(word in last_key for word in BIRTH_WORDS):
            birth = ISO_DATE.match(value)
            if birth is not None:
                self.known.add_date(int(birth[1]), int(birth[2]), int(birth[3]))


def decode_json(text: str, topic_format: TopicFormat) -> DecodedMessage:
    document = parse_json(text)
    plan = _Plan(topic_format)
    for pattern, _ in plan.text_rules:
        if not has_wildcard(pattern):
            _require(document, pattern)
    if not isinstance(document, dict):
        raise Unprocessable(DecodeFailure.MISSING_FIELD, "the message is not a JSON object")
    plan.walk(document, [])
    specs = {id(slot): slot.rule.operator_spec() for slot in plan.field_slots}

    def encode(anonymized: list[str], values: FieldValues) -> bytes:
        output = copy.deepcopy(document)
        for slot, text in zip(plan.text_slots, anonymized, strict=True):
            _set(output, slot.path, encode_base64_text(text) if slot.base64 else text)
        for field_slot in plan.field_slots:
            original = _get(document, field_slot.path)
            _set(output, field_slot.path, values.replace(field_slot.entity_type, str(original), specs[id(field_slot)]))
        for path in reversed(plan.drops):  # deepest and last first, so list indexes stay valid
            parent = _get(output, path[:-1])
            del parent[path[-1]]
        return dump_json(output)

    return DecodedMessage(
        plan.texts,
        encode,
        lambda name: _lookup(document, name),
        plan.known,
    )


def _describe(path: list[PathSegment], pattern: list[PathSegment]) -> str:
    """The path for a quarantine detail: list indexes shown, keys only as configured (a `*` may match a data key)."""
    return path_name(
        [actual if isinstance(actual, int) else wanted for actual, wanted in zip(path, pattern, strict=True)]
    )


def _require(document: Any, pattern: list[PathSegment]) -> None:
    """A declared text path without wildcards must be there (as before): a missing report is no empty report."""
    try:
        _get(document, pattern)
    except (KeyError, IndexError, TypeError):
        raise Unprocessable(DecodeFailure.MISSING_FIELD, f"field {path_name(pattern)!r} is missing") from None


def _get(document: Any, path: list[PathSegment]) -> Any:
    node = document
    for segment in path:
        if not (
            isinstance(node, dict) and isinstance(segment, str) or isinstance(node, list) and isinstance(segment, int)
        ):
            raise TypeError("not a container of that kind")
        node = cast(Any, node)[segment]  # checked above; mypy does not narrow the pair
    return node


def _set(document: Any, path: list[PathSegment], value: Any) -> None:
    _get(document, path[:-1])[path[-1]] = value


def _lookup(document: Any, name: str) -> Any:
    try:
        return _get(document, parse_path(name))
    except (KeyError, IndexError, TypeError, ValueError):
        return None
