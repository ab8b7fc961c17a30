"""Streets, towns of address lines, ZIP codes, regions, hospitals and towns, one recognizer at a time.

The pattern recognizers run without the spaCy model; the vocabulary ones use the session's word lists.
"""

from __future__ import annotations

import pytest
import spacy
from presidio_analyzer.nlp_engine import NlpArtifacts

from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.detection.recognizers.places.gazetteer_place import GazetteerPlaceRecognizer
from deidstream.detection.recognizers.places.hospital import HospitalRecognizer
from deidstream.detection.recognizers.places.place import PlaceRecognizer
from deidstream.detection.recognizers.places.region import RegionRecognizer
from deidstream.detection.recognizers.places.street_address import (
    CityOfAddressRecognizer,
    StreetAddressRecognizer,
    TownOfAddressRecognizer,
    ZipCodeRecognizer,
)
from recognizer_cases import found, texts_found

ADDRESS_LINES = [
    # text, street, town, zip (None when the line has none)
    ("Pt lives at 82590 Jennifer Lodge, Smithborough.", "82590 Jennifer Lodge", "Smithborough", None),
    ("Mail to 1234 Oak St, Apt 5, Springfield, IL 62704", "1234 Oak St, Apt 5", "Springfield", "62704"),
    ("Home: 48 Elm Street, Saint-Étienne", "48 Elm Street", "Saint-Étienne", None),
    ("Daughter at 7 Harrow Road, Llanfair, then abroad.", "7 Harrow Road", "Llanfair", None),
    ("HOME 310 MAPLE AVENUE, NORTHGATE, OH 43001", "310 MAPLE AVENUE", "NORTHGATE", "43001"),
]


@pytest.mark.parametrize(("text", "street", "town", "zip_code"), ADDRESS_LINES)
def test_address_lines_through_town_and_zip(text: str, street: str, town: str, zip_code: str | None) -> None:
    assert street in texts_found(StreetAddressRecognizer(), text)
    assert found(TownOfAddressRecognizer(), text) == [("LOCATION", town)]
    assert texts_found(ZipCodeRecognizer(), text) == ({zip_code} if zip_code else set())


def test_states_after_an_address_are_not_flagged() -> None:
    for text in ("Lives at 12 Main Street, Ohio.", "Lives at 12 Main Street, NY 10001", "9 Pine Rd, Texas"):
        assert texts_found(TownOfAddressRecognizer(), text) == set()
        assert not {"Ohio", "NY", "Texas"} & texts_found(CityOfAddressRecognizer(), text)


def test_city_before_state_and_zip() -> None:
    text = "Clinic\n475 Birch Crest\nNorthfield, MD 20814"
    assert texts_found(CityOfAddressRecognizer(), text) == {"Northfield"}
    assert texts_found(ZipCodeRecognizer(), text) == {"20814"}


def test_regions_named_by_a_compass_word() -> None:
    text = "Spent the summer on the North Shore; FAMILY FROM THE WEST COAST; turned to the west side of the bed."
    assert texts_found(RegionRecognizer(), text) == {"North Shore", "WEST COAST"}


HOSPITALS = [
    ("transferred to mercy ridge hospital from home", "mercy ridge hospital"),
    ("THE PATIENT WAS SCREENED BY BRIGHT OAKS REHAB TODAY.", "BRIGHT OAKS REHAB"),
    ("Transferred to Willow Creek Nursing Home.", "Willow Creek Nursing Home"),
    ("Was accepted by St. Brigid but cannot leave.", "St. Brigid"),
    ("PLAN: TRANSFER TO PENDLEBURY 2 IN AM.", "PENDLEBURY"),
    ("From Silver Spring, was at Good Samaritan last month.", "Good Samaritan"),
    ("Plan: U Vermont endocrine to advise on insulin", "U Vermont"),
    ("Follow up at Okafor Pavilion, 3rd floor.", "Okafor Pavilion"),
    ("REFERRED TO LINDQVIST INSTITUTE FOR REHAB.", "LINDQVIST INSTITUTE"),
]
NOT_HOSPITALS = [
    "Sent to acute rehab; will go to short term rehab; TRANSFER TO CARDIAC REHAB; transferred to the rehab unit.",
    "Brief Hospital Course: transferred to MICU, then CCU; sent to CT and back to the floor.",
]


@pytest.mark.parametrize(("text", "hospital"), HOSPITALS)
def test_hospitals(vocabulary: Vocabulary, text: str, hospital: str) -> None:
    assert any(hospital in span for span in texts_found(HospitalRecognizer(vocabulary), text))


