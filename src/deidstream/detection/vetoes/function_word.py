"""Names and places that are a lone function word: `GO`, `DO`, `BEFORE`.

The NER, reading notes in capitals, now and then takes a verb or a preposition
(`WANTS TO GO HOME`) for a name or a place. A lone function word (spaCy's English
stop words) is grammar, not a name, unless it is a census first name (`Will`,
`May`) or follows a title. A span without letters is left alone: proposed as a
place, it was a date or a phone number as often as not.
"""

from __future__ import annotations

from deidstream.detection.base.veto import WORD, after_title
from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.entity import EntityType

NAMED_TYPES = frozenset({EntityType.PERSON, EntityType.LOCATION, EntityType.HOSPITAL})


class FunctionWordVeto:
    name = "FunctionWordVeto"

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if entity_type not in NAMED_TYPES:
            return False
        words = WORD.findall(text, start, end)
        if len(words) != 1 or after_title(text, start):
            return False
        word = words[0]
        return self._vocabulary.is_stop_word(word) and not self._vocabulary.is_first_name(word)
