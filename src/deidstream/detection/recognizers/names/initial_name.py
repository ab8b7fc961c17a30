"""Surnames after an initial: `J. Chang PA into evaluate`, `nsg (d. ferraro and j. o'brien)`, `MEET S. PELLEGRINO`.

Notes name staff and outside contacts by initial and surname. The initial is only
a weak cue (lettered lists, `E. coli`, `Vit. K`), so the word after it must still
look like a surname: a census name that is no English word, an `O'`-style name,
a listed name capitalised inside mixed-case text, or a word that is neither
English, clinical nor a typing slip. Species of bacteria are clinical terms.

Typed fast, the initial loses its period (`T BROWN NOTIFIED`). A capital letter
alone, then a word, is a name when what follows is something staff do (order,
are paged, notified, made aware): then a frequent census surname is one even
when it is an English word too, as in capitals nothing else tells it apart.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.base.recognizers import Span, VocabularyRecognizer
from deidstream.detection.lexicons.name_ranks import FREQUENT_SURNAME_RANK
from deidstream.entity import EntityType

# After a blank, bracket or dash, not ending an abbreviation (`n/v. Fruit`, `I & O. Check`, `p.r.n. Ativan`);
# run together only with a capitalised surname (`W.CASTELLANO`, not `v.tachypnic`).
INITIAL_AND_SURNAME = re.compile(
    r"(?:^|(?<=[ \t\n(\-,;:]))(?P<initial>\p{L})\.(?:[ \t]|(?=\p{Lu}))"
    r"(?P<surname>\p{L}[\p{L}'’]*\p{L})(?![\p{L}'’\-]|\.\p{L})"
)
# `M JONES ORDERED`, `T Brown notified`: a capital alone (`A` and `I` are words), a word, then what staff do.
BARE_INITIAL_AND_SURNAME = re.compile(
    r"(?:^|(?<=[ \t\n(\-,;:]))(?P<initial>(?![AI])\p{Lu})[ \t](?P<surname>\p{L}[\p{L}'’]*\p{L})"
    r"(?=[ \t]+(?i:ordered|orders|aware|made[ \t]+aware|notified|paged|informed|updated|called|requested|"
    r"recommends|recommended|examined|evaluated|saw|in[ \t]+to[ \t]+see|at[ \t]+bedside|spoke|discussed|consulted)\b)"
)
# `R. mainstem`, `L. Vent`: right and left, unless a name that is nothing else follows.
SIDES = frozenset("rRlL")
MIN_UNLISTED_SURNAME = 4


class InitialNameRecognizer(VocabularyRecognizer):
    ENTITY = EntityType.PERSON
    SCORE = 0.7

    def find(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[Span]:
        mixed_case = not (text.isupper() or text.islower())
        after_period = [
            match
            for match in INITIAL_AND_SURNAME.finditer(text)
            if (
                self._is_surname(match["initial"], match["surname"], mixed_case)
                if _names_someone(text, match.start())
                else self._vocabulary.is_unambiguous_name(match["surname"])
            )
        ]
        before_staff_action = [
            match
            for match in BARE_INITIAL_AND_SURNAME.finditer(text)
            if self._is_surname(match["initial"], match["surname"], mixed_case)
            or self._is_frequent_surname(match["surname"])
        ]
        return [match.span() for match in after_period + before_staff_action]

    def _is_frequent_surname(self, word: str) -> bool:
        """A census name this frequent (`Brown`, `Baker`) even when it is an English word; no stop word or clinical
        term (`Swan`)."""
        vocabulary = self._vocabulary
        if vocabulary.is_stop_word(word) or vocabulary.is_clinical(word):
            return False
        rank = vocabulary.name_rank(word)
        return rank is not None and rank <= FREQUENT_SURNAME_RANK

    def _is_surname(self, initial: str, word: str, mixed_case: bool) -> bool:
        """A listed name that is also a word only when frequent as a name and capitalised after a capital initial
        in mixed-case text (`J. Chang`), not after a lower-case abbreviation's period (`d/c. Small`) or in a
        lettered list (`SPECIMEN: A. Right colon`)."""
        vocabulary = self._vocabulary
        if vocabulary.is_stop_word(word) or vocabulary.is_clinical(word):
            return False
        if initial in SIDES:
            return vocabulary.is_unambiguous_name(word)
        if vocabulary.is_known_name(word):
            if not vocabulary.is_common_word(word) or word[1] == "'":
                return True
            rank = vocabulary.name_rank(word)
            frequent = rank is not None and rank <= FREQUENT_SURNAME_RANK
            return frequent and mixed_case and initial.isupper() and word.istitle()
        return (
            len(word) >= MIN_UNLISTED_SURNAME
            and not vocabulary.is_common_word(word)
            and not vocabulary.is_misspelling(word)
        )


def _names_someone(text: str, position: int) -> bool:
    """A letter and period first on a line number a list (`a. Respiratory failure`), so there only a word that can
    be nothing but a name follows as one (`Z. ZOË IN TO STRIP TUBES`); after `&` or `/` they end an abbreviation
    (`I & O. Check`)."""
    line_start = text.rfind("\n", 0, position) + 1
    before = text[line_start:position].rstrip()
    return bool(before) and before[-1] not in "&/+"
