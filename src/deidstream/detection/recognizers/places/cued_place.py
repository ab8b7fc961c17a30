"""Places after a word of motion, transfer, residence or origin, in any case and of several words:
`returned to east haddam today`, `SON LIVES IN NORTH COVE`, `pt transferred to 209 wexcombe`, `c/o to wexcombe`.

The cue says a place follows; the grammar says where it ends. After the cue (and a
room or bed number, `to 209 wexcombe`), a place is the longest gazetteer name
(`east haddam`, any case), or openers of place names (`North`, `Fort`, `San`)
followed by words that are no English, clinical or drug word and no typing slip
(`wexcombe`, `Haddam`), or, where someone lives, an opener and a geographic ending
(`NORTH COVE`). Words that are English end the name (`today`, `if`), so the place
is found whole, not only its first word. States are not identifying and are left
alone (countries are not: annotated sets count them as places). A lower-case word
that no gazetteer holds counts only after a word of motion and where the line is in
lower case, as in mixed-case text a place would be capitalised (`go to camode` is a
slip).
"""

from __future__ import annotations

import regex as re
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.recognizers import Span, VocabularyRecognizer
from deidstream.detection.lexicons.clinical_abbreviations import is_clinical_abbreviation
from deidstream.detection.lexicons.place_cues import PLACE_CUE, PLACE_NAME_ENDINGS, PLACE_NAME_OPENERS
from deidstream.detection.lexicons.us_states import is_state
from deidstream.detection.lexicons.vocabulary import VOWEL
from deidstream.entity import EntityType

# A word of a place name: letters, inner apostrophes and hyphens (`Martha's`, `Wilkes-Barre`), a period after an
# abbreviated opener (`St.`, `Ft.`).
PLACE_WORD = re.compile(r"\p{L}[\p{L}'’]*(?:-\p{L}[\p{L}'’]*)*\.?")
# The words of one name stand one or two blanks apart, on one line.
GAP = re.compile(r"[ \t]{1,2}")
# `the east end of town`: a part of something, not a name.
OF_AFTER = re.compile(r"(?i)[ \t]+of\b")
# Place names are short (`Fort Orrindale Falls`), and a name has at most two openers (`North Fort Ames`).
MAX_PLACE_WORDS, MAX_OPENERS = 4, 2
# Shorter words that no gazetteer holds are abbreviations more often than places (`OSH`, `CMED`).
MIN_NAME_LENGTH = 5


class CuedPlaceRecognizer(VocabularyRecognizer):
    ENTITY = EntityType.LOCATION
    SCORE = 0.7

    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        spans = []
        for cue in PLACE_CUE.finditer(text):
            words = _words_after(text, cue.end())
            settled = bool(cue["residence"] or cue["origin"])
            length = self._gazetteer_length(words) or self._grammar_length(text, words, settled)
            if cue["the"] and length and OF_AFTER.match(text, words[length - 1].end()):
                continue  # a part of something, not a place's name: `lives in the east end of town`
            if length and not self._is_region(words[:length]):
                spans.append((words[0].start(), words[length - 1].end() - _final_period(words[length - 1])))
        return spans

    def _gazetteer_length(self, words: list[re.Match[str]]) -> int:
        """The longest gazetteer name of two words or more from the first word (`east haddam`, `SAN ANTONIO`)."""
        if not words or not self._vocabulary.starts_place_name(words[0].group()):
            return 0
        for length in range(len(words), 1, -1):
            if self._vocabulary.is_place_name(" ".join(word.group().rstrip(".") for word in words[:length])):
                return length
        return 0

    def _grammar_length(self, text: str, words: list[re.Match[str]], residence: bool) -> int:
        """Openers, then name words, then endings (`Fort Wexcombe Falls`); or, where someone lives, openers and an
        ending (`NORTH COVE`)."""
        openers = 0
        while openers < min(MAX_OPENERS, len(words) - 1) and _plain(words[openers]) in PLACE_NAME_OPENERS:
            openers += 1
        length = openers
        while length < len(words) and self._is_name_word(text, words[length], moving=not residence):
            length += 1
        if length > openers:
            while length < len(words) and _plain(words[length]) in PLACE_NAME_ENDINGS:
                length += 1
            return length
        if openers and residence and length < len(words) and _plain(words[length]) in PLACE_NAME_ENDINGS:
            named = _same_case(words[: length + 1], text) and not OF_AFTER.match(text, words[length].end())
            return length + 1 if named else 0  # `lives in NORTH COVE`, not `the east end of town`
        return 0

    def _is_name_word(self, text: str, word: re.Match[str], moving: bool) -> bool:
        """No English, clinical or drug word, abbreviation or slip; in lower case only after a word of motion (a
        ward is where patients go: `c/o to wexcombe`; `pain is from hemroids` is a slip) and in a lower-case line."""
        name = word.group().rstrip(".")
        vocabulary = self._vocabulary
        if len(name) < MIN_NAME_LENGTH or not VOWEL.search(name):
            return False
        if name.islower() and not (moving and _line(text, word.start()).islower()):
            return False
        return not (
            vocabulary.is_common_word(name)
            or vocabulary.is_stop_word(name)
            or vocabulary.is_clinical(name)
            or vocabulary.is_drug(name)
            or is_clinical_abbreviation(name)
            or vocabulary.is_misspelling(name)
        )

    @staticmethod
    def _is_region(words: list[re.Match[str]]) -> bool:
        """A state, which HIPAA Safe Harbor leaves in (`moved to New Mexico`)."""
        names = [word.group().rstrip(".") for word in words]
        return is_state(names)


def _words_after(text: str, position: int) -> list[re.Match[str]]:
    """Up to four words from `position`, each one or two blanks after the one before, on the same line."""
    words: list[re.Match[str]] = []
    cursor = position
    while len(words) < MAX_PLACE_WORDS and (word := PLACE_WORD.match(text, cursor)):
        words.append(word)
        gap = GAP.match(text, word.end())
        if gap is None or (word.group().endswith(".") and _plain(word) not in PLACE_NAME_OPENERS):
            break
        cursor = gap.end()
    return words


def _plain(word: re.Match[str]) -> str:
    return word.group().rstrip(".").lower()


def _final_period(word: re.Match[str]) -> int:
    """A period after the last word ends the sentence, not an abbreviation."""
    return 1 if word.group().endswith(".") else 0


def _same_case(words: list[re.Match[str]], text: str) -> bool:
    """`NORTH COVE` in capitals or `North Cove` capitalised, or any case in a note without case."""
    if text.isupper() or text.islower():
        return True
    return all(word.group().isupper() for word in words) or all(word.group()[0].isupper() for word in words)


def _line(text: str, position: int) -> str:
    end = text.find("\n", position)
    return text[text.rfind("\n", 0, position) + 1 : end if end >= 0 else len(text)]
