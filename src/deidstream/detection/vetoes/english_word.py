"""Names made of English words that no name list holds: `Comparison`, `Sections`, `PHYSICIAN NOTE`.

The NER reads a capitalised word at the start of a line or a header as a name.
A word that is English vocabulary and in neither census list (first names,
surnames) is shown to be a word, not a name; a listed name (`Will`, `Hope`,
`Baker`), a word with diacritics or a word no list holds keeps the span, and so
does a title before it (`Dr. Comparison` is someone). Places are left alone:
tried on them, the veto dropped 45 places of the validation set (`Cedar Crest`
style names of English words) for 3 false alarms.
"""

from __future__ import annotations

import regex

from deidstream.detection.base.veto import MIN_TERM_LENGTH, WORD, after_title
from deidstream.detection.lexicons.vocabulary import Vocabulary, has_diacritics
from deidstream.entity import EntityType


class EnglishWordVeto:
    name = "EnglishWordVeto"

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if entity_type != EntityType.PERSON or after_title(text, start):
            return False
        words = [word for word in WORD.findall(text, start, end) if len(word) >= MIN_TERM_LENGTH]
        return bool(words) and all(self._is_only_a_word(word) for word in words)

    def _is_only_a_word(self, word: str) -> bool:
        vocabulary = self._vocabulary
        return (
            vocabulary.is_common_word(word)
            and not vocabulary.is_known_name(word)
            and not has_diacritics(word)
            and not regex.search(r"['’]", word)
        )
