"""How an input topic's messages are laid out: the part of the worker's settings that decoding reads."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, model_validator
from pydantic_settings import NoDecode

from deidstream.anonymization.policy import PatientKey, Policy, load_policy
from deidstream.formats.rules import FieldRuleSetting, TextPath, TextPathSetting, parse_path, resolve_field_type


def _policy_by_name(value: Any) -> Any:
    """A policy named in the file, the environment or `--policy` is loaded here, wherever it is set.

    So `policy = "research"` at the top level or in `[formats.<topic>]`, `DEIDSTREAM_POLICY=/etc/policy.toml`
    and `--policy NAME_OR_FILE` all fail with the settings, naming the setting, when the name is unknown.
    """
    return load_policy(value) if isinstance(value, str) else value


# A [policy] table, or the name of a built-in policy or of a policy file; the same wherever a policy is set.
PolicySetting = Annotated[Policy | None, NoDecode, BeforeValidator(_policy_by_name)]
# Where a topic's messages name their patient: one source, or several tried in turn.
PatientKeySetting = Annotated[
    list[PatientKey] | None, BeforeValidator(lambda value: [value] if isinstance(value, dict) else value)
]

OWN_HEADER_PREFIX = "deidstream."


def _header_names(value: Any) -> Any:
    """Comma-separated in the environment, a list in the file."""
    if isinstance(value, str):
        return [name.strip() for name in value.split(",") if name.strip()]
    return value


def _passable(names: list[str]) -> list[str]:
    """Names of input headers that may be copied to the clean topic: not deidstream's own, which describe the output."""
    own = [name for name in names if name.lower().startswith(OWN_HEADER_PREFIX)]
    if own:
        raise ValueError(
            f"pass_headers cannot name {', '.join(own)}: headers starting with {OWN_HEADER_PREFIX!r} are written by "
            "deidstream itself, and an input's would pass for them"
        )
    return names


# Input headers copied to the clean topic by exact name, worker-wide or for one input topic.
PassHeadersSetting = Annotated[list[str], NoDecode, BeforeValidator(_header_names), AfterValidator(_passable)]


class TopicFormat(BaseModel):
    """How the messages of one input topic are laid out, and the policy that anonymizes them if not the worker's.

    `text`: the whole value is UTF-8 clinical text. `json`: a JSON object whose
    fields are each declared free text (`text_paths`), a structured value with a
    rule (`fields`), or else handled by `default` (`drop` unless set to `keep`), so
    an undeclared field never reaches the clean topic. `fhir`: a FHIR R4 resource or
    Bundle; `hl7v2`: an HL7 v2 message; both de-identified field by field by their
    data types and in their free text (see `deidstream.formats`). `policy`, when
    set, replaces the worker-wide policy for this topic's messages, and
    `pass_headers` the worker-wide list of input headers copied to clean records,
    and `patient_key` where they name their patient. `directory_source` makes the
    topic's messages feed the patient directory (`deidstream.directory`).
    """

    format: Literal["text", "json", "fhir", "hl7v2"] = "text"
    text_paths: list[TextPathSetting] = Field(default_factory=list, description="free-text JSON fields for the engine")
    fields: dict[str, FieldRuleSetting] = Field(
        default_factory=dict, description="structured JSON fields: path -> keep, drop, or an operator and entity type"
    )
    default: Literal["drop", "keep"] = Field("drop", description="what happens to fields no rule names")
    json_paths: list[str] = Field(default_factory=list, description="deprecated: use text_paths")
    hl7_control_id: Literal["keep", "token"] = Field("keep", description="MSH-10 of hl7v2 messages: kept or tokenized")
    fhir_narratives: Literal["deidentify", "remove"] = Field(
        "deidentify",
        description="resource narratives (text.div) of fhir messages: de-identified, or removed "
        "(Composition.section.text is always de-identified)",
    )
    policy: PolicySetting = Field(None, description="this topic's anonymization policy; none: the worker-wide one")
    pass_headers: PassHeadersSetting | None = Field(
        None, description="input headers copied to the clean topic, by exact name; none: the worker-wide list"
    )
    patient_key: PatientKeySetting = Field(
        None,
        description="where this topic's messages name their patient (tried in turn), instead of the policy's "
        "patient_key: for date shifting and the patient directory",
    )
    directory_source: bool = Field(
        False, description="record the identifiers of this topic's messages (ADT, FHIR Patient) in the directory"
    )

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
        if self.format != "fhir" and self.fhir_narratives != "deidentify":
            raise ValueError("fhir_narratives only applies to format 'fhir'")
        if self.directory_source and (self.format == "text" or (self.format == "json" and not self.fields)):
            raise ValueError(
                "directory_source needs identifiers in fields: format 'hl7v2', 'fhir', or 'json' with fields rules "
                '(e.g. fields = { "patient.name" = "surrogate", "patient.mrn" = "token" })'
            )
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
        if self.pass_headers:
            warnings.append(
                f"pass_headers: input headers {', '.join(self.pass_headers)} reach the clean topic unchanged"
            )
        return warnings
