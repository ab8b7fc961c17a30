"""What detection hands on: the `Entity` span and the catalogue of entity types.

The bottom of the detection package: recognizers, policies, anonymization and
evaluation import from here, and this module imports nothing of deidstream, so
no layer above can form a cycle through it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    """One detected PHI span; carries offsets and type, never the text itself."""

    start: int
    end: int
    type: str
    score: float
    recognizer: str = ""  # the recognizer (or post-pass) that proposed it, for `deidstream eval` and `analyze`


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

# Every type above; a policy names operators for these, and its default covers them and any other.
ENTITY_TYPES = frozenset(
    {
        PERSON, DATE_TIME, AGE, HOSPITAL, STREET_ADDRESS, LOCATION, ZIP_CODE, PHONE_NUMBER, EMAIL_ADDRESS, URL,
        IP_ADDRESS, US_SSN, ID, DEVICE_ID, LICENSE_NUMBER, CREDIT_CARD,
    }
)  # fmt: skip
