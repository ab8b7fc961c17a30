"""Message formats: turn a Kafka value into the texts to anonymize, and back.

One module per format: `text` (here), `json_envelope`, `fhir`, `hl7v2`. Every
decoder is strict and fails closed: a value that is not exactly what the topic's
format promises raises `Unprocessable` with a reason from `DecodeFailure`, and
every string of a structured message is read as free text, replaced by a rule,
dropped, or kept because its data type cannot carry PHI (`kept`); nothing passes
through unread unless a topic says `default = "keep"`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deidstream.formats.base import DecodedMessage, DecodeFailure, FieldValues, TaggingValues, Unprocessable

if TYPE_CHECKING:
    from deidstream.formats.settings import TopicFormat

__all__ = ["DecodedMessage", "FieldValues", "DecodeFailure", "TaggingValues", "Unprocessable", "decode"]


def decode(value: bytes | None, topic_format: TopicFormat, max_bytes: int) -> DecodedMessage:
    """Extract the texts to anonymize from a message value, or raise `Unprocessable`."""
    if value is None:
        raise Unprocessable(DecodeFailure.NO_VALUE, "message has no value")
    if len(value) > max_bytes:
        raise Unprocessable(DecodeFailure.TOO_LARGE, f"{len(value)} bytes, limit {max_bytes}")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Unprocessable(DecodeFailure.INVALID_UTF8, f"invalid UTF-8 at byte {error.start}") from None
    if topic_format.format == "json":
        from deidstream.formats.json_envelope import decode_json

        return decode_json(text, topic_format)
    if topic_format.format == "fhir":
        from deidstream.formats.fhir import decode_fhir

        return decode_fhir(text, topic_format)
    if topic_format.format == "hl7v2":
        from deidstream.formats.hl7v2 import decode_hl7

        return decode_hl7(text, topic_format)
    return DecodedMessage([text], lambda anonymized, values: anonymized[0].encode("utf-8"))
