"""A relation or clinical word typed with a slip, taken for a name: `Neice called`, `Daughtr updated`, `Heparni`.

Notes are typed fast, and the NER, like the cue recognizers, reads a capitalised
word before `called` as a first name. A word one letter added, dropped, changed or
two swapped away from a relation word (`niece`, `daughter`) or a clinical term
that is no census name (`heparin`; not `Foley`, whose variants are names too),
the first letter kept (slips rarely hit it), is that word; for a clinical word
only when the slip has six letters or more and is no census name (`Amin` is a
name, one slip from `amine` or not).
The relation words themselves, which the census lists as rare surnames
(`Nephew`), count too. Frequent census names are kept whatever they are one slip
from (`Wise` is no slip of `wife`), and so is every name after a title (`Mr.
Neice`) or of more than one word (`Neice Alvarado`): a slip is one word.
"""

from __future__ import annotations

from deidstream.detection.base.veto import WORD, after_title
from deidstream.detection.lexicons.name_ranks import MISSPELT_NAME_MAX_RANK
from deidstream.detection.lexicons.relations import RELATION_WORDS
from deidstream.detection.lexicons.vocabulary import Vocabulary, one_edit_away
from deidstream.entity import EntityType

# Shorter words are one slip from too many others (`son`, `mom`, `sis`) to show anything.
MIN_SLIP_LENGTH = 4
# Short names are one slip from a clinical abbreviation or term as often as not (`Amin`, `Ames`): a slip of a
# clinical word is taken only in longer words that no census lists.
MIN_CLINICAL_SLIP_LENGTH = 6


class MisspeltWordVeto:
    name = "MisspeltWordVeto"

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if entity_type != EntityType.PERSON or after_title(text, start):
            return False
        words = WORD.findall(text, start, end)
        if len(words) != 1 or len(words[0]) < MIN_SLIP_LENGTH:
            return False
        word = words[0].lower()
        rank = self._vocabulary.name_rank(word)
        if rank is not None and rank <= MISSPELT_NAME_MAX_RANK:
            return False
        clinical_slip = len(word) >= MIN_CLINICAL_SLIP_LENGTH and rank is None
        return word in RELATION_WORDS or any(
            self._is_meant(word[0] + rest, clinical_slip) for rest in one_edit_away(word[1:])
        )

    def _is_meant(self, candidate: str, clinical_slip: bool) -> bool:
        if candidate in RELATION_WORDS:
            return True
        vocabulary = self._vocabulary
        return clinical_slip and vocabulary.is_clinical(candidate) and not vocabulary.is_known_name(candidate)
