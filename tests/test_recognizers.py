"""Every clinical recognizer, through the real engine: what it must find and what it must leave alone."""

from __future__ import annotations

import pytest

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
    ("Urine output low, dr healey aware.", "healey", "PERSON"),
    # a name found once is found again, even when its words are English words
    ("Patient: John Smith\nPlan: JOHN SMITH to follow up in clinic.", "JOHN SMITH", "PERSON"),
    ("MAGNESIUM GIVEN. DR SWACKHAMER AWARE.", "SWACKHAMER", "PERSON"),
    ("Vent changes made.\nV. Finn, RRT", "Finn", "PERSON"),
    ("Electronically signed by: Anna Z. Cunningham, MD 2009-01-09 20:51", "Cunningham", "PERSON"),
    ("Per NP Carol the lines were pulled.", "Carol", "PERSON"),
    ("Sitter Maria with pt overnight; chaplain Rev. Okafor in to see pt.", "Maria", "PERSON"),
    ("Sitter Maria with pt overnight; chaplain Rev. Okafor in to see pt.", "Okafor", "PERSON"),
    ("Dr. Griffin and Swackhamer aware.", "Swackhamer", "PERSON"),
    # relatives and contacts
    ("social: son bill called for update.", "bill", "PERSON"),
    ("Sons David, Morris and Roger in to visit.", "Roger", "PERSON"),
    ("Pt's brother in law Ernesto called twice.", "Ernesto", "PERSON"),
    ("Hank Przybylo (son) cell 450-928-6612", "Przybylo", "PERSON"),
    ("Telephone update to Mrs Nicholson overnight.", "Nicholson", "PERSON"),
    ("DAVID IS SPEAKING TO HIS BROTHER.", "DAVID", "PERSON"),
    # names the model does not see, from the census lists
    ("plan discussed with vasquez this am", "vasquez", "PERSON"),
    # dates
    ("7/22 found by husband on floor", "7/22", "DATE_TIME"),
    ("Admitted 22-Jul with chest pain.", "22-Jul", "DATE_TIME"),
    ("Seen on July 22nd, 2011 in clinic.", "July 22nd, 2011", "DATE_TIME"),
    ("PMH: MI '92, CABG 1995.", "'92", "DATE_TIME"),
    ("Collected 2011-01-01 10:31.", "2011-01-01 10:31", "DATE_TIME"),
    ("Prior imaging from 8/2006 is not available.", "8/2006", "DATE_TIME"),
    ("PMH: CABG 81, redo CABG 84.", "84", "DATE_TIME"),
    ("went home in sept. and returned", "sept", "DATE_TIME"),
    # ages over 89
    ("98 yo gentleman admitted via cath lab", "98", "AGE"),
    ("A 92-year-old woman with CHF.", "92", "AGE"),
    ("Mother died at age 96 of stroke.", "96", "AGE"),
    ("Sex: F. Age: 101.", "101", "AGE"),
    ("He is ninety-two years old.", "ninety-two", "AGE"),
    ("Last colonoscopy Jan '09, normal.", "Jan '09", "DATE_TIME"),
    # hospitals, wards, places
    ("transferred to holy cross hospital from home", "holy cross", "HOSPITAL"),
    ("Was accepted by St. Agnes but cannot leave.", "St. Agnes", "HOSPITAL"),
    ("PLAN: TRANSFER TO QUARTERMAIN 2 IN AM.", "QUARTERMAIN", "HOSPITAL"),
    ("admitted to Ward 7B under Dr. Riley.", "Ward 7B", "HOSPITAL"),
    ("Follow up at Murphy Family Health Center.", "Murphy Family Health Center", "HOSPITAL"),
    ("pt married, lives in catonsville, husband aware", "catonsville", "LOCATION"),
    ("Lives with her sister Susan in Aguilarland, South Dakota.", "Aguilarland", "LOCATION"),
    # facilities: a state university, a capitalised place after a transfer, a named ward, a town's rehab
    ("P: U Maryland consult for sliding scale", "U Maryland", "HOSPITAL"),
    ("Pt went to Harbor on 3/6 c/o severe abd pain.", "Harbor", "HOSPITAL"),
    ("She has been accepted at Holy Cross, awaiting consent.", "Holy Cross", "HOSPITAL"),
    ("ENC PO INTAKE. TRANSFER QUARTERMAIN 2.", "QUARTERMAIN", "HOSPITAL"),
    ("plan to get oob. transfer to quartermain2.", "quartermain", "HOSPITAL"),
    ("P: TRANSFER TO BALTIMORE REHAB", "BALTIMORE REHAB", "HOSPITAL"),
    # names around a listed name, and frequent first names inside a sentence
    ("BP NOTED. LINDSEY CARDARELLI CALLED TO BEDSIDE.", "CARDARELLI", "PERSON"),
    ("HOUSE STAFF mary souza AWARE.", "mary", "PERSON"),
    ("Con't to work with Helen for transfer home.", "Helen", "PERSON"),
    # dates next to hyphens, in `month of year`, and of events in a line about the ventilator
    ("LITHIUM TOXICITY-9/2/92.", "9/2/92", "DATE_TIME"),
    ("IN THIS CASE MARCH OF 1993.", "MARCH OF 1993", "DATE_TIME"),
    ("Nursing Progress Note\n21 Apr, 21 0700->1930", "21 Apr, 21", "DATE_TIME"),
    ("MECH VENT VIA TRACH (PLACED 8/14). AC 100%", "8/14", "DATE_TIME"),
    ("her primary psych docter Sullivan phoned", "Sullivan", "PERSON"),
    # a found name grown to its neighbours, and first names listed with it
    ("THAT CASE MANAGEMENT CONTACTS KAREN ANN VASQUEZ", "KAREN", "PERSON"),
    ("87-88% (good pleth) -> J. Vasquez into evaluate.", "J.", "PERSON"),
    ("Both Suzette and Hank are his appointed Health Care proxys.", "Hank", "PERSON"),
    ("BY CASE MANAGEMENT ON MONDAY (LUCY IS ON VACATION).", "LUCY", "PERSON"),
    # surnames after an initial, surnames no list holds after a first name, names that continue a found one
    ("TO MEET S. PELLEGRINO FROM THE NURSING AGENCY AT 9AM.", "PELLEGRINO", "PERSON"),
    ("verified by nsg (k. ferraro and m. o'connor) at 2200.", "o'connor", "PERSON"),
    ("GIVEN CARAFATE-W. SCARPELLI AWARE-WILL START PROTONIX.", "W.", "PERSON"),
    ("RUN OF VENT BIGEMINY BEA ZARNETSKI AWARE, MGSO4 GIVEN.", "ZARNETSKI", "PERSON"),
    ("pt alert. mary theresa gorzynski from speech in to see pt.", "mary theresa gorzynski", "PERSON"),
    ("following commands. florencia cooke np into eval.", "cooke", "PERSON"),
    ("Dr Ferdinand Halfpenny And Dr. Sarah O'Driscoll spoke with family.", "Halfpenny", "PERSON"),
    ("Repositioned q2h, pain controlled.\n Ellen Vorhaus\n", "Vorhaus", "PERSON"),
    ("Mr K. remained on the same doses of pressors.", "K", "PERSON"),
    ("Family: Son, Ed, was updated by MD today.", "Ed", "PERSON"),
    ("Contacts: Dorota Wiszniewski cell# 410-555-1419", "Wiszniewski", "PERSON"),
    # years listed after an event, a month and day before a period and year, ages opening a note
    ("PMH: CVA in 96 and 02, left sided weakness.", "02", "DATE_TIME"),
    ("Last seen in clinic 10/14.95 by her PCP.", "10/14.95", "DATE_TIME"),
    ("Nursing admission note\n94 s/p fall at home with hip fx", "94", "AGE"),
    ("grandson visited today (410 555 12345), will call back.", "410 555 12345", "PHONE_NUMBER"),
    # regions, cities' abbreviations, religious hospital names, a house named for someone, a state's hospital
    ("Was on vacation on the Eastern Shore when she developed chest pain.", "Eastern Shore", "LOCATION"),
    ("FAMILY DROVE IN FROM THE WESTERN SHORE TODAY.", "WESTERN SHORE", "LOCATION"),
    ("Her daughter lives in DC and calls daily.", "DC", "LOCATION"),
    ("THE PATIENT WAS SCREENED BY SACRED HEART REHAB TODAY.", "SACRED HEART", "HOSPITAL"),
    ("ADMITTED FROM THE KEELEY HOUSE AFTER A FALL.", "KEELEY HOUSE", "HOSPITAL"),
    ("Pt admitted from MD Hospital at 1900.", "MD Hospital", "HOSPITAL"),
    ("Social: Had a bed @ St J. but will need to be rescreened.", "St J.", "HOSPITAL"),
    ("From Glen Burnie, was at Good Samaritan last month.", "Good Samaritan", "HOSPITAL"),
    ("ADMITTED 10/14 FROM ST. JOSEPH'S.", "ST. JOSEPH'S", "HOSPITAL"),
    ("Wife called, she is staying at the Hampton Inn tonight.", "Hampton Inn", "HOSPITAL"),
    ("SOCIAL: MARRIED, LIVES IN ESSEX WITH WIFE.", "ESSEX", "LOCATION"),
    ("Daughter (Anna) updated by phone.", "Anna", "PERSON"),
    ("WIFE AT HOME. HUSBAND CEO OF ZENTRIX. SMOKER.", "ZENTRIX", "LOCATION"),
    # towns from the gazetteer, without a cue
    ("Nephew, Neil Meitz of Towson visited today.", "Towson", "LOCATION"),
    ("DAUGHTER GRACE FROM REISTERSTOWN VISITED.", "REISTERSTOWN", "LOCATION"),
    ("Other family members in San Diego were called.", "San Diego", "LOCATION"),
    ("PT FROM GLEN BURNIE, WIDOWED. FAMILY IN FROM OCEAN CITY.", "GLEN BURNIE", "LOCATION"),
    ("PT FROM GLEN BURNIE, WIDOWED. FAMILY IN FROM OCEAN CITY.", "OCEAN CITY", "LOCATION"),
    # a name before a signature credential, in capitals, when it is a frequent surname
    ("ALL IS WELL AT THIS TIME.\nEDWARD C. JONES, RRT", "JONES", "PERSON"),
    # addresses
    ("lives alone at 19 Clover St. in Lansdowne", "19 Clover St.", "STREET_ADDRESS"),
    ("Clinic\n475 Jones Crest\nTowson, MD 21204", "Towson", "LOCATION"),
    ("Clinic\n475 Jones Crest\nTowson, MD 21204", "21204", "ZIP_CODE"),
    # contact numbers
    ("Lopie Certusi cell# 410-322-1419 Home# 603-960-5357", "410-322-1419", "PHONE_NUMBER"),
    ("SOCIAL: DAUGHTER---301 944-5032 & GRANDDAUGHTER", "301 944-5032", "PHONE_NUMBER"),
    ("Pager #54321\nTime 3:00pm", "54321", "PHONE_NUMBER"),
    ("Questions: pager 4-5678 or call x4412.", "4-5678", "PHONE_NUMBER"),
    ("Questions: pager 4-5678 or call x4412.", "x4412", "PHONE_NUMBER"),
    ("DAUGHTER WANTS TO BE CALLED AT 555-1234 WITH ANY CHANGES.", "555-1234", "PHONE_NUMBER"),
    ("Questions: mary.jones@example.org", "mary.jones@example.org", "EMAIL_ADDRESS"),
    ("Portal: https://www.stagnes-health.org/mychart/login.", "https://www.stagnes-health.org/mychart/login", "URL"),
    ("Logged in from 10.20.30.40 remotely.", "10.20.30.40", "IP_ADDRESS"),
    ("SSN 536-90-4399 on file.", "536-90-4399", "US_SSN"),
    ("Copay card 4111 1111 1111 1111 on file.", "4111 1111 1111 1111", "CREDIT_CARD"),
    # identifiers after their labels
    ("FILE #: 12345\nPHYSICIAN: REFERRING", "12345", "ID"),
    ("MED REC #: 2421495\nACCESSION #: ACC833210", "2421495", "ID"),
    ("Pacemaker serial number: PJN-48213-A", "PJN-48213-A", "DEVICE_ID"),
    ("Pacemaker: Medtronic model ADDR01 SN PJN123456H.", "PJN123456H", "DEVICE_ID"),
    ("DEA # BS1234563, NPI 1234567893", "BS1234563", "LICENSE_NUMBER"),
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
    "Given 1/2 NS at 200cc/hr and lasix 40 mg IV q6h at 0800 and @ 14:30.",
    "NURSING PROGRESS NOTE 1900-0700: PERRL, MAE, HOH. Swan numbers stable.",
    "Scattered Reed-Sternberg cells; EBER in situ hybridization negative. Rokitansky-Aschoff sinuses.",
    "Hodgkin lymphoma s/p XRT. Babinski negative. APGAR 8/9. Whipple procedure in past.",
    "Brief Hospital Course: transferred to MICU, then CCU; sent to CT and back to the floor.",
    "Converted from afib to ST on monitor; NSR after amiodarone.",
    "Son and daughter in to visit; wife called; husband aware.",
    "3 way foley in place; pt on 1st step mattress; HOB 30 degrees.",
    # PA is the pulmonary artery, NP nasal prongs: no credential after a word
    "SWAN NUMBERS PA 60/30 PCWP 30; r fem pa line intact; POOR PA/CVP WAVEFORM; O2 3Ls NP.",
    # misspellings are not names or places
    "pt to be seen by tranplant team; Seen by Cardic Transplant surgeon. PT DEINES ANY PAIN.",
    "WIFE CAME IN AT MIDNOC TO VISIT. HUSBAND TO SIGN CONSENT TONITE.",
    # vent settings, town names that are abbreviations, numbers before everyday words
    "Fio2 40% with flowby 6/3. CONTINUES ON MASK VENTILATION 5/5.",
    "No flow to R ICA; NO SIG DRAINAGE; incision OTA with staples.",
    "ONE 8 BEAT RUN OF VT. DOPA FOR MAP>60 AS WELL AS IVF. 4 LARGE THICK LIQ GREEN STOOLS.",
    "Swallow Study pending; Bear Hugger on.",
    "Echo: 25% EF w/ 3-4+MR. Given total 6u PRBC; pa numbers 58-65/30; decision maker (son) called; nc flo increased.",
    "RR=22-24 on PSVof 15; Anxious to start rehab; seen by Liver team; transfer back to Ward3.",
    "Pt was sent to Radiology, then taken to Endoscopy and transferred to Telemetry.",
    "WILL CONSULT OT AND SKIN CARE RN.",
    # initials that are list letters, ends of abbreviations, sides or genera; consonant-only abbreviations
    "SPECIMEN: A. Right colon and terminal ileum; B. Sigmoid colon.",
    "Denies n/v. Fruit at bedside. Keep careful I & O. Check K+. Tube near R. mainstem; d/c. Small clots.",
    "E. coli and S. aureus in blood cultures; C. diff negative; v.tachypnic overnight.",
    "OUTPUT 40-140CC SANG DRNG. DRNG APPEARS TO BE THINNING.",
    # ventilator modes after `returned to`, misspelt words after relations, sides of the bed, morphine sulfate
    "Returned back to PS 15 approx 6pm; son and husband visisted; proxy is grandaughter.",
    "LIVES AT HOME WITH WIFE, lives at home alone, lives in a shelter.",
    "SW aware; secured at the 24 cm mark; sitter at bedside; chaplain in to see pt; interpreter used; brother in law called.",
    "Started D5 1/2 at 150cc/hr x 1500cc; NS x1000cc; call 1000 ml bolus.",
    "Turned to west side of bed. MS D/C'd this am. ST A. FIB ON MONITOR. INCREASED WORK OF BREATHING.",
]


@pytest.mark.parametrize("text", NOT_PHI)
def test_clinical_language_is_not_flagged(engine: Engine, text: str) -> None:
    assert detected(engine, text) == []


def test_radiology_sample_identifiers_are_replaced_and_findings_kept(engine: Engine) -> None:
    from conftest import RADIOLOGY_SAMPLE

    text = RADIOLOGY_SAMPLE.read_text()
    output = engine.anonymize_batch([text])[0].text
    for identifier in ("JOHN SMITH", "5/5/1955", "12345", "1/1/2011"):
        assert identifier not in output
    findings = text[text.index("Evaluation of the neck") :]
    assert findings in output, "no clinical word of the findings may be replaced"
