"""Clinicians' names: after a title (`Dr. Garrow`, `DR OBERHOLTZER`) or before a credential (`V. Lindqvist, RRT`)."""

from __future__ import annotations

import regex as re

from deidstream.detection.base.cue_names import CueNameRecognizer
from deidstream.detection.lexicons.clinical_abbreviations import is_clinical_abbreviation
from deidstream.detection.lexicons.name_ranks import CREDENTIALED_NAME_RANK, FREQUENT_SURNAME_RANK
from deidstream.detection.lexicons.titles import CARE_ROLES, CREDENTIALS, DOCTOR_TITLE_FORMS, DOCTOR_TITLES

STRONG_TITLES = rf"{DOCTOR_TITLES}|{DOCTOR_TITLE_FORMS}"
SIGNATURE_CUES = (
    r"(?:electronically[ \t]+)?(?:signed|dictated|transcribed|authenticated|reviewed|approved|co-?signed|attested|"
    r"verified)[ \t]+by|signed(?=[ \t]*:)|cc[ \t]*:|attending[ \t]+physician"
)
# Roles that are also clinical abbreviations (pulmonary artery, nasal prongs, technique): an English word after them
# is what they measure (`PA numbers`), not a surname.
AMBIGUOUS_ROLES = frozenset({"pa", "np", "tech"})
# Longer words than this, capitalised after a role, are names rather than abbreviations (`HO Lindqvist`, `MD ABG`).
MAX_ABBREVIATION_LENGTH = 3
# Roles, and what is done with or to a clinician: weaker cues than a title (`per Okafor`, `paged Dana`).
WEAK_TITLES = rf"(?P<role>{CARE_ROLES})|per|reported[ \t]+to|discussed[ \t]+with|paged|notified"
# Someone spoken with, told, called, written to or seen by: `spoken extensively with X`, `update given to X`,
# `Patient X was reviewed`, `Nurse X gave report`, `left voicemail for X`, `text update sent to X`, `message from X`.
MESSAGES = r"(?:message|messages|voicemail|vm|text|update|letter|email|e-mail)"
CONTACT_CUES = (
    r"(?:patient|nurse|(?:spoke|spoken|speaking|talked|talking|met|meeting)(?:[ \t]+\p{L}+ly)?[ \t]+(?:with|to)|"
    # `Informed X of`, `Called X back`, `eval by X`, `Ordering Provider: X`: weaker, so a lower-case word after them
    # is a name only when a list holds it (`wife called overnoc`, `examined by interventional radiology`)
    r"(?P<reach>informed|contacted|texted|e-?mailed|(?:called|phoned)(?=[ \t]+\p{L}+[ \t]+(?:back|at|re|about)\b)|"
    r"(?:evaluated|eval|examined|assessed)[ \t]+by|"
    r"(?:ordering|referring|primary[ \t]+care)[ \t]+(?:provider|physician|clinician))|"
    r"(?:update|updates|updated|information|teaching)[ \t]+(?:was[ \t]+)?(?:given|provided)[ \t]+to|"
    rf"(?:left|sent)[ \t]+(?:a[ \t]+)?(?:\p{{L}}+[ \t]+)?{MESSAGES}[ \t]+(?:for|to)|"
    rf"{MESSAGES}[ \t]+(?:left|sent)[ \t]+(?:for|to)|{MESSAGES}[ \t]+from)"
    # a word, not an initial (`Patient A paced at 70`)
    r"(?=[ \t:\-]*\p{L}\p{L})"
)


