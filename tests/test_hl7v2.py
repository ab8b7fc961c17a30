"""HL7 v2 messages: no identifier survives in any field or text, the message still parses, clinical content stays."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import hl7
import pytest

from deidstream.detection.engine import Engine
from deidstream.formats import DecodeFailure, Unprocessable, decode
from deidstream.formats.settings import TopicFormat
from structured_helpers import run_batch

DATA = Path(__file__).parent / "data" / "hl7"
HL7 = {"raw": {"format": "hl7v2"}}
ORIGINALS = {
    "oru_r01": [
        "VASTREL", "ONDINE", "MRN7718203", "7718203", "999-42-1188", "19670302", "03/02/1967", "Quarrybank",
        "Halverton", "44012", "555-0173", "555-0199", "ondine.v", "ACCT55120", "PELLWORTH", "GARRICK", "SORBIE",
        "TAMSIN", "PL5512", "FL8830", "V88120", "loyalty", "20230412",
    ],
    "mdm_t02": [
        "KESTRAVEN", "THEODRIC", "MRN5500871", "19511120", "11/20/1951", "Lantern", "Brockmere", "19380",
        "555-0142", "AMBERLEIGH", "CORISANDE", "DOC88120", "discharge_kestraven", "20230501",
    ],
    "adt_a08": [
        "MORWENNA", "ISOLDE", "CASPIAN", "FARRINGDALE", "MRN3302911", "19800714", "Wicket", "Saltmarsh", "04011",
        "555-0166", "555-0177", "555-0188", "999-60-2210", "TREVANION", "ELSPETH", "20230615",
    ],
}  # fmt: skip


# (segment, field, components) whose every value is PHI: names, ids, birth dates, addresses, phones, SSN.
PHI_FIELDS = [
    ("PID", 3, [1]), ("PID", 5, [1, 2, 3]), ("PID", 6, [1, 2]), ("PID", 7, [1]), ("PID", 11, [1, 2, 3, 5]),
    ("PID", 13, [1, 4]), ("PID", 14, [1]), ("PID", 18, [1]), ("PID", 19, [1]), ("NK1", 2, [1, 2, 3]),
    ("NK1", 4, [1, 3, 5]), ("NK1", 5, [1]), ("PV1", 7, [1, 2, 3]), ("PV1", 19, [1]), ("ORC", 2, [1]),
    ("OBR", 3, [1]), ("TXA", 5, [2, 3]), ("TXA", 12, [1]),
]  # fmt: skip


def field_originals(raw: bytes) -> list[str]:
    """Every value of the PHI fields of a message, read with python-hl7, field by field."""
    parsed = hl7.parse(raw.decode().strip())
    found = []
    for segment_id, field_number, components in PHI_FIELDS:
        for segment in (s for s in parsed if str(s[0]) == segment_id):
            if len(segment) <= field_number:
                continue
            for repetition in str(segment[field_number]).split("~"):
                parts = repetition.split("^")
                found += [parts[c - 1] for c in components if c <= len(parts) and len(parts[c - 1]) > 2]
    return found


def message(name: str) -> bytes:
    return (DATA / f"{name}.hl7").read_bytes()


def everything(value: bytes) -> str:
    """The message and the Base64 data of its ED values, decoded, in lower case."""
    text = value.decode()
    decoded = [
        base64.b64decode(data).decode("utf-8", "replace") for data in re.findall(r"\^Base64\^([A-Za-z0-9+/=]+)", text)
    ]
    return "\n".join([text, *decoded]).casefold()


@pytest.mark.parametrize("name", sorted(ORIGINALS))
def test_no_original_identifier_survives_and_the_message_still_parses(engine: Engine, name: str) -> None:
    (record,) = run_batch(engine, [message(name)], policy="research", formats=HL7)
    assert record.topic == "clean", dict(record.headers)
    seen = everything(record.value)
    originals = field_originals(message(name))
    assert len(originals) > 10
    for original in ORIGINALS[name] + originals:
        assert original.casefold() not in seen, original
    before, after = hl7.parse(message(name).decode().strip()), hl7.parse(record.value.decode().strip())
    assert [str(segment[0]) for segment in after] == [str(segment[0]) for segment in before], "same segments"
    assert record.value.decode().split("\r")[0].split("|")[:6] == message(name).decode().split("\r")[0].split("|")[:6]
    for segment_before, segment_after in zip(before, after, strict=True):
        if str(segment_before[0]) == "OBX":
            assert str(segment_after[3]) == str(segment_before[3]), "observation codes kept"
            assert str(segment_after[2]) == str(segment_before[2])
            if str(segment_before[2]) == "NM":
                assert str(segment_after[5]) == str(segment_before[5]) and str(segment_after[6]) == str(
                    segment_before[6]
                )


def test_the_patients_name_from_pid5_is_replaced_in_the_text_with_the_fields_surrogate(engine: Engine) -> None:
    text = "CT CHEST for Ondine Vastrel (MRN7718203), DOB 03/02/1967. No pulmonary nodules. ondine vastrel tolerated"
    assert not any(entity.type == "PERSON" for entity in engine.analyze_batch([text])[0]), "engine alone misses it"
    (record,) = run_batch(engine, [message("oru_r01")], policy="research", formats=HL7)
    parsed = hl7.parse(record.value.decode().strip())
    family, given = str(parsed.segment("PID")[5][0][0]), str(parsed.segment("PID")[5][0][1])
    obx = parsed.segments("OBX")[0]
    report = str(obx[5])
    assert f"CT CHEST for {given.title()} {family.title()} (" in report, report
    assert f"{given.lower()} {family.lower()} tolerated the scan" in report
    assert "\\.br\\" in report, "the line break escape is written back"
    addendum = base64.b64decode(str(parsed.segments("OBX")[2][5][0][4])).decode()
    assert f"{family.title()}, {given.title()}" in addendum


def test_dates_move_by_one_offset_per_patient_across_fields_and_text(engine: Engine) -> None:
    (record,) = run_batch(engine, [message("mdm_t02")], policy="research", formats=HL7)
    parsed = hl7.parse(record.value.decode().strip())
    birth = str(parsed.segment("PID")[7])
    report = str(parsed.segments("OBX")[0][5])
    shown = re.search(r"born (\d{2})/(\d{2})/(\d{4})", report)
    assert shown is not None, report
    assert birth == f"{shown[3]}{shown[1]}{shown[2]}", "the birth date in the text moved with PID-7"


def test_the_control_id_is_kept_or_tokenized(engine: Engine) -> None:
    (kept,) = run_batch(engine, [message("adt_a08")], policy="research", formats=HL7)
    (tokenized,) = run_batch(
        engine, [message("adt_a08")], policy="research", formats={"raw": {"format": "hl7v2", "hl7_control_id": "token"}}
    )
    assert kept.value.decode().split("\r")[0].split("|")[9] == "ADT99120"
    assert tokenized.value.decode().split("\r")[0].split("|")[9] not in ("ADT99120", "")


def test_mllp_framing_and_newlines_are_accepted() -> None:
    framed = b"\x0b" + message("adt_a08").replace(b"\r", b"\n") + b"\x1c\r"
    decoded = decode(framed, TopicFormat(format="hl7v2"), 10_000)
    assert decoded.field("PID-3.1") == "MRN3302911"
    assert decoded.encode(decoded.texts).startswith(b"MSH|^~\\&|ADT|NFH|")


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        (b"PID|1||123", "MSH"),
        (b"not hl7 at all", "MSH"),
        (b"FHS|^~\\&|A\rBHS|^~\\&|A\r" + message("adt_a08"), "batch"),
        (message("adt_a08") + message("mdm_t02"), "several messages"),
        (b"MSH|^~\\&|A|B|C|D|2023||ADT^A08|1|P|2.5\rpid|x", "segment id"),
        (b"MSH|^~\\&|A|B|C|D|2023", "MSH-9"),
        (b"MSH|^^^^|A|B|C|D|2023||ADT^A08|1|P|2.5", "delimiters"),
    ],
)
def test_malformed_messages_are_invalid_hl7(value: bytes, detail: str) -> None:
    with pytest.raises(Unprocessable) as problem:
        decode(value, TopicFormat(format="hl7v2"), 10_000)
    assert problem.value.reason == DecodeFailure.INVALID_HL7
    assert detail in problem.value.detail


def test_obx_values_of_structured_types_follow_their_types_rules(engine: Engine) -> None:
    value = (
        b"MSH|^~\\&|LAB|NFH|EHR|NFH|20230412093015||ORU^R01|M1|P|2.5\r"
        b"PID|1||MRN1^^^NFH^MR||ROOK^ANSEL\r"
        b"OBX|1|DT|8665-2^Last menstrual period^LN||20230301||||||F\r"
        b"OBX|2|XPN|X^Contact^L||GRANTHAM^ELOWEN||||||F\r"
        b"OBX|3|NM|2160-0^Creatinine^LN||1.1|mg/dL|||||F\r"
    )
    (record,) = run_batch(engine, [value], policy="research", formats=HL7)
    text = record.value.decode()
    assert "20230301" not in text and "GRANTHAM" not in text and "ELOWEN" not in text
    assert re.search(r"\rOBX\|1\|DT\|8665-2\^Last menstrual period\^LN\|\|\d{8}\|", text)
    assert "\rOBX|3|NM|2160-0^Creatinine^LN||1.1|mg/dL|" in text
