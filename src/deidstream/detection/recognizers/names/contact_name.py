"""First names of people who call, visit or speak: `bill called`, `DAVID IS SPEAKING`, `Anne is family contact`.

Families and staff are often named by first name alone in nursing notes, with a
verb of contact right after. Only census first names are taken, so `pt called`
or `team visited` are not.
"""

from __future__ import annotations

import regex as re

from deidstream.detection.base.cue_names import CueNameRecognizer
from deidstream.detection.lexicons.vocabulary import has_diacritics

CONTACT_VERBS = (
    r"called|calls|phoned|phones|visited|visits|visiting|spoke|speaks|is[ \t]+speaking|came|comes|stated|states|"
    r"said|says|aware|updated|notified|requested|wants|is[ \t]+(?:the[ \t]+)?(?:family|health[ \t]+care|hcp|proxy|contact)|"
    r"in[ \t]+to[ \t]+visit|at[ \t]+bedside|will[ \t]+call|to[ \t]+call|"
    # `LUCY IS ON VACATION`, `PETER DOES NOT HAVE A CAR`
    r"(?:is|was|does|did|has|had)(?:[ \t]+not)?[ \t]+(?:on|off|out|away|here|there|aware|not|have|gone|left|back)"
)

# Verbs only people do (`Oluwaseun called`), unlike what charts and devices do too (`Flowsheet states`).
PEOPLE_VERBS = re.compile(
    r"(?i)[ \t]+(?:called|calls|phoned|phones|visited|visits|visiting|came|comes|is[ \t]+speaking|in[ \t]+to[ \t]+visit|"
    r"will[ \t]+call)\b"
)


class ContactNameRecognizer(CueNameRecognizer):
    CUE_BEFORE = re.compile(rf"(?i)(?<=\p{{L}})[ \t]+(?:{CONTACT_VERBS})\b")
    SCORE = 0.7

    def last_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        """A listed first name (`bill called`); before a verb only people do, also a word that could be a name and
        is no English word, listed or not, when capitalised in mixed-case text (`Oluwaseun called`), in lower-case
        text (`brayan called`) or spelt with diacritics (`CAUÊ VISITED`)."""
        vocabulary = self._vocabulary
        if len(word) > 2 and vocabulary.is_listed_first_name(word):
            return True
        text = cue.string
        # a name's case shows in mixed-case text; in lower-case text every word looks alike, and a hyphenated one is
        # more often a compound typed fast (`son-inlaw`) than a double name; diacritics show a name anywhere
        name_shaped = (word.istitle() and not (text.isupper() or text.islower())) or (
            text.islower() and "-" not in word
        )
        return (
            PEOPLE_VERBS.match(cue.group()) is not None
            and (name_shaped or has_diacritics(word))
            and vocabulary.could_be_name(word)
            and not vocabulary.is_common_word(word)
            and not vocabulary.is_misspelling(word)
        )
