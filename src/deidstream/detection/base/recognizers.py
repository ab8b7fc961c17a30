"""The two shapes every clinical recognizer takes, so each recognizer module holds only its patterns and rules.

- `ClinicalPatternRecognizer`: a Presidio PatternRecognizer declared by class
  attributes (entity, patterns, context words); with context words, it runs once
  per document of a batch (`presidio_adapter.KeepsBatchResults`).
- `VocabularyRecognizer`: an EntityRecognizer with rules in code that consult the
  engine's shared `Vocabulary`.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import EntityRecognizer, Pattern

from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.detection.presidio_adapter import KeepsBatchResults


class ClinicalPatternRecognizer(KeepsBatchResults):
    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[list[Pattern]]
    CONTEXT: ClassVar[list[str]] = []

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            supported_language=supported_language,
            name=type(self).__name__,
        )


class VocabularyRecognizer(EntityRecognizer):
    ENTITIES: ClassVar[list[str]]

    def __init__(self, vocabulary: Vocabulary, supported_language: str = "en") -> None:
        self._vocabulary = vocabulary
        super().__init__(
            supported_entities=self.ENTITIES, supported_language=supported_language, name=type(self).__name__
        )

    def load(self) -> None:
        """Nothing to load: patterns compile at import and the vocabulary comes from the engine."""
