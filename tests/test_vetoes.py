"""Each veto on invented sentences: what it shows is not PHI, and the PHI next to it that it must leave alone."""

from __future__ import annotations

import pytest

from deidstream.detection.engine import Engine
from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.detection.vetoes.clinical_abbreviation import ClinicalAbbreviationVeto
from deidstream.detection.vetoes.clinical_term import ClinicalTermVeto
from deidstream.detection.vetoes.duration import DurationVeto
from deidstream.detection.vetoes.english_word import EnglishWordVeto
from deidstream.detection.vetoes.function_word import FunctionWordVeto
from deidstream.detection.vetoes.measurement import MeasurementVeto
from deidstream.detection.vetoes.misspelt_word import MisspeltWordVeto
from deidstream.detection.vetoes.reading import ReadingVeto
from deidstream.detection.vetoes.state import StateVeto
from deidstream.entity import EntityType


def span_of(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.fixture(scope="module")
def vocabulary(engine: Engine) -> Vocabulary:
    return engine._vocabulary


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        ("Given 40 mg IV at noon.", "40 mg", EntityType.DATE_TIME),
        ("Given 40 mg IV at noon.", "40", EntityType.ID),
        ("RR=22-24 on pressure support.", "RR=22-24", EntityType.ID),
        ("BP 118/72, HR 88.", "118/72", EntityType.DATE_TIME),
        ("Pain 3/10, strength 4/5 in the left arm.", "4/5", EntityType.DATE_TIME),
        ("Turned at 14:30 and again at 0200.", "14:30", EntityType.DATE_TIME),
        ("Turned at 14:30 and again at 0200.", "0200", EntityType.DATE_TIME),
        ("A 67 year old man.", "67", EntityType.AGE),
        ("PA pressures 62/28, wedge 19.", "62/28", EntityType.DATE_TIME),  # no month is 62, no day 28/62
        ("Mean arterial 41-44 on the drip.", "41-44", EntityType.DATE_TIME),
        ("Gas on the vent 7.36/44/88/24.", "7.36/44/88/24", EntityType.DATE_TIME),
        ("Sinus rhythm, HR in the 80s, BP mostly 130's-140's.", "80s", EntityType.DATE_TIME),  # readings by the decade
        ("Sinus rhythm, HR in the 80s, BP mostly 130's-140's.", "130's-140's", EntityType.DATE_TIME),
        ("Shift summary (0800am-2000hrs): slept well.", "0800am-2000hrs", EntityType.DATE_TIME),
        ("Quiet between 2200 and 2400, then restless.", "2400", EntityType.DATE_TIME),
        ("LUNGS CLEAR ON 3LNCO2, SATS 97%.", "3LNCO2", EntityType.DATE_TIME),  # oxygen by its delivery device
        ("Placed on 100% NRB for the transfer.", "100% NRB", EntityType.DATE_TIME),
        ("Weaned to 2L nasal cannula.", "2L nasal cannula", EntityType.DATE_TIME),
        ("Weaned from 9-30%-450 overnight.", "9-30%-450", EntityType.DATE_TIME),
        ("Started on 150mcg of nitro.", "150mcg of", EntityType.DATE_TIME),
        ("Visitors 0615-0745 only.", "0615-0745", EntityType.DATE_TIME),
        ("Slept 2-6am with no calls.", "2-6am", EntityType.DATE_TIME),
        ("Restless from 11PM- on.", "11PM-", EntityType.DATE_TIME),
        ("Dose due 1945P tonight.", "1945P", EntityType.DATE_TIME),
        ("ICU ADMIT NOTE 0215-0640", "0215-0640", EntityType.LOCATION),
        ("On 2-3 L nasal cannula.", "2-3", EntityType.DATE_TIME),
        ("CVP 9 - 12 through the night.", "9 - 12", EntityType.DATE_TIME),
        ("Kept on Bipap 12/6 overnight.", "Bipap 12/6", EntityType.DATE_TIME),
        ("PA line 42/24-29 on return.", "42/24-29", EntityType.DATE_TIME),  # three numbers and no month among them
        ("Gas 88(pao2)/41/7.39 at six.", "88(pao2)/41/7.39", EntityType.DATE_TIME),
    ],
)
def test_measurements_are_not_phi(text: str, phrase: str, kind: str) -> None:
    assert MeasurementVeto().vetoes(text, *span_of(text, phrase), kind)


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        ("Admitted 3/14 with chest pain.", "3/14", EntityType.DATE_TIME),
        ("Seen on 2019-05-02 at 10:15.", "2019-05-02 at 10:15", EntityType.DATE_TIME),
        ("A 93 year old woman.", "93", EntityType.AGE),
        ("Call (617) 555-0142 after 5.", "(617) 555-0142", EntityType.PHONE_NUMBER),
        ("Given 40 mg to Anna Kowalczyk.", "Anna Kowalczyk", EntityType.PERSON),
        ("Seen again 11/30 and 30/11.", "11/30", EntityType.DATE_TIME),
        ("Seen again 11/30 and 30/11.", "30/11", EntityType.DATE_TIME),  # day first
        ("Last admission 9/98.", "9/98", EntityType.DATE_TIME),  # month and year
        ("Follow up 12-3-2031.", "12-3-2031", EntityType.DATE_TIME),
        ("Lived abroad 2004-2011.", "2004-2011", EntityType.DATE_TIME),  # years, though each could be a clock time
        ("Born in 1945 in Lyon.", "1945", EntityType.DATE_TIME),
        ("Admitted 9-14 and discharged 9-20.", "9-14", EntityType.DATE_TIME),  # no vital-sign label before it
        ("Surgery on 4/27/31 went well.", "4/27/31", EntityType.DATE_TIME),
        ("Away 12/04/2030-19/04/2030 on leave.", "12/04/2030-19/04/2030", EntityType.DATE_TIME),
        ("Moved to Ward 5A overnight.", "Ward 5A", EntityType.HOSPITAL),
        ("Seen 4 Nov and 12 March.", "4 Nov", EntityType.DATE_TIME),  # a month, not a nasal cannula
        ("Back in the 1940s, and in her 90s now.", "1940s", EntityType.DATE_TIME),  # decades without a reading label
        ("Back in the 1940s, and in her 90s now.", "90s", EntityType.DATE_TIME),
        ("Lives at 14 Elm Row, 0215.", "0215", EntityType.ZIP_CODE),  # a type the veto leaves alone
    ],
)
def test_dates_ages_and_phones_pass_the_measurement_veto(text: str, phrase: str, kind: str) -> None:
    assert not MeasurementVeto().vetoes(text, *span_of(text, phrase), kind)


