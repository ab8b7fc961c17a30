"""Phone numbers, international numbers and web addresses, each recognizer alone and without the spaCy model."""

from __future__ import annotations

import pytest

from deidstream.detection.recognizers.contacts.international_phone import InternationalPhoneRecognizer
from deidstream.detection.recognizers.contacts.phone import ClinicalPhoneRecognizer
from deidstream.detection.recognizers.contacts.web_address import WebAddressRecognizer
from recognizer_cases import texts_found

PHONES = [
    ("Daughter can be reached at +1-850-875-2917x03423 after work.", "+1-850-875-2917x03423"),
    ("Callback (633)319-1284x5298 for the clinic.", "(633)319-1284x5298"),
    ("Work line 535.937.9907x5116.", "535.937.9907x5116"),
    ("Nephew's number (135-442-9738) left at desk.", "135-442-9738"),
    ("Fax results to 201/324/1423 please.", "201/324/1423"),
    ("Brother: 202 2671093, evenings only.", "202 2671093"),
    ("Home phone (617) 555-0142 ext. 12.", "(617) 555-0142 ext. 12"),
    ("Questions: pager 4-5678 or call x4412.", "4-5678"),
    ("Neighbour wants a call at 555-0199 with news.", "555-0199"),
    ("Sister Ines (212 555 01993) will call back.", "212 555 01993"),
    ("Updated the nephew at 555 0187 this evening.", "555 0187"),  # local numbers after a word that gives them
    ("Left voicemail at 555.0187, will try again.", "555.0187"),
    ("Please call me at 6175550142 with results.", "6175550142"),
    ("Callback: 4-8035 (unit clerk).", "4-8035"),
    ("Social work: Odile Brannigan x7742.", "x7742"),
    ("Niece reachable at 5550187 after six.", "5550187"),
    ("Office 555/301-6641, fax 555/301-6642.", "555/301-6641"),
    ("Reached at ext. 9264 during the day.", "9264"),
    ("PCP: Dr. Amara Osei, Linden Cardiology (6175550142)", "6175550142"),
    ("Clinic line (5550142) for refills.", "5550142"),
]
INTERNATIONAL = [
    ("Son in London: +44 20 7946 0958.", "+44 20 7946 0958"),
    ("Wife's mobile +33 1 42 68 53 00 while abroad.", "+33 1 42 68 53 00"),
    ("Berlin office +49 (0)30 901820, ask for the ward.", "+49 (0)30 901820"),
    ("Reach the family on 0044 20 7946 0958.", "0044 20 7946 0958"),
    ("Cousin +1-850-875-2917x03423 in Florida.", "+1-850-875-2917x03423"),
]
NOT_PHONES = [
    "BP 110/70, HR 88, RR 18; K 4.2 +2 10 units given.",
    "Na 135 Cl 102 HCO3 24 BUN 18 Cr 1.1 Glu 104.",
    "Collected 2011-01-01 10:31; dose 1/2/3 tabs.",
    "Weight +2.5 kg since 01/02/2010; I/O +1200 cc.",
    "Turned at 0800 and at 2200; heparin at 1200 units/hr, at 800 1000 ml.",
    "Ambulated x2 with PT, repeated x10; CK at 3932 at noon.",
]


@pytest.mark.parametrize(("text", "phone"), PHONES)
def test_phone_numbers_with_any_area_code_extension_or_separator(text: str, phone: str) -> None:
    assert any(phone in span for span in texts_found(ClinicalPhoneRecognizer(), text))


@pytest.mark.parametrize(("text", "phone"), INTERNATIONAL)
def test_international_numbers(text: str, phone: str) -> None:
    assert phone in texts_found(InternationalPhoneRecognizer(), text)


@pytest.mark.parametrize("text", NOT_PHONES)
def test_lab_values_and_dates_are_no_phone_numbers(text: str) -> None:
    assert texts_found(ClinicalPhoneRecognizer(), text) == set()
    assert texts_found(InternationalPhoneRecognizer(), text) == set()


def test_web_addresses() -> None:
    text = "Portal: https://www.riverbend-clinic.org/mychart/login. See example.com for forms; pt s.p. r.a. fine."
    assert texts_found(WebAddressRecognizer(), text) == {
        "https://www.riverbend-clinic.org/mychart/login",
        "example.com",
    }
