"""First names of people who call, visit or speak: `bill called`, `DAVID IS SPEAKING`, `Anne is family contact`.

Families and staff are often named by first name alone in nursing notes, with a
verb of contact right after. Only census first names are taken, so `pt called`
or `team visited` are not.
"""

from __future__ import annotations

import regex as re

from deidstream.detection.recognizers.names.name_scan import CueNameRecognizer

CONTACT_VERBS = (
    r"called|calls|phoned|phones|visited|visits|visiting|spoke|speaks|is[ \t]+speaking|came|comes|stated|states|"
    r"said|says|aware|updated|notified|requested|wants|is[ \t]+(?:the[ \t]+)?(?:family|health[ \t]+care|hcp|proxy|contact)|"
    r"in[ \t]+to[ \t]+visit|at[ \t]+bedside|will[ \t]+call|to[ \t]+call|"
    # `LUCY IS ON VACATION`, `DAVID DOES NOT HAVE MUCH CONTACT`
    r"(?:is|was|does|did|has|had)(?:[ \t]+not)?[ \t]+(?:on|off|out|away|here|there|aware|not|have|gone|left|back)"
)


class ContactNameRecognizer(CueNameRecognizer):
    CUE_BEFORE = re.compile(rf"(?i)(?<=\p{{L}})[ \t]+(?:{CONTACT_VERBS})\b")
    SCORE = 0.7

    def last_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        return len(word) > 2 and self._vocabulary.is_listed_first_name(word)
