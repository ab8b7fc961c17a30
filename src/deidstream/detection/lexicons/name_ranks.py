"""How frequent a census name must be for each rule to trust it, side by side.

The US Census lists (`deidstream.census`: public-domain census data shipped by
the MIT-licensed `names` package; 88,799 surnames, 5,494 first names, ranked by
frequency) hold rare names that are also English words, abbreviations
or typing slips (`Numbers`, `gluc`, `stoll`). Each rule that takes a listed name
without a stronger cue trusts it only up to a rank; the ranks differ because the
cues differ in strength, and each was set where `deidstream eval` showed the
next step up costing more false alarms than it found names.
"""

from __future__ import annotations

# A capitalised first name inside a sentence of mixed-case text is a name even when it is a word (`work with Helen`).
FIRST_NAME_IN_SENTENCE_RANK = 500
# First names this frequent are names even when they are English words too (`Bill`, `Mark`, `Rich`).
COMMON_FIRST_NAME_RANK = 1500
# Census names this frequent are names even one slip from an English word (`Devine`, `Moore`); rarer ones are
# more often the slip (`stoll` for stool, `couts` for counts, `deines` for denies).
MISSPELT_NAME_MAX_RANK = 3000
# Census names this frequent sign notes even when WordNet lists them too (`Cunningham`, `Park`; not `Given`).
SIGNING_NAME_RANK = 3000
# Surnames this frequent are names after an initial even when they are words (`Chang`, `White`, `Young`).
FREQUENT_SURNAME_RANK = 5000
# Surnames this frequent are names before a credential even when they are words too (`JONES, RRT`, not `SKIN CARE RN`).
CREDENTIALED_NAME_RANK = 10_000
# Rarer census names are too often abbreviations or misspellings in notes (`gluc`, `stas`) to take without a cue.
NAME_WITHOUT_CUE_RANK = 20_000
