"""spaCy's PERSON and place entities, kept only where the words support them.

On note-style text the small model tags drug names, abbreviations and section
headers (`NEURO`, `Foley`, `Lasix`) as people. An entity is kept only when one of
its words is a census name that is not English (PERSON), or it is a title-case run
of census names (`John Smith`), or it is not English vocabulary (places), and none
is clinical vocabulary.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.recognizers.base import VocabularyRecognizer

WORD = re.compile(r"[A-Za-z][\w']*")
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


class NerNameRecognizer(VocabularyRecognizer):
    ENTITIES = ["PERSON", "LOCATION"]
    SCORE = 0.85

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None:
            return []
        results = []
        for entity in nlp_artifacts.entities:
            words = WORD.findall(entity.text)
            if not words or any(self._vocabulary.is_clinical(word) for word in words):
                continue
            if entity.text.islower() and not text.islower():
                continue  # the model's guesses on lower-case words in mixed-case notes are abbreviations (`nc flo`)
            if entity.label_ == "PERSON" and self._is_person(words):
                results.append(RecognizerResult("PERSON", entity.start_char, entity.end_char, self.SCORE))
            elif entity.label_ in PLACE_LABELS and self._is_place(entity.text, words, entity.label_):
                results.append(RecognizerResult("LOCATION", entity.start_char, entity.end_char, self.SCORE))
        return results

    def _is_person(self, words: list[str]) -> bool:
        """A word that can only be a name (`Przybylo`), or a title-case run of listed names that opens with a first
        name (`John Smith`, not `Swallow Study` or `Bear Hugger`)."""
        vocabulary = self._vocabulary
        if any(vocabulary.is_unambiguous_name(word) and not vocabulary.is_misspelling(word) for word in words):
            return True
        return (
            len(words) > 1
            and vocabulary.is_listed_first_name(words[0])
            and all(
                word.istitle() and vocabulary.is_known_name(word) and not vocabulary.is_stop_word(word)
                for word in words
            )
        )

    def _is_place(self, text: str, words: list[str], label: str) -> bool:
        """Title-case words in mixed-case text: `Towson`, `Seattle`; not `CXR`, `Neuro` or `A&O x3`.

        A city the model calls GPE may be an English word too (WordNet lists `baltimore`);
        other place labels need a word that is not English.
        """
        if text.isupper() or not all(word.isalpha() and word[0].isupper() for word in words):
            return False
        return label == "GPE" or any(len(word) > 2 and not self._vocabulary.is_common_word(word) for word in words)
