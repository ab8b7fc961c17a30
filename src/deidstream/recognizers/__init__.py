"""Clinical PHI recognizers, one per module, and the Presidio recognizers worth keeping on clinical text."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IpRecognizer,
    UsSsnRecognizer,
)

from deidstream.recognizers.age_over_89 import AgeOver89Recognizer
from deidstream.recognizers.clinical_date import ClinicalDateRecognizer
from deidstream.recognizers.clinician_name import ClinicianNameRecognizer
from deidstream.recognizers.contact_name import ContactNameRecognizer
from deidstream.recognizers.device_number import DeviceNumberRecognizer
from deidstream.recognizers.dictionary_name import DictionaryNameRecognizer
from deidstream.recognizers.gazetteer_place import GazetteerPlaceRecognizer
from deidstream.recognizers.hospital import HospitalRecognizer
from deidstream.recognizers.initial_name import InitialNameRecognizer
from deidstream.recognizers.labelled_name import LabelledNameRecognizer
from deidstream.recognizers.licence_number import LicenceNumberRecognizer
from deidstream.recognizers.ner_name import NerNameRecognizer
from deidstream.recognizers.phone import ClinicalPhoneRecognizer
from deidstream.recognizers.phone_owner_name import PhoneOwnerNameRecognizer
from deidstream.recognizers.place import PlaceRecognizer
from deidstream.recognizers.record_number import RecordNumberRecognizer
from deidstream.recognizers.region import RegionRecognizer
from deidstream.recognizers.relative_name import RelativeNameRecognizer
from deidstream.recognizers.street_address import CityOfAddressRecognizer, StreetAddressRecognizer, ZipCodeRecognizer
from deidstream.recognizers.titled_name import TitledNameRecognizer
from deidstream.recognizers.vocabulary import Vocabulary
from deidstream.recognizers.web_address import WebAddressRecognizer


def clinical_recognizers(vocabulary: Vocabulary, language: str = "en") -> list[EntityRecognizer]:
    """Every recognizer of the engine, freshly built.

    Presidio's generic recognizers for driver licences, bank numbers, URLs and its
    NER wrapper are left out: on clinical text they fire on lab values,
    abbreviations and drug names far more often than on PHI.
    """
    return [
        NerNameRecognizer(vocabulary, supported_language=language),
        LabelledNameRecognizer(supported_language=language),
        ClinicianNameRecognizer(vocabulary, supported_language=language),
        RelativeNameRecognizer(vocabulary, supported_language=language),
        TitledNameRecognizer(vocabulary, supported_language=language),
        ContactNameRecognizer(vocabulary, supported_language=language),
        InitialNameRecognizer(vocabulary, supported_language=language),
        PhoneOwnerNameRecognizer(vocabulary, supported_language=language),
        DictionaryNameRecognizer(vocabulary, supported_language=language),
        ClinicalDateRecognizer(supported_language=language),
        HospitalRecognizer(vocabulary, supported_language=language),
        PlaceRecognizer(vocabulary, supported_language=language),
        GazetteerPlaceRecognizer(vocabulary, supported_language=language),
        RegionRecognizer(supported_language=language),
        ClinicalPhoneRecognizer(supported_language=language),
        AgeOver89Recognizer(supported_language=language),
        RecordNumberRecognizer(supported_language=language),
        DeviceNumberRecognizer(supported_language=language),
        LicenceNumberRecognizer(supported_language=language),
        StreetAddressRecognizer(supported_language=language),
        CityOfAddressRecognizer(supported_language=language),
        ZipCodeRecognizer(supported_language=language),
        WebAddressRecognizer(supported_language=language),
        EmailRecognizer(supported_language=language),
        IpRecognizer(supported_language=language),
        UsSsnRecognizer(supported_language=language),
        CreditCardRecognizer(supported_language=language),
    ]
