"""Helpers the JSON-based formats share: strict parsing, UTF-8 checks, Base64 text, compact output."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from deidstream.formats.base import DecodeFailure, Unprocessable


def parse_json(text: str, reason: DecodeFailure = DecodeFailure.INVALID_JSON) -> Any:
    """The parsed document; one with an escaped half of a UTF-16 pair anywhere is `invalid_utf8` (it cannot be written back)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise Unprocessable(reason, f"JSON does not parse: {error.msg} at line {error.lineno}") from None
    if "\\u" in text.lower():  # only escapes can make a lone surrogate out of valid UTF-8
        try:
            dump_json(document)
        except UnicodeEncodeError:
            raise Unprocessable(DecodeFailure.INVALID_UTF8, "the JSON holds an unpaired surrogate escape") from None
    return document


def dump_json(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def check_text(value: str, where: str) -> str:
    """`value` if it can be encoded back to UTF-8: JSON can escape half a UTF-16 pair (`\\ud800`)."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise Unprocessable(DecodeFailure.INVALID_UTF8, f"{where} holds an unpaired surrogate") from None
    return value


def decode_base64_text(data: str, where: str) -> str:
    """The UTF-8 text a Base64 value holds, or `Unprocessable` (naming the field, never quoting it)."""
    try:
        raw = base64.b64decode(data.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise Unprocessable(DecodeFailure.INVALID_BASE64, f"{where} is not valid Base64") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Unprocessable(
            DecodeFailure.INVALID_UTF8, f"{where} decodes to invalid UTF-8 at byte {error.start}"
        ) from None


def encode_base64_text(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def path_name(path: list[str | int]) -> str:
    """`notes[2].text`: a concrete path for quarantine details (names fields, never values)."""
    name = ""
    for segment in path:
        name += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if name else segment)
    return name
