"""Relatives and other contacts: `wife Mary`, `daughter (Anna)`, `daughter LISA MARCHETTI`, `Walt Wrzesniak (son)`."""

from __future__ import annotations

import regex as re

from deidstream.detection.base.cue_names import CueNameRecognizer
from deidstream.detection.lexicons.name_ranks import COMMON_FIRST_NAME_RANK
from deidstream.detection.lexicons.relations import RELATIONS


class RelativeNameRecognizer(CueNameRecognizer):
    """A relation word vouches for a following name (`son Tiko`), not for English words (`son called`)."""

    CUE_AFTER = re.compile(
        rf"(?i)\b(?:{RELATIONS})\b(?:[ \t]*(?:[,:(]+|-{{2,}}|(?<=[ \t])-)[ \t]*|[ \t]+)(?:(?:is|named)[ \t]+)?(?=\p{{L}})"
    )
    CUE_BEFORE = re.compile(
        rf"(?i)(?<![ \t])[ \t]*(?:\([ \t]*(?:{RELATIONS})[ \t]*\)|,[ \t]*(?:his|her|pt'?s|the[ \t]+pt'?s)[ \t]+(?:{RELATIONS})\b)"
    )

    def first_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        """A listed first name (`son bill`) or a word that is no English (`son Tiko`); not `wife said`. In
        mixed-case text a capitalised first name even when it is an abbreviation too (`Son, Ed, was updated`), or a
        common one that is also a stop word (`fiance Will`, `daughter May`; not `son will call`)."""
        vocabulary = self._vocabulary
        if vocabulary.is_listed_first_name(word):
            return True
        if vocabulary.could_be_name(word) and not vocabulary.is_common_word(word):
            # `husband visisted`, `proxy is grandaughter`: in mixed-case text a name would be capitalised
            return not (word.islower() and not cue.string.islower() and vocabulary.is_misspelling(word))
        capitalised = word.istitle() and not cue.string.isupper()
        if not (capitalised and vocabulary.is_first_name(word)):
            return False
        rank = vocabulary.name_rank(word)
        return not vocabulary.is_stop_word(word) or (rank is not None and rank <= COMMON_FIRST_NAME_RANK)
