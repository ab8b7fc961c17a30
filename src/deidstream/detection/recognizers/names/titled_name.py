"""Names after a courtesy title: `Mr. Albrecht`, `MRS KOVALCIK`, `Ms S.`."""

from __future__ import annotations

import regex as re
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.cue_names import CueNameRecognizer
from deidstream.detection.base.recognizers import Span
from deidstream.detection.lexicons.titles import COURTESY_TITLES, OTHER_COURTESY_TITLES

# `Mr. S. was seen`, `mr I remained`: a capital initial alone after Mr or Mrs stands for the name (after `MS`
# it is more often an abbreviation: `MS D/C'D`).
LONE_INITIAL = re.compile(r"(?i:(?<![+\-\d/])\b(?:mr|mrs|mister)\b\.?[ \t]+)(?P<initial>\p{Lu})(?:\.|(?=[ \t]+\p{Ll}))")


class TitledNameRecognizer(CueNameRecognizer):
    """Patients and relatives are written `Mr./Mrs./Ms./Miss X` in most notes."""

    # `3-4+MR.` is mitral regurgitation, not a title
    CUE_AFTER = re.compile(rf"(?i)(?<![+\-\d/])\b(?:{COURTESY_TITLES}|{OTHER_COURTESY_TITLES})\b\.?[ \t]*(?=\p{{L}})")

    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        initials = [match.span("initial") for match in LONE_INITIAL.finditer(text)]
        return super().find(text, nlp_artifacts) + initials

    def first_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        """`Mr.`, `Mrs.` vouch for any listed name (`mrs. powers`); `MS` is also morphine sulfate, multiple
        sclerosis or mental status, so after it an English word must be a first name or a capitalised name
        (`Ms. White`, not `MS GIVEN` or `ms still`)."""
        vocabulary = self._vocabulary
        if vocabulary.is_stop_word(word):
            return False
        if not vocabulary.is_common_word(word):
            return vocabulary.could_be_name(word)
        if cue.group().rstrip(". \t").lower() != "ms":
            return vocabulary.is_known_name(word)
        return vocabulary.is_listed_first_name(word) or (word.istitle() and vocabulary.is_known_name(word))
