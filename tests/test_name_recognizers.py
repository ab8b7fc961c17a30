"""Names in every Latin alphabet: each name recognizer alone, then the whole engine in many positions and cases.

Names are invented or common; none comes from a corpus. Particles (`van der`, `de la`) and apostrophes are
part of the name's span.
"""

from __future__ import annotations

import pytest

from deidstream.anonymization.anonymizer import Anonymizer
from deidstream.detection.engine import Engine
from deidstream.detection.lexicons.vocabulary import Vocabulary, fold, has_diacritics
from deidstream.detection.recognizers.names.clinician_name import ClinicianNameRecognizer
from deidstream.detection.recognizers.names.contact_name import ContactNameRecognizer
from deidstream.detection.recognizers.names.dictionary_name import DictionaryNameRecognizer
from deidstream.detection.recognizers.names.initial_name import InitialNameRecognizer
from deidstream.detection.recognizers.names.labelled_name import LabelledNameRecognizer
from deidstream.detection.recognizers.names.phone_owner_name import PhoneOwnerNameRecognizer
from deidstream.detection.recognizers.names.relative_name import RelativeNameRecognizer
from deidstream.detection.recognizers.names.signature_name import SignatureNameRecognizer
from deidstream.detection.recognizers.names.titled_name import TitledNameRecognizer
from recognizer_cases import texts_found

NAMES = [
    "José Muñoz",
    "Zoë",
    "Renée",
    "Łukasz Wójcik",
    "Nguyễn Văn An",
    "Jean-Luc Picard",
    "Siobhan O'Neil",
    "Pieter van der Berg",
    "María de la Cruz",
    "Dmitri McAllister",
    "Ana D’Angelo",
    "Ingrid Sørensen",
]
POSITIONS = [
    "SICU team has spoken extensively with {}.",
    "Dr {} (attending) reviewed the films.",
    "Discussed plan (Dr. {}) this am.",
    "Z. {} IN TO STRIP TUBES",
    "daughter {} called",
    "Emergency contact: {}.",
    "Family update given to {}.",
    "Patient {} was reviewed",
]
CASES = {"as written": str, "capitals": str.upper, "lower case": str.lower}
MATRIX = [
    pytest.param(case(position.format(name)), case(name), id=f"{name}|{position[:18]}|{case_name}")
    for name in NAMES
    for position in POSITIONS
    for case_name, case in CASES.items()
]


def _uncovered_letters(engine: Engine, text: str, name: str) -> str:
    start = text.index(name)
    covered = [False] * len(name)
    for entity in engine.analyze_batch([text])[0]:
        if entity.type == "PERSON":
            for index in range(max(start, entity.start), min(start + len(name), entity.end)):
                covered[index - start] = True
    return "".join(char for char, done in zip(name, covered, strict=True) if not done and char.isalpha())


@pytest.mark.parametrize(("text", "name"), MATRIX)
def test_whole_name_is_found_in_any_alphabet_position_and_case(engine: Engine, text: str, name: str) -> None:
    assert _uncovered_letters(engine, text, name) == ""


def test_no_half_name_is_left(engine: Engine) -> None:
    text = "Dr. José Muñoz saw the patient; daughter Zoë from Málaga called. wife Renée called."
    output = Anonymizer().anonymize(text, engine.analyze_batch([text])[0]).text
    for part in ("José", "Muñoz", "Zoë", "Renée", "ée", "Málaga"):
        assert part not in output


def test_particles_are_inside_the_span(engine: Engine) -> None:
    for text, name in [
        ("Dr. van der Berg aware.", "van der Berg"),
        ("daughter María de la Cruz called", "María de la Cruz"),
        ("María de la Cruz (daughter) updated.", "María de la Cruz"),
        ("Emergency contact: Pieter van der Berg.", "Pieter van der Berg"),
    ]:
        assert ("PERSON", name) in {(e.type, text[e.start : e.end]) for e in engine.analyze_batch([text])[0]}


def test_folding_is_for_look_up_only(vocabulary: Vocabulary) -> None:
    assert fold("Muñoz") == "munoz" and fold("ŁUKASZ") == "lukasz" and fold("Sørensen") == "sorensen"
    assert has_diacritics("Zoë") and not has_diacritics("Zoe")
    assert vocabulary.is_known_name("MUÑOZ") and vocabulary.is_first_name("josé")
    assert vocabulary.is_clinical("Ménière") and vocabulary.is_place_name("málaga")
    assert vocabulary.is_particle("van") and vocabulary.is_particle("DE")
    assert vocabulary.could_be_name("Zoë") and not vocabulary.is_common_word("Văn")


