"""Words that are census names and nothing else (`Przybylo`, `Vasquez`, `healey`), wherever they stand.

spaCy's small model misses names in all-caps and lower-case note text. A word that
is in the census name lists but is neither English nor clinical vocabulary is a
name with high probability, whatever its case or context.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.recognizers.vocabulary import Vocabulary

WHOLE_WORD = re.compile(r"\b[A-Za-z][A-Za-z']*\b")


class DictionaryNameRecognizer(EntityRecognizer):
    SCORE = 0.6

    def __init__(self, vocabulary: Vocabulary, supported_language: str = "en") -> None:
        self._vocabulary = vocabulary
        super().__init__(supported_entities=["PERSON"], supported_language=supported_language, name=type(self).__name__)

    def load(self) -> None:
        """Nothing to load: the vocabulary comes from the engine."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        return [
            RecognizerResult("PERSON", word.start(), word.end(), self.SCORE)
            for word in WHOLE_WORD.finditer(text)
            if self._vocabulary.is_unambiguous_name(word.group())
        ]
