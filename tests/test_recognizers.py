"""Every clinical recognizer, through the real engine: what it must find and what it must leave alone."""

from __future__ import annotations

import pytest

from deidstream.anonymization.anonymizer import Anonymizer
from deidstream.detection.engine import Engine


def detected(engine: Engine, text: str) -> list[tuple[str, str]]:
    return [(entity.type, text[entity.start : entity.end]) for entity in engine.analyze_batch([text])[0]]


def covers(engine: Engine, text: str, phrase: str) -> set[str]:
    """Entity types detected over `phrase` (which must occur in `text`)."""
    start = text.index(phrase)
    end = start + len(phrase)
    return {entity.type for entity in engine.analyze_batch([text])[0] if entity.start < end and start < entity.end}


FOUND = [
    # labelled names, all-caps names, quoted names
    ("PATIENT: JOHN SMITH\nDOB: 5/5/1955", "JOHN SMITH", "PERSON"),
    ("Name: Gonzalez, Maria\nMRN: 1234567", "Gonzalez, Maria", "PERSON"),
    ('Container labelled with the patient\'s name, "BLAIR, CALVIN", and "gallbladder".', "BLAIR, CALVIN", "PERSON"),
    # clinicians
    ("Urine output low, dr garrow aware.", "garrow", "PERSON"),
    # a name found once is found again, even when its words are English words
    ("Patient: John Smith\nPlan: JOHN SMITH to follow up in clinic.", "JOHN SMITH", "PERSON"),
    ("MAGNESIUM GIVEN. DR OBERHOLTZER AWARE.", "OBERHOLTZER", "PERSON"),
    ("Suctioned for thick secretions.\nT. Lindqvist, RRT", "Lindqvist", "PERSON"),
    ("Electronically signed by: Anna Z. Cunningham, MD 2009-01-09 20:51", "Cunningham", "PERSON"),
    ("Per NP Carol the lines were pulled.", "Carol", "PERSON"),
    ("Sitter Maria with pt overnight; chaplain Rev. Okafor in to see pt.", "Maria", "PERSON"),
    ("Sitter Maria with pt overnight; chaplain Rev. Okafor in to see pt.", "Okafor", "PERSON"),
    ("Dr. Ostrowski and Oberholtzer notified.", "Oberholtzer", "PERSON"),
    # relatives and contacts
    ("social: son bill phoned twice this evening.", "bill", "PERSON"),
    ("Sons Peter, Dominic and Roger stopped by.", "Roger", "PERSON"),
    ("Pt's brother in law Ernesto called twice.", "Ernesto", "PERSON"),
    ("Walt Wrzesniak (son) cell 450-928-6612", "Wrzesniak", "PERSON"),
    ("Telephone update to Mrs Albrecht overnight.", "Albrecht", "PERSON"),
    ("DAVID IS SPEAKING TO HIS BROTHER.", "DAVID", "PERSON"),
    # names the model does not see, from the census lists
    ("plan discussed with vasquez this am", "vasquez", "PERSON"),
    # dates
    ("3/14 found by neighbour in kitchen", "3/14", "DATE_TIME"),
    ("Admitted 22-Jul with chest pain.", "22-Jul", "DATE_TIME"),
    ("Seen on July 22nd, 2011 in clinic.", "July 22nd, 2011", "DATE_TIME"),
    ("PMH: MI '92, CABG 1995.", "'92", "DATE_TIME"),
    ("Collected 2011-01-01 10:31.", "2011-01-01 10:31", "DATE_TIME"),
    ("Prior imaging from 8/2006 is not available.", "8/2006", "DATE_TIME"),
    ("PMH: CABG 78, redo CABG 93.", "93", "DATE_TIME"),
    ("went home in sept. and returned", "sept", "DATE_TIME"),
    # ages over 89
    ("97 yo lady admitted through the ED", "97", "AGE"),
    ("A 92-year-old woman with CHF.", "92", "AGE"),
    ("Mother died at age 96 of stroke.", "96", "AGE"),
    ("Sex: F. Age: 101.", "101", "AGE"),
    ("He is ninety-two years old.", "ninety-two", "AGE"),
    ("Last colonoscopy Jan '09, normal.", "Jan '09", "DATE_TIME"),
    # hospitals, wards, places
    ("transferred to mercy ridge hospital from home", "mercy ridge", "HOSPITAL"),
    ("Was accepted by St. Brigid but cannot leave.", "St. Brigid", "HOSPITAL"),
    ("PLAN: TRANSFER TO PENDLEBURY 2 IN AM.", "PENDLEBURY", "HOSPITAL"),
    ("admitted to Ward 7B under Dr. Riley.", "Ward 7B", "HOSPITAL"),
    ("Follow up at Addison Family Health Center.", "Addison Family Health Center", "HOSPITAL"),
    ("pt widowed, lives in frostburg, son aware", "frostburg", "LOCATION"),
    ("Lives with her sister Susan in Aguilarland, South Dakota.", "Aguilarland", "LOCATION"),
    # facilities: a state university, a capitalised place after a transfer, a named ward, a town's rehab
    ("Plan: U Vermont endocrine to advise on insulin", "U Vermont", "HOSPITAL"),
    ("She went to Riverside on 4/2 with back pain.", "Riverside", "HOSPITAL"),
    ("He was accepted at Mercy Ridge pending insurance.", "Mercy Ridge", "HOSPITAL"),
    ("TOLERATING DIET. TRANSFER PENDLEBURY 4.", "PENDLEBURY", "HOSPITAL"),
    ("ambulate tonight. transfer to pendlebury4.", "pendlebury", "HOSPITAL"),
    ("PLAN: D/C TO PITTSBURGH REHAB", "PITTSBURGH REHAB", "HOSPITAL"),
    # names around a listed name, and frequent first names inside a sentence
    ("BP NOTED. LINDSEY CASTELLUCCI CALLED TO BEDSIDE.", "CASTELLUCCI", "PERSON"),
    ("ON CALL TEAM mary kowalczyk AWARE.", "mary", "PERSON"),
    ("Will keep working with Helen on transfers.", "Helen", "PERSON"),
    # dates next to hyphens, in `month of year`, and of events in a line about the ventilator
    ("DIGOXIN LEVEL HIGH-4/6/93.", "4/6/93", "DATE_TIME"),
    ("LAST ADMITTED IN OCTOBER OF 1996.", "OCTOBER OF 1996", "DATE_TIME"),
    ("Night shift summary\n14 Mar, 14 1900->0730", "14 Mar, 14", "DATE_TIME"),
    ("VENTILATED VIA TRACH (PLACED 9/12). SIMV 60%", "9/12", "DATE_TIME"),
    ("his outpatient docter Brennan rang back", "Brennan", "PERSON"),
    # a found name grown to its neighbours, and first names listed with it
    ("DISCHARGE PLANNER CONTACTS KAREN ANN VASQUEZ", "KAREN", "PERSON"),
    ("sats 91% on 4L -> J. Vasquez in to assess.", "J.", "PERSON"),
    ("Both Marisol and Walt are his appointed Health Care proxys.", "Walt", "PERSON"),
    ("SOCIAL WORK TO FOLLOW UP (LUCY IS ON LEAVE).", "LUCY", "PERSON"),
    # surnames after an initial, surnames no list holds after a first name, names that continue a found one
    ("TO MEET S. PELLEGRINO FROM THE NURSING AGENCY AT 9AM.", "PELLEGRINO", "PERSON"),
    ("verified by nsg (k. ferraro and m. o'connor) at 2200.", "o'connor", "PERSON"),
    ("GIVEN CARAFATE-W. SCARPELLI AWARE-WILL START PROTONIX.", "W.", "PERSON"),
    ("RUN OF VENT BIGEMINY BEA ZARNETSKI AWARE, MGSO4 GIVEN.", "ZARNETSKI", "PERSON"),
    ("pt alert. mary theresa gorzynski from speech in to see pt.", "mary theresa gorzynski", "PERSON"),
    ("following commands. graciela baker np into eval.", "baker", "PERSON"),
    ("Dr Ferdinand Thistlewood And Dr. Sarah O'Donoghue met the family.", "Thistlewood", "PERSON"),
    ("Repositioned q2h, pain controlled.\n Ellen Vorhaus\n", "Vorhaus", "PERSON"),
    ("Mr K. remained on the same doses of pressors.", "K", "PERSON"),
    ("Visitors: Son, Ed, was given an update by the team.", "Ed", "PERSON"),
    ("Contacts: Dorota Wiszniewski cell# 410-555-1419", "Wiszniewski", "PERSON"),
    # years listed after an event, a month and day before a period and year, ages opening a note
    ("PMH: CVA in 96 and 02, left sided weakness.", "02", "DATE_TIME"),
    ("Last seen in clinic 10/14.95 by her PCP.", "10/14.95", "DATE_TIME"),
    ("Admission summary\n94 s/p syncope with wrist fx", "94", "AGE"),
    ("grandson visited today (410 555 12345), will call back.", "410 555 12345", "PHONE_NUMBER"),
    # regions, cities' abbreviations, religious hospital names, a house named for someone, a state's hospital
    ("Was on vacation on the North Shore when she developed chest pain.", "North Shore", "LOCATION"),
    ("FAMILY DROVE IN FROM THE WESTERN SHORE TODAY.", "WESTERN SHORE", "LOCATION"),
    ("Her daughter lives in DC and calls daily.", "DC", "LOCATION"),
    ("THE PATIENT WAS SCREENED BY HOLY REDEEMER REHAB TODAY.", "HOLY REDEEMER", "HOSPITAL"),
    ("ADMITTED FROM THE PEMBERTON HOUSE AFTER A FALL.", "PEMBERTON HOUSE", "HOSPITAL"),
    ("Transfer came from VA Hospital at 2100.", "VA Hospital", "HOSPITAL"),
    ("Dispo: offered a bed @ St J. pending insurance.", "St J.", "HOSPITAL"),
    ("From Silver Spring, was at Good Samaritan last month.", "Good Samaritan", "HOSPITAL"),
    ("ADMITTED 10/14 FROM ST. JOSEPH'S.", "ST. JOSEPH'S", "HOSPITAL"),
    ("Wife phoned, she is staying at the Brandauer Inn tonight.", "Brandauer Inn", "HOSPITAL"),
    ("SOCIAL: MARRIED, LIVES IN DOVER WITH WIFE.", "DOVER", "LOCATION"),
    ("Daughter (Anna) updated by phone.", "Anna", "PERSON"),
    ("WIFE AT HOME. HUSBAND WORKS FOR ZENTRIX. NONSMOKER.", "ZENTRIX", "LOCATION"),
    # towns from the gazetteer, without a cue
    ("Nephew, Neil Brunetti of Bethesda visited today.", "Bethesda", "LOCATION"),
    ("DAUGHTER GRACE FROM GAITHERSBURG VISITED.", "GAITHERSBURG", "LOCATION"),
    ("Other family members in San Antonio were called.", "San Antonio", "LOCATION"),
    ("PT FROM SILVER SPRING, WIDOWED. FAMILY IN FROM VIRGINIA BEACH.", "SILVER SPRING", "LOCATION"),
    ("PT FROM SILVER SPRING, WIDOWED. FAMILY IN FROM VIRGINIA BEACH.", "VIRGINIA BEACH", "LOCATION"),
    # a name before a signature credential, in capitals, when it is a frequent surname
    ("NO WEANING ATTEMPTED TONIGHT.\nHAROLD T. HUGHES, RRT", "HUGHES", "PERSON"),
    # addresses
    ("lives alone at 19 Juniper St. in Rockledge", "19 Juniper St.", "STREET_ADDRESS"),
    ("Clinic\n475 Jones Crest\nBethesda, MD 20814", "Bethesda", "LOCATION"),
    ("Clinic\n475 Jones Crest\nBethesda, MD 20814", "20814", "ZIP_CODE"),
    # contact numbers
    ("Orsola Bettanin cell# 617-555-0142 Home# 508-555-0177", "617-555-0142", "PHONE_NUMBER"),
    ("FAMILY: NIECE---412 555-0186 & NEPHEW", "412 555-0186", "PHONE_NUMBER"),
    ("Beeper #54321\nTime 3:00pm", "54321", "PHONE_NUMBER"),
    ("Questions: pager 4-5678 or call x4412.", "4-5678", "PHONE_NUMBER"),
    ("Questions: pager 4-5678 or call x4412.", "x4412", "PHONE_NUMBER"),
    ("DAUGHTER WANTS TO BE CALLED AT 555-1234 WITH ANY CHANGES.", "555-1234", "PHONE_NUMBER"),
    ("Questions: mary.jones@example.org", "mary.jones@example.org", "EMAIL_ADDRESS"),
    (
        "Portal: https://www.riverbend-health.org/mychart/login.",
        "https://www.riverbend-health.org/mychart/login",
        "URL",
    ),
    ("Logged in from 10.20.30.40 remotely.", "10.20.30.40", "IP_ADDRESS"),
    ("SSN 536-90-4399 on file.", "536-90-4399", "US_SSN"),
    ("Copay card 4111 1111 1111 1111 on file.", "4111 1111 1111 1111", "CREDIT_CARD"),
    # identifiers after their labels
    ("FILE #: 12345\nPHYSICIAN: REFERRING", "12345", "ID"),
    ("MED REC #: 2421495\nACCESSION #: ACC833210", "2421495", "ID"),
    ("Pacemaker serial number: PJN-48213-A", "PJN-48213-A", "DEVICE_ID"),
    ("Pacemaker: Medtronic model ADDR01 SN PJN123456H.", "PJN123456H", "DEVICE_ID"),
    ("DEA # BS1234563, NPI 1234567893", "BS1234563", "LICENSE_NUMBER"),
    # international numbers, any nine digits after an SSN label, identifiers a few words after an identifier word
    ("Son in London: +44 20 7946 0958.", "+44 20 7946 0958", "PHONE_NUMBER"),
    ("SSN: 666-04-9671 per registration.", "666-04-9671", "US_SSN"),
    ("Identity confirmed with 0777601 before transfusion.", "0777601", "ID"),
    # the town after a street address; names in every Latin alphabet
    ("lives at 82 Birchwood Lane, Northfield.", "Northfield", "LOCATION"),
    ("Dr. José Muñoz saw the patient; daughter Zoë called.", "Zoë", "PERSON"),
]


