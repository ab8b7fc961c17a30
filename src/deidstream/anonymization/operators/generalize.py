"""`generalize`: what HIPAA Safe Harbor lets a record keep of dates, ages and ZIP codes.

Dates keep their year only (a date without a year becomes `<DATE_TIME>`), ages
over 89 become `90+`, and ZIP codes their first three digits, except the
three-digit areas with 20,000 people or fewer, which become `000`
(45 CFR 164.514(b)(2)(i)(B), with the Census 2000 list of such prefixes).
"""

from __future__ import annotations

import re

from deidstream.anonymization.dates import read_date
from deidstream.anonymization.operators.base import MessageContext, Operator, tag
from deidstream.entity import EntityType

RESTRICTED_ZIP3 = frozenset(
    {
        "036",
        "059",
        "063",
        "102",
        "203",
        "556",
        "692",
        "790",
        "821",
        "823",
        "830",
        "831",
        "878",
        "879",
        "884",
        "890",
        "893",
    }
)
OLDEST_KEPT_AGE = 89
TOP_AGE = "90+"


class GeneralizeOperator(Operator):
    def replace(self, entity_type: str, original: str, context: MessageContext) -> str:
        if entity_type == EntityType.DATE_TIME:
            return _year(original)
        if entity_type == EntityType.AGE:
            return _age(original)
        if entity_type == EntityType.ZIP_CODE:
            return _zip3(original)
        return tag(entity_type)


def _year(original: str) -> str:
    written = read_date(original.strip())
    if written is None or written.year is None:
        return tag(EntityType.DATE_TIME)
    return str(written.year)


def _age(original: str) -> str:
    """`92` gives `90+`; words such as `nonagenarian` too; an age of 89 or less is no identifier and stays."""
    number = re.search(r"\d+", original)
    if number is not None and int(number.group()) <= OLDEST_KEPT_AGE:
        return original
    return TOP_AGE


def _zip3(original: str) -> str:
    digits = re.fullmatch(r"(\d{3})\d{2}(?:[- ]?\d{4})?", original.strip())
    if digits is None:
        return tag(EntityType.ZIP_CODE)
    prefix = digits.group(1)
    return "000" if prefix in RESTRICTED_ZIP3 else prefix
