"""Words before a place and words inside place names: motion, transfer, residence and origin cues, the words that
open a multi-word place name (`North`, `Fort`, `San`), and the geographic words that end one (`Cove`, `Falls`).

Source: our own lists (Apache-2.0, as the project) of English verbs of motion and
residence, the abbreviations notes write for them (`tx'd`, `d/c'd`, `c/o` for a call-out
from intensive care), and the common first and last words of US and world place
names (GeoNames' naming conventions); no corpus. The cued-place recognizer reads a
place after these cues in any case (`returned to east haddam`, `SON LIVES IN NORTH
COVE`, `transferred to 209 wexcombe`). Each list is a regular-expression alternation,
to be used between word boundaries, or a set of lower-case words; `PLACE_CUE` joins
them into the cue the recognizer reads.
"""

from __future__ import annotations

import regex

# Verbs of motion and transfer, before `to`, `from`, `at`, `into` or `back to` (`transferred to`, `c/o to`,
# `returned from`, `drove in from`; not `came in at midnight`, a time): where a patient or a relative goes or comes
# from.
MOTION_WORDS = (
    r"transferred|transfered|transferring|transfer|trans|tx'?d|txd|tx|xfer(?:red)?|xferd|xfr'?d|sent|admitted|admit|"
    r"adm|arrived|arriving|arrives|returned|returning|returns|return|went|going|goes|come|comes|came|coming|"
    r"discharged|discharging|discharge|d/c'?d|dc'?d|d/c|moved|moving|moves|flown|flew|flying|drove|driving|"
    r"brought|taken|headed|heading|travell?ed|travell?ing|traveling|visiting|vacationing|relocated|relocating|"
    r"c/o|called[ \t]+out|call[ \t]+out|co'?d|accepted|bound|en[ \t]*route|enroute"
)
MOTION_PREPOSITIONS = (
    r"(?:(?:back|in|up|down|over|out)[ \t]+(?:to|from)|(?:back[ \t]+)?(?:to|from|at|@|into|in|towards?))"
)
# Verbs and nouns of residence and origin, before `in`, `at`, `near`, `of`, `from` or `outside (of)` (`lives in`,
# `resident of`, `originally from`).
RESIDENCE_WORDS = (
    r"lives?|living|lived|resides?|residing|resided|resident|residence|stays?|staying|stayed|located|home|"
    r"hometown|born|raised|grew[ \t]+up"
)
# Where someone is from, the preposition included (`is originally from`, `native of`).
ORIGIN_PHRASES = (
    r"(?:is|are|was|were)[ \t]+(?:originally[ \t]+)?from|originally[ \t]+from|native[ \t]+of|hails[ \t]+from"
)
RESIDENCE_PREPOSITIONS = (
    r"(?:(?:is|are|was|were|now|still|currently|all|nearby)[ \t]+)*(?:in|at|near|of|from|outside(?:[ \t]+of)?)"
)
# A room, bed or floor number written before a ward's name (`to 209 wexcombe`, `to rm 12 Harlow`).
ROOM_BEFORE = r"(?:(?:rm|room|bed|bd|unit)\.?[ \t]*#?[ \t]*)?\d{1,4}[A-Za-z]?[ \t]+"
# A cue and what may stand between it and the place: `the` and a room or bed number (`to the 209 Pendlebury`);
# `residence` or `origin` says where someone lives or comes from rather than goes.
PLACE_CUE = regex.compile(
    rf"(?i)(?<![\p{{L}}/])(?:(?:{MOTION_WORDS})[ \t]+{MOTION_PREPOSITIONS}|(?P<residence>{RESIDENCE_WORDS})[ \t]+"
    rf"{RESIDENCE_PREPOSITIONS}|(?P<origin>{ORIGIN_PHRASES}))[ \t]+(?P<the>the[ \t]+)?(?:{ROOM_BEFORE})?(?=\p{{L}})"
)
# Words that open multi-word place names and name no place alone (`North Cove`, `Fort Ames`, `San Lucas`).
PLACE_NAME_OPENERS = frozenset(
    "north south east west northeast northwest southeast southwest new old fort ft mount mt lake port saint st ste "
    "san santa sao los las el la le les glen upper lower little great grand".split()
)
# Geographic words that end a place name after an opener (`North Cove`, `EAST FALLS`, `West End`).
PLACE_NAME_ENDINGS = frozenset(
    "cove falls beach springs spring heights park harbor harbour hills hill village center centre county island "
    "isle junction valley river creek lake point bay end side shore haven port city town ville bridge ford field "
    "fields grove ridge woods wood mills mill meadow meadows plains landing crossing station".split()
)