@pytest.mark.parametrize("phrase", ["3 days", "x 2 weeks", "48 hrs", "for 10 years"])
def test_durations_are_not_dates(phrase: str) -> None:
    text = f"Febrile {phrase}, now improving."
    assert DurationVeto().vetoes(text, *span_of(text, phrase), EntityType.DATE_TIME)


@pytest.mark.parametrize("phrase", ["March 3rd", "Tuesday", "Christmas Eve", "'97", "5/6", "last month", "2 days ago"])
def test_calendar_and_relative_dates_pass_the_duration_veto(phrase: str) -> None:
    text = f"Febrile since {phrase}, now improving."
    assert not DurationVeto().vetoes(text, *span_of(text, phrase), EntityType.DATE_TIME)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("NEURO: alert and oriented.", "NEURO"),
        ("Lasix given with good effect.", "Lasix"),
        ("Positive Murphy sign on exam.", "Murphy"),
        ("Followed the Glasgow Coma Scale hourly.", "Glasgow Coma Scale"),
        ("Swallow Study pending; Bear Hugger on.", "Bear Hugger"),
        ("Transferred to the MICU overnight.", "MICU"),
        ("SPECIMEN: B. Sigmoid colon.", "B."),
        ("Tunnelled Hickman Cath placed in IR today.", "Cath"),  # the head noun alone
        ("\nheme- plt count stable overnight", "heme-"),  # a heading's hyphen
        ("Haloperidol 2 mg IM for agitation.", "Haloperidol"),  # drug names from the public drug list
        ("Relief with Zolpidem overnight.", "Zolpidem"),
        ("CONTINUES ON SERTRALINE AND ELIQUIS", "SERTRALINE AND ELIQUIS"),
    ],
)
def test_clinical_terms_are_not_names(vocabulary: Vocabulary, text: str, phrase: str) -> None:
    assert ClinicalTermVeto(vocabulary).vetoes(text, *span_of(text, phrase), EntityType.PERSON)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Spoke with Murphy at the bedside.", "Murphy"),  # an eponym alone may be the person
        ("Dr. Murphy signed the consent.", "Murphy"),
        ("Son, Ed, was updated.", "Ed"),
        ("Z. MILLER IN TO STRIP TUBES", "Z. MILLER"),
        ("Family update given to Renée Foley.", "Renée Foley"),
        ("Had a bed at St. Agnes.", "St. Agnes"),
        ("Daughter Allegra Rayos called twice.", "Allegra Rayos"),  # drug brands that name lists hold too
        ("Seen by Dr. Eliquis today.", "Eliquis"),
    ],
)
def test_names_that_share_a_word_with_clinical_terms_are_kept(vocabulary: Vocabulary, text: str, phrase: str) -> None:
    assert not ClinicalTermVeto(vocabulary).vetoes(text, *span_of(text, phrase), EntityType.PERSON)


