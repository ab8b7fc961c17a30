"""Hospitals, clinics, nursing homes and wards: `Mercy Ridge Hospital`, `St. Brigid`, `transferred to SVH`.

Facility names are built from ordinary words (`Bellwood Valley Memorial`, `Good
Samaritan`), so vocabulary cannot find them. Three cues can: a facility word after
the name (`Hospital`, `Medical Center`, `Rehab`), a saint's title before it, and
a verb of transfer or admission before a name-like word (`transferred to
PENDLEBURY 2`, `admitted to SVH`), where clinical units (`MICU`, `CT`, `OR`) are
excluded by the clinical vocabulary.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.recognizers import Span, VocabularyRecognizer
from deidstream.detection.lexicons.clinical_abbreviations import is_clinical_abbreviation
from deidstream.detection.lexicons.facility_words import CONNECTORS, FACILITY_AFTER, GENERIC_QUALIFIERS
from deidstream.detection.lexicons.units import WARD_NUMBER_UNITS
from deidstream.detection.lexicons.us_states import STATE_CODE_PATTERN, STATE_NAME_PATTERN, STATE_WORDS
from deidstream.detection.lexicons.vocabulary import POSSESSIVE
from deidstream.entity import EntityType

SAINT = re.compile(r"(?i)\b(?:st|saint)\.?[ \t]+(?=\p{L})")
# `Had a bed @ St A.`: a saint's hospital by initial (title case: `ST` is also sinus tachycardia).
SAINT_INITIAL = re.compile(r"\b(?:St|Saint)\.?[ \t]+\p{Lu}\.(?!\p{L})")
# `screened by HOLY FAMILY REHAB`, `Good Samaritan`: religious names that hospitals take, and nothing else does.
RELIGIOUS_NAME = re.compile(
    r"(?i)\b(?:holy[ \t]+(?:family|name|spirit|redeemer|trinity|innocents|rosary)|good[ \t]+samaritan)\b"
)
TRANSFER = re.compile(
    r"(?i)\b(?:transferred|transfered|transferring|transfer|trans|tx'?d|tx|sent|admitted|admit|adm|arrived|arrival|"
    r"come|comes|came|transplant|surgery|bed|"
    r"presented|presenting|presents|went|go|going|returned|discharged|d/c'?d|dc'?d|accepted|excepted|screened|followed|seen|"
    r"evaluated|taken|brought|flown|moved|referred|enroute|en[ \t]+route|medflight|medflighted|flight|w/u|->)"
    r"[ \t]+(?:back[ \t]+)?(?:to|from|at|@|into|by|in)[ \t]+(?:the[ \t]+)?(?=\p{L})"
    # `sent to ED at SVH`, `the CHF team at SVH`: a unit or team at a hospital
    r"|\b(?:ed|er|ew|icu|ccu|micu|sicu|or|cath[ \t]+lab|team|clinic|outpatient|surgeon|physician|doctor|staff)"
    r"[ \t]+(?:at|from)[ \t]+(?=\p{L})"
)
# `seen by Liver team`: services see patients too, so `by` vouches only for names that are no English words.
BY = re.compile(r"(?i)\bby\b")
# `transfer to PENDLEBURY 2`, `Per Pendlebury 3 RN`: a named ward with its number.
WARD = re.compile(
    r"(?i)(?:\b(?:to|on|from|per|at|in|transfer)[ \t]+|\bplan[ \t]*:[ \t]*)"
    r"(?P<name>(?-i:\p{Lu}[\p{L}'’]{3,}|\p{Ll}{4,}))(?:[ \t]+|(?-i:(?<=\p{Ll}{4}|\p{Lu}{4})))\d{1,2}"
    rf"(?![\d:/%]|[.,]\d|[ \t]*(?:{WARD_NUMBER_UNITS}))"
)
# `PENDLEBURY3 DEVELOPED CP`, `on Pendlebury4`: a ward's name written together with its floor, one digit and no
# more (`SAO2`, `HBA1C`, `SATS95` are readings or labs, `TUBESx2` a count, and the word must not be clinical).
GLUED_WARD = re.compile(
    r"(?<![\p{L}\d])(?P<name>(?-i:\p{Lu}{5,}|\p{Lu}\p{Ll}{4,}))(?<![xX])\d"
    rf"(?![\p{{L}}\d:/%]|[.,]\d|[ \t]*(?:{WARD_NUMBER_UNITS}))"
)
# `SVH EW`, `Brennan MICU`, `Riverside ER`: a name in front of a hospital unit.
NAME_BEFORE_UNIT = re.compile(
    r"(?i)\b(?P<name>\p{L}[\p{L}'’]{1,})[ \t]+(?:ew|er|ed|emergency[ \t]+(?:room|department)|micu|ccu|sicu|cath[ \t]+lab)\b"
)
# `U Vermont`, `Univ. of Iowa`: a state university's hospital.
STATE_UNIVERSITY = re.compile(rf"(?i)\bu(?:niv(?:ersity)?)?\.?[ \t]+(?:of[ \t]+)?(?:{STATE_NAME_PATTERN})\b")
STATE_CODE = re.compile(rf"(?:{STATE_CODE_PATTERN})")
# `Ward 7B`, `Pod 3`: a ward by its number.
NUMBERED_WARD = re.compile(r"(?i)\b(?:ward|pod|wing)[ \t]+\d{1,2}\p{L}?\b")
WORD_BEFORE = re.compile(r"((?i:st\.|saint)|\p{L}[\p{L}'’\-]*)[ \t]{1,2}$")
NAME_LIKE = re.compile(r"\p{L}[\p{L}'’\-]*")
MAX_FACILITY_NAME_WORDS = 3
# How far back a word before a facility word is looked for: no word is longer, and searching from the start of
# the text each time made this recognizer quadratic in the length of the note.
WORD_BEFORE_REACH = 80
# The NER's types whose words may name a facility even when they are English words (`Harbor View Rehab`).
NAMING_ENTITY_TYPES = frozenset({EntityType.LOCATION, EntityType.HOSPITAL, EntityType.PERSON})


class HospitalRecognizer(VocabularyRecognizer):
    ENTITY = EntityType.HOSPITAL
    SCORE = 0.8

    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        named = _named_entity_starts(nlp_artifacts)
        spans = [span for match in FACILITY_AFTER.finditer(text) if (span := self._named_facility(text, match, named))]
        spans += [span for match in SAINT.finditer(text) if (span := self._saint(text, match))]
        for match in TRANSFER.finditer(text):
            if span := self._transfer_target(text, match.end()):
                spans.append(span)
            if not BY.search(match.group()) and (span := self._capitalised_target(text, match.end())):
                spans.append(span)
            if span := self._facility_after_transfer(text, match.end()):
                spans.append(span)
        spans += [
            match.span("name")
            for match in WARD.finditer(text)
            if _one_case(match["name"]) and self._is_ward_name(match["name"])
        ]
        spans += [match.span("name") for match in GLUED_WARD.finditer(text) if self._is_glued_ward_name(match["name"])]
        spans += [match.span() for match in NUMBERED_WARD.finditer(text)]
        spans += [match.span() for match in STATE_UNIVERSITY.finditer(text)]
        spans += [match.span() for match in RELIGIOUS_NAME.finditer(text)]
        spans += [match.span() for match in SAINT_INITIAL.finditer(text)]
        spans += [match.span("name") for match in NAME_BEFORE_UNIT.finditer(text) if self._is_ward_name(match["name"])]
        return spans

    def _named_facility(self, text: str, facility: re.Match[str], named: set[int]) -> tuple[int, int] | None:
        """Up to three name words before the facility word, stopping at generic qualifiers and stop words.

        A word the NER model put in a place or organisation counts as a name even when it is English
        (`Pittsburgh Rehab`: WordNet lists `pittsburgh`).
        """
        start = named_start = facility.start()
        for _ in range(4):
            word = WORD_BEFORE.search(text, max(0, start - WORD_BEFORE_REACH), start)
            if word is None:
                break
            token = word.group(1).rstrip(".")
            if token.lower() in CONNECTORS:
                start = word.start(1)
                continue
            if not (word.start(1) in named or self._names_facility(token, bool(facility["strong"]))):
                break
            start = named_start = word.start(1)
        if named_start == facility.start() and start < facility.start() and facility["strong"]:
            named_start = start  # `Memorial Hospital`, `the General Hospital`: the connectors are the name
        return (named_start, facility.end()) if named_start < facility.start() else None

    def _names_facility(self, word: str, strong: bool) -> bool:
        """Whether `word` before a facility word is part of its name. Qualifiers (`outside`, `cardiac rehab`) end the
        name rather than drop a candidate: they decide where the span starts, so they stay here, not in a veto (which
        would judge every recognizer's facilities, and the NER's, by one word of them)."""
        lower = word.lower()
        if lower in ("st", "saint"):
            return True
        if lower in GENERIC_QUALIFIERS or self._vocabulary.is_stop_word(word) or "'" in word or len(word) < 2:
            return False
        if self._vocabulary.is_misspelling(word) and not self._vocabulary.is_unambiguous_name(word):
            return False  # `PEMBERTON HOUSE` is a name, one slip from `pembered` or not
        if strong and STATE_CODE.fullmatch(word):
            return True  # `MD Hospital`, `VA Hospital`
        if self._vocabulary.is_clinical(word):
            # Eponyms name hospitals too (`Murphy Family Health Center`), but units do not (`MICU rehab`).
            return strong and self._vocabulary.is_known_name(word)
        if (lower in STATE_WORDS or self._vocabulary.is_place_name(word)) and not word.islower():
            return True  # `Pittsburgh Rehab`, `Vermont Rehab`; not `start rehab`
        return strong or not self._vocabulary.is_common_word(word)

    def _saint(self, text: str, saint: re.Match[str]) -> tuple[int, int] | None:
        word = NAME_LIKE.match(text, saint.end())
        if word is None:
            return None
        name = POSSESSIVE.sub("", word.group())
        vocabulary = self._vocabulary
        saint_like = vocabulary.is_first_name(name) or not vocabulary.is_common_word(name)
        if not (vocabulary.is_known_name(name) and saint_like and not vocabulary.is_stop_word(name)):
            return None
        return saint.start(), word.end()

    def _is_ward_name(self, word: str) -> bool:
        vocabulary = self._vocabulary
        return not (
            vocabulary.is_clinical(word)
            or vocabulary.is_common_word(word)
            or vocabulary.is_stop_word(word)
            or vocabulary.is_misspelling(word)
        )

    def _is_glued_ward_name(self, word: str) -> bool:
        """No English, clinical or drug word, and no abbreviation, of a word written together with a digit."""
        return self._is_ward_name(word) and not self._vocabulary.is_drug(word) and not is_clinical_abbreviation(word)

    def _transfer_target(self, text: str, position: int) -> tuple[int, int] | None:
        """A name-like word right after `transferred to`: an abbreviation or a word that is not English."""
        word = NAME_LIKE.match(text, position)
        if word is None:
            return None
        token = word.group()
        if not self._is_ward_name(token) or len(token) < 2:
            return None
        line = text[text.rfind("\n", 0, position) + 1 : position]
        if token.islower() and not line.islower():
            return None  # in mixed-case text a facility is capitalised; `team to resite`, `go to camode` are not
        return word.span()

    def _facility_after_transfer(self, text: str, position: int) -> tuple[int, int] | None:
        """`screened by BRIGHT OAKS REHAB`, `transferred to Willow Creek Nursing Home`: after a transfer, one to
        three words and a facility word name a facility even when the words are English; not `sent to acute
        rehab` or `transferred to the rehab unit`."""
        words: list[re.Match[str]] = []
        for word in NAME_LIKE.finditer(text, position):
            expected = words[-1].end() + 1 if words else position
            if word.start() != expected or len(words) == MAX_FACILITY_NAME_WORDS + 1:
                break
            words.append(word)
            if FACILITY_AFTER.fullmatch(word.group()) and len(words) > 1:
                names = [name.group() for name in words[:-1]]
                capitalised = all(not name.islower() for name in names) or text.islower()
                if capitalised and all(self._could_name_facility(name) for name in names):
                    return words[0].start(), word.end()
                break
        return None

    def _could_name_facility(self, word: str) -> bool:
        vocabulary = self._vocabulary
        return not (
            word.lower() in GENERIC_QUALIFIERS
            or vocabulary.is_stop_word(word)
            or vocabulary.is_clinical(word)
            or vocabulary.is_misspelling(word)
            or len(word) < 2
        )

    def _capitalised_target(self, text: str, position: int) -> tuple[int, int] | None:
        """In mixed-case text, one or two capitalised words after `transferred to` (`Riverside`, `Mercy Ridge`):
        mid-sentence capitals name the place even when the words are English; units stay (`CT`, `Radiology`)."""
        vocabulary = self._vocabulary
        words: list[re.Match[str]] = []
        for word in NAME_LIKE.finditer(text, position):
            if len(words) == 2 or word.start() != (words[-1].end() + 1 if words else position):
                break
            token = word.group()
            if not token.istitle() or len(token) < 3 or vocabulary.is_clinical(token):
                break
            if not self._names_facility(token, strong=True):
                break
            words.append(word)
        line_end = text.find("\n", position)
        line = text[text.rfind("\n", 0, position) + 1 : line_end if line_end >= 0 else len(text)]
        if not words or line.isupper():
            return None
        return words[0].start(), words[-1].end()


def _named_entity_starts(nlp_artifacts: NlpArtifacts | None) -> set[int]:
    """Where words of the NER's entities start that can name a facility: places, facilities, people (`Johns
    Hopkins`). Presidio has already mapped the model's labels to PHI types (`GPE` to `LOCATION`, `ORG` to
    `HOSPITAL`, see `phi_model.LABEL_TYPES`), so the types are what the entities carry here."""
    if nlp_artifacts is None:
        return set()
    return {token.idx for entity in nlp_artifacts.entities if entity.label_ in NAMING_ENTITY_TYPES for token in entity}


def _one_case(word: str) -> bool:
    """`Pendlebury`, `PENDLEBURY`, `pendlebury`; not a typo run together (`PSVof`)."""
    return word.istitle() or word.isupper() or word.islower()
