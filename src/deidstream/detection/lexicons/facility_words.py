"""Words of facility names: those that end one (`Hospital`, `Memorial`, `Rehab`), those inside one that name none
alone (`Community`, `General`), and those that qualify a facility without naming it (`outside`, `cardiac rehab`).

Source: our own lists (Apache-2.0, as the project) of the words of US facility
names and of how notes refer to facilities; no corpus. The hospital recognizer finds names before the ending words,
mention propagation looks for the same name again without them, and
ClinicalTermVeto drops a facility's kind alone (`[HOSPITAL]`).
"""

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
# A facility's kind, which names no facility alone (`transfer from ASHGROVE [HOSPITAL]`): ClinicalTermVeto.
FACILITY_KINDS = r"hospital|hosp|clinic|infirmary|hospice|healthcare"
# Words that qualify a facility without naming it (`outside hospital`, `this hospital`, `cardiac rehab`,
# `short term rehab`): the hospital recognizer stops a name at them.
GENERIC_QUALIFIERS = frozenset(
    "outside this that other previous prior prev local another same home osh rehab the a an his her their our "
    "acute chronic psychiatric private teaching area nearby new old current brief during basic self hosp "
    "leave left leaving enter entered entering admit admitted discharge discharged "
    "cardiac pulmonary cardiopulmonary physical occupational vocational stroke vestibular inpatient outpatient "
    "subacute short long term skilled day residential assisted living group halfway".split()
)
# Words inside facility names that do not name one by themselves (`Moody Community Hospital`).
CONNECTORS = frozenset(
    "community general memorial regional county university medical children's women's family and nursing "
    "rehabilitation specialty surgical cancer heart medicine surgery cardiology oncology psychiatry radiology "
    "neurology pathology dialysis endoscopy hospice pharmacy".split()
)
