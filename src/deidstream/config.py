"""Settings: defaults < TOML config file < `DEIDSTREAM_*` environment < command-line flags.

One `Settings` object describes a whole worker. It is plain data so that it can be
handed to worker processes and printed (secrets never live here).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from deidstream.anonymization.policy import Policy
from deidstream.detection.settings import EngineSettings
from deidstream.formats.settings import PassHeadersSetting, PolicySetting, TopicFormat

# Besides detection a batch decodes, anonymizes, produces and waits for acknowledgements.
POLL_MARGIN_S = 60.0


class DirectorySettings(BaseModel):
    """The patient directory: what registration messages said about each patient, on a compacted topic.

    Off unless `topic` is set. Topics whose messages feed it say `directory_source = true` in their
    `[formats.<topic>]` table; every topic's messages that name their patient are searched for what it knows.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    topic: str | None = Field(None, description="the compacted, encrypted directory topic; none: no directory")
    state_dir: Path | None = Field(
        None,
        description="where each worker process keeps its copy (an SQLite file rebuilt from the topic at every "
        "start); default: the system's temporary directory",
    )
    cached_patients: int = Field(
        1024, ge=0, description="decoded entries each process keeps in memory, for notes that follow one another"
    )


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
        default_factory=list,
        description="quarantine reasons the brake does not count (e.g. too_large); the stream owns some of the "
        "reasons, so the command line checks the names (`stream.records.QUARANTINE_REASONS`)",
    )

    formats: dict[str, TopicFormat] = Field(
        default_factory=dict,
        description="input topic -> its message format and, if not the worker-wide one, policy; topics not listed are "
        "plain text under the worker-wide policy",
    )
    pass_headers: PassHeadersSetting = Field(
        default_factory=list,
        description="input headers copied to the clean topic by exact name (besides W3C trace context); they reach "
        "analysts, so name none that may carry an identifier",
    )
    kafka: dict[str, str] = Field(
        default_factory=dict,
        description="librdkafka settings for consumer and producer, each getting those of its scope "
        "(security.protocol, sasl.*, ssl.*, ...)",
    )
    kafka_consumer: dict[str, str] = Field(
        default_factory=dict, description="librdkafka settings for the consumer only (session.timeout.ms, ...)"
    )
    kafka_producer: dict[str, str] = Field(
        default_factory=dict, description="librdkafka settings for the producer only (linger.ms, ...)"
    )
    engine: EngineSettings = Field(default_factory=EngineSettings)
    directory: DirectorySettings = Field(default_factory=DirectorySettings)
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

    @model_validator(mode="after")
    def _poll_interval_outlasts_a_batch(self) -> Settings:
        """A worker that cannot poll for longer than max.poll.interval.ms loses its partitions mid-batch."""
        given = self.kafka_consumer.get("max.poll.interval.ms", self.kafka.get("max.poll.interval.ms"))
        needed = self.poll_interval_needed_ms
        if given is not None and int(given) < needed:
            raise ValueError(
                f"max.poll.interval.ms = {given} is shorter than a batch may take: max_detect_seconds "
                f"({self.max_detect_seconds:g}) x (batch_max_messages ({self.batch_max_messages}) + 1) "
                f"+ {POLL_MARGIN_S:g} s = {needed} ms; raise it, lower max_detect_seconds or batch_max_messages, "
                "or leave max.poll.interval.ms unset to have it derived"
            )
        return self

    @model_validator(mode="after")
    def _directory_sources_have_a_directory(self) -> Settings:
        sources = sorted(topic for topic, topic_format in self.formats.items() if topic_format.directory_source)
        if sources and self.directory.topic is None:
            raise ValueError(
                f"topics {sources} are directory sources but no directory topic is set: set [directory] topic"
            )
        if self.directory.topic in (*self.input_topic, self.output_topic, self.quarantine_topic):
            raise ValueError("the directory topic must be a topic of its own, not an input, output or quarantine topic")
        return self

    @model_validator(mode="after")
    def _patient_key_header_stays_out(self) -> Settings:
        """A header a topic reads the patient from names the patient: copying it to clean would leak it."""
        for topic in dict.fromkeys([*self.input_topic, *self.formats]):
            topic_format = self.topic_format(topic)
            policy = topic_format.policy or self.policy
            keys = topic_format.patient_key or ([policy.patient_key] if policy is not None else [])
            for key in keys:
                if key.source == "header" and key.name in self.passed_header_names(topic):
                    raise ValueError(
                        f"pass_headers of input topic {topic} names {key.name!r}, the header it reads the patient key "
                        "from: it would carry the patient's identifier to the clean topic; remove it from pass_headers"
                    )
        return self

    @property
    def poll_interval_needed_ms(self) -> int:
        """The longest a batch can keep the worker from polling: the batch try, one try per message, and the margin
        (see `deidstream.stream.budget`)."""
        return int((self.max_detect_seconds * (self.batch_max_messages + 1) + POLL_MARGIN_S) * 1000)

    def topic_format(self, topic: str) -> TopicFormat:
        return self.formats.get(topic, TopicFormat())

    def passed_header_names(self, topic: str) -> list[str]:
        """The input headers copied to clean records of this input topic: its own list, else the worker-wide one."""
        own = self.topic_format(topic).pass_headers
        return self.pass_headers if own is None else own

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

    settings = Settings.model_validate(FileSettings(**given).model_dump())
    # A site list named by a relative path lies beside the config file that names it.
    engine = settings.engine.with_lists_from(config_file.parent)
    return settings if engine is settings.engine else settings.model_copy(update={"engine": engine})


TABLE_HEADER = re.compile(r"^\s*\[\[?\s*(?P<keys>[^\]]+?)\s*\]\]?\s*(?:#.*)?$")
KEY_LINE = re.compile(
    r"^\s*(?P<keys>(?:[A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*'))*)\s*="
)
KEY = re.compile(r"[A-Za-z0-9_\-]+|\"([^\"]*)\"|'([^']*)'")
# Names pydantic puts in an error's location for the member of a union it tried (`engine.recognizers.X.regex`).
UNION_TAGS = frozenset({"catalogue", "words", "regex", "roster", "allow"})


def setting_path(location: Sequence[int | str]) -> tuple[str, ...]:
    """A validation error's location as the keys of the setting in the config file (without union members' tags)."""
    keys = [str(key) for key in location]
    if len(keys) > 3 and keys[0] == "engine" and keys[1] in ("recognizers", "vetoes") and keys[3] in UNION_TAGS:
        del keys[3]
    return tuple(keys)


def setting_location(config_file: Path | None, keys: Sequence[str]) -> str | None:
    """`FILE:LINE` where the setting at `keys` is written in the TOML file, or else the table or key that holds it;
    None when the file does not write it (it came from the environment or a flag)."""
    if config_file is None or not config_file.is_file():
        return None
    wanted = tuple(keys)
    best_line, best_length = None, 0
    table: tuple[str, ...] = ()
    for number, line in enumerate(config_file.read_text(encoding="utf-8").splitlines(), start=1):
        if header := TABLE_HEADER.match(line):
            table = path = _keys(header["keys"])
        elif key := KEY_LINE.match(line):
            path = table + _keys(key["keys"])
        else:
            continue
        if len(path) > best_length and wanted[: len(path)] == path:
            best_line, best_length = number, len(path)
    return f"{config_file}:{best_line}" if best_line is not None else None


def _keys(dotted: str) -> tuple[str, ...]:
    return tuple(match[1] or match[2] or match[0] for match in KEY.finditer(dotted))
