"""A site's words and phrases as detections of one type, wherever they stand: `transferred to Tamberley 4`.

Every hospital has names no public list holds and no model can guess: its wards,
buildings and campuses. A site lists them (`kind = "words"`), and each occurrence
as whole words is a candidate of the type the site gives, like any recognizer's:
the vetoes still judge it.
"""

from __future__ import annotations

from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.recognizers import RuleRecognizer, Span, Tuning
from deidstream.detection.lexicons.site_lists import PhraseIndex
from deidstream.entity import EntityType


class SiteWordListRecognizer(RuleRecognizer):
    def __init__(
        self, name: str, terms: PhraseIndex, entity_type: EntityType, score: float, supported_language: str = "en"
    ) -> None:
        self._terms = terms
        super().__init__(supported_language, Tuning(entity_type, score), name)

    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        return self._terms.find(text)
