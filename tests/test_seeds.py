"""Known identifiers found again in text: the forms of issue 14's seeding, which the patient directory shares.

All names, numbers and dates are invented for these tests.
"""

from __future__ import annotations

import pytest

from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.formats.seeds import MAX_KNOWN, KnownIdentifiers


def found(known: KnownIdentifiers, text: str, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    return sorted(
        {(text[entity.start : entity.end], entity.type) for entity in known.find(text, vocabulary.is_everyday_word)}
    )


def patient() -> KnownIdentifiers:
    known = KnownIdentifiers()
    known.add_name(["ISOLDE"], ["MORWENNA"])
    known.add_name(["IZZY"], [])  # a nickname
    known.add_name(["CASPIAN"], ["MORWENNA"])  # next of kin
    known.add_value("ID", "MRN0003302911")
    known.add_value("PHONE_NUMBER", "207-555-0166")
    known.add_value("US_SSN", "999-60-2210")
    known.add_value("EMAIL_ADDRESS", "izzy.m@example.org")
    known.add_value("STREET_ADDRESS", "12 Wicket Lane")
    known.add_value("LOCATION", "Saltmarsh")
    known.add_date(1980, 7, 14)
    return known


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("izzy morwenna seen today", ["izzy", "morwenna"]),
        ("MORWENNA ISOLDE, 43F", ["MORWENNA", "ISOLDE", "MORWENNA ISOLDE"]),
        ("Morwenna's husband Caspian", ["Morwenna", "Caspian"]),  # the possessive stays outside
        ("seen by I. Morwenna and i morwenna", ["I. Morwenna", "Morwenna", "i morwenna", "morwenna"]),
        ("Morwenna, I. arrived", ["Morwenna", "Morwenna, I."]),
        ("signed I.M. and I. M.", ["I.M.", "I. M."]),
        ("Isolde K. Morwenna", ["Isolde", "Morwenna", "Isolde K. Morwenna"]),
        ("Izzy254 Morwenna605", ["Izzy254", "Morwenna605"]),  # Synthea's digits
        ("the izzyx and premorwenna words", []),
    ],
)
def test_names_in_any_case_possessive_and_with_initials(text: str, expected: list[str], vocabulary: Vocabulary) -> None:
    assert sorted(value for value, kind in found(patient(), text, vocabulary) if kind == "PERSON") == sorted(expected)


def test_a_given_name_that_is_an_everyday_word_is_found_only_within_the_whole_name(vocabulary: Vocabulary) -> None:
    known = KnownIdentifiers()
    known.add_name(["Will"], ["Quenby"])
    known.add_name(["Mark"], ["White"])
    text = (
        "Will Quenby called; will quenby agrees. He will call back. Mark White: mark the chart, white count ok. WHITE"
    )
    persons = [value for value, kind in found(known, text, vocabulary) if kind == "PERSON"]
    assert "Will Quenby" in persons and "will quenby" in persons
    assert "Mark White" in persons
    assert "will" not in persons and "mark" not in persons, "given names that are everyday words: not alone"
    assert "white" not in persons and "White" in persons and "WHITE" in persons, "family names: capitalized alone"


def test_numbers_in_their_usual_forms(vocabulary: Vocabulary) -> None:
    text = (
        "MRN 3302911, MRN-3302911 and 0003302911; not 33029110. Call (207) 555-0166, 207.555.0166, 555 0166 or "
        "207/555/0166; not 555-0167. SSN 999602210."
    )
    result = found(patient(), text, vocabulary)
    ids = [value for value, kind in result if kind == "ID"]
    phones = [value for value, kind in result if kind == "PHONE_NUMBER"]
    assert sorted(ids) == ["0003302911", "3302911", "MRN-3302911"]
    assert {"207) 555-0166", "207.555.0166", "555 0166", "207/555/0166"} <= set(phones)
    assert not any("0167" in phone for phone in phones)
    assert ("999602210", "US_SSN") in result


@pytest.mark.parametrize(
    "written",
    [
        "1980-07-14", "19800714", "07/14/1980", "7/14/1980", "7/14/80", "07-14-1980", "14.07.1980", "14/07/1980",
        "July 14, 1980", "Jul 14th 1980", "jul. 14, '80", "14 July 1980", "14th of July, 1980", "14-Jul-1980",
        "14-JUL-80",
    ],
)  # fmt: skip
def test_the_birth_date_in_every_usual_layout(written: str, vocabulary: Vocabulary) -> None:
    assert found(patient(), f"DOB: {written}.", vocabulary) == [(written, "DATE_TIME")]


