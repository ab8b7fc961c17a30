"""Towns and cities where people live, come from or travel: `lives in Frostburg`, `Sister called from Seattle`.

No gazetteer can list every town a patient mentions, and place names in notes
come in any case, so the cue is the phrase before the name: living, coming from
or going to somewhere, or working for someone. The place must not be an English or clinical word
(`lives in a shelter`, `from OSH`). States and countries are not identifying
under HIPAA Safe Harbor and are left alone.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.recognizers import Span, VocabularyRecognizer
from deidstream.detection.lexicons.us_states import is_state
from deidstream.entity import EntityType

# Occupations whose employer follows (`teacher at`, `manager for`, `CEO of`): a general list of job titles.
OCCUPATIONS = (
    r"ceo|cfo|president|vice[ \t]+president|owner|founder|partner|director|manager|supervisor|executive|officer|"
    r"engineer|technician|mechanic|teacher|professor|lecturer|accountant|lawyer|attorney|consultant|analyst|"
    r"programmer|developer|clerk|cashier|driver|pilot|electrician|plumber|carpenter|machinist|laborer|foreman|"
    r"secretary|receptionist|librarian|pastor|minister|salesman|saleswoman|salesperson|agent|broker|banker"
)
RESIDENCE = re.compile(
    r"(?i)\b(?:lives?|living|lived|resides?|residing|resident|home|house|located|vacationing|vacation|visiting|"
    r"trip|moved|moving|born|raised|works?|working|job|called|calling|flew|drove|driving|coming|came|return(?:ing|s|ed)?|"
    r"go(?:ing)?[ \t]+back|records?|family|relatives?|daughter|son|sister|brother|wife|husband|friend|niece|nephew)"
    r"[ \t]+(?:(?:is|are|was|were|now|still|back|currently|all|nearby)[ \t]+)*(?:in|from|at|near|to|of|outside(?:[ \t]+of)?)"
    r"[ \t]+(?:the[ \t]+)?(?!law\b)(?=\p{L})"
    # `works for Northwind Freight`, `retired from Acme`, `engineer at Kestrel Labs`: an employer names a place of
    # the patient's life
    rf"|\b(?:employee|employed|retired|works?|worked|working|{OCCUPATIONS})[ \t]+(?:at|for|by|from|of|with)[ \t]+"
    r"(?:the[ \t]+)?(?=\p{L})"
    # `lives with his sister Susan in Frostburg`
    r"|\b(?:lives?|living|resides?|residing)\b[^.\n]{0,40}?\b(?:in|near)[ \t]+(?=\p{L})"
)
LIVING = re.compile(r"(?i)lives?|living|lived|resides?|residing|resident")
MAX_CITY_ABBREVIATION = 3
# Gazetteer towns named like where one lives in general (`lives at home`, `lives at college`).
DWELLINGS = frozenset({"home", "college"})
PLACE_WORDS = re.compile(r"\p{L}[\p{L}'’]+(?:[ \t]\p{Lu}[\p{L}'’]+){0,2}(?![\w&])")


class PlaceRecognizer(VocabularyRecognizer):
    ENTITY = EntityType.LOCATION
    SCORE = 0.7

    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        spans: list[Span] = []
        for cue in RESIDENCE.finditer(text):
            place = PLACE_WORDS.match(text, cue.end())
            if place is None:
                continue
            words = self._name_words(place.group().split())
            if words and self._is_place(words, text, lives_there=bool(LIVING.match(cue.group()))):
                end = place.start() + len(" ".join(words))  # PLACE_WORDS joins its words with one blank each
                spans.append((place.start(), end))
        return spans

    def _name_words(self, words: list[str]) -> list[str]:
        """The first word and those after it that belong to a name (`Ellicott City`), not `BEDSIDE AND STAT`."""
        vocabulary = self._vocabulary
        if vocabulary.is_stop_word(words[0]):
            return []
        kept = words[:1]
        for word in words[1:]:
            if vocabulary.is_stop_word(word) or vocabulary.is_misspelling(word) or vocabulary.is_clinical(word):
                break
            kept.append(word)
        return kept

    def _is_place(self, words: list[str], text: str, lives_there: bool) -> bool:
        """`Frostburg`, `Lake Clintonbury`: a word that is no English or clinical word; or, in mixed-case
        text, a capitalised one (`returns to Pittsburgh`, which WordNet lists, but not `returns to bed`); where
        someone lives, a town of the gazetteer or a city's abbreviation (`lives in DC`, not `returned to PS 15`)."""
        vocabulary = self._vocabulary
        if is_state(words) or any(vocabulary.is_clinical(word) for word in words[:1]):
            return False
        if lives_there and vocabulary.is_place_name(" ".join(words)) and words[0].lower() not in DWELLINGS:
            return True  # `LIVES IN DOVER`: a town someone lives in, in any case, even one that WordNet lists
        if text.isupper() and vocabulary.is_common_word(words[0]):
            return False  # `HUSBAND TO SIGN CONSENT`: in capitals, only a name that is no word opens a place
        if any(
            len(word) > 2 and not vocabulary.is_common_word(word) and not vocabulary.is_misspelling(word)
            for word in words
        ):
            return True
        first = words[0]
        if vocabulary.is_stop_word(first) or text.isupper() or text.islower():
            return False
        abbreviation = len(words) == 1 and first.isupper() and len(first) <= MAX_CITY_ABBREVIATION
        return first.istitle() or (lives_there and abbreviation)
