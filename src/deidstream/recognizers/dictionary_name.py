"""Words that are census names and nothing else (`Przybylo`, `Vasquez`, `healey`), wherever they stand.

spaCy's small model misses names in all-caps and lower-case note text. A word that
is in the census name lists but is neither English nor clinical vocabulary is a
name with high probability, whatever its case or context.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.recognizers.base import VocabularyRecognizer

# Rarer census names are too often abbreviations or misspellings in notes (`gluc`, `stas`) to take without a cue.
MAX_RANK_WITHOUT_CONTEXT = 20_000
WHOLE_WORD = re.compile(r"\b[A-Za-z][A-Za-z']*\b")


class DictionaryNameRecognizer(VocabularyRecognizer):
    ENTITIES = ["PERSON"]
    SCORE = 0.6

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [
            RecognizerResult("PERSON", word.start(), word.end(), self.SCORE)
            for word in WHOLE_WORD.finditer(text)
            if self._stands_alone(word.group())
        ]

    def _stands_alone(self, word: str) -> bool:
        """Frequent enough as a name, long enough not to be an abbreviation (`KUB`, `HOH`, `Perl`), and no
        slip of the keyboard (`stoll` for stool, `deines` for denies)."""
        rank = self._vocabulary.name_rank(word)
        return (
            rank is not None
            and rank <= MAX_RANK_WITHOUT_CONTEXT
            and len(word) >= 4
            and self._vocabulary.is_unambiguous_name(word)
            and not self._vocabulary.is_misspelling(word)
        )
