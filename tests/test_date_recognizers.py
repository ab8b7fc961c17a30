"""Dates and ages over 89, each recognizer alone and without the spaCy model."""

from __future__ import annotations

import pytest

from deidstream.detection.recognizers.dates.age_over_89 import AgeOver89Recognizer
from deidstream.detection.recognizers.dates.clinical_date import ClinicalDateRecognizer
from recognizer_cases import texts_found

DATES = [
    ("3/14 found by neighbour in kitchen", "3/14"),
    ("Admitted 22-Jul with chest pain.", "22-Jul"),
    ("Seen on July 22nd, 2011 in clinic.", "July 22nd, 2011"),
    ("Collected 2011-01-01 10:31.", "2011-01-01 10:31"),
    ("PMH: CVA in 96 and 02, left sided weakness.", "02"),
    ("DIGOXIN LEVEL HIGH-4/6/93.", "4/6/93"),
]
NOT_DATES = [
    "BP 110/70, HR 88; PEEP 10/5 on PS; pain 4/10; strength 5/5; given 1/2 NS at 125cc/hr.",
    "NURSING NOTE 1900-0700: at 1930 lasix 40 mg; Disc bulge at C5/6.",
]
AGES = [
    ("97 yo lady admitted through the ED", "97"),
    ("A 92-year-old woman with CHF.", "92"),
    ("Sex: F. Age: 101.", "101"),
    ("He is ninety-two years old.", "ninety-two"),
    ("Admission summary\n94 s/p syncope with wrist fx", "94"),
    ("Is it safe for my patient Ms. Quill (103 F) to fly?", "103"),
    ("Question about Mr. Ferro: he is 94 and on dialysis.", "94"),
]


@pytest.mark.parametrize(("text", "date"), DATES)
def test_clinical_dates(text: str, date: str) -> None:
    assert any(date in span for span in texts_found(ClinicalDateRecognizer(), text))


@pytest.mark.parametrize("text", NOT_DATES)
def test_measurements_are_no_dates(text: str) -> None:
    assert texts_found(ClinicalDateRecognizer(), text) == set()


@pytest.mark.parametrize(("text", "age"), AGES)
def test_ages_over_89(text: str, age: str) -> None:
    assert texts_found(AgeOver89Recognizer(), text) == {age}


def test_ages_up_to_89_are_kept() -> None:
    assert texts_found(AgeOver89Recognizer(), "An 89 yo man; age 45; 88-year-old.") == set()
    assert texts_found(AgeOver89Recognizer(), "She is 95% on RA; he is 98 kg; (92 mg) given; pt is 99/60.") == set()


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("PMH: HTN, 11 stent to RCA, 98 CABG, DM2", {"11", "98"}),
        ("HISTORY:\n- 04 NSTEMI\n- 09 cholecystectomy", {"04", "09"}),
        ("pt transferred to Pendlebury.6/14, stable", {"6/14"}),
        ("IV-4/12 started, flushes easily", {"4/12"}),
    ],
)
def test_two_digit_years_in_history_lists_and_dates_glued_to_words(text: str, dates: set[str]) -> None:
    assert texts_found(ClinicalDateRecognizer(), text) == dates


@pytest.mark.parametrize(
    "text",
    [
        "pt received 2 stents to LAD",  # a count of one digit
        "HR 88, 12 beats of NSVT",
        "RR-11/13, BP-12/5",  # a reading's label before a hyphen
        "pH 7.35-7/40 on the vent",  # inside a run of numbers
    ],
)
def test_counts_and_readings_glued_to_labels_are_no_dates(text: str) -> None:
    assert texts_found(ClinicalDateRecognizer(), text) == set()
