"""Message formats: turn a Kafka value into the texts to anonymize, and back.

Decoding is strict on purpose. Anything that is not exactly what the topic's format
promises raises `Unprocessable` with a reason from `QuarantineReason`, so that the
message goes to quarantine instead of reaching the clean topic half-processed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from deidstream.config import TopicFormat


class QuarantineReason(StrEnum):
    """Why a message went to quarantine: a fixed set, safe as a header or metric label."""

    NO_VALUE = "no_value"
    TOO_LARGE = "too_large"
    INVALID_UTF8 = "invalid_utf8"
    INVALID_JSON = "invalid_json"
    MISSING_FIELD = "missing_field"
    FIELD_NOT_TEXT = "field_not_text"
    ENGINE_ERROR = "engine_error"
    DETECT_TIMEOUT = "detect_timeout"
    OUTPUT_TOO_LARGE = "output_too_large"
    MISSING_PATIENT_KEY = "missing_patient_key"


class Unprocessable(Exception):
    """A message that must go to quarantine; the detail names fields and sizes, never content."""

    def __init__(self, reason: QuarantineReason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class DecodedMessage:
    """The free texts of one message, and how to put their anonymized versions back."""

    texts: list[str]
    _document: Any
    _paths: list[list[str]]

    def field(self, dotted_path: str) -> Any:
        """The value at a dotted path of a JSON envelope; None when absent or when the message is plain text."""
        path = dotted_path.split(".")
        try:
            return _parent(self._document, path)[path[-1]]
        except (KeyError, TypeError):
            return None

    def encode(self, anonymized: list[str]) -> bytes:
        if self._document is None:
            return anonymized[0].encode("utf-8")
        for path, text in zip(self._paths, anonymized, strict=True):
            _parent(self._document, path)[path[-1]] = text
        return json.dumps(self._document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(value: bytes | None, topic_format: TopicFormat, max_bytes: int) -> DecodedMessage:
    """Extract the texts to anonymize from a message value, or raise `Unprocessable`."""
    if value is None:
        raise Unprocessable(QuarantineReason.NO_VALUE, "message has no value")
    if len(value) > max_bytes:
        raise Unprocessable(QuarantineReason.TOO_LARGE, f"{len(value)} bytes, limit {max_bytes}")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Unprocessable(QuarantineReason.INVALID_UTF8, f"invalid UTF-8 at byte {error.start}") from None
    if topic_format.format == "text":
        return DecodedMessage([text], None, [])
    return _decode_json(text, [path.split(".") for path in topic_format.json_paths])


def _decode_json(text: str, paths: list[list[str]]) -> DecodedMessage:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise Unprocessable(
            QuarantineReason.INVALID_JSON, f"JSON does not parse: {error.msg} at line {error.lineno}"
        ) from None
    texts = []
    for path in paths:
        dotted = ".".join(path)
        try:
            field_value = _parent(document, path)[path[-1]]
        except (KeyError, TypeError):
            raise Unprocessable(QuarantineReason.MISSING_FIELD, f"field {dotted!r} is missing") from None
        if not isinstance(field_value, str):
            raise Unprocessable(
                QuarantineReason.FIELD_NOT_TEXT, f"field {dotted!r} holds {type(field_value).__name__}, not a string"
            )
        if not field_value.isascii() and _has_lone_surrogate(field_value):
            # JSON can escape half a UTF-16 pair (`\ud800`); such text cannot be encoded back to UTF-8.
            raise Unprocessable(QuarantineReason.INVALID_UTF8, f"field {dotted!r} holds an unpaired surrogate")
        texts.append(field_value)
    return DecodedMessage(texts, document, paths)


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _parent(document: Any, path: list[str]) -> dict[str, Any]:
    """The object holding the last key of `path`; raises KeyError/TypeError when the path is absent."""
    node = document
    for key in path[:-1]:
        node = node[key]
    if not isinstance(node, dict):
        raise TypeError(f"not an object at {'.'.join(path[:-1])}")
    return node
