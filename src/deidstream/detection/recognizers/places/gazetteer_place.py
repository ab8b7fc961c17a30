"""Towns and cities from a gazetteer, wherever they stand: `nephew of Bethesda visited`, `church in Hyattsville`.

Cue words find some places (see `place.py`), but notes name towns in passing as
often. GeoNames' list of populated places names them without memorizing any
corpus; what keeps it from flagging English words is the vocabulary: a place
name that is also an English, clinical or stop word (`Hope`, `Normal`, `Mobile`)
is left to the cued recognizers, and states, which HIPAA leaves in, are skipped.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.recognizers import Span, VocabularyRecognizer
from deidstream.detection.lexicons.us_states import is_state
from deidstream.detection.lexicons.vocabulary import WORD
from deidstream.entity import EntityType

MAX_PLACE_WORDS = 3
# Shorter lower-case words are abbreviations more often than towns (`ama`, `bibi`).
MIN_LOWER_CASE_LENGTH = 5
WORD_GAP = re.compile(r"[ \t]")
MAX_ABBREVIATION = 4


class GazetteerPlaceRecognizer(VocabularyRecognizer):
    ENTITY = EntityType.LOCATION
    SCORE = 0.6

    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        words = list(WORD.finditer(text))
        spans: list[Span] = []
        index = 0
        while index < len(words):
            length = self._place_length(text, words, index)
            if length:
                spans.append((words[index].start(), words[index + length - 1].end()))
            index += length or 1
        return spans

    def _place_length(self, text: str, words: list[re.Match[str]], index: int) -> int:
        """How many words from `index` on name a place (longest first), 0 if none."""
        if not self._vocabulary.starts_place_name(words[index].group()):
            return 0
        for length in range(min(MAX_PLACE_WORDS, len(words) - index), 0, -1):
            run = words[index : index + length]
            if not all(WORD_GAP.fullmatch(text[a.end() : b.start()]) for a, b in zip(run, run[1:], strict=False)):
                continue
            names = [word.group() for word in run]
            if self._vocabulary.is_place_name(" ".join(names)) and self._is_place(names):
                return length
        return 0

    def _is_place(self, names: list[str]) -> bool:
        vocabulary = self._vocabulary
        if is_state(names) or vocabulary.is_stop_word(names[0]):
            return False
        if len(names) == 1 and (len(names[0]) <= MAX_ABBREVIATION or vocabulary.is_first_name(names[0])):
            return False  # `ICA`, `SIG`, `OTA` are abbreviations; `Quentin`, `Florence` are people as often
        if any(vocabulary.is_clinical(name) for name in names):
            return False
        if len(names) == 1 and (vocabulary.is_misspelling(names[0]) or vocabulary.is_common_word(names[0])):
            return False  # a town of several words is a name as a whole (`SILVER SPRING`, `Virginia Beach`)
        if all(name.istitle() or name.isupper() for name in names):
            return True
        return len(names) == 1 and names[0].islower() and len(names[0]) >= MIN_LOWER_CASE_LENGTH
