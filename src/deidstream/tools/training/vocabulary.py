"""Clinical words that look like names or numbers but are not PHI, for the negative side of training.

A model that sees capitalised words only in names learns that capitals mean a
name; one that sees `Parkinson disease`, `Murphy sign` and `Foley` unlabelled
next to labelled names learns the difference. Numbers likewise: times (`0800`),
vital signs (`BP 120/80`), doses and lab values must stay unlabelled beside
labelled dates and phone numbers.
"""

from __future__ import annotations

# Split by how a sentence uses them, so `with {disease}` never reads `with Roho cushion`.
EPONYM_DISEASES = (
    "Parkinson disease", "Crohn disease", "Hodgkin lymphoma", "Bell palsy", "Cushing syndrome", "Addison disease",
    "Graves disease", "Hashimoto thyroiditis", "Alzheimer dementia", "Wernicke encephalopathy", "Barrett esophagus",
    "Guillain-Barre syndrome", "Sjogren syndrome", "Raynaud phenomenon", "Dupuytren contracture", "Meckel diverticulum",
    "Hirschsprung disease", "Down syndrome", "Tourette syndrome", "Huntington disease", "Wilson disease",
    "Lyme disease", "Kaposi sarcoma", "Ewing sarcoma", "Wilms tumor", "Wolff-Parkinson-White", "Paget disease",
    "Takotsubo cardiomyopathy", "Stevens-Johnson syndrome", "Lewy body dementia", "Bell's palsy", "Colles fracture",
)  # fmt: skip
EPONYM_SIGNS = (
    "Murphy sign", "Babinski sign", "Homans sign", "Kernig sign", "Chvostek sign", "Trousseau sign", "Tinel sign",
    "Lachman test", "McMurray test", "Phalen test", "Romberg test", "Brudzinski sign", "Battle sign", "Rovsing sign",
    "Kussmaul breathing", "Cheyne-Stokes respirations", "Cullen sign", "Grey Turner sign", "Hoffmann sign",
)  # fmt: skip
EPONYM_DEVICES = (
    "Foley catheter", "Swan-Ganz catheter", "Jackson-Pratt drain", "Holter monitor", "Miami J collar", "Hickman line",
    "Groshong catheter", "PleurX catheter", "Ommaya reservoir", "Bair Hugger", "Yankauer suction", "Dobhoff tube",
    "Salem sump", "Pleur-evac", "Hoyer lift", "Roho cushion", "Mepilex dressing", "Jackson-Pratt bulb",
)  # fmt: skip
EPONYM_SCORES = (
    "Glasgow Coma Scale", "Braden score", "Morse fall scale", "Richmond Agitation-Sedation Scale", "Wells score",
    "Child-Pugh class", "Mallampati class", "Gleason score", "Apgar score", "Ranson criteria", "CHA2DS2-VASc",
)  # fmt: skip
DRUGS = (
    "Lasix 40 mg IV", "heparin 5000 units SC", "vancomycin 1 g IV q12h", "Zosyn 3.375 g IV q8h", "metoprolol 25 mg PO",
    "Coumadin 5 mg", "Tylenol 650 mg PO", "Ativan 0.5 mg IV", "Haldol 2 mg IM", "insulin glargine 20 units",
    "Keppra 500 mg BID", "Levophed 0.08 mcg/kg/min", "propofol 20 mcg/kg/min", "fentanyl 50 mcg/hr", "Protonix 40 mg",
    "Zofran 4 mg IV", "morphine 2 mg IV", "Dilaudid 0.5 mg IV", "ceftriaxone 1 g IV", "Eliquis 5 mg BID",
    "Plavix 75 mg", "aspirin 81 mg", "Lipitor 40 mg", "Synthroid 88 mcg", "prednisone 40 mg", "Seroquel 25 mg QHS",
    "KCl 40 mEq PO", "magnesium sulfate 2 g IV", "Narcan 0.4 mg", "Precedex 0.4 mcg/kg/hr", "Flagyl 500 mg IV",
    "Bactrim DS", "Augmentin 875 mg", "Norco 5/325", "Senna 2 tabs", "Colace 100 mg", "Miralax 17 g",
)  # fmt: skip
DRUG_NAMES = (
    "ibuprofen", "acetaminophen", "metformin", "lisinopril", "warfarin", "apixaban", "amoxicillin", "sertraline",
    "gabapentin", "tramadol", "prednisone", "levothyroxine", "amiodarone", "digoxin", "furosemide", "naproxen",
    "ciprofloxacin", "clopidogrel", "semaglutide", "oxycodone", "melatonin", "diphenhydramine", "sumatriptan",
)  # fmt: skip
UNITS = ("MICU", "SICU", "CCU", "CVICU", "PACU", "ED", "OR", "NICU", "Neuro ICU", "step-down", "tele", "L&D", "IR")
CONDITIONS = (
    "CHF exacerbation", "COPD exacerbation", "urosepsis", "NSTEMI", "DKA", "GI bleed", "aspiration pneumonia",
    "new onset afib", "hip fracture", "CVA", "cellulitis", "pancreatitis", "SBO", "AKI on CKD", "syncope",
    "altered mental status", "hypotension", "hyponatremia", "pulmonary embolism", "alcohol withdrawal",
)  # fmt: skip
RELATIONS = (
    "wife", "husband", "son", "daughter", "mother", "father", "sister", "brother", "niece", "nephew", "grandson",
    "granddaughter", "partner", "friend", "neighbor", "HCP", "health care proxy", "emergency contact", "guardian",
    "daughter-in-law", "son-in-law", "fiance", "roommate", "aunt", "uncle", "cousin",
)  # fmt: skip
MALE_RELATIONS = frozenset({"husband", "son", "father", "brother", "nephew", "grandson", "son-in-law", "uncle"})
FEMALE_RELATIONS = frozenset(
    {"wife", "daughter", "mother", "sister", "niece", "granddaughter", "daughter-in-law", "aunt"}
)
ID_LABELS = (
    "MRN", "MRN #", "MR#", "Med Rec #", "Unit No", "Acct #", "Account", "Account #", "Encounter #", "FIN", "CSN",
    "Visit ID", "Visit #", "Case #", "Patient ID", "Pt ID", "Hospital #", "Chart #", "Ref #", "Order #", "Req #",
    "Claim #", "Rx #", "Specimen #", "Accession #", "Record #", "Enc", "HAR",
)  # fmt: skip
INSURANCE_LABELS = (
    "Insurance ID", "Member ID", "Policy #", "Medicaid #", "Medicare ID", "Subscriber ID", "Group #", "Plan ID",
    "BCBS ID", "MassHealth ID", "Ins #",
)  # fmt: skip
