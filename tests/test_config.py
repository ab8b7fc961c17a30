"""Settings precedence and validation: flags > environment > config file > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from deidstream.anonymization.policy import load_policy
from deidstream.config import load_settings


def test_file_then_environment_then_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "deidstream.toml"
    config.write_text(
        'group_id = "from-file"\noutput_topic = "file-clean"\nprocesses = 3\n'
        '[kafka]\n"security.protocol" = "SASL_SSL"\n'
        '[formats.raw]\nformat = "json"\njson_paths = ["report.text"]\n'
    )
    monkeypatch.setenv("DEIDSTREAM_GROUP_ID", "from-env")
    monkeypatch.setenv("DEIDSTREAM_INPUT_TOPIC", "raw, raw-json")
    monkeypatch.setenv("DEIDSTREAM_KAFKA_CONSUMER__SESSION_TIMEOUT_MS", "6000")

    settings = load_settings(config, processes=2, bootstrap_servers=None)

    assert settings.group_id == "from-env"
    assert settings.output_topic == "file-clean"
    assert settings.processes == 2
    assert settings.input_topic == ["raw", "raw-json"]
    assert settings.kafka == {"security.protocol": "SASL_SSL"}
    assert settings.kafka_consumer == {"session.timeout.ms": "6000"}
    assert settings.topic_format("raw").json_paths == ["report.text"]
    assert settings.topic_format("other").format == "text"


def test_json_format_needs_paths(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[formats.raw]\nformat = "json"\n')
    with pytest.raises(ValidationError, match="json_paths"):
        load_settings(config)


def test_a_topic_policy_is_a_table_or_a_built_in_name(tmp_path: Path) -> None:
    config = tmp_path / "topics.toml"
    config.write_text(
        'policy = "safe-harbor"\n'
        '[formats.research]\npolicy = "research"\n'
        '[formats.ward]\nformat = "json"\njson_paths = ["text"]\n'
        '[formats.ward.policy]\nid = "ward-7"\nversion = 2\ndefault = "redact"\n'
        '[formats.plain]\nformat = "text"\n'
    )

    settings = load_settings(config)

    assert settings.topic_format("research").policy == load_policy("research")
    ward = settings.topic_format("ward").policy
    assert (ward.id, ward.version, ward.default.operator) == ("ward-7", "2", "redact")
    assert settings.topic_format("plain").policy is None, "the worker-wide policy applies"
    assert [policy.id for policy in settings.policies] == ["safe-harbor", "research", "ward-7"]


def test_an_unknown_topic_policy_names_the_topic(tmp_path: Path) -> None:
    config = tmp_path / "typo.toml"
    config.write_text('[formats.raw]\npolicy = "reserch"\n')
    with pytest.raises(ValidationError, match="formats.raw.policy") as raised:
        load_settings(config)
    assert "no built-in policy or file named 'reserch'" in str(raised.value)


def test_unknown_settings_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "typo.toml"
    config.write_text("batch_max_mesages = 10\n")
    with pytest.raises(ValidationError, match="batch_max_mesages"):
        load_settings(config)


def test_structured_formats_validate_their_rules_at_start_up(tmp_path: Path) -> None:
    config = tmp_path / "formats.toml"
    config.write_text(
        '[formats.env]\nformat = "json"\ntext_paths = ["notes[*].text", { path = "doc.data", encoding = "base64" }]\n'
        '[formats.env.fields]\n"patient.name" = "surrogate"\n"patient.mrn" = { operator = "token", length = 16 }\n'
        'site = "keep"\n'
        '[formats.hl7]\nformat = "hl7v2"\nhl7_control_id = "token"\n'
        '[formats.fhir]\nformat = "fhir"\n'
    )
    settings = load_settings(config)
    env = settings.topic_format("env")
    assert [path.encoding for path in env.all_text_paths] == ["utf-8", "base64"]
    assert env.keyed_field_operators == ["surrogate", "token"]
    assert env.startup_warnings() == []
    assert settings.topic_format("hl7").hl7_control_id == "token"
    for body, problem in [
        ('[formats.x]\nformat = "fhir"\ntext_paths = ["a"]\n', "only apply to format 'json'"),
        ('[formats.x]\nformat = "json"\ntext_paths = ["a..b"]\n', "empty segment"),
        ('[formats.x]\nformat = "json"\nfields = { "a.xyz" = "surrogate" }\n', "cannot tell its entity type"),
        ('[formats.x]\nformat = "json"\nfields = { "a.mrn" = { operator = "mask", length = 3 } }\n', "length"),
        ('[formats.x]\nformat = "json"\nfields = { "a" = { type = "NAME" } }\n', "unknown entity type"),
        ('[formats.x]\nformat = "json"\ntext_paths = ["a"]\nhl7_control_id = "token"\n', "hl7_control_id"),
    ]:
        config.write_text(body)
        with pytest.raises(ValidationError, match=problem):
            load_settings(config)
