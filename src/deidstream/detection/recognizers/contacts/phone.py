"""Phone, fax and pager numbers: `617-555-0142`, `(212) 555-0199x204`, `Pager #54321`, `beeper 55037`.

Ten-digit North American numbers are recognised by shape, whatever the area code and with any extension;
international numbers are in `international_phone.py`; the short internal
numbers of pagers and extensions only after a word that says what they are, so
lab values and doses are never taken for them.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from deidstream.detection.base.recognizers import ClinicalPatternRecognizer
from deidstream.detection.lexicons.contact_words import CONTACT_WORDS, EXTENSION
from deidstream.detection.lexicons.units import DOSE_VOLUME_UNITS
from deidstream.entity import EntityType

# Where a number is given to reach someone: a contact word, or `at` (`updated son at 555 0142`).
REACH_WORDS = rf"{CONTACT_WORDS}|at"

# What may stand between a contact word and its number: `#`, `no.`, `number`, `:` (`Pager #: 54321`).
NUMBER_LABEL = r"[ \t]*(?:#|no\.?|number|num|:)?[ \t]*#?[ \t]*"


class ClinicalPhoneRecognizer(ClinicalPatternRecognizer):
    """Named apart from Presidio's PhoneRecognizer: Presidio's registry loader finds recognizers by class name."""

    ENTITY = EntityType.PHONE_NUMBER

    PATTERNS = [
        Pattern(
            "north american number",
            # Every shape below starts with a digit, `+` or `(`: testing that first spares the regex engine trying
            # each shape at every other character of a note (8 times faster, the same matches).
            r"(?=[(+\d])(?:"
            # any area code (`(135-442-9738)`), an extension (`535.937.9907x5116`), slashes (`201/324/1423`)
            rf"(?<![\w/.])(?:\+?1[ \t.\-]?)?\(?\d{{3}}\)?[ \t.\-]{{0,3}}\d{{3}}[ \t.\-]{{1,2}}\d{{4}}{EXTENSION}(?![\w/\-]|\.\d)"
            r"|(?<![\w/.])\d{3}/\d{3}[/\-]\d{4}(?![\w/\-]|\.\d)"
            # `202 2671093`: the exchange and line run together
            r"|(?<![\w/.\-])\(?\d{3}\)?[ \t.\-]\d{7}(?![\w/\-]|\.\d)"
            r"|(?<=\()\d{6}-\d{4}(?=\))"
            # `(6175550142)`, `(5550142)`: a number alone in brackets, ten or seven digits run together
            r"|(?<=\()[2-9]\d{2}(?:\d{3})?\d{4}(?=\))"
            # `(301 273 45166)`: a digit too many, but bracketed and grouped as a phone number
            r"|(?<=\()[2-9]\d{2}[ \t.\-]\d{3}[ \t.\-]\d{5}(?=\))"
            r")",
            0.7,
        ),
        Pattern(
            "internal number after a contact word",
            # `Pager 4-5678`, `Call x4412`, `called at 555-1234`: an exchange, or an `x` before the extension
            rf"(?i)\b(?:{CONTACT_WORDS})\b\.?{NUMBER_LABEL}"
            rf"\K(?:[2-9]\d{{2}}-|\d-|x)?\d{{4,7}}(?!\d|[.:/]\d|[ \t]*(?:{DOSE_VOLUME_UNITS})\b)",
            0.75,
        ),
        Pattern(
            "local or unbroken number after a word that gives it",
            # `at 555 0142`, `voicemail at 5550142`, `call me at 6175550142`: the seven digits of a local number,
            # or ten run together; after `at` a bare four digits is a time, so not those
            rf"(?i)\b(?:{REACH_WORDS})\b{NUMBER_LABEL}"
            rf"\K(?:[2-9]\d{{2}}[ .\-]?\d{{4}}|[2-9]\d{{9}})(?![\w/\-]|[.:]\d|[ \t]*(?:{DOSE_VOLUME_UNITS})\b)",
            0.7,
        ),
        # `x7742` after a name or a role: an extension alone; `x2` or `x10` are counts
        Pattern("extension alone", r"(?i)(?<![\w.])x\d{4,5}(?![\w\-/]|\.\d)", 0.6),
    ]
    CONTEXT = ["phone", "tel", "cell", "pager", "beeper", "fax", "call", "home", "work", "office"]
