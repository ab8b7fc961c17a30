"""Every entity of the NER (the trained PHI model, or spaCy's general one), as a candidate of its mapped type.

Nothing is filtered here by name lists: whether a word is in one says nothing about
whether it is a name. Only a role or title is cut from a name (`Patient`, `Dr.`):
it names no one. What the NER gets wrong on clinical text (`Foley`, `NEURO`,
`Murphy sign`, `3 days`) is dropped by the engine's vetoes, which show why a span
is not PHI and are counted by `deidstream eval`.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.recognizers import AS_SHIPPED, Buildable, Parts, Tuning
from deidstream.detection.lexicons.titles import COURTESY_TITLES, DOCTOR_TITLES, PATIENT_WORDS
from deidstream.entity import EntityType

# A role or title the NER sometimes takes into the name after it (`[Patient John Smith]`, `[Dr. Okafor]`), or for a
# name of its own (`[Patient] John Smith`): the name starts after it, so that a policy replacing the name keeps the
# word (`Patient <name>`). `Nurse` alone may be the surname.
ROLES = rf"{PATIENT_WORDS}|{COURTESY_TITLES}|{DOCTOR_TITLES}"
ROLE_BEFORE_NAME = re.compile(rf"(?i)(?:{ROLES}|nurse)\.?[ \t]+(?=\p{{L}})")
ROLE_ALONE = re.compile(rf"(?i)(?:{ROLES})\.?")


class NerEntityRecognizer(EntityRecognizer, Buildable):
    """The NER's entities of the types it maps its labels to (`phi_model.LABEL_TYPES`, given by the engine); its
    score may be tuned, not its type, as it proposes several."""

    def __init__(
        self, entity_types: tuple[EntityType, ...], supported_language: str = "en", tuning: Tuning = AS_SHIPPED
    ) -> None:
        super().__init__(
            supported_entities=list(entity_types), supported_language=supported_language, name=type(self).__name__
        )
        self.tuning = tuning

    @classmethod
    def build(cls, parts: Parts, tuning: Tuning) -> NerEntityRecognizer:
        return cls(parts.ner_types, parts.language, tuning)

    def load(self) -> None:
        """Nothing to load: the entities come with the NLP artifacts."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None:
            return []
        results = []
        for span, score in zip(nlp_artifacts.entities, nlp_artifacts.scores, strict=True):
            if span.label_ not in self.supported_entities:
                continue
            start = span.start_char
            if span.label_ == EntityType.PERSON and ROLE_ALONE.fullmatch(text, start, span.end_char):
                continue
            if span.label_ == EntityType.PERSON and (role := ROLE_BEFORE_NAME.match(text, start, span.end_char)):
                start = role.end()
            results.append(RecognizerResult(span.label_, start, span.end_char, score))
        return self.tuning.apply(results)
