"""Names, places and facilities that are clinical vocabulary: `Foley`, `NEURO`, `Lasix`, `Murphy sign`.

A span is not a name when its words are clinical terms (a drug, a unit or
service word: `Lasix`, `NEURO`, `MICU`) or drug names of the public drug list
(`Droperidol`, `Zoloft`) and stop words. An eponym that is also a
surname (`Murphy`, `Miller`, `Foley`) counts as a term only before or with what it
names (`Murphy sign`, `Glasgow Coma Scale`, `Foley catheter`): alone it may be
the person. Words of one or two letters (`St`, `Ed`) show nothing either way, and
after a title (`Dr. Murphy`) every word is a person again. For places and
facilities a service word alone is no place even when a census lists it (`back
to the FLOOR`), nor is a facility's kind alone (`[HOSPITAL]`). A "date" made of a
drug and a number is a dose (`Lisinopril 20`).
"""

from __future__ import annotations

import regex

from deidstream.detection.base.veto import MIN_TERM_LENGTH, WORD, after_title
from deidstream.detection.lexicons.facility_words import FACILITY_KINDS
from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.entity import EntityType

# What an eponym names: the word after it makes it a term, not a person.
EPONYM_HEADS = (
    "disease|syndrome|sign|signs|test|scale|score|criteria|classification|reflex|maneuver|manoeuvre|catheter|"
    "tube|cath|drain|stockings|procedure|operation|fracture|palsy|ulcer|tumou?r|lymphoma|sarcoma|node|nodes|"
    "phenomenon|triad|equation|formula|protocol|position|method|index|stain|bag|valve|collar|"
    "mask|boots|incision|hernia|anomaly|diverticulum|encephalopathy|thyroiditis|respirations|"
    "murmur|dementia|chorea|aneurysm|shunt|pump|filter|ligament|duct|gland"
)
HEAD_AFTER = regex.compile(r"(?i)(?:['’]s)?[ \t]+(?:" + EPONYM_HEADS + r")\b")
HEAD = regex.compile(r"(?i)(?:" + EPONYM_HEADS + r")")
LONE_INITIAL = regex.compile(r"\p{L}\.")
TYPES = frozenset({EntityType.PERSON, EntityType.LOCATION, EntityType.HOSPITAL, EntityType.DATE_TIME})
# A facility's kind, which names no facility alone (`transfer from ASHGROVE [HOSPITAL]`).
FACILITY_KIND = regex.compile(rf"(?i){FACILITY_KINDS}")
# Words with plain numbers of up to three digits, none written as a date or a year (`Lisinopril 20`, not `admission 3/12`).
DOSE_NUMBERS = regex.compile(r"(?:[^\d/\-.]|(?<!\d)\d{1,3}(?:\.\d+)?(?![\d/\-]))+")
# Calendar words, which make a span with a number a date whatever else is in it (`Sat 3/4`, `Dec 12`).
CALENDAR_WORD = regex.compile(
    r"(?i)jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    r"(?:jan|febr)uary|march|april|june|july|august|(?:sept|nov|dec)ember|october|\p{L}+day|noon|midnight"
)


class ClinicalTermVeto:
    name = "ClinicalTermVeto"

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if entity_type not in TYPES:
            return False
        if entity_type == EntityType.DATE_TIME:
            return DOSE_NUMBERS.fullmatch(text, start, end) is not None and self._is_dose(
                WORD.findall(text, start, end)
            )
        if after_title(text, start):
            return False
        if LONE_INITIAL.fullmatch(text, start, end) and (following := WORD.match(text, end + 1)) is not None:
            return self._vocabulary.is_clinical(following.group())  # a list letter or side: `B. Sigmoid`, `R. IJ`
        words = WORD.findall(text, start, end)
        if entity_type != EntityType.PERSON and len(words) == 1 and FACILITY_KIND.fullmatch(words[0]):
            return True  # `from ASHGROVE [HOSPITAL]`; not `MD Hospital`, where the name is the short word
        if len(words) > 1 and self._vocabulary.is_clinical(" ".join(words)):
            return True  # a clinical phrase (`Bear Hugger`, `Swallow Study`)
        names_a_term = bool(HEAD_AFTER.match(text, end)) or any(HEAD.fullmatch(word) for word in words)
        numbered = any(character.isdigit() for character in text[start:end])
        evidence = [
            self._shows_term(word, names_a_term, entity_type, numbered)
            for word in words
            if not self._is_neutral(word, names_a_term and len(words) > 1)
        ]
        return bool(evidence) and all(evidence)

    def _is_neutral(self, word: str, names_a_term: bool) -> bool:
        """Words that show nothing: stop words, one or two letters, and the head noun an eponym names (a head
        alone, `Hickman [Cath]`, is the clinical word itself and shows a term)."""
        return (
            len(word) < MIN_TERM_LENGTH
            or self._vocabulary.is_stop_word(word)
            or (names_a_term and HEAD.fullmatch(word) is not None)
        )

    def _shows_term(self, word: str, names_a_term: bool, entity_type: str, numbered: bool) -> bool:
        vocabulary = self._vocabulary
        place = entity_type != EntityType.PERSON
        if not (vocabulary.is_clinical(word) or vocabulary.is_drug(word)):
            return False
        # a surname may be the person, and a numbered ward (`Ward 7B`) or a town (`Pratt`) a named place; a service
        # word alone taken for a place is no place (`back to the FLOOR`), whichever census lists it
        return (
            names_a_term
            or not vocabulary.is_known_name(word)
            or (place and not numbered and not vocabulary.is_place_name(word))
        )

    def _is_dose(self, words: list[str]) -> bool:
        """A "date" whose words are drugs or clinical terms, with plain numbers, is a dose or a reading (`Lisinopril 20`)."""
        vocabulary = self._vocabulary
        named = [word for word in words if len(word) >= MIN_TERM_LENGTH]
        return bool(named) and all(
            not CALENDAR_WORD.fullmatch(word) and (vocabulary.is_drug(word) or vocabulary.is_clinical(word))
            for word in named
        )
