"""Each operator on its own: layouts kept, HIPAA rules followed, keys doing what they promise, originals never back."""

from __future__ import annotations

import re
from datetime import date

import pytest

from deidstream.anonymization.anonymizer import build_operator
from deidstream.anonymization.dates import read_date
from deidstream.anonymization.normalize import canonical, name_words
from deidstream.anonymization.operators.base import MessageContext
from deidstream.anonymization.operators.encrypt import EncryptOperator
from deidstream.anonymization.operators.shift_date import ShiftDateOperator
from deidstream.anonymization.policy import Encrypt, Generalize, Mask, Redact, Surrogate, Tag, Token
from deidstream.anonymization.secret import Secret

SECRET = Secret(b"test secret, 32 bytes long......")
OTHER_SECRET = Secret(b"another secret of enough length!")
NO_CONTEXT = MessageContext()


@pytest.mark.parametrize(
    ("written", "shifted"),
    [
        ("7/22/2011", "8/1/2011"),
        ("07/02/11", "07/12/11"),
        ("22.07.2011", "01.08.2011"),
        ("7/22", "8/1"),
        ("2011-07-25 10:31", "2011-08-04 10:31"),
        ("July 22, 2011", "August 1, 2011"),
        ("JULY 22ND, 2011", "AUGUST 1ST, 2011"),
        ("Jul. 22", "Aug. 1"),
        ("Sept 3", "Sept 13"),
        ("22-Jul-2011", "1-Aug-2011"),
        ("22nd of July", "1st of August"),
        ("Dec 31st, '99", "Jan 10th, '00"),
        ("12/31/2011 11:59 PM", "1/10/2012 11:59 PM"),
    ],
)
def test_a_shifted_date_keeps_its_layout(written: str, shifted: str) -> None:
    assert read_date(written).shifted(10) == shifted


def test_partial_dates_move_with_their_anchor_and_unreadable_ones_are_refused() -> None:
    assert read_date("july 2011").shifted(-200) == "december 2010"
    assert read_date("'92").shifted(-200) == "'91"
    assert read_date("2011").year == 2011
    assert read_date("Feb 29").anchor() == date(2000, 2, 29), "a date without a year counts in a leap year"
    for unreadable in ("11th", "45/45/2011", "Tuesday"):
        assert read_date(unreadable) is None


def test_names_are_one_identity_in_every_spelling() -> None:
    spellings = ["John Smith", "JOHN SMITH", "Smith, John", "Dr. John Smith, MD", "john smith"]
    assert {canonical("PERSON", spelling) for spelling in spellings} == {"john smith"}
    assert [(w.text, w.role) for w in name_words("Smith, John A.")] == [
        ("Smith", "family"),
        ("John", "given"),
        ("A.", "initial"),
    ]
    assert name_words("John")[0].role == "given" and name_words("Taylor")[0].role == "family"
    assert canonical("PHONE_NUMBER", "(617) 555-1234") == canonical("PHONE_NUMBER", "617.555.1234")


def surrogate(entity_type: str, text: str, secret: Secret = SECRET) -> str:
    return build_operator(Surrogate(operator="surrogate"), secret).replace(entity_type, text, NO_CONTEXT)


def test_surrogate_names_are_one_family_in_every_spelling_and_change_with_the_secret() -> None:
    given, family = surrogate("PERSON", "John Smith").split()
    assert surrogate("PERSON", "JOHN SMITH") == f"{given} {family}".upper()
    assert surrogate("PERSON", "Smith, John") == f"{family}, {given}"
    assert surrogate("PERSON", "Mary Smith").split()[1] == family, "relatives keep one fake family name"
    assert surrogate("PERSON", "Dr. John A. Smith Jr.").startswith(f"Dr. {given} ")
    assert surrogate("PERSON", "John Smith", OTHER_SECRET) != f"{given} {family}"


@pytest.mark.parametrize(
    ("entity_type", "text", "shape"),
    [
        ("PHONE_NUMBER", "(617) 555-1234 x12", r"\(\d{3}\) \d{3}-\d{4} x\d{2}"),
        ("ID", "MR-004512", r"[A-Z]{2}-\d{6}"),
        ("US_SSN", "123-45-6789", r"\d{3}-\d{2}-\d{4}"),
        ("ZIP_CODE", "02114", r"\d{5}"),
        ("IP_ADDRESS", "10.0.0.1", r"\d+\.\d+\.\d+\.\d+"),
        ("EMAIL_ADDRESS", "jsmith@gmail.com", r"[^@\s]+@[^@\s]+"),
        ("HOSPITAL", "St. Mary's Clinic", r"\S+ Clinic"),
        ("HOSPITAL", "MASSACHUSETTS GENERAL HOSPITAL", r"[A-Z'\-]+ GENERAL HOSPITAL"),
        ("LOCATION", "Boston", r"[A-Z].*"),
        ("STREET_ADDRESS", "55 Fruit Street", r"\d+ .+"),
    ],
)
def test_surrogates_keep_the_kind_and_shape(entity_type: str, text: str, shape: str) -> None:
    value = surrogate(entity_type, text)
    assert re.fullmatch(shape, value), value
    assert value == surrogate(entity_type, text)