def test_each_name_recognizer_alone(vocabulary: Vocabulary) -> None:
    assert texts_found(ClinicianNameRecognizer(vocabulary), "dr josé muñoz aware; V. Sørensen, RRT") == {
        "josé muñoz",
        "V. Sørensen",
    }
    assert texts_found(ClinicianNameRecognizer(vocabulary), "SICU team has spoken extensively with Łukasz Wójcik.") == {
        "Łukasz Wójcik"
    }
    assert texts_found(RelativeNameRecognizer(vocabulary), "daughter Zoë called; wife Renée aware") == {"Zoë", "Renée"}
    assert texts_found(RelativeNameRecognizer(vocabulary), "Emergency contact: María de la Cruz.") == {
        "María de la Cruz"
    }
    assert texts_found(TitledNameRecognizer(vocabulary), "Mrs. Ødegård and Mr D’Angelo") == {"Ødegård", "D’Angelo"}
    assert texts_found(ContactNameRecognizer(vocabulary), "JOSÉ CALLED TWICE.") == {"JOSÉ"}
    assert texts_found(ContactNameRecognizer(vocabulary), "Oluwaseun called twice. Zoë phoned.") == {"Oluwaseun", "Zoë"}
    assert texts_found(ContactNameRecognizer(vocabulary), "Flowsheet states stable; team called; pt aware.") == set()
    assert texts_found(ContactNameRecognizer(vocabulary), "brayan called at 1300, updated.") == {"brayan"}
    assert texts_found(ContactNameRecognizer(vocabulary), "CAUÊ VISITED.") == {"CAUÊ"}
    assert texts_found(ContactNameRecognizer(vocabulary), "pharmacy called; micu called back; ENDO CALLED.") == set()
    assert texts_found(ContactNameRecognizer(vocabulary), "son-inlaw in to visit.") == set()
    assert (
        texts_found(
            ClinicianNameRecognizer(vocabulary),
            "Called pharmacy; informed family; called Rapid Response; seen by cardiology; NEED TO DO. Will do. "
            "wife called overnoc for news; examined by interventional radiology.",
        )
        == set()
    )
    assert texts_found(InitialNameRecognizer(vocabulary), "seen by nsg (k. wójcik) at 2200") == {"k. wójcik"}
    assert texts_found(PhoneOwnerNameRecognizer(vocabulary), "Contacts: Renée Ferrand cell# 617-555-0142") >= {
        "Renée Ferrand"
    }
    assert "Muñoz" in texts_found(DictionaryNameRecognizer(vocabulary), "plan discussed with Muñoz this am")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("left voicemail for Oriane Castellanos, will try later", "Oriane Castellanos"),
        ("text update sent to dorothea per pt request.", "dorothea"),
        ("message from józef: please call after 0700.", "józef"),
        ("Signed: Brígida Talavera DO", "Brígida Talavera"),
        ("TECH: R OKONJO\nresults called to floor", "R OKONJO"),
        ("Report given to Nurse Ifeoluwa.", "Ifeoluwa"),
        ("INFORMED TEODORA VASILESCU OF THE CHANGE.", "TEODORA VASILESCU"),
        ("Called Grzegorz back at 555 0142, no answer.", "Grzegorz"),
        ("PT EVAL BY OLUWASEUN OYELARAN PT: RECOMMENDS REHAB", "OLUWASEUN OYELARAN"),
        ("Ordering Provider: darragh-paschal okri, MD", "darragh-paschal okri"),
        ("Sincerely,\n\nLenka de los Sousa, DO\n", "Lenka de los Sousa"),
    ],
)
def test_people_messaged_signing_or_testing(vocabulary: Vocabulary, text: str, name: str) -> None:
    assert name in texts_found(ClinicianNameRecognizer(vocabulary), text)


def test_roommates_are_contacts(vocabulary: Vocabulary) -> None:
    assert texts_found(RelativeNameRecognizer(vocabulary), "ROOMMATE TEODOR CALLED; housemate Ilse aware") == {
        "TEODOR",
        "Ilse",
    }


def test_first_names_that_are_stop_words_after_a_relation(vocabulary: Vocabulary) -> None:
    found = texts_found(RelativeNameRecognizer(vocabulary), "Met with fiance Will Okonjo; daughter May aware.")
    assert found == {"Will Okonjo", "May"}
    assert (
        texts_found(RelativeNameRecognizer(vocabulary), "Son will call back; daughter may visit. SON WILL CALL.")
        == set()
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dispo: home.\n-- K Aaltonen-Kirk\n", "K Aaltonen-Kirk"),
        ("Appointment: 4 May 14:00\n\nOrtega/mk\n", "Ortega"),  # the typist's initials after
        ("Call back at 555-0142.\nGrant (MA)\n", "Grant"),
        ("IMPRESSION: NO ACUTE CHANGE.\nVAN DEN BROEK\n", "VAN DEN BROEK"),
        ("will cont to monitor.\ncunningham", "cunningham"),  # alone on the last line
        ("call light in reach. h okafor\n", "h okafor"),  # an initial and a name after the last sentence
        ("turned q2h, skin intact. p tamás", "p tamás"),
    ],
)
def test_names_that_sign_a_note(vocabulary: Vocabulary, text: str, name: str) -> None:
    assert texts_found(SignatureNameRecognizer(vocabulary), text) == {name}


