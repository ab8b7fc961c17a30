"""Names after a courtesy title: `Mr. Nicholson`, `MRS BRUCER`, `Ms S.`."""

from __future__ import annotations

import re

from deidstream.recognizers.name_scan import CueNameRecognizer


class TitledNameRecognizer(CueNameRecognizer):
    """Patients and relatives are written `Mr./Mrs./Ms./Miss X` in most notes."""

    CUE_AFTER = re.compile(r"(?i)\b(?:mr|mrs|ms|miss|mister|mme|sir)\b\.?[ \t]*(?=[A-Za-z])")

    def first_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        """`Mr. White` in title case, but not `MS GIVEN` or `ms still` (morphine sulfate, multiple sclerosis)."""
        vocabulary = self._vocabulary
        if vocabulary.is_common_word(word):
            return word.istitle() and vocabulary.is_known_name(word)
        return vocabulary.could_be_name(word)
