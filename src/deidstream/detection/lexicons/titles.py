"""Titles, roles and credentials: the words before or after which a word names a person.

Source: our own lists (Apache-2.0, as the project) of English courtesy and
professional titles, care roles and US clinical credentials; no corpus. Recognizers read a name next to them
(`Dr. Garrow`, `Sitter Maria`, `V. Lindqvist, RRT`); the NER's names are cut
after a title (`[Dr.] Okafor`); and vetoes never drop a name after a title
(`Dr. Murphy` is someone, `Murphy sign` is not). Each list is a regular-expression
alternation, to be used between word boundaries.
"""

from __future__ import annotations

# Courtesy titles of patients and relatives (`Mr. Albrecht`, `MRS KOVALCIK`, `Ms S.`).
COURTESY_TITLES = r"mr|mrs|ms|miss"
# Rarer courtesy titles, read by the courtesy-title recognizer only.
OTHER_COURTESY_TITLES = r"mister|mme|sir"
# Titles of doctors in their short forms (`Dr. Garrow`, `Drs Ferrante and Okonkwo`, `Prof. Lindqvist`).
DOCTOR_TITLES = r"dr|drs|doctor|prof"
# The same written out, plural, possessive or misspelt (`Doctors`, `Dr's`, `docter`).
DOCTOR_TITLE_FORMS = r"dr's|doctors|docter|professor"
# Words for the patient a note is about (`Patient John Smith`, `Pt Okafor`).
PATIENT_WORDS = r"patient|pt"
# Roles of clinicians and carers, before a name (`RN Okafor`, `Sitter Maria`, `chaplain Rev. X`, `SW Dana`, `HO
# Lindqvist`, the house officer).
CARE_ROLES = (
    r"attending|resident|fellow|intern|np|pa|rn|nurse|rrt|pcp|md|ho|house[ \t]+officer|cardiologist|surgeon|"
    r"oncologist|physician|"
    r"sitter|chaplain|pastor|rabbi|imam|rev|reverend|interpreter|translator|dietitian|nutritionist|therapist|"
    r"sw|social[ \t]+worker|case[ \t]+manager|tech|technician|technologist"
)
# Credentials after a clinician's name (`V. Lindqvist, RRT`, `Lenka Sousa, DO`), ignoring case unless marked.
CREDENTIALS = (
    r"md|m\.d\.|d\.o\.|rn|r\.n\.|rrt|crt|pa-c|lpn|cna|rph|pharmd|licsw|licws|lcsw|msw|slp|ccc|rd|phd|mph|bsn|msn|"
    r"cns|aprn|fnp|acnp|crna|cnm|facp|facs|mrcp|"
    # an osteopath in capitals at the end of a signature (`Lenka Sousa, DO`), not `to do`
    r"(?-i:DO)(?=[ \t]*(?:$|[,.;)\n]))|"
    # PA is also the pulmonary artery (`PA 50/25`, `PA line`, `PA's`), NP nasal prongs (`3L NP`)
    r"(?:pa|np)(?![ \t]*(?:'?s\b|\d|/|line|cath|catheter|port|pressures?|numbers|sats?|waves?|wedge))"
)
# Roles that sign a note besides credentials, after a comma or in brackets (`Grant (MA)`, `Dana, SW`).
SIGNING_ROLES = r"ma|cma|rma|sw|ot|pt|rt|slp|tech"
# Titles after which every word is a person's name again, whatever else it is (`Dr. Murphy`, `Nurse Will`).
NAMING_TITLES = rf"{DOCTOR_TITLES}|{COURTESY_TITLES}|nurse"