@pytest.mark.parametrize(
    ("text", "phrase", "kind", "vetoed"),
    [
        ("PLAN TO MOVE BACK TO FLOOR IN AM.", "FLOOR", EntityType.LOCATION, True),  # a service word, a census name too
        ("Transfer from Elmhurst Hospital today.", "Hospital", EntityType.LOCATION, True),  # a facility's kind alone
        ("Admitted to Ward 7B overnight.", "Ward 7B", EntityType.HOSPITAL, False),  # a numbered ward is named
        ("Admitted from NJ Hospital at noon.", "NJ Hospital", EntityType.HOSPITAL, False),
        ("Lives in Pratt with her son.", "Pratt", EntityType.LOCATION, False),  # an eponym, a surname and a town
        ("Spoke with Floor at the desk.", "Floor", EntityType.PERSON, False),  # a surname may be the person
        (
            "Restarted Lisinopril 20 mg daily.",
            "Lisinopril 20",
            EntityType.DATE_TIME,
            True,
        ),  # a drug and a number: a dose
        ("Seen on admission 3/12 by the team.", "admission 3/12", EntityType.DATE_TIME, False),
        ("Labs drawn Sat 3/4 in the am.", "Sat 3/4", EntityType.DATE_TIME, False),
    ],
)
def test_service_words_facility_kinds_and_doses(
    vocabulary: Vocabulary, text: str, phrase: str, kind: str, vetoed: bool
) -> None:
    assert ClinicalTermVeto(vocabulary).vetoes(text, *span_of(text, phrase), kind) is vetoed


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Comparison is made with the prior study.", "Comparison"),
        ("EMERGENCY DEPARTMENT PHYSICIAN NOTE", "PHYSICIAN NOTE"),
        ("SPECIMEN: B. Gallbladder, cholecystectomy.", "B. Gallbladder"),
    ],
)
def test_english_words_are_not_names(vocabulary: Vocabulary, text: str, phrase: str) -> None:
    assert EnglishWordVeto(vocabulary).vetoes(text, *span_of(text, phrase), EntityType.PERSON)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Hope called about the results.", "Hope"),  # a listed first name
        ("E. WELSH AWARE OF PLAN.", "E. WELSH"),  # a listed surname
        ("Family update given to Elowen Brackstone.", "Elowen Brackstone"),  # in no list at all
        ("Daughter Zoë called.", "Zoë"),
        ("Dr. Comparison will call back.", "Comparison"),  # after a title anything is a name
    ],
)
def test_names_pass_the_english_word_veto(vocabulary: Vocabulary, text: str, phrase: str) -> None:
    assert not EnglishWordVeto(vocabulary).vetoes(text, *span_of(text, phrase), EntityType.PERSON)


