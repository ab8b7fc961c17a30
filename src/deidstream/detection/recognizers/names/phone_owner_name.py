"""Names written right before a phone number: `Ottoline Quenby cell# 207-555-0143`, `Isolde Marwick- 207-555-0190`.

Contact lines in social notes give a person's name, then the number. A word
right before a number (a label such as `cell#` may stand between) that could
only be a name, or is a listed first name, is the person the number reaches.
"""

from __future__ import annotations

import regex as re

from deidstream.detection.base.cue_names import CueNameRecognizer
from deidstream.detection.lexicons.contact_words import CONTACT_WORDS

# Ten digits grouped as a phone number, or nine when a digit was dropped in typing.
NUMBER_AHEAD = r"\(?\d{3}\)?[ \t.\-]?\d{3}[ \t.\-]?\d{3,4}(?!\d)"


class PhoneOwnerNameRecognizer(CueNameRecognizer):
    CUE_BEFORE = re.compile(
        rf"(?i)(?<=\p{{L}})[ \t]*[\-:,]?[ \t]*"
        rf"(?:\(?\b(?:{CONTACT_WORDS})\b\)?[ \t]*(?:#|no\.?|number)?[ \t]*:?[ \t]*)?(?={NUMBER_AHEAD})"
    )
    SCORE = 0.7

    def last_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        return self._vocabulary.is_name_in_list(word) and not self._vocabulary.is_misspelling(word)
