"""Anonymization policies: which operator replaces each entity type, and where a message names its patient.

A policy is plain data, part of the settings (a `[policy]` table, or the name of
a built-in policy or of a TOML file holding such a table). Its id and version go
into the output headers, so consumers know how a record was made; change the
version whenever a change of the policy changes its outputs.

Validation happens here, at start-up, so that a policy that cannot work (an
operator on a type it does not understand, a misspelt entity type, a header
source without a header name) never reaches a worker.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from deidstream.entity import ENTITY_TYPES, EntityType

BUILT_IN_POLICIES = ("safe-harbor", "research")
# Ids and versions go into Kafka headers: short, plain ASCII.
Identifier = Annotated[str, BeforeValidator(lambda value: str(value) if isinstance(value, int) else value)]
IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$"


class PolicyError(ValueError):
    """A policy cannot be found or read; the message names the policy, never message content."""


class OperatorSpec(BaseModel):
    """What every operator setting shares: its name, and which entity types it can handle."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    operator: str
    keyed: ClassVar[bool] = False

    def supports(self, entity_type: str) -> bool:
        return True


class Tag(OperatorSpec):
    """`<PERSON>`: the type in angle brackets (deidstream's behaviour without a policy)."""

    operator: Literal["tag"] = "tag"


class Redact(OperatorSpec):
    """Removes the value altogether."""

    operator: Literal["redact"]


class Mask(OperatorSpec):
    """`**** *****`: every letter and digit masked, separators kept; optionally the last few shown."""

    operator: Literal["mask"]
    char: str = Field("*", min_length=1, max_length=1)
    keep_last: int = Field(0, ge=0, description="letters and digits left visible at the end, e.g. 4 for phones")


class Surrogate(OperatorSpec):
    """A realistic fake value of the same kind, the same for every spelling of the same original."""

    operator: Literal["surrogate"]
    keyed: ClassVar[bool] = True

    def supports(self, entity_type: str) -> bool:
        return entity_type not in (EntityType.DATE_TIME, EntityType.AGE)


class Token(OperatorSpec):
    """`PERSON_7f3a9c2e41b0`: a keyed HMAC of the normalized original, for linking without a readable value."""

    operator: Literal["token"]
    length: int = Field(12, ge=8, le=64, description="hex characters of the HMAC kept")
    keyed: ClassVar[bool] = True


class ShiftDate(OperatorSpec):
    """Moves each date by the patient's own offset, in its original layout."""

    operator: Literal["shift_date"]
    max_days: int = Field(365, ge=1, le=3650, description="offsets lie in [-max_days, max_days], never 0")
    keyed: ClassVar[bool] = True

    def supports(self, entity_type: str) -> bool:
        return entity_type == EntityType.DATE_TIME


class Generalize(OperatorSpec):
    """HIPAA Safe Harbor coarsening: dates to their year, ages over 89 to `90+`, ZIP codes to three digits."""

    operator: Literal["generalize"]

    def supports(self, entity_type: str) -> bool:
        return entity_type in (EntityType.DATE_TIME, EntityType.AGE, EntityType.ZIP_CODE)


class Encrypt(OperatorSpec):
    """Deterministic AES-SIV ciphertext that `deidstream reidentify` turns back into the original."""

    operator: Literal["encrypt"]
    keyed: ClassVar[bool] = True


def _operator_table(value: Any) -> Any:
    """`"surrogate"` is short for `{ operator = "surrogate" }`."""
    return {"operator": value} if isinstance(value, str) else value


OperatorSetting = Annotated[
    Annotated[
        Tag | Redact | Mask | Surrogate | Token | ShiftDate | Generalize | Encrypt, Field(discriminator="operator")
    ],
    BeforeValidator(_operator_table),
]


class PatientKey(BaseModel):
    """Where a message names its patient, for date shifting: the Kafka message key, a header, or a JSON field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Literal["message_key", "header", "json_path"] = "message_key"
    name: str | None = Field(None, description="header name, or dotted JSON path such as `patient.mrn`")

    @model_validator(mode="after")
    def _name_matches_source(self) -> PatientKey:
        if self.source == "message_key" and self.name is not None:
            raise ValueError("patient_key.name only applies to the 'header' and 'json_path' sources")
        if self.source != "message_key" and not self.name:
            raise ValueError(f"patient_key source '{self.source}' needs a name")
        return self

    def describe(self) -> str:
        """Where the key was looked for, for quarantine details (never the key itself)."""
        return {
            "message_key": "the message key",
            "header": f"header {self.name!r}",
            "json_path": f"field {self.name!r}",
        }[self.source]


class Policy(BaseModel):
    """An operator per entity type, a default for the others, and the patient key source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier = Field(pattern=IDENTIFIER_PATTERN)
    version: Identifier = Field(pattern=IDENTIFIER_PATTERN)
    default: OperatorSetting = Field(default_factory=Tag)
    operators: dict[str, OperatorSetting] = Field(default_factory=dict)
    patient_key: PatientKey = Field(default_factory=PatientKey)

    @model_validator(mode="after")
    def _operators_fit_their_types(self) -> Policy:
        unknown = sorted(set(self.operators) - ENTITY_TYPES)
        if unknown:
            raise ValueError(f"unknown entity types {unknown}; known types: {sorted(ENTITY_TYPES)}")
        for entity_type, spec in self.operators.items():
            if not spec.supports(entity_type):
                raise ValueError(f"operator '{spec.operator}' cannot handle {entity_type}")
        uncovered = sorted(t for t in ENTITY_TYPES - set(self.operators) if not self.default.supports(t))
        if uncovered:
            raise ValueError(
                f"the default operator '{self.default.operator}' cannot handle {uncovered}; give them their own operators"
            )
        return self

    def operator_for(self, entity_type: str) -> OperatorSpec:
        return self.operators.get(entity_type, self.default)

    @property
    def keyed_operators(self) -> list[str]:
        """The operators of this policy that need the secret, by name."""
        return sorted({spec.operator for spec in self._specs() if spec.keyed})

    @property
    def needs_secret(self) -> bool:
        return bool(self.keyed_operators)

    @property
    def shifts_dates(self) -> bool:
        """Whether messages must name their patient."""
        return any(isinstance(spec, ShiftDate) for spec in self._specs())

    def _specs(self) -> list[OperatorSpec]:
        return [self.default, *self.operators.values()]


def load_policy(name_or_file: str) -> Policy:
    """A built-in policy by name, or the `[policy]` table of a TOML file (a settings file will do)."""
    if name_or_file in BUILT_IN_POLICIES:
        text = files("deidstream.anonymization").joinpath(f"policies/{name_or_file}.toml").read_text(encoding="utf-8")
        return _parse(text, f"built-in policy {name_or_file!r}")
    path = Path(name_or_file)
    if not path.is_file():
        raise PolicyError(
            f"no built-in policy or file named {name_or_file!r} (built-in: {', '.join(BUILT_IN_POLICIES)})"
        )
    return _parse(path.read_text(encoding="utf-8"), f"policy file {name_or_file}")


def _parse(text: str, origin: str) -> Policy:
    try:
        table = tomllib.loads(text).get("policy")
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{origin} is not valid TOML: {error}") from None
    if not isinstance(table, dict):
        raise PolicyError(f"{origin} has no [policy] table")
    try:
        return Policy.model_validate(table)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise PolicyError(f"{origin}: {problems}") from None
