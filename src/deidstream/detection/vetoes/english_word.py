"""Names and places made of English words that no list of names or places holds: `Comparison`, `PHYSICIAN NOTE`,
`OBESITY`, `nasal`.

The NER reads a capitalised word at the start of a line or a header, and words in
capitals, as names and places. A word that is English vocabulary and in neither
census list (first names, surnames) is shown to be a word, not a name; for a
place, the span must also be no populated place of the gazetteer (`Reading`,
`Mobile` are towns). A listed name (`Will`, `Hope`, `Baker`), a word with
diacritics or a word no list holds keeps the span, and so does a title before it
(`Dr. Comparison` is someone).
"""

from __future__ import annotations

import regex

from deidstream.detection import entity
from deidstream.detection.lexicons.vocabulary import Vocabulary, has_diacritics
from deidstream.detection.vetoes.clinical_term import MIN_TERM_LENGTH, TITLE_BEFORE, TITLE_REACH, WORD


TYPES = frozenset({entity.PERSON, entity.LOCATION})


class EnglishWordVeto:
    name = "EnglishWordVeto"

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if entity_type not in TYPES or TITLE_BEFORE.search(text, max(0, start - TITLE_REACH), start):
            return False
        words = WORD.findall(text, start, end)
        if entity_type == entity.LOCATION and (
            self._vocabulary.is_place_name(" ".join(words)) or any(self._vocabulary.is_place_name(w) for w in words)
        ):
            return False
        words = [word for word in words if len(word) >= MIN_TERM_LENGTH]
        return bool(words) and all(self._is_only_a_word(word) for word in words)

    def _is_only_a_word(self, word: str) -> bool:
        vocabulary = self._vocabulary
        return (
            vocabulary.is_common_word(word)
            and not vocabulary.is_known_name(word)
            and not has_diacritics(word)
            and not regex.search(r"['’]", word)
        )