@pytest.mark.parametrize("text", NOT_HOSPITALS)
def test_units_and_kinds_of_care_are_no_hospitals(vocabulary: Vocabulary, text: str) -> None:
    assert texts_found(HospitalRecognizer(vocabulary), text) == set()


def test_towns_where_people_live_or_work(vocabulary: Vocabulary) -> None:
    recognizer = PlaceRecognizer(vocabulary)
    assert texts_found(recognizer, "pt widowed, lives in frostburg, son aware") == {"frostburg"}
    assert texts_found(recognizer, "Retired teacher at Lincoln Elementary, widowed.") == {"Lincoln Elementary"}
    assert texts_found(recognizer, "HUSBAND WORKS FOR ZENTRIX.") == {"ZENTRIX"}
    assert texts_found(recognizer, "Daughter moved to Málaga last year.") == {"Málaga"}
    assert texts_found(recognizer, "LIVES AT HOME WITH WIFE, lives in a shelter, moved to West Virginia.") == set()


def test_gazetteer_towns_with_or_without_diacritics(vocabulary: Vocabulary) -> None:
    recognizer = GazetteerPlaceRecognizer(vocabulary)
    assert texts_found(recognizer, "Daughter Zoë from Málaga called; son in San Antonio.") == {"Málaga", "San Antonio"}
    assert texts_found(recognizer, "DAUGHTER GRACE FROM GAITHERSBURG VISITED.") == {"GAITHERSBURG"}
    assert texts_found(recognizer, "Relocated to Texas; no sig drainage.") == set()


def test_gazetteer_towns_spelt_in_their_own_language_and_counties(vocabulary: Vocabulary) -> None:
    """GeoNames' own spellings are folded (`Kraków`, `São Paulo`), so either spelling, in any case, is a town; a US
    county is found by its full name."""
    recognizer = GazetteerPlaceRecognizer(vocabulary)
    assert texts_found(recognizer, "Sister flew in from Kraków; brother still in SAO PAULO.") == {"Kraków", "SAO PAULO"}
    assert texts_found(recognizer, "Moved from Tompkins County in the spring.") == {"Tompkins County"}


def test_countries_are_places_to_flag(vocabulary: Vocabulary) -> None:
    """Safe Harbor leaves countries in, but annotated sets count them as places, and recall comes first."""
    assert texts_found(PlaceRecognizer(vocabulary), "Daughter lives in Guatemala, son moved to Lebanon.") == {
        "Guatemala",
        "Lebanon",
    }


def _artifacts_with_entity(text: str, words: tuple[int, int], label: str) -> NlpArtifacts:
    """What the engine hands a recognizer, with one NER entity over `words` (token indices) labelled as Presidio
    labels it: already mapped to a PHI type."""
    doc = spacy.blank("en")(text)
    entity = doc[words[0] : words[1]]
    entity.label_ = label
    return NlpArtifacts([entity], doc, [token.idx for token in doc], [token.text for token in doc], None, "en")


def test_ner_places_name_a_facility_even_when_english(vocabulary: Vocabulary) -> None:
    """An English word before a weak facility word names it when the NER took it for a place or a facility
    (`Lantern Lodge`): the NER's entities carry PHI types by then, not spaCy's labels."""
    text = "Family stays near Lantern Lodge now."
    recognizer = HospitalRecognizer(vocabulary)
    assert "Lantern Lodge" not in texts_found(recognizer, text)
    for label in ("LOCATION", "HOSPITAL"):
        results = recognizer.analyze(text, recognizer.supported_entities, _artifacts_with_entity(text, (3, 4), label))
        assert "Lantern Lodge" in {text[result.start : result.end] for result in results}
    dated = recognizer.analyze(text, recognizer.supported_entities, _artifacts_with_entity(text, (3, 4), "DATE_TIME"))
    assert "Lantern Lodge" not in {text[result.start : result.end] for result in dated}


def test_ward_written_together_with_its_floor(vocabulary: Vocabulary) -> None:
    """`PENDLEBURY3 DEVELOPED CP`: a ward's name glued to its floor digit; not a lab, drug or reading glued to a
    number."""
    recognizer = HospitalRecognizer(vocabulary)
    assert texts_found(recognizer, "PENDLEBURY3 DEVELOPED CP OVERNIGHT") == {"PENDLEBURY"}
    assert texts_found(recognizer, "back on Pendlebury4 since Tuesday") == {"Pendlebury"}
    assert texts_found(recognizer, "SAO2 95% HBA1C 7.2 FIO2 40% LEVOPHED2 MCG PROPOFOL3 RESTARTED, Drainsx2") == set()
    assert texts_found(recognizer, "TROPONIN1 PENDING, CREATININE2 TO FOLLOW") == set()
