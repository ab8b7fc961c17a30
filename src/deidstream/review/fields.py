"""What the worker's step did with each field of a structured message, for the reviewer to see beside its texts.

Read from the outside, without a hook in the decoders: the message as received, the
clean message the worker's step made, and the same message encoded once more with a
marker in place of each free text. A field holding markers went through the engine
(`text`, naming its texts); one gone or emptied in the clean message was `dropped`;
one that changed was `replaced` (typed by the values the format handed the policy,
and naming the texts of its other parts: an XCN's name replaced, its prefix read as
text); one unchanged was `kept`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from deidstream.formats import DecodedMessage, TaggingValues
from deidstream.formats.jsontools import path_name
from deidstream.review.store import FieldDecision

MARKER = "DEIDSTREAMTEXT{}X"
MARKED = re.compile(r"DEIDSTREAMTEXT(\d+)X")
VALUE_PARTS = re.compile(r"[\s,^&~]+")
COMPONENTS = re.compile(r"[\^&~]")  # an HL7 value's components, subcomponents and repetitions
NOT_DIGITS = re.compile(r"\D")
DATE_DIGITS = 8  # a date handed to the policy as YYYY-MM-DD is the first 8 digits of an HL7 or FHIR timestamp
MLLP = "\x0b\x1c"


class _RecordingValues(TaggingValues):
    """Tags like `TaggingValues`, and remembers the entity type of each value (and of its words) it was handed."""

    def __init__(self) -> None:
        super().__init__()
        self.types: dict[str, str] = {}

    def replace(self, entity_type: str, value: str, operator: Any = None) -> str:
        self.types.setdefault(value, entity_type)
        digits = NOT_DIGITS.sub("", value)
        if len(digits) == DATE_DIGITS:
            self.types.setdefault(digits, entity_type)
        for part in VALUE_PARTS.split(value):
            if part:
                self.types.setdefault(part, entity_type)
        return super().replace(entity_type, value, operator)


def field_decisions(message_format: str, raw: str, clean: str, decoded: DecodedMessage) -> list[FieldDecision]:
    """One decision per non-empty field of the received message, in message order."""
    values = _RecordingValues()
    marked_value = decoded.encode([MARKER.format(index) for index in range(len(decoded.texts))], values)
    leaves = _hl7_fields if message_format == "hl7v2" else _json_leaves
    original, cleaned, marked = leaves(raw), leaves(clean), leaves(marked_value.decode("utf-8"))
    decisions = []
    for path, value in original.items():
        texts = ", ".join(f"text {index + 1}" for index in _marked_texts(marked.get(path)))
        kinds = _value_type(value, values.types)
        if texts and not kinds:
            decisions.append(FieldDecision(path, "text", texts))
        elif not cleaned.get(path):
            decisions.append(FieldDecision(path, "dropped"))
        elif cleaned[path] == value and not texts:
            decisions.append(FieldDecision(path, "kept"))
        else:
            decisions.append(FieldDecision(path, "replaced", "; ".join(filter(None, [kinds, texts]))))
    return decisions


def _marked_texts(value: str | None) -> list[int]:
    """The indexes of the free texts whose markers the value holds, directly or Base64-encoded (whole or a component)."""
    if value is None:
        return []
    found = [int(index) for index in MARKED.findall(value)]
    for piece in [] if found else [value, *COMPONENTS.split(value)]:
        if piece and len(piece) % 4 == 0:
            try:
                found += [
                    int(index)
                    for index in MARKED.findall(base64.b64decode(piece, validate=True).decode("utf-8", "replace"))
                ]
            except (binascii.Error, ValueError):
                continue
    return sorted(set(found))


def _value_type(value: str, types: dict[str, str]) -> str:
    """The entity types the format handed the policy for this value or its parts (`ID, PERSON` for an XCN)."""
    if value in types:
        return types[value]
    kinds = {types[part] for part in VALUE_PARTS.split(value) if part in types}
    digits = NOT_DIGITS.sub("", value)[:DATE_DIGITS]
    if not kinds and len(digits) == DATE_DIGITS and digits in types:
        kinds.add(types[digits])
    return ", ".join(sorted(kinds))


def _json_leaves(text: str) -> dict[str, str]:
    """Every scalar of a JSON document by its path (`entry[0].resource.name[0].family`), as text."""
    leaves: dict[str, str] = {}

    def walk(node: Any, path: list[str | int]) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                walk(child, [*path, key])
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, [*path, index])
        elif node is not None and node != "":
            leaves[path_name(path)] = node if isinstance(node, str) else json.dumps(node)

    walk(json.loads(text), [])
    return leaves


def _hl7_fields(text: str) -> dict[str, str]:
    """Every non-empty field of an HL7 v2 message by segment and position (`PID-5`, `OBX[2]-5`)."""
    segments = [segment for segment in re.split(r"\r\n|\r|\n", text.strip(MLLP + "\r\n")) if segment]
    if not segments or not segments[0].startswith("MSH") or len(segments[0]) < 4:
        return {}
    separator = segments[0][3]
    fields: dict[str, str] = {}
    seen: dict[str, int] = {}
    for segment in segments:
        values = segment.split(separator)
        name = values[0]
        seen[name] = seen.get(name, 0) + 1
        label = name if seen[name] == 1 else f"{name}[{seen[name]}]"
        first = 2 if name == "MSH" else 1  # MSH-1 is the separator itself, MSH-2 the encoding characters
        for index, value in enumerate(values[first:], start=first + (1 if name == "MSH" else 0)):
            if value:
                fields[f"{label}-{index}"] = value
    return fields
