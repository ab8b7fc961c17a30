"""What detection hands on: the `Entity` span and the `EntityType` of what it holds.

The bottom of deidstream: detection makes entities, and formats, anonymization,
policies and evaluation read them. This module imports nothing of deidstream, so
every layer may import it and none can form a cycle through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EntityType(StrEnum):
    """Every kind of PHI a detection can be; a policy names operators for these. Members are their names as
    strings (`EntityType.PERSON == "PERSON"`), as in Presidio's results, policies and output headers."""

    PERSON = "PERSON"  # patients, relatives, clinicians
    DATE_TIME = "DATE_TIME"  # dates, with or without a time of day
    AGE = "AGE"  # ages over 89 (HIPAA Safe Harbor)
    HOSPITAL = "HOSPITAL"  # hospitals, clinics, wards and other facilities
    STREET_ADDRESS = "STREET_ADDRESS"
    LOCATION = "LOCATION"  # cities, states, countries and other places
    ZIP_CODE = "ZIP_CODE"
    PHONE_NUMBER = "PHONE_NUMBER"  # phone, fax and pager numbers
    EMAIL_ADDRESS = "EMAIL_ADDRESS"
    URL = "URL"
    IP_ADDRESS = "IP_ADDRESS"
    US_SSN = "US_SSN"
    ID = "ID"  # medical record, file, accession, account and encounter numbers
    DEVICE_ID = "DEVICE_ID"  # device serial numbers and identifiers
    LICENSE_NUMBER = "LICENSE_NUMBER"  # licence, certificate and DEA numbers
    CREDIT_CARD = "CREDIT_CARD"  # card numbers that pass the Luhn check (Presidio's recognizer)


# Every type's name, as plain strings: a set to look names up in (`"PERSON" in ENTITY_TYPES`) and to list in messages.
ENTITY_TYPES = frozenset(member.value for member in EntityType)


@dataclass(frozen=True)
class Entity:
    """One detected PHI span; carries offsets and type, never the text itself."""

    start: int
    end: int
    type: EntityType
    score: float
    recognizer: str = ""  # the recognizer (or post-pass) that proposed it, for `deidstream eval` and `analyze`