@pytest.mark.parametrize(
    "text",
    [
        "- Monitor closely\n- Kdur given\nPlan: continue",  # bullets and a heading are no signatures
        "Family in to visit.\nNEURO\n",
        "Stable overnight.\nWill continue to monitor.",
        "Plan/goals\n-- see above\n",
        "Pt stable. Will continue plan.",
        "Pt stable. Plan unchanged.\n",
    ],
)
def test_bullets_headings_and_sentences_sign_nothing(vocabulary: Vocabulary, text: str) -> None:
    assert texts_found(SignatureNameRecognizer(vocabulary), text) == set()


def test_labelled_names_without_the_model() -> None:
    assert texts_found(LabelledNameRecognizer(), "PATIENT: ÉMILE DUPRÉ\nDOB: 5/5/1955") == {"ÉMILE DUPRÉ"}
    assert texts_found(LabelledNameRecognizer(), "Name: Wójcik, Łukasz\nMRN: 1234567") == {"Wójcik, Łukasz"}
    assert texts_found(LabelledNameRecognizer(), "PATIENT: María de la Cruz\nDOB: 1/1/1950") == {"María de la Cruz"}
    assert texts_found(LabelledNameRecognizer(), "Name: van der Berg, Pieter\nMRN: 1") == {"van der Berg, Pieter"}


def test_clinical_words_with_diacritics_are_no_names(engine: Engine) -> None:
    text = "Ménière disease; Sjögren syndrome; café au lait spots; Patient extubated."
    assert [e for e in engine.analyze_batch([text])[0] if e.type == "PERSON"] == []


def test_a_capital_alone_then_a_surname_before_what_staff_do(vocabulary: Vocabulary, engine: Engine) -> None:
    """The initial's period dropped in a fast note: a frequent surname is a name there even when it is a word."""
    initials = InitialNameRecognizer(vocabulary)
    assert texts_found(initials, "BP SOFT OVERNIGHT. M JONES ORDERED NS BOLUS.") == {"M JONES"}
    assert texts_found(initials, "T Brown notified of the potassium; D Okonkwo paged again.") == {
        "T Brown",
        "D Okonkwo",
    }
    assert texts_found(initials, "K BAKER MADE AWARE OF LABS") == {"K BAKER"}
    not_names = "A NURSE ORDERED LABS. I CALLED PHARMACY. R ARM SWOLLEN. T WAVE INVERSIONS NOTED. B CELL COUNT ORDERED."
    assert texts_found(initials, not_names) == set()
    text = "PT RESTLESS. M JONES ORDERED NS BOLUS. " + not_names
    names = {text[e.start : e.end] for e in engine.analyze_batch([text])[0] if e.type == "PERSON"}
    assert "M JONES" in names and all(name in "M JONES" for name in names)


def test_a_role_before_a_name_is_not_part_of_it(engine: Engine) -> None:
    text = "Patient Anselm Okoro (MRN 5512098) was admitted; Dr. Ifeoma Nwosu saw him."
    names = {text[found.start : found.end] for found in engine.analyze_batch([text])[0] if found.type == "PERSON"}
    assert names and all(not name.lower().startswith(("patient", "dr")) for name in names), names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("RABBI STEIN CAME TO PRAY WITH FAMILY", "STEIN"),
        ("ORDER CHECKED W/MD FISHER", "FISHER"),
        ("Chaplain Baker visited this afternoon.", "Baker"),
        ("HO Quennell notified of K 3.1", "Quennell"),
        ("house officer Arvidsson aware", "Arvidsson"),
    ],
)
def test_names_after_clinical_role_words(vocabulary: Vocabulary, text: str, name: str) -> None:
    """A role addresses a surname like a title, even a surname that is an English word (`Fisher`, `Stein`)."""
    assert name in texts_found(ClinicianNameRecognizer(vocabulary), text)


@pytest.mark.parametrize(
    "text",
    [
        "MD AWARE OF BP, NEW ORDERS WRITTEN",
        "PA NUMBERS 58/30, CVP 12",
        "RN CARE PLAN REVIEWED",
        "Swab sent by HO. XRAYS done.",  # a period ends the sentence after a role
        "MD HIGH DOSE EPI DISCUSSED",
        "RN ASSESSMENT DONE, MD TITRATING",
    ],
)
def test_words_after_role_words_are_no_names(vocabulary: Vocabulary, text: str) -> None:
    assert texts_found(ClinicianNameRecognizer(vocabulary), text) == set()
