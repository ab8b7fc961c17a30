"""Names, places and facilities that are clinical vocabulary: `Foley`, `NEURO`, `Lasix`, `Murphy sign`.

A span is not a name when every word of it is a clinical term (an eponym used as
a device or sign, a drug, a unit or service word) or a stop word, or when it is
an eponym followed by what it names (`Parkinson disease`, `Glasgow Coma Scale`,
`Foley catheter`). After a title (`Dr. Murphy`) the same word is a person again.
"""

from __future__ import annotations

import regex

from deidstream.detection import entity
from deidstream.detection.lexicons.vocabulary import Vocabulary

WORD = regex.compile(r"\p{L}[\p{L}'’\-]*")
# What an eponym names: the word after it makes it a term, not a person.
EPONYM_HEADS = (
    "disease|syndrome|sign|signs|test|scale|score|criteria|classification|reflex|maneuver|manoeuvre|catheter|"
    "tube|drain|stockings|procedure|operation|fracture|palsy|ulcer|tumou?r|lymphoma|sarcoma|node|nodes|"
    "phenomenon|triad|law|equation|formula|protocol|position|method|index|stain|bag|valve|line|collar|"
    "mask|boot|boots|block|incision|hernia|anomaly|diverticulum|esophagus|oesophagus|encephalopathy|"
    "thyroiditis|cell|cells|body|bodies|respirations|respiration|breathing|murmur|dementia|chorea|"
    "aneurysm|repair|shunt|pump|filter|port|wave|waves|point|angle|space|ligament|duct|canal|gland"
)
HEAD_AFTER = regex.compile(r"(?i)(?:['’]s)?[ \t]+(?:" + EPONYM_HEADS + r")\b")
HEAD_INSIDE = regex.compile(r"(?i)\b(?:" + EPONYM_HEADS + r")$")
TITLE_BEFORE = regex.compile(r"(?i)\b(?:dr|drs|doctor|mr|mrs|ms|miss|prof|nurse)\.?[ \t]*$")
TYPES = frozenset({entity.PERSON, entity.LOCATION, entity.HOSPITAL})
TITLE_REACH = 12


class ClinicalTermVeto:
    name = "ClinicalTermVeto"

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if entity_type not in TYPES:
            return False
        if TITLE_BEFORE.search(text, max(0, start - TITLE_REACH), start):
            return False
        words = WORD.findall(text, start, end)
        if not words:
            return False
        if all(self._vocabulary.is_clinical(word) or self._vocabulary.is_stop_word(word) for word in words):
            return any(self._vocabulary.is_clinical(word) for word in words)
        return bool(HEAD_AFTER.match(text, end) or HEAD_INSIDE.search(text, start, end) and len(words) > 1)