def test_a_phone_or_identifier_without_a_digit_is_no_number() -> None:
    text = "Chest x-ray clear."
    assert MeasurementVeto().vetoes(text, *span_of(text, "x-ray"), EntityType.PHONE_NUMBER)


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        ("PT WANTS TO GO HOME TODAY.", "GO", EntityType.LOCATION),
        ("ASKED TO DO HER EXERCISES.", "DO", EntityType.PERSON),
        ("SPOKE WITH SON BEFORE NOON.", "BEFORE", EntityType.PERSON),
    ],
)
def test_a_lone_function_word_is_no_name_or_place(vocabulary: Vocabulary, text: str, phrase: str, kind: str) -> None:
    assert FunctionWordVeto(vocabulary).vetoes(text, *span_of(text, phrase), kind)


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        ("Will called back at noon.", "Will", EntityType.PERSON),  # a census first name
        ("Dr. Do reviewed the film.", "Do", EntityType.PERSON),  # after a title
        ("Moved here from Ōtorohanga in May.", "Ōtorohanga", EntityType.LOCATION),
        ("Brought in by Ines Both.", "Ines Both", EntityType.PERSON),  # more than one word
        ("Reached at 4418-2290.", "4418-2290", EntityType.LOCATION),  # no letters: perhaps a number of another kind
    ],
)
def test_names_places_and_numbers_pass_the_function_word_veto(
    vocabulary: Vocabulary, text: str, phrase: str, kind: str
) -> None:
    assert not FunctionWordVeto(vocabulary).vetoes(text, *span_of(text, phrase), kind)


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        ("Pre-tx: 152/70 81 24, post 138/66.", "152/70", EntityType.ID),
        ("Pre-tx: 152/70 81 24, post 138/66.", "138/66", EntityType.PHONE_NUMBER),
        ("BIPAP 12/5/14BPM overnight.", "12/5/14", EntityType.DATE_TIME),
        ("PS 10/5/40% tolerated well.", "10/5/40", EntityType.DATE_TIME),
        ("Blood cx 2/4 bottles GPC.", "2/4", EntityType.DATE_TIME),
        ("Turned and repositioned at 1930.", "1930", EntityType.DATE_TIME),
        ("Family visited @ 2015, left at 2100.", "2015", EntityType.DATE_TIME),
        ("Next dose due 1945 hrs.", "1945", EntityType.DATE_TIME),
    ],
)
def test_readings_counts_and_clock_times_are_not_phi(text: str, phrase: str, kind: str) -> None:
    assert ReadingVeto().vetoes(text, *span_of(text, phrase), kind)


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        ("Admitted 12/5/14 with chest pain.", "12/5/14", EntityType.DATE_TIME),
        ("Seen in clinic 3/12, back 4/2.", "3/12", EntityType.DATE_TIME),
        ("Record no. 152/7031 on file.", "152/7031", EntityType.ID),
        ("Card dated 11/14 on file.", "11/14", EntityType.ID),  # a month and a day may be a date written as an id
        ("Married in 1952, widowed 1998.", "1952", EntityType.DATE_TIME),
        ("CABG 2004 at an outside hospital.", "2004", EntityType.DATE_TIME),
        ("Moved here at 1975 or so.", "1975", EntityType.DATE_TIME),  # no clock reads 19:75
    ],
)
def test_dates_and_identifiers_pass_the_reading_veto(text: str, phrase: str, kind: str) -> None:
    assert not ReadingVeto().vetoes(text, *span_of(text, phrase), kind)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Neice called and was updated.", "Neice"),
        ("DAUGHTR VISITED THIS AM.", "DAUGHTR"),
        ("Sistre at bedside.", "Sistre"),
        ("Nephew called for update.", "Nephew"),  # the relation itself, a rare surname in the census
        ("Heparni gtt held.", "Heparni"),
    ],
)
def test_misspelt_relations_and_clinical_words_are_not_names(vocabulary: Vocabulary, text: str, phrase: str) -> None:
    assert MisspeltWordVeto(vocabulary).vetoes(text, *span_of(text, phrase), EntityType.PERSON)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Mr. Neice called.", "Neice"),  # after a title any word is a name
        ("Neice Alvarado called.", "Neice Alvarado"),  # a slip is one word
        ("Wise called from home.", "Wise"),  # a frequent surname, whatever it is one slip from
        ("Daniela called and was updated.", "Daniela"),
        ("Barret called re: meds.", "Barret"),  # a slip of an eponym that is a surname too is a name
    ],
)
def test_names_pass_the_misspelt_word_veto(vocabulary: Vocabulary, text: str, phrase: str) -> None:
    assert not MisspeltWordVeto(vocabulary).vetoes(text, *span_of(text, phrase), EntityType.PERSON)


@pytest.mark.parametrize(("text", "phrase"), [("USOH until this am.", "USOH"), ("AAROM to both arms.", "AAROM")])
def test_clinical_abbreviations_are_not_names(text: str, phrase: str) -> None:
    assert ClinicalAbbreviationVeto().vetoes(text, *span_of(text, phrase), EntityType.PERSON)


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        ("Seen by Dr. Vats today.", "Vats", EntityType.PERSON),  # after a title
        ("Signed JS.", "JS", EntityType.PERSON),  # initials: two letters show nothing
        ("Transferred from BMC.", "BMC", EntityType.HOSPITAL),  # facilities by their initials are PHI
        ("Husband works at IBM.", "IBM", EntityType.LOCATION),
        ("Orsolya called.", "Orsolya", EntityType.PERSON),
    ],
)
def test_names_and_facilities_pass_the_clinical_abbreviation_veto(text: str, phrase: str, kind: str) -> None:
    assert not ClinicalAbbreviationVeto().vetoes(text, *span_of(text, phrase), kind)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [("A sister in Illinois was called.", "Illinois"), ("MOVED FROM NEW  MEXICO IN MAY", "NEW  MEXICO")],
)
def test_a_state_is_no_identifying_place(text: str, phrase: str) -> None:
    assert StateVeto().vetoes(text, *span_of(text, phrase), EntityType.LOCATION)


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        ("Daughter flew in from New York.", "New York", EntityType.LOCATION),  # a city as often as a state
        ("Lives in Washington now.", "Washington", EntityType.LOCATION),
        ("Lives in Springfield, Illinois.", "Springfield", EntityType.LOCATION),
        ("Georgia called from home.", "Georgia", EntityType.PERSON),  # a person is no place
        ("Transferred from Vermont General.", "Vermont General", EntityType.HOSPITAL),
        ("Rehab at Maryland Rehab next week.", "Maryland", EntityType.LOCATION),  # a facility's name
    ],
)
def test_cities_people_and_facilities_pass_the_state_veto(text: str, phrase: str, kind: str) -> None:
    assert not StateVeto().vetoes(text, *span_of(text, phrase), kind)