def test_surrogates_never_give_the_original_back() -> None:
    for number in range(1000):
        digit = str(number % 10)
        assert surrogate("ID", digit) != digit
        assert surrogate("ID", f"{number:03}") != f"{number:03}"
    for name in ("John Smith", "Mary Jones", "Smith", "Lee", "A. Brown", "Jo", "Boston"):
        value = surrogate("PERSON", name)
        assert not set(value.casefold().split()) & set(name.casefold().split()), (name, value)


def test_tokens_are_keyed_consistent_and_sized() -> None:
    token = build_operator(Token(operator="token"), SECRET)
    first = token.replace("PERSON", "John Smith", NO_CONTEXT)
    assert first.startswith("PERSON_") and len(first) == len("PERSON_") + 12
    assert token.replace("PERSON", "Smith, JOHN", NO_CONTEXT) == first
    assert build_operator(Token(operator="token"), OTHER_SECRET).replace("PERSON", "John Smith", NO_CONTEXT) != first
    long = build_operator(Token(operator="token", length=32), SECRET).replace("PERSON", "John Smith", NO_CONTEXT)
    assert long.startswith(first) and len(long) == len("PERSON_") + 32


def test_shifts_are_per_patient_never_zero_and_within_bounds() -> None:
    shift = ShiftDateOperator(SECRET, max_days=30)
    offsets = [shift.offset_days(f"patient-{n}".encode()) for n in range(2000)]
    assert all(offset != 0 and -30 <= offset <= 30 for offset in offsets)
    assert len(set(offsets)) == 60
    assert shift.offset_days(b"patient-1") == ShiftDateOperator(SECRET, max_days=30).offset_days(b"patient-1")
    assert shift.replace("DATE_TIME", "11th", MessageContext(b"p")) == "<DATE_TIME>"
    with pytest.raises(ValueError, match="patient key"):
        shift.replace("DATE_TIME", "7/22/2011", NO_CONTEXT)


@pytest.mark.parametrize(
    ("entity_type", "text", "generalized"),
    [
        ("DATE_TIME", "7/22/2011", "2011"),
        ("DATE_TIME", "July 22, 2011 10:31 AM", "2011"),
        ("DATE_TIME", "'92", "1992"),
        ("DATE_TIME", "7/22", "<DATE_TIME>"),
        ("AGE", "92", "90+"),
        ("AGE", "104", "90+"),
        ("AGE", "nonagenarian", "90+"),
        ("AGE", "89", "89"),
        ("ZIP_CODE", "02114", "021"),
        ("ZIP_CODE", "02114-1234", "021"),
        ("ZIP_CODE", "ZIP", "<ZIP_CODE>"),
    ]
    + [("ZIP_CODE", f"{prefix}42", "000") for prefix in ("036", "059", "063", "102", "203", "556", "692", "790")]
    + [("ZIP_CODE", f"{prefix}42", "000") for prefix in ("821", "823", "830", "831", "878", "879", "884", "890", "893")]
    + [("ZIP_CODE", "03742", "037"), ("ZIP_CODE", "89142", "891")],
)
def test_generalize_follows_safe_harbor(entity_type: str, text: str, generalized: str) -> None:
    assert build_operator(Generalize(operator="generalize"), None).replace(entity_type, text, NO_CONTEXT) == generalized


def test_tag_redact_and_mask() -> None:
    assert build_operator(Tag(), None).replace("PERSON", "John", NO_CONTEXT) == "<PERSON>"
    assert build_operator(Redact(operator="redact"), None).replace("PERSON", "John", NO_CONTEXT) == ""
    mask = build_operator(Mask(operator="mask", char="#", keep_last=4), None)
    assert mask.replace("PHONE_NUMBER", "(617) 555-1234", NO_CONTEXT) == "(###) ###-1234"


def test_encryption_round_trips_only_with_the_same_secret() -> None:
    encrypt = EncryptOperator(SECRET)
    marker = encrypt.replace("PERSON", "Zoë O'Brien", NO_CONTEXT)
    assert "Zo" not in marker and marker == encrypt.replace("PERSON", "Zoë O'Brien", NO_CONTEXT)
    text = f"Seen by {marker} today."
    assert encrypt.reidentify(text) == ("Seen by Zoë O'Brien today.", 0)
    assert EncryptOperator(OTHER_SECRET).reidentify(text) == (text, 1)
    assert encrypt.reidentify(text.replace("[ENC:PERSON:", "[ENC:ID:")) == (text.replace("[ENC:PERSON:", "[ENC:ID:"), 1)


def test_keyed_operators_refuse_to_be_built_without_a_secret() -> None:
    for spec in (Surrogate(operator="surrogate"), Token(operator="token"), Encrypt(operator="encrypt")):
        with pytest.raises(ValueError, match="needs the secret"):
            build_operator(spec, None)
