"""Clinicians' names: after a title (`Dr. Garrow`, `DR OBERHOLTZER`) or before a credential (`V. Lindqvist, RRT`)."""

from __future__ import annotations

import regex as re

from deidstream.detection.recognizers.names.name_scan import CueNameRecognizer

STRONG_TITLES = r"dr|drs|dr's|doctor|doctors|docter|prof|professor"
SIGNATURE_CUES = (
    r"(?:electronically[ \t]+)?(?:signed|dictated|transcribed|authenticated|reviewed|approved|co-?signed|attested|"
    r"verified)[ \t]+by|signed(?=[ \t]*:)|cc[ \t]*:|attending[ \t]+physician"
)
WEAK_TITLES = (
    r"attending|resident|fellow|intern|np|pa|rn|nurse|rrt|pcp|md|cardiologist|surgeon|oncologist|physician|per|"
    r"sitter|chaplain|pastor|rabbi|imam|rev|reverend|interpreter|translator|dietitian|nutritionist|therapist|"
    r"sw|social[ \t]+worker|case[ \t]+manager|tech|technician|technologist|"
    r"reported[ \t]+to|discussed[ \t]+with|paged|notified"
)
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
    # a word, not an initial (`Patient A sensing and V paced`)
    r"(?=[ \t:\-]*\p{L}\p{L})"
)
# Surnames this frequent are names before a credential even when they are words too (`JONES, RRT`, not `SKIN CARE RN`).
FREQUENT_NAME_RANK = 10_000
CREDENTIALS = (
    r"md|m\.d\.|d\.o\.|rn|r\.n\.|rrt|crt|pa-c|lpn|cna|rph|pharmd|licsw|licws|lcsw|msw|slp|ccc|rd|phd|mph|bsn|msn|"
    r"cns|aprn|fnp|acnp|crna|cnm|facp|facs|mrcp|"
    # an osteopath in capitals at the end of a signature (`Lenka Sousa, DO`), not `to do`
    r"(?-i:DO)(?=[ \t]*(?:$|[,.;)\n]))|"
    # PA is also the pulmonary artery (`PA 50/25`, `PA line`, `PA's`), NP nasal prongs (`3L NP`)
    r"(?:pa|np)(?![ \t]*(?:'?s\b|\d|/|line|cath|catheter|port|pressures?|numbers|sats?|waves?|wedge))"
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
        return vocabulary.is_listed_first_name(word) or vocabulary.is_unambiguous_name(word)

    def last_word_ok(self, word: str, cue: re.Match[str]) -> bool:
        """A signature's credential (`Foley, RN` at the end) vouches more than one inside a sentence (`IJ PA line`)."""
        vocabulary = self._vocabulary
        if cue["final"] is not None:
            if len(word) == 1 or (vocabulary.could_be_name(word) and not vocabulary.is_common_word(word)):
                return True
            # a name that is also a word (`Foley, RN`, `JONES, RRT`); in an all-capitals note only a frequent one
            rank = vocabulary.name_rank(word)
            frequent = rank is not None and (rank <= FREQUENT_NAME_RANK or not cue.string.isupper())
            return frequent and not vocabulary.is_stop_word(word)
        return (
            len(word) > 2
            and vocabulary.could_be_name(word)
            and not vocabulary.is_common_word(word)
            and not vocabulary.is_misspelling(word)
        )
