"""Names after a courtesy title: `Mr. Nicholson`, `MRS BRUCER`, `Ms S.`."""

from __future__ import annotations

import re

from deidstream.recognizers.name_scan import CueNameRecognizer


class TitledNameRecognizer(CueNameRecognizer):
    """Patients and relatives are written `Mr./Mrs./Ms./Miss X` in most notes."""

    # `3-4+MR.` is mitral regurgitation, not a title
    CUE_AFTER = re.compile(r"(?i)(?<![+\-\d/])\b(?:mr|mrs|ms|miss|mister|mme|sir)\b\.?[ \t]*(?=[A-Za-z])")

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
