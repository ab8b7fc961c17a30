"""The shapes every recognizer takes, what the catalogue builds them from, and how a deployment tunes them.

- `ClinicalPatternRecognizer`: a Presidio PatternRecognizer declared by class
  attributes (entity type, patterns, context words); it runs once per document of
  a batch (`BatchPatternRecognizer`).
- `PresidioPatternRecognizer`: mixed in before one of Presidio's own recognizers,
  so that it runs once per document too and can be tuned alike.
- `RuleRecognizer`: rules in code that return spans (`find`); the base gives them
  their type and score. `VocabularyRecognizer` is one that consults the engine's
  shared `Vocabulary`.

Each is built by the catalogue with `build(parts, tuning)`: the engine's shared
parts, and the deployment's change to its entity type or score (`Tuning`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.detection.presidio_adapter import KeepsBatchResults
from deidstream.entity import EntityType

Span = tuple[int, int]


@dataclass(frozen=True)
class Parts:
    """What recognizers and vetoes are built from: the engine's shared vocabulary, its language, and the entity types
    its NER proposes."""

    vocabulary: Vocabulary
    language: str = "en"
    ner_types: tuple[EntityType, ...] = ()


@dataclass(frozen=True)
class Tuning:
    """A deployment's change to a recognizer: the entity type and the score of what it proposes (None: as shipped).

    The score is the candidate's before context words raise it, and replaces what a
    validator would have given (Presidio scores a valid credit card 1.0).
    """

    entity_type: EntityType | None = None
    score: float | None = None

    def apply(self, results: list[RecognizerResult]) -> list[RecognizerResult]:
        if self.entity_type is not None or self.score is not None:
            for result in results:
                result.entity_type = self.entity_type or result.entity_type
                result.score = self.score if self.score is not None else result.score
        return results


AS_SHIPPED = Tuning()


class Buildable(ABC):
    """A recognizer the catalogue can build, from the engine's parts and a deployment's tuning."""

    @classmethod
    @abstractmethod
    def build(cls, parts: Parts, tuning: Tuning) -> EntityRecognizer:
        """A new recognizer of this class."""


class BatchPatternRecognizer(KeepsBatchResults):
    """A Presidio PatternRecognizer that runs once per document of a batch and applies its tuning."""

    tuning = AS_SHIPPED

    def finish(self, results: list[RecognizerResult]) -> list[RecognizerResult]:
        return self.tuning.apply(results)


class ClinicalPatternRecognizer(BatchPatternRecognizer, Buildable):
    ENTITY: ClassVar[EntityType]
    PATTERNS: ClassVar[list[Pattern]]
    CONTEXT: ClassVar[list[str]] = []

    def __init__(self, supported_language: str = "en", tuning: Tuning = AS_SHIPPED) -> None:
        super().__init__(
            supported_entity=tuning.entity_type or self.ENTITY,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            supported_language=supported_language,
            name=type(self).__name__,
        )
        self.tuning = tuning

    @classmethod
    def build(cls, parts: Parts, tuning: Tuning) -> Self:
        return cls(parts.language, tuning)


class PresidioPatternRecognizer(BatchPatternRecognizer, Buildable):
    """Mixed in before one of Presidio's predefined pattern recognizers, which keeps its own constructor."""

    @classmethod
    def build(cls, parts: Parts, tuning: Tuning) -> Self:
        options: dict[str, Any] = {"supported_language": parts.language}
        if tuning.entity_type is not None:
            options["supported_entity"] = tuning.entity_type
        recognizer = cls(**options)
        recognizer.tuning = tuning
        return recognizer


class RuleRecognizer(EntityRecognizer, Buildable):
    """A recognizer of one entity type whose rules are code: `find` returns spans, and this base types and scores
    them (`ENTITY`, `SCORE`, or the tuning's)."""

    ENTITY: ClassVar[EntityType]
    SCORE: ClassVar[float]

    def __init__(self, supported_language: str = "en", tuning: Tuning = AS_SHIPPED, name: str | None = None) -> None:
        self.entity = tuning.entity_type or self.ENTITY
        self.score = self.SCORE if tuning.score is None else tuning.score
        super().__init__(
            supported_entities=[self.entity], supported_language=supported_language, name=name or type(self).__name__
        )

    @classmethod
    def build(cls, parts: Parts, tuning: Tuning) -> Self:
        return cls(parts.language, tuning)

    def load(self) -> None:
        """Nothing to load: patterns compile at import, word lists come with the engine."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [RecognizerResult(self.entity, start, end, self.score) for start, end in self.find(text, nlp_artifacts)]

    @abstractmethod
    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        """Where in `text` this recognizer finds its entity."""


class VocabularyRecognizer(RuleRecognizer):
    """A rule recognizer that consults the engine's shared `Vocabulary`."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        supported_language: str = "en",
        tuning: Tuning = AS_SHIPPED,
        name: str | None = None,
    ) -> None:
        self._vocabulary = vocabulary
        super().__init__(supported_language, tuning, name)

    @classmethod
    def build(cls, parts: Parts, tuning: Tuning) -> Self:
        return cls(parts.vocabulary, parts.language, tuning)
