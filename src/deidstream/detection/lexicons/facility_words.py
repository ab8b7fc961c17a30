"""The words that end a facility's name (`Hospital`, `Memorial`, `Rehab`), shared by the hospital recognizer, which
finds names before them, and by mention propagation, which looks for the same name again without them."""

from __future__ import annotations

import regex as re

# Facility words that end a name whatever words precede them (`Bellwood Valley Memorial`).
STRONG_FACILITY_WORDS = (
    r"hospital|hosp|hospitals|medical[ \t]+cent(?:er|re)|med[ \t]+ctr|health[ \t]+cent(?:er|re)|memorial|regional|"
    r"clinic|infirmary|hospice|nursing[ \t]+(?:home|center|facility)|rehabilitation[ \t]+(?:center|hospital)|"
    r"healthcare|health[ \t]+system|associates|practice|pavilion|institute"
)
# Facility words that are also everyday words (`house diet`, `general anesthesia`): only after a non-English word.
WEAK_FACILITY_WORDS = r"rehab|house|manor|campus|general|nh|snf|lodge|center|centre|inn|hotel|motel"
FACILITY_AFTER = re.compile(rf"(?i)\b(?:(?P<strong>{STRONG_FACILITY_WORDS})|{WEAK_FACILITY_WORDS})\b")