class ClinicianNameRecognizer(CueNameRecognizer):
    """Titles and credentials vouch for the name next to them, whatever its case."""

    CUE_AFTER = re.compile(
        rf"(?i)\b(?:(?P<strong>{STRONG_TITLES})|(?P<signature>{SIGNATURE_CUES})|(?P<contact>{CONTACT_CUES})|{WEAK_TITLES})\b\.?[ \t]*(?:[:\-][ \t]*)?"
        r"(?=\p{L})"
    )
    CUE_BEFORE = re.compile(
        rf"(?i)(?<=\p{{L}})[ \t]*,?[ \t]*\b(?:{CREDENTIALS})\b(?P<final>(?=[ \t]*(?:$|[,.;:)/\n]|\d|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\p{{Ll}}*\.?[ \t]+\d)))?",
        re.M,
    )

    def first_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        """`Dr.` vouches even for names that are words (`Dr. White`, `Dr. Murphy`); `PA` or `per` does not (`PA line`)."""
        vocabulary = self._vocabulary
        if cue["strong"]:
            return vocabulary.could_be_name(word) or (
                vocabulary.is_known_name(word) and not vocabulary.is_stop_word(word)
            )
        if cue["signature"]:
            # `signed by Okafor`, not `verified by xray`: in lower case only a listed name
            return vocabulary.could_be_name(word) and (vocabulary.is_known_name(word) or not word.islower())
        if cue["contact"]:
            # a person is spoken with: any word that could be a name and is no English word (`Dmitri`), capitalised
            # in mixed-case text (`Patient extubated` is no name); else a listed name as after other weak titles
            capitalised = not word.islower() or (cue.string.islower() and not cue["reach"])
            if capitalised and vocabulary.could_be_name(word) and not vocabulary.is_common_word(word):
                return not vocabulary.is_misspelling(word)
        if cue["role"] and "." not in cue.group() and _same_case(word, cue.group()):
            # `RABBI STEIN CAME`, `w/MD Fisher`: a role addresses a surname, even one that is a word; or a
            # capitalised word that is no word, slip or abbreviation (`HO Lindqvist`)
            addressed = cue["role"].lower() not in AMBIGUOUS_ROLES and self._is_frequent_surname(word)
            if addressed or self._is_unlisted_name(word):
                return True
        return vocabulary.is_listed_first_name(word) or vocabulary.is_unambiguous_name(word)

    def _is_frequent_surname(self, word: str) -> bool:
        """A frequent census surname that is no adjective, plural, stop word or clinical word (`Fisher`, `Stein`;
        not `new`, `high`, `numbers`), after a role that is no pulmonary artery, nasal prongs or technique (`PA
        numbers`)."""
        vocabulary = self._vocabulary
        rank = vocabulary.surname_rank(word)
        return (
            rank is not None
            and rank <= FREQUENT_SURNAME_RANK
            and len(word) > 2
            and not word.lower().endswith("s")
            and not vocabulary.is_adjective(word)
            and not vocabulary.is_stop_word(word)
            and not vocabulary.is_clinical(word)
        )

    def _is_unlisted_name(self, word: str) -> bool:
        vocabulary = self._vocabulary
        return (
            not word.islower()
            and len(word) > MAX_ABBREVIATION_LENGTH
            and vocabulary.could_be_name(word)
            and not vocabulary.is_common_word(word)
            and not vocabulary.is_misspelling(word)
            and not vocabulary.is_drug(word)
            and not is_clinical_abbreviation(word)
        )

    def last_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        """A signature's credential (`Foley, RN` at the end) vouches more than one inside a sentence (`IJ PA line`)."""
        vocabulary = self._vocabulary
        if cue["final"] is not None:
            if len(word) == 1 or (vocabulary.could_be_name(word) and not vocabulary.is_common_word(word)):
                return True
            # a name that is also a word (`Foley, RN`, `JONES, RRT`); in an all-capitals note only a frequent one
            rank = vocabulary.name_rank(word)
            frequent = rank is not None and (rank <= CREDENTIALED_NAME_RANK or not cue.string.isupper())
            return frequent and not vocabulary.is_stop_word(word)
        return (
            len(word) > 2
            and vocabulary.could_be_name(word)
            and not vocabulary.is_common_word(word)
            and not vocabulary.is_misspelling(word)
        )


def _same_case(word: str, cue: str) -> bool:
    """A surname written as its role is (`RABBI STEIN`, `Rabbi Stein`, `md fisher`): in lower case only after a
    role in lower case, else capitalised or in capitals."""
    if word.islower():
        return cue.islower()
    return word.isupper() or word.istitle()
