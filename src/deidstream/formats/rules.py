"""Settings of structured formats: JSON paths with list indexes, text paths, and per-field rules.

Kept apart from the decoders (and free of deidstream's settings) so that
`deidstream.config` can validate a topic's rules at start-up: a path that does not
parse or a field whose entity type cannot be told stops the worker before any
message is read.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, TypeAdapter, model_validator

from deidstream.anonymization.policy import OperatorSetting, OperatorSpec
from deidstream.entity import ENTITY_TYPES, EntityType

# A segment of a path: a key, a list index, or `*` (any key) / `[*]` (any index).
ANY_KEY = "*"
ANY_INDEX = -1
PathSegment = str | int
SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+|\*)\]|(\.)")
# Words in a field's last key that say what it holds, most specific first.
TYPE_WORDS: list[tuple[str, EntityType]] = [
    ("ssn", EntityType.US_SSN), ("email", EntityType.EMAIL_ADDRESS), ("mail", EntityType.EMAIL_ADDRESS),
    ("phone", EntityType.PHONE_NUMBER), ("tel", EntityType.PHONE_NUMBER), ("fax", EntityType.PHONE_NUMBER),
    ("mobile", EntityType.PHONE_NUMBER), ("zip", EntityType.ZIP_CODE), ("postal", EntityType.ZIP_CODE),
    ("postcode", EntityType.ZIP_CODE), ("birth", EntityType.DATE_TIME), ("dob", EntityType.DATE_TIME),
    ("date", EntityType.DATE_TIME), ("time", EntityType.DATE_TIME), ("street", EntityType.STREET_ADDRESS),
    ("address", EntityType.STREET_ADDRESS), ("line", EntityType.STREET_ADDRESS), ("city", EntityType.LOCATION),
    ("town", EntityType.LOCATION), ("county", EntityType.LOCATION), ("hospital", EntityType.HOSPITAL),
    ("facility", EntityType.HOSPITAL), ("clinic", EntityType.HOSPITAL), ("organization", EntityType.HOSPITAL),
    ("organisation", EntityType.HOSPITAL), ("url", EntityType.URL), ("ip", EntityType.IP_ADDRESS),
    ("age", EntityType.AGE), ("mrn", EntityType.ID), ("identifier", EntityType.ID), ("number", EntityType.ID),
    ("account", EntityType.ID), ("id", EntityType.ID), ("name", EntityType.PERSON), ("given", EntityType.PERSON),
    ("family", EntityType.PERSON), ("surname", EntityType.PERSON), ("author", EntityType.PERSON),
    ("physician", EntityType.PERSON), ("doctor", EntityType.PERSON),
]  # fmt: skip
FIELD_OPERATORS = (
    "keep",
    "drop",
    "policy",
    "tag",
    "redact",
    "mask",
    "surrogate",
    "token",
    "shift_date",
    "generalize",
    "encrypt",
)


def parse_path(path: str) -> list[PathSegment]:
    """`notes[*].text` -> ['notes', ANY_INDEX, 'text']; `content[0].attachment.data` -> ['content', 0, ...]."""
    segments: list[PathSegment] = []
    position = 0
    expect_key = True
    for match in SEGMENT.finditer(path):
        if match.start() != position:
            break
        position = match.end()
        key, index, dot = match.groups()
        if dot:
            if expect_key:
                raise ValueError(f"path {path!r} has an empty segment")
            expect_key = True
        elif key is not None:
            if not expect_key:
                raise ValueError(f"path {path!r} needs a dot before {key!r}")
            segments.append(key)
            expect_key = False
        else:
            if not segments:
                raise ValueError(f"path {path!r} starts with an index")
            segments.append(ANY_INDEX if index == "*" else int(index))
            expect_key = False
    if position != len(path) or not segments or expect_key:
        raise ValueError(f"path {path!r} is not of the form a.b[0].c or a[*].b")
    return segments


def matches(pattern: list[PathSegment], concrete: list[PathSegment]) -> bool:
    """Whether a concrete path (keys and indexes) is one of those a pattern names."""
    if len(pattern) != len(concrete):
        return False
    for wanted, actual in zip(pattern, concrete, strict=True):
        if isinstance(wanted, int):
            if not isinstance(actual, int) or (wanted != ANY_INDEX and wanted != actual):
                return False
        elif not isinstance(actual, str) or (wanted != ANY_KEY and wanted != actual):
            return False
    return True


def has_wildcard(pattern: list[PathSegment]) -> bool:
    return any(segment in (ANY_KEY, ANY_INDEX) for segment in pattern)


def infer_type(path: str) -> str | None:
    """The entity type a field's last key suggests (`patient.mrn` -> ID, `visit.date` -> DATE_TIME), if any."""
    keys = [segment for segment in parse_path(path) if isinstance(segment, str) and segment != ANY_KEY]
    if not keys:
        return None
    last = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", keys[-1]).lower()
    words = re.split(r"[^a-z]+", last)
    for word, entity_type in TYPE_WORDS:
        if word in words or (len(word) > 3 and word in last):
            return entity_type
    return None


