"""Policies and the secret: built-ins, files, settings, validation; then each policy through the real pipeline."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from deidstream.anonymization.anonymizer import Anonymizer, build_operator
from deidstream.anonymization.dates import read_date
from deidstream.anonymization.normalize import canonical, name_words
from deidstream.anonymization.operators.base import MessageContext
from deidstream.anonymization.operators.shift_date import ShiftDateOperator
from deidstream.anonymization.policy import (
    PatientKey,
    Policy,
    PolicyError,
    ShiftDate,
    Surrogate,
    Tag,
    Token,
    load_policy,
)
from deidstream.anonymization.secret import Secret, SecretError, load_secret
from deidstream.config import Settings, load_settings
from deidstream.detection.engine import Engine
from deidstream.entity import ENTITY_TYPES
from deidstream.stream.pipeline import (
    HEADER_KEY_ID,
    HEADER_POLICY,
    HEADER_POLICY_VERSION,
    BatchProcessor,
)
from deidstream.stream.records import ProcessingFailure, SourceMessage
from deidstream.stream.topic_anonymizers import TopicAnonymizers
from deidstream.tools.synthetic import generate_reports

POLICY_FILE = """
[policy]
id = "ward-7"
version = 3
default = "redact"

[policy.operators]
PERSON = { operator = "token", length = 16 }
DATE_TIME = "shift_date"

