"""Places after a word of motion, transfer, residence or origin (`CuedPlaceRecognizer`), in invented text: in any
case, of several words, after a room number; and the clinical destinations and English words it leaves alone."""

from __future__ import annotations

import pytest

from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.detection.recognizers.places.cued_place import CuedPlaceRecognizer
from recognizer_cases import texts_found

PLACES = [
    ("returned to glen burnie today, tolerating diet", "glen burnie"),
    ("DAUGHTER LIVES IN SOUTH MEADOWS WITH HER KIDS", "SOUTH MEADOWS"),
    ("Son lives in Fort Orrindale with his wife.", "Fort Orrindale"),
    ("pt transferred to 412 dunmarrow at 1500", "dunmarrow"),
    ("c/o to dunmarrow if continues stable", "dunmarrow"),
    ("tx'd to rm 7 Quellbrook this am", "Quellbrook"),
    ("She is originally from San Teodoro Falls.", "San Teodoro Falls"),
    ("WIFE DROVE IN FROM EAST HADDAM LAST NIGHT", "EAST HADDAM"),
    ("Pt's sister visiting from Kraków, speaks Polish.", "Kraków"),
]
NOT_PLACES = [
    "transferred to ICU for closer monitoring",
    "returned to bed after walking in hall",
    "lives with wife, who helps with meds",
    "went to OR at 0800, back at noon",
    "PT CAME FROM HOME WITH WIFE",
    "bleeding is from hemroids per pt",
    "Sent to CT then back to the floor.",
    "moved to New Mexico last year",  # a state is no identifier
    "Daughter lives in the east end of town.",
    "d/c'd to home with services",
    "SON CAME IN AT NITEFALL TO SIT WITH HER",  # `in at` gives a time
]


@pytest.mark.parametrize(("text", "place"), PLACES)
def test_places_after_a_cue(vocabulary: Vocabulary, text: str, place: str) -> None:
    assert texts_found(CuedPlaceRecognizer(vocabulary), text) == {place}


@pytest.mark.parametrize("text", NOT_PLACES)
def test_clinical_destinations_and_english_words_are_no_places(vocabulary: Vocabulary, text: str) -> None:
    assert texts_found(CuedPlaceRecognizer(vocabulary), text) == set()


def test_lower_case_unknown_word_only_after_motion_in_lower_case_text(vocabulary: Vocabulary) -> None:
    """A lower-case word no list holds is a ward only where patients are moved and the line has no capitals;
    in mixed case a place would be capitalised (`went to bathrom` is a slip)."""
    recognizer = CuedPlaceRecognizer(vocabulary)
    assert texts_found(recognizer, "Pt transferred to dunmarrow overnight.") == set()
    assert texts_found(recognizer, "family lives in dunmarrow") == set()