@pytest.mark.parametrize(("text", "phrase", "entity_type"), FOUND, ids=[case[1] for case in FOUND])
def test_phi_is_found(engine: Engine, text: str, phrase: str, entity_type: str) -> None:
    assert entity_type in covers(engine, text, phrase), detected(engine, text)


def test_labelled_name_ends_before_the_next_label(engine: Engine) -> None:
    text = "Patient: Rivera, Carmen  MRN: 00451234  DOB: 03/14/1931"
    assert ("PERSON", "Rivera, Carmen") in detected(engine, text)


def test_every_recognizer_finds_a_case_by_itself(engine: Engine) -> None:
    """No recognizer of the engine goes untested: each one, run alone, finds something in the cases above."""
    recognizers = engine._analyzer.registry.recognizers
    texts = [text for text, _, _ in FOUND]
    finding = set()
    for text, nlp_artifacts in engine._nlp_engine.process_batch(texts, language="en"):
        finding |= {r.name for r in recognizers if r.analyze(text, r.supported_entities, nlp_artifacts)}
    assert {r.name for r in recognizers} - finding == set()


NOT_PHI = [
    "Crohn disease with a positive Murphy sign; Foley catheter in place.",
    "Glasgow Coma Scale 15. History of Parkinson disease. Mild hydronephrosis.",
    "Disc bulge at C5/6 and C6/7, L4-L5 foraminal narrowing, T12/L1 intact.",
    "Mass measures 0.8 x 0.9 x 0.7 CM on series 3 image 45.",
    "BP 110/70, HR 88, RR 18, SpO2 97% on 2L. K 4.2, Hct 32.1, INR 2.0.",
    "PEEP 10/5 on PS, weaning trial 5/5 this am. I:E 1:2.",
    "Pain 4/10, strength 5/5 in all extremities, +3/6 SEM.",
    "Given 1/2 NS at 125cc/hr and lasix 20 mg IV q8h at 0900 and @ 15:30.",
    "NURSING PROGRESS NOTE 1900-0700: PERRL, MAE, HOH. Swan numbers stable.",
    "Scattered Reed-Sternberg cells; EBER in situ hybridization negative. Rokitansky-Aschoff sinuses.",
    "Hodgkin lymphoma s/p XRT. Babinski negative. APGAR 8/9. Whipple procedure in past.",
    "Brief Hospital Course: transferred to MICU, then CCU; sent to CT and back to the floor.",
    "Converted from afib to ST on monitor; NSR after amiodarone.",
    "Daughter and son came to visit; wife phoned; husband updated.",
    "3 way foley in place; pt on 1st step mattress; HOB 30 degrees.",
    # PA is the pulmonary artery, NP nasal prongs: no credential after a word
    "SWAN NUMBERS PA 52/24 PCWP 18; l fem pa line secure; DAMPED PA/CVP TRACING; O2 4Ls NP.",
    # misspellings are not names or places
    "pt to be evaluated by nuerology team; Seen by Vasculer surgery fellow. PT DENYES ANY NAUSEA.",
    "HUSBAND CAME IN AT MIDNIGHT TO SIT WITH PT. DAUGHTER TO SIGN CONSENT TOMOROW.",
    # vent settings, town names that are abbreviations, numbers before everyday words
    "Fio2 50% with flowby 5/2. REMAINS ON MASK VENTILATION 10/5.",
    "No flow to R ICA; NO SIG DRAINAGE; incision OTA with staples.",
    "ONE 6 BEAT RUN OF VT. LEVO FOR MAP>65 AS WELL AS IVF. 3 LARGE LOOSE BROWN STOOLS.",
    "Swallow Study pending; Bear Hugger on.",
    "Echo: 30% EF w/ 2-3+TR. Given total 4u PRBC; pa numbers 48-55/25; decision maker (daughter) called; nc flo weaned.",
    "RR=20-26 on PSVof 12; Eager to start rehab; seen by Renal team; transfer back to Ward5.",
    "Pt was sent to Radiology, then taken to Endoscopy and transferred to Telemetry.",
    "WILL ASK PT AND WOUND CARE RN TO SEE.",
    # initials that are list letters, ends of abbreviations, sides or genera; consonant-only abbreviations
    "SPECIMEN: A. Right colon and terminal ileum; B. Sigmoid colon.",
    "Denies n/v. Juice at bedside. Strict I & O. Recheck K+. Tip near R. mainstem; d/c. Few small clots.",
    "E. coli and S. aureus in blood cultures; C. diff negative; v.tachypnic overnight.",
    "JP 30-90CC SEROSANG DRNG. DRNG LOOKS LESS BLOODY.",
    # ventilator modes after `returned to`, misspelt words after relations, sides of the bed, morphine sulfate
    "Returned back to PS 12 around 5pm; son and wife vistied; proxy is grandaughter.",
    "LIVES AT HOME WITH WIFE, lives at home alone, lives in a shelter.",
    "SW following; secured at the 22 cm mark; sitter at bedside; chaplain visited pt; interpreter present; sister in law phoned.",
    "Started D5 1/2 at 100cc/hr x 1000cc; LR x500cc; call 500 ml bolus.",
    "Turned to west side of bed. MS D/C'd this am. ST A. FIB ON MONITOR. INCREASED WORK OF BREATHING.",
    # a patient's state or an initial after the cues of people spoken with; states after an address
    "Patient extubated to 40% face tent; Patient A paced at 80; spoke with cardiology.",
    "Patient Ménière disease and Sjögren syndrome; café au lait spots.",
]


@pytest.mark.parametrize("text", NOT_PHI)
def test_clinical_language_is_not_flagged(engine: Engine, text: str) -> None:
    assert detected(engine, text) == []


def test_radiology_sample_identifiers_are_replaced_and_findings_kept(engine: Engine) -> None:
    from conftest import RADIOLOGY_SAMPLE

    text = RADIOLOGY_SAMPLE.read_text()
    output = Anonymizer().anonymize(text, engine.analyze_batch([text])[0]).text
    for identifier in ("JOHN SMITH", "5/5/1955", "12345", "1/1/2011"):
        assert identifier not in output
    findings = text[text.index("Evaluation of the neck") :]
    assert findings in output, "no clinical word of the findings may be replaced"
