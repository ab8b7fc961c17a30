"""Words for relatives and other contacts of a patient: `wife`, `son`, `niece`, `health care proxy`.

Source: our own list (Apache-2.0, as the project) of English kinship and contact
words; no corpus. The relative-name recognizer reads a name next to one (`wife
Mary`, `Walt K. (son)`); MisspeltWordVeto drops a relation word typed with a slip
that the NER or a cue took for a name (`Neice called`).
"""

from __future__ import annotations

RELATIONS = (
    # the longer relation first, so that `brother in law Ernesto` is not read as `brother` then `in`
    r"(?:daughter|son|mother|father|sister|brother)[ \t-]in[ \t-]law|"
    r"wife|husband|spouse|partner|fianc[eé]e?|son|sons|daughter|daughters|child|mother|mom|father|dad|"
    r"sister|sisters|brother|brothers|niece|nephew|aunt|uncle|cousin|grand(?:daughter|son|mother|father|child)|"
    r"step[ -]?(?:daughter|son|mother|father)|in-law|friend|neighbou?r|guardian|proxy|hcp|spokesperson|"
    r"caregiver|companion|girlfriend|boyfriend|neice|room-?mate|housemate|flatmate|landlord|landlady|"
    r"significant[ \t]+other|"
    r"emergency[ \t]+contact|contact[ \t]+person|next[ \t]+of[ \t]+kin|nok|poa|health[ \t]*care[ \t]+proxy"
)
# Relation words of one word, singular and plural, that a slip of the keyboard may turn into a name-like word
# (`neice`, `daughtr`, `sistre`): MisspeltWordVeto.
RELATION_WORDS = frozenset(
    "wife wives husband husbands spouse partner fiance fiancee daughter daughters mother father sister sisters "
    "brother brothers niece nieces nephew nephews aunt aunts uncle uncles cousin cousins granddaughter grandson "
    "grandmother grandfather grandchild grandchildren stepdaughter stepson stepmother stepfather friend friends "
    "neighbor neighbour guardian caregiver companion girlfriend boyfriend roommate housemate landlord landlady "
    "children parents parent relative relatives family".split()
)
