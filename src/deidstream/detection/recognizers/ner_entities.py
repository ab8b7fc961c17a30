"""Every entity of the NER (the trained PHI model, or spaCy's general one), as a candidate of its mapped type.

Nothing is filtered here: whether a word is in a name list says nothing about
whether it is a name. What the NER gets wrong on clinical text (`Foley`, `NEURO`,
`Murphy sign`, `3 days`) is dropped by the engine's vetoes, which show why a span
is not PHI and are counted by `deidstream eval`.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.phi_model import LABEL_TYPES


class NerEntityRecognizer(EntityRecognizer):
    ENTITIES = sorted(set(LABEL_TYPES.values()))

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entities=self.ENTITIES, supported_language=supported_language, name=type(self).__name__
        )

    def load(self) -> None:
        """Nothing to load: the entities come with the NLP artifacts."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None:
            return []
        return [
            RecognizerResult(span.label_, span.start_char, span.end_char, score)
            for span, score in zip(nlp_artifacts.entities, nlp_artifacts.scores, strict=True)
            if span.label_ in self.ENTITIES
        ]