class TextPath(BaseModel):
    """A free-text field for the engine; `base64` ones are decoded to UTF-8 first and encoded back after."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    encoding: Literal["utf-8", "base64"] = "utf-8"

    @model_validator(mode="after")
    def _path_parses(self) -> TextPath:
        parse_path(self.path)
        return self


TextPathSetting = Annotated[
    TextPath, BeforeValidator(lambda value: {"path": value} if isinstance(value, str) else value)
]


class FieldRule(BaseModel):
    """What happens to one structured field: kept, dropped, or replaced whole by an operator for an entity type.

    `operator = "policy"` (the default when only `type` is given) uses the topic
    policy's operator for the type, as the free text does, so a name field and the
    same name in the text get the same surrogate. Other settings of the operator
    (`length`, `char`, `keep_last`, `max_days`) may sit beside it.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    operator: Literal[
        "keep", "drop", "policy", "tag", "redact", "mask", "surrogate", "token", "shift_date", "generalize", "encrypt"
    ] = "policy"
    type: str | None = None

    def operator_setting(self) -> dict[str, Any] | None:
        """The policy operator table this rule names (`{operator = "token", length = 8}`), or None for the policy's."""
        if self.operator in ("keep", "drop", "policy"):
            return None
        return {"operator": self.operator, **(self.model_extra or {})}

    def operator_spec(self) -> OperatorSpec | None:
        """The validated operator setting, or None when the policy's operator (or keep/drop) applies."""
        setting = self.operator_setting()
        return None if setting is None else TypeAdapter(OperatorSetting).validate_python(setting)

    @model_validator(mode="after")
    def _settings_fit_the_operator(self) -> FieldRule:
        self.operator_spec()  # `length` on `mask` and the like fail here, at start-up
        return self


FieldRuleSetting = Annotated[
    FieldRule, BeforeValidator(lambda value: {"operator": value} if isinstance(value, str) else value)
]


def resolve_field_type(path: str, rule: FieldRule) -> str | None:
    """The rule's entity type: given, implied by `shift_date`, or read from the field's name; None when not needed."""
    if rule.operator in ("keep", "drop"):
        return None
    if rule.type is not None:
        if rule.type not in ENTITY_TYPES:
            raise ValueError(f"field {path!r}: unknown entity type {rule.type!r}; known: {sorted(ENTITY_TYPES)}")
        return rule.type
    if rule.operator == "shift_date":
        return EntityType.DATE_TIME
    inferred = infer_type(path)
    if inferred is not None:
        return inferred
    if rule.operator in ("policy", "surrogate", "generalize"):
        raise ValueError(
            f"field {path!r}: cannot tell its entity type from its name; give one, e.g. "
            f'{{ operator = "{rule.operator}", type = "PERSON" }}'
        )
    return EntityType.ID


__all__ = [
    "ANY_INDEX",
    "ANY_KEY",
    "FieldRule",
    "FieldRuleSetting",
    "TextPath",
    "TextPathSetting",
    "has_wildcard",
    "infer_type",
    "matches",
    "parse_path",
    "resolve_field_type",
]
