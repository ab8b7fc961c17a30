"""SSNs, record, device and licence numbers, and identifiers after identifier words; without the spaCy model."""

from __future__ import annotations

import pytest

from deidstream.detection.recognizers.identifiers.device_number import DeviceNumberRecognizer
from deidstream.detection.recognizers.identifiers.identifier_after_word import IdentifierAfterWordRecognizer
from deidstream.detection.recognizers.identifiers.labelled_ssn import LabelledSsnRecognizer
from deidstream.detection.recognizers.identifiers.licence_number import LicenceNumberRecognizer
from deidstream.detection.recognizers.identifiers.record_number import RecordNumberRecognizer
from recognizer_cases import texts_found

SSNS = [
    ("SSN: 666-04-9671 per registration.", "666-04-9671"),
    ("SSN 000 15 9074 on the old chart.", "000 15 9074"),
    ("Wife gave his social security number 123456789 to admitting.", "123456789"),
    ("Social Security #: 912-45-0001", "912-45-0001"),
    ("soc sec no. 078.05.1120", "078.05.1120"),
]
NOT_SSNS = [
    "SSN pending; social worker 123 45 to follow.",
    "SSN: 12345 digits missing",
    "Security guard at bedside 1900-0700; 123-45-6789 is a phone extension list.",
]
IDENTIFIERS = [
    ("Wristband identifier 0777601 checked.", "0777601"),
    ("Identity confirmed with 0777601 before transfusion.", "0777601"),
    ("ID# 4471932 on the requisition.", "4471932"),
    ("Insurance card: member ID W2290113, group 55.", "W2290113"),
    ("Policy number 88213-44 with the carrier.", "88213-44"),
    ("insurance ID XKQ-55120", "XKQ-55120"),
    ("Medicare beneficiary number 1EG4-TE5-MK72 verified.", "1EG4-TE5-MK72"),
    ("Billing account number 000123456 closed.", "000123456"),
    ("MRN 00451234", "00451234"),
    ("Old record number 7781234 merged.", "7781234"),
]
NOT_IDENTIFIERS = [
    "ID consult called at 1400; ID following, vanco 1250 mg q12h.",
    "ID recs: check levels on 2011-01-01 and 12/01/2011.",
    "Patient ID band on left wrist; identity confirmed by name and date of birth.",
]


@pytest.mark.parametrize(("text", "ssn"), SSNS)
def test_any_nine_digits_after_an_ssn_label(text: str, ssn: str) -> None:
    assert texts_found(LabelledSsnRecognizer(), text) == {ssn}


@pytest.mark.parametrize("text", NOT_SSNS)
def test_no_ssn_without_a_label_and_nine_digits(text: str) -> None:
    assert texts_found(LabelledSsnRecognizer(), text) == set()


@pytest.mark.parametrize(("text", "identifier"), IDENTIFIERS)
def test_identifiers_after_identifier_words(text: str, identifier: str) -> None:
    assert identifier in texts_found(IdentifierAfterWordRecognizer(), text)


@pytest.mark.parametrize("text", NOT_IDENTIFIERS)
def test_times_doses_and_dates_after_identifier_words_are_no_identifiers(text: str) -> None:
    assert texts_found(IdentifierAfterWordRecognizer(), text) == set()


def test_record_device_and_licence_numbers_after_their_labels() -> None:
    assert texts_found(RecordNumberRecognizer(), "FILE #: 40917\nMED REC #: 8812034") == {"40917", "8812034"}
    assert texts_found(RecordNumberRecognizer(), "MRN: pending; Account: see chart") == set()
    # Epic and Cerner account numbers bare, a spaced dash after a label, prescription and plan numbers
    assert texts_found(RecordNumberRecognizer(), "HAR 71-208-33   Unit No - 40551873   Rx #: 55-120-9") == {
        "71-208-33",
        "40551873",
        "55-120-9",
    }
    assert texts_found(RecordNumberRecognizer(), "Visit - 3 days; order - 12 units; follow-up visit 2 weeks") == set()
    assert texts_found(DeviceNumberRecognizer(), "Pump serial number: QRX-20931-B; SN KL7761209") == {
        "QRX-20931-B",
        "KL7761209",
    }
    assert texts_found(LicenceNumberRecognizer(), "DEA # FT7730021, NPI 1609832214") == {"FT7730021", "1609832214"}
