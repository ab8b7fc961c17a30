"""Names after a courtesy title: `Mr. Nicholson`, `MRS BRUCER`, `Ms S.`."""

from __future__ import annotations

import re

from deidstream.recognizers.name_scan import CueNameRecognizer


class TitledNameRecognizer(CueNameRecognizer):
    """Patients and relatives are written `Mr./Mrs./Ms./Miss X` in most notes."""

    CUE_AFTER = re.compile(r"(?i)\b(?:mr|mrs|ms|miss|mister|mme|sir)\b\.?[ \t]*(?=[A-Za-z])")

    def first_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        return self._vocabulary.is_known_name(word) or self._vocabulary.could_be_name(word)
