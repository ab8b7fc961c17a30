"""An abbreviation of clinical writing taken for a person's name: `USOH`, `AAROM`, `VATS`, `Abg`.

The NER reads short capitalised words as names, and notes are full of them. A
span of one word that a public list of clinical abbreviations holds
(`lexicons/clinical_abbreviations.py`: imantsm's list, MIT, less every census
name and gazetteer place) is that abbreviation. Places and facilities are left
alone: the list holds the initials of some hospitals and companies too (`BMC`,
`IBM`), and a facility or an employer written by its initials is PHI; tried on
them, the veto dropped an employer of the training part. So are a person's initials (`JS`), which two-letter entries of
the list would match: an abbreviation here has three letters or more. After a
title every word is a name again (`Dr. Vats`).
"""

from __future__ import annotations

import regex

from deidstream.detection.base.veto import MIN_TERM_LENGTH, after_title
from deidstream.detection.lexicons.clinical_abbreviations import is_clinical_abbreviation
from deidstream.entity import EntityType

# One abbreviation, with the joins the list writes (`D/C`, `I&O`, `a-fib`), and nothing around it.
ONE_WORD = regex.compile(r"\p{L}[\p{L}\d]*(?:[/&\-][\p{L}\d]+)?")


class ClinicalAbbreviationVeto:
    name = "ClinicalAbbreviationVeto"

    def vetoes(self, text: str, start: int, end: int, entity_type: str) -> bool:
        if entity_type != EntityType.PERSON or after_title(text, start):
            return False
        span = text[start:end].strip().rstrip(".,;:")
        letters = sum(character.isalpha() for character in span)
        return letters >= MIN_TERM_LENGTH and ONE_WORD.fullmatch(span) is not None and is_clinical_abbreviation(span)
