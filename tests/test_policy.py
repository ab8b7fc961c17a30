"""Policies and the secret: built-ins, files, settings, validation with messages a person can act on."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from deidstream.config import Settings, load_settings
from deidstream.policy import Policy, PolicyError, ShiftDate, Surrogate, Tag, Token, load_policy
from deidstream.secret import Secret, SecretError, load_secret

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