[policy.patient_key]
source = "json_path"
name = "patient.mrn"
"""


def test_built_in_policies() -> None:
    safe_harbor, research = load_policy("safe-harbor"), load_policy("research")
    assert (safe_harbor.id, safe_harbor.version) == ("safe-harbor", "1")
    assert {safe_harbor.operator_for(t).operator for t in ("DATE_TIME", "AGE", "ZIP_CODE")} == {"generalize"}
    assert isinstance(safe_harbor.operator_for("PERSON"), Tag)
    assert not safe_harbor.needs_secret and not safe_harbor.shifts_dates
    assert isinstance(research.operator_for("PERSON"), Surrogate)
    assert isinstance(research.operator_for("ID"), Token)
    assert isinstance(research.operator_for("DATE_TIME"), ShiftDate)
    assert research.needs_secret and research.shifts_dates


def test_the_readme_examples_are_the_built_in_policies() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    examples = [block for block in re.findall(r"```toml\n(.*?)```", readme, re.DOTALL) if block.startswith("[policy]")]
    assert [Policy.model_validate(tomllib.loads(example)["policy"]) for example in examples] == [
        load_policy("safe-harbor"),
        load_policy("research"),
    ]


def test_a_policy_file_or_a_settings_table(tmp_path: Path) -> None:
    policy_file = tmp_path / "ward-7.toml"
    policy_file.write_text(POLICY_FILE, encoding="utf-8")
    policy = load_policy(str(policy_file))
    assert (policy.id, policy.version, policy.default.operator) == ("ward-7", "3", "redact")
    assert policy.operator_for("PERSON") == Token(operator="token", length=16)
    assert (policy.patient_key.source, policy.patient_key.name) == ("json_path", "patient.mrn")
    assert load_settings(policy_file).policy == policy, "the [policy] table of a settings file"
    assert load_settings(policy_file, policy="safe-harbor").policy.id == "safe-harbor", "--policy wins over the file"


def test_policy_by_name_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().policy is None
    monkeypatch.setenv("DEIDSTREAM_POLICY", "research")
    assert Settings().policy.id == "research"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"operators": {"PERSN": "tag"}}, "unknown entity types ['PERSN']"),
        ({"operators": {"PERSON": "shift_date"}}, "operator 'shift_date' cannot handle PERSON"),
        ({"default": "generalize"}, "the default operator 'generalize' cannot handle"),
        ({"default": "surrogate"}, "the default operator 'surrogate' cannot handle ['AGE', 'DATE_TIME']"),
        ({"default": "scramble"}, "does not match any of the expected tags"),
        ({"default": {"operator": "token", "length": 4}}, "greater than or equal to 8"),
        ({"patient_key": {"source": "header"}}, "patient_key source 'header' needs a name"),
        ({"id": "no spaces"}, "String should match pattern"),
    ],
)
def test_invalid_policies_say_what_is_wrong(table: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Policy.model_validate({"id": "p", "version": "1", **table})


def test_unknown_policy_names_and_files(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="no built-in policy or file named 'hipaa'.*safe-harbor, research"):
        load_policy("hipaa")
    not_a_policy = tmp_path / "settings.toml"
    not_a_policy.write_text('output_topic = "clean"\n', encoding="utf-8")
    with pytest.raises(PolicyError, match="has no \\[policy\\] table"):
        load_policy(str(not_a_policy))


def test_the_secret_comes_from_the_environment_or_a_file(tmp_path: Path) -> None:
    value = "correct horse battery staple 42"
    secret_file = tmp_path / "secret"
    secret_file.write_text(value + "\n", encoding="utf-8")
    from_variable = load_secret({"DEIDSTREAM_SECRET": value})
    from_file = load_secret({"DEIDSTREAM_SECRET_FILE": str(secret_file)})
    assert from_variable.key_id == from_file.key_id and len(from_variable.key_id) == 12
    assert from_variable.key_id != Secret(b"another secret, just as long!").key_id
    assert value not in repr(from_variable) and from_variable.key_id in repr(from_variable)
    assert load_secret({}) is None


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DEIDSTREAM_SECRET": "short"}, "the secret is 5 bytes long; use at least 16"),
        ({"DEIDSTREAM_SECRET": "x" * 32, "DEIDSTREAM_SECRET_FILE": "/x"}, "not both"),
        ({"DEIDSTREAM_SECRET_FILE": "/nonexistent/secret"}, "cannot read the secret file"),
    ],
)
def test_unusable_secrets_are_refused_without_quoting_them(environ: dict, message: str) -> None:
    with pytest.raises(SecretError, match=message) as raised:
        load_secret(environ)
    assert "short" not in str(raised.value)


# The policies applied by the real pipeline and engine.

RESEARCH_SECRET = Secret(b"research secret for the tests, 32")


def process(engine: Engine, policy: Policy | None, messages: list[tuple[bytes | None, str]], **settings: object):
    """`messages` as (key, text) on topic `raw`, through a processor of these settings under `policy`."""
    return process_topics(engine, [("raw", key, text) for key, text in messages], policy=policy, **settings)


def process_topics(engine: Engine, messages: list[tuple[str, bytes | None, str]], **settings: object):
    """`messages` as (topic, key, text) in one batch, with the secret whenever a configured policy needs it."""
    configured = Settings(**settings)
    secret = RESEARCH_SECRET if any(policy.needs_secret for policy in configured.policies) else None
    processor = BatchProcessor(configured, engine, TopicAnonymizers(configured, secret))
    sources = [
        SourceMessage(topic, 0, offset, key, text.encode(), []) for offset, (topic, key, text) in enumerate(messages)
    ]
    return processor.process(sources)


ADMITTED = re.compile(r"Patient (?P<name>.+) \(MRN (?P<id>\S+)\) was admitted on (?P<date>\S+) with chest pain\.")
DISCHARGED = re.compile(
    r"PATIENT: (?P<name>.+)\nMRN: (?P<id>\S+)\nDischarged on (?P<date>.+) after an uneventful stay\."
)
RETURNED = re.compile(r"Mr\. (?P<name>.+) returned on (?P<date>\S+) for follow-up; next visit (?P<next>\S+)\.")
PATIENT_A = [
    "Patient John Smith (MRN 4455667) was admitted on 3/14/2011 with chest pain.",
    "PATIENT: SMITH, JOHN\nMRN: 4455667\nDischarged on March 20, 2011 after an uneventful stay.",
    "Mr. John Smith returned on 2011-04-02 for follow-up; next visit 4/30.",
]


def test_research_policy_links_a_patient_across_messages_and_keeps_intervals(engine: Engine) -> None:
    policy = load_policy("research")
    records = process(engine, policy, [(b"patient-A", text) for text in PATIENT_A])
    admitted, discharged, returned = (
        pattern.fullmatch(record.value.decode())
        for pattern, record in zip((ADMITTED, DISCHARGED, RETURNED), records, strict=True)
    )
    assert admitted and discharged and returned, [record.value for record in records]

    given, family = admitted["name"].split()
    assert discharged["name"] == f"{family}, {given}".upper(), "one surrogate family for every spelling"
    assert returned["name"] == admitted["name"]
    assert admitted["id"] == discharged["id"] and re.fullmatch(r"ID_[0-9a-f]{12}", admitted["id"])

    offset = timedelta(days=ShiftDateOperator(RESEARCH_SECRET, 365).offset_days(b"patient-A"))
    assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", admitted["date"])
    assert re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}", discharged["date"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", returned["date"])
    assert re.fullmatch(r"\d{1,2}/\d{1,2}", returned["next"])
    shifted = [read_date(admitted["date"]), read_date(discharged["date"]), read_date(returned["date"])]
    assert [written.anchor() for written in shifted] == [
        date(2011, 3, 14) + offset,
        date(2011, 3, 20) + offset,
        date(2011, 4, 2) + offset,
    ], "every date moved by the patient's offset: day differences kept across messages and layouts"
    assert read_date(returned["next"]).anchor() == date(2000, 4, 30) + offset

    for record in records:
        text = record.value.decode()
        for identifier in ("John", "JOHN", "Smith", "SMITH", "4455667", "3/14/2011", "March 20, 2011", "2011-04-02"):
            assert identifier not in text
        headers = dict(record.headers)
        assert headers[HEADER_POLICY] == b"research" and headers[HEADER_POLICY_VERSION] == b"1"
        assert headers[HEADER_KEY_ID] == RESEARCH_SECRET.key_id.encode()


def test_two_patients_shift_differently_and_another_secret_changes_everything(engine: Engine) -> None:
    policy = load_policy("research")
    text = PATIENT_A[0]
    patient_a, patient_b = process(engine, policy, [(b"patient-A", text), (b"patient-B", text)])
    a, b = ADMITTED.fullmatch(patient_a.value.decode()), ADMITTED.fullmatch(patient_b.value.decode())
    assert a["name"] == b["name"] and a["id"] == b["id"], "names and numbers do not depend on the patient key"
    assert a["date"] != b["date"]

    other = Anonymizer(policy, Secret(b"some other secret of 32 bytes..."))
    found = engine.analyze_batch([text])[0]
    elsewhere = ADMITTED.fullmatch(other.anonymize(text, found, b"patient-A").text)
    assert elsewhere["name"] != a["name"] and elsewhere["id"] != a["id"] and elsewhere["date"] != a["date"]


def test_surrogates_never_reproduce_what_they_replace(engine: Engine) -> None:
    reports = generate_reports(30, seed=11)
    surrogate = build_operator(Surrogate(operator="surrogate"), RESEARCH_SECRET)
    replaced = 0
    for report, found in zip(reports, engine.analyze_batch([r.text for r in reports]), strict=True):
        for entity in found:
            if entity.type in ("DATE_TIME", "AGE"):
                continue
            original = report.text[entity.start : entity.end]
            value = surrogate.replace(entity.type, original, MessageContext())
            replaced += 1
            assert canonical(entity.type, value) != canonical(entity.type, original), (report.id, entity.type)
            if entity.type == "PERSON":
                pairs = zip(name_words(original), name_words(value), strict=True)
                assert all(a.key != b.key for a, b in pairs if a.role != "kept"), (report.id, entity.type)
    assert replaced > 300


def test_safe_harbor_generalizes_ages_zip_codes_and_dates(engine: Engine) -> None:
    texts = [
        "92 yo woman from Boston, MA 03601, seen at Massachusetts General Hospital. Lives at 55 Fruit Street, Boston, MA 02114.",
        "Patient is a 95-year-old man. ZIP 82301. Call (617) 555-1234.",
        "PATIENT: JOHN SMITH\nDOB: 5/5/1955",
    ]
    records = process(engine, load_policy("safe-harbor"), [(None, text) for text in texts])
    assert [record.value.decode() for record in records] == [
        "90+ yo woman from <LOCATION>, MA 000, seen at <HOSPITAL>. Lives at <STREET_ADDRESS>, <LOCATION>, MA 021.",
        "Patient is a 90+-year-old man. ZIP 000. Call <PHONE_NUMBER>.",
        "PATIENT: <PERSON>\nDOB: 1955",
    ]
    assert HEADER_KEY_ID not in dict(records[0].headers), "no keyed operator, no key id"
    assert dict(records[0].headers)[HEADER_POLICY] == b"safe-harbor"


def test_without_a_policy_nothing_changes(engine: Engine) -> None:
    (record,) = process(engine, None, [(b"k", PATIENT_A[0])])
    assert record.value == b"Patient <PERSON> (MRN <ID>) was admitted on <DATE_TIME> with chest pain."
    assert not {HEADER_POLICY, HEADER_POLICY_VERSION, HEADER_KEY_ID} & set(dict(record.headers))


def test_a_message_that_does_not_name_its_patient_is_quarantined(engine: Engine) -> None:
    by_field = load_policy("research").model_copy(update={"patient_key": PatientKey(source="json_path", name="mrn")})
    envelopes = [json.dumps({"mrn": "4455667", "text": PATIENT_A[0]}), json.dumps({"text": PATIENT_A[0]})]
    records = process(
        engine,
        by_field,
        [(None, envelope) for envelope in envelopes],
        formats={"raw": {"format": "json", "json_paths": ["text"]}},
    )
    assert records[0].topic == "clean" and records[1].topic == "quarantine"
    assert records[1].quarantine_reason == ProcessingFailure.MISSING_PATIENT_KEY
    assert dict(records[1].headers)["deidstream.quarantine.detail"] == b"no patient key in field 'mrn'"
    (no_key,) = process(engine, load_policy("research"), [(None, PATIENT_A[0])])
    assert no_key.quarantine_reason == ProcessingFailure.MISSING_PATIENT_KEY


def test_each_topic_gets_its_own_policy_in_one_batch(engine: Engine) -> None:
    text = "Patient John Smith was seen in clinic."
    records = process_topics(
        engine,
        [("raw", None, text), ("research", b"patient-A", text), ("raw", b"patient-A", text)],
        formats={"research": {"policy": "research"}},
    )
    assert [record.topic for record in records] == ["clean"] * 3, "no patient key needed where dates are not shifted"
    tagged, pseudonymized, _ = (record.value.decode() for record in records)
    assert tagged == records[2].value.decode() == "Patient <PERSON> was seen in clinic."
    assert re.fullmatch(r"Patient [A-Z][a-z]+ [A-Z][\w'\-]+ was seen in clinic\.", pseudonymized)
    assert "John" not in pseudonymized and "Smith" not in pseudonymized, "a surrogate, never the original"
    assert not {HEADER_POLICY, HEADER_POLICY_VERSION, HEADER_KEY_ID} & set(dict(records[0].headers))
    headers = dict(records[1].headers)
    assert headers[HEADER_POLICY] == b"research" and headers[HEADER_POLICY_VERSION] == b"1"
    assert headers[HEADER_KEY_ID] == RESEARCH_SECRET.key_id.encode()


def test_a_topic_policy_overrides_the_worker_policy_and_shifts_dates_only_there(engine: Engine) -> None:
    records = process_topics(
        engine,
        [("raw", None, PATIENT_A[0]), ("linked", None, PATIENT_A[0]), ("linked", b"patient-A", PATIENT_A[0])],
        policy="safe-harbor",
        formats={"linked": {"policy": "research"}},
    )
    assert records[0].value == b"Patient <PERSON> (MRN <ID>) was admitted on 2011 with chest pain."
    assert dict(records[0].headers)[HEADER_POLICY] == b"safe-harbor"
    assert records[1].quarantine_reason == ProcessingFailure.MISSING_PATIENT_KEY, "research shifts dates: key needed"
    assert ADMITTED.fullmatch(records[2].value.decode()) and dict(records[2].headers)[HEADER_POLICY] == b"research"


def test_topics_sharing_a_policy_share_one_anonymizer() -> None:
    settings = Settings(
        policy="research",
        formats={"a": {"policy": "research"}, "b": {"policy": "safe-harbor"}, "c": {"policy": "safe-harbor"}},
    )
    anonymizers = TopicAnonymizers(settings, RESEARCH_SECRET)
    assert anonymizers.for_topic("a") is anonymizers.default is anonymizers.for_topic("unlisted")
    assert anonymizers.for_topic("b") is anonymizers.for_topic("c") is not anonymizers.default
    assert anonymizers.for_topic("b").policy.id == "safe-harbor"


def test_every_type_the_engine_emits_can_be_named_in_a_policy(engine: Engine) -> None:
    assert engine.entity_types == ENTITY_TYPES
    every_type = {"id": "all", "version": "1", "default": "tag", "operators": dict.fromkeys(ENTITY_TYPES, "redact")}
    assert set(Policy.model_validate(every_type).operators) == ENTITY_TYPES


def test_a_credit_card_number_is_named_and_replaced_by_policy(engine: Engine) -> None:
    text = "Paid with card 4111 1111 1111 1111 at the front desk."
    policy = Policy.model_validate(
        {"id": "cards", "version": "1", "default": "tag", "operators": {"CREDIT_CARD": "redact"}}
    )
    entities = engine.analyze_batch([text])[0]
    # the card, whole; the PHI model may also read digits inside it as another type, which the card's span covers
    assert any(
        (entity.type, text[entity.start : entity.end]) == ("CREDIT_CARD", "4111 1111 1111 1111") for entity in entities
    )
    assert Anonymizer(policy).anonymize(text, entities).text == "Paid with card  at the front desk."