@pytest.mark.parametrize("other", ["07/15/1980", "1981-07-14", "7/14/1981", "14.08.1980", "BP 114/80", "07/14"])
def test_other_dates_and_numbers_are_not_the_birth_date(other: str, vocabulary: Vocabulary) -> None:
    assert not [kind for _, kind in found(patient(), f"seen {other} here", vocabulary) if kind == "DATE_TIME"]


def test_a_day_first_date_is_read_only_where_it_cannot_be_month_first(vocabulary: Vocabulary) -> None:
    known = KnownIdentifiers()
    known.add_date(1975, 4, 3)  # 3 April
    assert found(known, "dob 04/03/1975", vocabulary) == [("04/03/1975", "DATE_TIME")]
    assert found(known, "dob 03/04/1975", vocabulary) == [], "month first: 4 March, another date"
    assert found(known, "dob 03.04.1975", vocabulary) == [("03.04.1975", "DATE_TIME")], "dots: day first"


def test_addresses_and_e_mail(vocabulary: Vocabulary) -> None:
    text = "lives at 12 wicket lane, SALTMARSH; walks on Wicket Lane. mail IZZY.M@example.org"
    result = found(patient(), text, vocabulary)
    assert ("12 wicket lane", "STREET_ADDRESS") in result and ("Wicket Lane", "STREET_ADDRESS") in result
    assert ("SALTMARSH", "LOCATION") in result
    assert ("IZZY.M@example.org", "EMAIL_ADDRESS") in result


def test_a_town_that_is_an_everyday_word_is_found_only_capitalized(vocabulary: Vocabulary) -> None:
    known = KnownIdentifiers()
    known.add_value("LOCATION", "Reading")
    assert found(known, "reading a book in Reading", vocabulary) == [("Reading", "LOCATION")]


def test_text_in_letters_whose_lower_case_is_longer_keeps_its_offsets(vocabulary: Vocabulary) -> None:
    text = "İİ note: morwenna seen"
    assert found(patient(), text, vocabulary) == [("morwenna", "PERSON")]


def test_roles_of_name_words_and_the_field_a_number_stands_for() -> None:
    known = patient()
    known.add_name(["Morgan"], ["Lee"])
    known.add_name(["Lee"], ["Morgan"])  # both ways: no role
    roles = known.name_roles()
    assert roles["isolde"] == "given" and roles["morwenna"] == "family" and roles["izzy"] == "given"
    assert "lee" not in roles and "morgan" not in roles
    assert known.field_form("ID", "3302911") == "MRN0003302911"
    assert known.field_form("PHONE_NUMBER", "555.0166") == "207-555-0166"
    assert known.field_form("US_SSN", "999 60 2210") == "999-60-2210"
    assert known.field_form("ID", "4402911") is None


def test_clinicians_seed_their_message_but_are_not_the_patients() -> None:
    known = patient()
    known.add_name(["ELSPETH"], ["TREVANION"], staff=True)
    known.add_value("ID", "NPI1234567", staff=True)
    entry = known.about_patient()
    assert ["ELSPETH"] not in [given for given, _ in entry.names]
    assert ("ID", "NPI1234567") not in entry.values
    assert known.find("trevanion", lambda word: False), "the message's own text is still searched for them"


def test_merging_keeps_what_is_known_and_adds_what_is_new() -> None:
    first = patient().about_patient()
    later = KnownIdentifiers()
    later.add_value("PHONE_NUMBER", "207-555-0199")
    later.add_name(["isolde"], ["morwenna"])  # known already, in another case
    merged = first.merged(later)
    assert ("PHONE_NUMBER", "207-555-0166") in merged.values and ("PHONE_NUMBER", "207-555-0199") in merged.values
    assert len(merged.names) == len(first.names)
    assert merged.covers(later) and not first.covers(later)
    many = KnownIdentifiers()
    for number in range(MAX_KNOWN + 5):
        many.add_value("ID", f"ACC{number:06d}")
    assert len(first.merged(many).values) == MAX_KNOWN, "an entry keeps its most recent items"
