"""Decoding and encoding of message values: strict, so anything unexpected is quarantined."""

from __future__ import annotations

import json

import pytest

from deidstream.formats import DecodeFailure, Unprocessable, decode
from deidstream.formats.settings import TopicFormat

TEXT = TopicFormat()
ENVELOPE = TopicFormat(format="json", json_paths=["report.text", "impression"])


def reason_of(value: bytes | None, topic_format: TopicFormat, max_bytes: int = 1000) -> DecodeFailure:
    with pytest.raises(Unprocessable) as problem:
        decode(value, topic_format, max_bytes)
    return problem.value.reason


def test_plain_text_round_trip() -> None:
    decoded = decode("Befund: Müller".encode(), TEXT, 1000)
    assert decoded.texts == ["Befund: Müller"]
    assert decoded.encode(["Befund: <PERSON>"]) == b"Befund: <PERSON>"


def test_json_paths_are_replaced_and_undeclared_fields_dropped() -> None:
    document = {"id": 7, "report": {"text": "a", "kind": "CT"}, "impression": "b", "n": [1.5, None, True]}
    decoded = decode(json.dumps(document).encode(), ENVELOPE, 1000)
    assert decoded.texts == ["a", "b"]
    output = json.loads(decoded.encode(["A", "B"]))
    assert output == {"report": {"text": "A"}, "impression": "B", "n": []}


def test_default_keep_passes_undeclared_fields() -> None:
    document = {"id": 7, "report": {"text": "a", "kind": "CT"}, "impression": "b", "n": [1.5, None, True]}
    keep = TopicFormat(format="json", text_paths=["report.text", "impression"], default="keep")
    decoded = decode(json.dumps(document).encode(), keep, 1000)
    output = json.loads(decoded.encode(["A", "B"]))
    assert output == {**document, "report": {"text": "A", "kind": "CT"}, "impression": "B"}
    assert keep.startup_warnings() and ENVELOPE.startup_warnings(), "keep and json_paths are announced"


@pytest.mark.parametrize(
    ("value", "topic_format", "reason"),
    [
        (None, TEXT, DecodeFailure.NO_VALUE),
        (b"x" * 1001, TEXT, DecodeFailure.TOO_LARGE),
        (b"\xc3\x28", TEXT, DecodeFailure.INVALID_UTF8),
        (b'{"report": ', ENVELOPE, DecodeFailure.INVALID_JSON),
        (b'{"report": {"text": "a"}}', ENVELOPE, DecodeFailure.MISSING_FIELD),
        (b'{"report": "flat", "impression": "b"}', ENVELOPE, DecodeFailure.MISSING_FIELD),
        (b"[1, 2]", ENVELOPE, DecodeFailure.MISSING_FIELD),
        (b'{"report": {"text": 5}, "impression": "b"}', ENVELOPE, DecodeFailure.FIELD_NOT_TEXT),
        (b'{"report": {"text": "\\ud800"}, "impression": "b"}', ENVELOPE, DecodeFailure.INVALID_UTF8),
    ],
)
def test_bad_values_are_unprocessable_with_a_reason(value, topic_format, reason) -> None:
    assert reason_of(value, topic_format) == reason


def test_problem_details_never_quote_the_content() -> None:
    with pytest.raises(Unprocessable) as problem:
        decode(b'{"report": {"text": "John Smith"', ENVELOPE, 1000)
    assert "John" not in str(problem.value)
