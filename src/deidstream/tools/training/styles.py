"""The note styles: each a function that writes one note with a `NoteWriter`.

Styles widen synthetic.py's six report kinds toward what a PHI model meets in
practice: terse ICU nursing notes in capitals, lower-case nursing notes,
questions doctors ask about a patient in one or two sentences, phone-call and
social-work notes full of relatives and contact details, and the formal
documents (discharge summaries, referral letters, lab, radiology, ED and
progress notes). Shared pools put names in many contexts (after titles, before
degrees, after relations and contact verbs, in labelled fields, as initials,
in signatures, bare at the start of a sentence) and mix in clinical words that
look like names but are not PHI. All templates here are original to this
project.
"""

from __future__ import annotations

from collections.abc import Callable

from deidstream.tools.training.casing import LOWER, UPPER
from deidstream.tools.training.writer import AS_WRITTEN, NoteWriter

# ---------------------------------------------------------------- shared pools

CONTACTS = (
    "Spoke with {relation} {rel} re: plan of care.",
    "{rel} ({relation}) called for update, questions answered.",
    "Left message for {rel} at {phone}.",
    "Update given to {relation} {rel_first} by phone.",
    "Discussed with {rel}, pt's {relation}, who agrees with plan.",
    "{Relation} {rel_first} at bedside most of the shift.",
    "{rel_first} called at {clock}, updated by RN.",
    "Emergency contact: {rel} ({relation}) {phone}.",
    "HCP is {relation} {rel}, reachable at {phone}.",
    "Family meeting held with {rel} and Dr. {att_last}.",
    "Pt's {relation}, {rel}, visited this afternoon.",
    "{rel} visited and brought pt's glasses and hearing aids.",
    "Per {relation} ({rel_first}), pt was more confused at home for 2 days.",
    "Called {rel_first} back at {local_phone}, no answer, will try again.",
    "Health care proxy {rel} aware of transfer to {unit}.",
    "Guardian {rel} consented by phone, witnessed by RN {nurse}.",
    "Message from {rel}: please call {phone} after {clock}.",
    "Informed {rel} of the change in condition.",
    "Text update sent to {rel} per pt request.",
    "{Relation} {rel} requests a call from the team before {clock}.",
    "Friend {other} visited briefly.",
    "{Relation} {rel_first} called, wants to know if pt can go home {date_md}.",
    "Pt asked that {rel_first} not be given information.",
    "Updated {relation} ({rel}) at {local_phone}.",
    "{rel_first} ({relation}) in to visit, tearful, support given.",
    "No answer at {phone}; voicemail left for {rel}.",
    "Contact: {rel}, {relation}, cell {phone}, email {rel_email}.",
    "Neighbor {other} has a key to the apartment.",
)  # fmt: skip
CLINICIANS = (
    "Dr. {doc_last} aware of BP {bp}.",
    "DR {doc_last} IN TO SEE PT.",
    "Seen by Dr {doc} from renal.",
    "{doc}, MD notified at {clock}.",
    "Covering NP {doc} paged, no new orders.",
    "Nurse {nurse_first} gave report at {clock}.",
    "RN {nurse} to follow overnight.",
    "{init_last} ordered CXR.",
    "{init_dot} in to evaluate at {clock}.",
    "Discussed with {doc}, NP.",
    "Plan reviewed with attending {att}.",
    "{doc_last} to call back with results.",
    "Resident Dr. {doc_last} at bedside for line placement.",
    "Pharmacy ({doc}, PharmD) recommends renal dosing.",
    "PT eval by {doc} PT: recommends rehab.",
    "Case discussed with {doc} PA-C.",
    "{doc} RN reports pt slept well.",
    "Dr. {doc} (cardiology) consulted for {condition}.",
    "Fellow on call ({doc}) paged x2.",
    "{doc_last} from IR will place PICC tomorrow.",
)  # fmt: skip
NOT_PHI = (
    "History of {eponym}.",
    "{sign} {posneg}.",
    "{device} in place, site clean.",
    "{score} {n}.",
    "{drug} given at {clock} with good effect.",
    "BP {bp}, HR {hr}, RR {rr}, T {temp}, SpO2 {spo2}% on {o2}.",
    "Labs: WBC {wbc}, Hgb {hgb}, Plt {plt}, Na {na}, K {k}, Cr {cr}.",
    "Transferred from {unit} at {clock}.",
    "Foley in place, UOP {uop} cc/hr.",
    "Hoyer lift for transfers; Bair Hugger on.",
    "Glasgow Coma Scale {gcs}.",
    "Fingerstick glucose {glucose}, covered per sliding scale.",
    "Pain {pain}/10, {drug} given.",
    "INR {inr}, holding Coumadin tonight.",
    "Room {room} bed {bed}.",
    "Murphy sign negative, McBurney point nontender.",
    "Hx of Crohn disease, on Humira.",
    "Parkinson disease, on Sinemet 25/100 TID.",
)  # fmt: skip

# ---------------------------------------------------------------- ICU nursing, ALL CAPITALS


def icu_nursing_caps(w: NoteWriter) -> None:
    w.write(
        w.pick(
            "MICU NSG NOTE {clock}-{clock}\n", "NURSING PROGRESS NOTE 7A-7P\n", "CCU NPN {date_md}\n", "NSG {clock}\n"
        )
    )
    w.write(
        "NEURO: "
        + w.pick("A&OX3, MAE, PERRL.", "SEDATED ON PROPOFOL, RASS -2.", "LETHARGIC, AROUSABLE TO VOICE.")
        + " GCS {gcs}.\n"
    )
    w.write(
        "CV: HR {hr} "
        + w.pick("NSR", "AFIB", "ST", "SB")
        + ", BP {bp}. "
        + w.pick("{drug} GIVEN.", "NO ECTOPY.", "K REPLETED.")
        + "\n"
    )
    w.write("RESP: LS " + w.pick("CLEAR", "COARSE", "DIM AT BASES") + ", ON {o2}, SATS {spo2}%.\n")
    w.write("GI/GU: ABD SOFT, +BS. FOLEY DRAINING CLEAR YELLOW URINE {uop}CC/HR.\n")
    w.write(
        "SKIN: BRADEN "
        + w.pick("12", "14", "16")
        + ", TURNED Q2H. "
        + w.pick("ROHO CUSHION IN USE.", "DRSG C/D/I.", "COCCYX INTACT.")
        + "\n"
    )
    w.write("SOCIAL: ")
    w.write(w.pick("PT RESTING COMFORTABLY. ", "") + "{relation} {rel_first} CALLED, UPDATED BY RN. ")
    w.sentences(CONTACTS, 1, 3)
    w.write("\n")
    w.sentences(CLINICIANS, 1, 3)
    w.write("\n")
    w.sentences(NOT_PHI, 1, 3)
    w.write(
        "\nPLAN: "
        + w.pick("CONT TO MONITOR, ", "WEAN O2 AS TOL, ", "NPO AFTER MN FOR ")
        + w.pick("CALL HO PRN.", "F/U AM LABS.", "TRANSFER TO FLOOR WHEN BED AVAILABLE.")
    )
    w.write("\n" + w.pick("{nurse}, RN", "{init_last} RN", "{nurse} RN {clock}", "RN: {nurse}") + "\n")


# ---------------------------------------------------------------- nursing, lower case


def nursing_lower(w: NoteWriter) -> None:
    w.write(w.pick("nsg note {clock}\n", "npn 7p-7a\n", "nursing note {date_md}\n", ""))
    w.write(
        "pt "
        + w.pick("a&o x2", "alert, oriented", "sleeping on and off", "restless early in shift")
        + ", c/o pain {pain}/10, {drug} given.\n"
    )
    w.write("vs: bp {bp} hr {hr} rr {rr} t {temp} sat {spo2}% {o2}.\n")
    w.sentences(CONTACTS, 1, 3, "\n")
    w.sentences(CLINICIANS, 1, 2, "\n")
    w.sentences(NOT_PHI, 1, 3, "\n")
    w.write(
        w.pick("will cont to monitor. ", "safety maintained, call light in reach. ")
        + w.pick("- {nurse} rn\n", "{nurse_first} rn\n", "{init_last}\n")
    )


# ---------------------------------------------------------------- discharge summary


def discharge_summary(w: NoteWriter) -> None:
    w.write("DISCHARGE SUMMARY\n{hospital}\n\nName: {pt_full}    ")
    w.id_field()
    w.write("\nAdmission Date: {admit_date}    Discharge Date: {date_full}\nDate of Birth: {dob}    Sex: {sex}    ")
    w.write(w.pick("Age: {age}\n", "Service: MEDICINE\n"))
    w.write("Attending: {att}, MD\nPCP: Dr. {doc}, {clinic} ({phone})\n\n")
    w.write(
        "HISTORY OF PRESENT ILLNESS:\n{age} yo {sex} with {eponym} and {condition} who presented from "
        + w.pick("home in {city}", "{other_hospital}", "a nursing home")
        + " on {admit_date}. "
    )
    w.sentences(CONTACTS, 1, 2)
    w.write("\n\nHOSPITAL COURSE:\n")
    w.sentences(NOT_PHI, 2, 4)
    w.sentences(CLINICIANS, 1, 3)
    w.write(
        "\n\nDISCHARGE MEDICATIONS:\n1. {drug}\n2. {drug}\n3. {drug}\n\nDISPOSITION: "
        + w.pick("Home with services", "Extended care: {other_hospital}", "Home")
        + "\n\n"
    )
    w.write("FOLLOW UP:\nDr. {doc_last}, {clinic}\n")
    w.address()
    w.write("\nPhone: {phone}    Fax: {phone}\nAppointment: {stamp}\n\n")
    w.write(
        w.pick(
            "Dictated By: {att}, MD\nD: {stamp}  T: {stamp}\n",
            "Electronically signed by {att}, MD on {stamp}\n",
            "{att_last}/" + w.pick("jw", "mk", "tr") + "\n",
        )
    )


# ---------------------------------------------------------------- referral letter


def referral_letter(w: NoteWriter) -> None:
    sender = w.person()
    w.write("{clinic}\n")
    w.address()
    w.write(
        "\nTel {phone} | Fax {phone}\n{url}\n\n{date_full}\n\nDr. {recipient}\n{hospital}\n\n",
        recipient=w.name(w.person(), "first last"),
    )
    w.write("RE: {pt_full}    DOB: {dob}    ")
    w.id_field()
    w.write("\n" + w.pick("", "SSN: {ssn}\n", "{insurance_label}: {member}\n"))
    w.write(
        "\nDear Dr. {recipient_last},\n\nThank you for seeing {pt_title} {pt_last}, a {age}-year-old {man} with {condition}. ",
        recipient_last=w.clinician("last"),
    )
    w.write(
        w.pick(
            "{He} was last seen here on {past_date}. ",
            "{He} moved from {city} in {year}. ",
            "{He} was treated at {other_hospital} in {month_year}. ",
        )
    )
    w.write("{His} {relation}, {rel}, can be reached at {phone} or {rel_email}. ")
    w.sentences(NOT_PHI, 1, 3)
    w.write(
        "\n\nSincerely,\n\n{sender}, " + w.pick("MD", "DO", "NP", "MD, PhD") + "\n{email}\n",
        sender=w.name(sender, w.pick("first last", "first m. last")),
        email=w.email(sender),
    )
    w.write(w.pick("", "cc: {doc}, MD\n", "cc: Dr. {doc_last}; {relation} {rel}\n"))


# ---------------------------------------------------------------- physician questions


QUESTIONS = (
    "Can a {age}-year-old {man}, {pt_short}, seen at {clinic} on {date_full}, take {drug_name}?",
    "Is it safe to restart {drug_name} in my patient {pt_short} ({age} {sex}) who had a GI bleed on {date_md}?",
    "{pt_named}, {age}, was discharged from {hospital} on {date}; should {he} stay on {drug_name} for {eponym}?",
    "What dose of {drug_name} would you use for a {age} yo {male} with CrCl 25 who lives alone in {city}?",
    "My patient {pt_short} ({age}{sex}) asks whether {drug_name} interacts with warfarin. {His} INR on {date_md} was {inr}.",
    "Quick question about {pt_title} {pt_last}: {he} is {age} and on dialysis at {clinic}. Can {he} take {drug_name}?",
    "Should a {age}-year-old with {eponym} seen by Dr. {doc_last} on {date} be screened again before {holiday}?",
    "Could {drug_name} explain the rash {pt_short} developed after {his} visit to {other_hospital} on {date_full}?",
    "For {pt_named} (MRN {mrn}), {age}, would you stop {drug_name} before surgery on {date_md}?",
    "{pt_first} is a {age} year old {man} from {city} with {condition}. Is {drug_name} reasonable? Call me at {phone}.",
    "Dr. {doc_last} asked me to check: can {pt_short}, age {age}, fly to {country} on {date_md} after a PE?",
    "What is the right follow-up interval for {pt_named}, {age}, whose A1c was 9.1 on {date_full}?",
    "Does a {age}-year-old {man} with {eponym}, {pt_short}, need antibiotic prophylaxis before dental work?",
    "is {drug_name} ok for {pt_short}? {he} is {age}, seen in {unit} on {date_md}.",
)  # fmt: skip


def physician_question(w: NoteWriter) -> None:
    w.write(w.rng.choice(QUESTIONS))
    if w.chance(0.4):
        w.write(
            " "
            + w.pick(
                "{He} also takes {drug}.",
                "{His} {relation} {rel_first} manages the pill box.",
                "Labs from {date_md}: Cr {cr}, K {k}.",
                "Thanks, {doc}",
                "Reply to {email} please.",
            )
        )
    w.write("\n")


# ---------------------------------------------------------------- lab report


def lab_report(w: NoteWriter) -> None:
    w.write("{hospital} LABORATORY\nPatient: {pt_full}    DOB: {dob}    Sex: {sex}\n")
    w.id_field()
    w.write("    ")
    w.id_field()
    w.write(
        "\nCollected: {stamp}    Received: {stamp}\nOrdering Provider: {doc}, MD    Location: "
        + w.pick("{unit}", "{ward}", "{clinic}")
        + "\n\n"
    )
    w.write(
        "TEST            RESULT   UNITS     REF RANGE\nWBC             {wbc}     K/uL      4.0-11.0\nHGB             {hgb}     g/dL      12.0-16.0\nPLT             {plt}      K/uL      150-400\nSODIUM          {na}      mmol/L    135-145\nPOTASSIUM       {k}      mmol/L    3.5-5.1\nCREATININE      {cr}      mg/dL     0.6-1.2\nGLUCOSE         {glucose}      mg/dL     70-99\nINR             {inr}\n\n"
    )
    if w.chance(0.6):
        w.write(
            "CRITICAL VALUE called to "
            + w.pick("RN {nurse}", "{nurse}, RN", "Dr. {doc_last}", "{init_dot}")
            + " at {clock} on {date_md}, read back verified.\n"
        )
    w.write(
        w.pick(
            "Verified by: {verifier}, MT(ASCP) {stamp}\n",
            "Performed at {hospital}, {city}. Lab director: {doc}, MD. CLIA 22D0987654\n",
            "Tech: {verifier}\n",
        ),
        verifier=w.clinician(w.pick("f last", "first last", "last")),
    )


# ---------------------------------------------------------------- emergency department


def ed_note(w: NoteWriter) -> None:
    w.write("ED PROVIDER NOTE    {hospital} Emergency Department\nPatient: {pt}    ")
    w.id_field()
    w.write(
        "\nArrival: {stamp}    Mode: "
        + w.pick("EMS", "walk-in", "private vehicle")
        + "    Triage: ESI "
        + w.pick("2", "3")
        + "\nPCP: "
        + w.pick("Dr. {doc}", "{doc}, NP", "none")
        + "\n\n"
    )
    w.write(
        "CC: {condition}\nHPI: {age} yo {sex} with {eponym} presenting from "
        + w.pick("home in {city}", "{other_hospital}", "{street}")
        + " after "
        + w.pick("a fall", "2 days of vomiting", "chest pain since {clock}")
        + ". "
    )
    w.sentences(CONTACTS, 1, 2)
    w.write(
        "\n\nExam: T {temp} HR {hr} BP {bp} RR {rr} SpO2 {spo2}%. "
        + w.pick("Kernig and Brudzinski negative.", "Homans sign negative.", "No Battle sign.")
        + "\nED course: "
    )
    w.sentences(NOT_PHI, 2, 3)
    w.sentences(CLINICIANS, 1, 2)
    w.write(
        "\nDispo: "
        + w.pick(
            "admit to {unit} under Dr. {att_last}", "transfer to {other_hospital}", "home with {relation} {rel_first}"
        )
        + ".\n"
        + w.pick("{att}, MD {stamp}\n", "Signed: {att} DO\n", "-- {init_last}\n")
    )


# ---------------------------------------------------------------- radiology


def radiology(w: NoteWriter) -> None:
    exam = w.pick(
        "CT HEAD WITHOUT CONTRAST", "CHEST PA AND LATERAL", "MRI LUMBAR SPINE", "US RUQ", "CTA CHEST PE PROTOCOL"
    )
    w.write(exam + "\n{hospital} Department of Radiology\nPATIENT: {pt_full}    ")
    w.id_field()
    w.write(
        "\nDATE OF SERVICE: {date_full}    REFERRING: {doc}, MD\n\nCLINICAL HISTORY: {age} year old {man} with {condition}.\nCOMPARISON: "
        + w.pick("{past_date}", "None.", "Outside study from {other_hospital} dated {past_date}.")
        + "\n\n"
    )
    w.write(
        "FINDINGS: "
        + w.pick(
            "No acute intracranial hemorrhage. Chronic small vessel ischemic change.",
            "Bibasilar atelectasis. No pneumothorax. Swan-Ganz catheter tip in the right pulmonary artery.",
            "Disc bulge at L4-L5 with mild canal stenosis; Tarlov cyst at S2.",
            "Gallbladder wall thickening, sonographic Murphy sign positive.",
            "No filling defect to the segmental level.",
        )
        + " Series {n} image {room}.\n\n"
    )
    w.write(
        "IMPRESSION: "
        + w.pick("No acute process.", "Findings suggest acute cholecystitis.", "Mild degenerative change.")
        + "\n"
    )
    if w.chance(0.6):
        w.write(
            "Findings discussed with "
            + w.pick("Dr. {doc_last}", "{doc}, NP", "RN {nurse}")
            + " by telephone at {clock} on {date_md}.\n"
        )
    w.write(
        w.pick("Electronically signed by: {att}, MD {stamp}\n", "Read by: {att} MD / Resident: {doc}\n", "{att_last}\n")
    )


# ---------------------------------------------------------------- progress note


def progress_note(w: NoteWriter) -> None:
    w.write(
        w.pick("PROGRESS NOTE - HD #{n}\n", "Medicine Progress Note {date_full}\n", "Daily Progress Note\n")
        + "Patient: {pt}    "
    )
    w.id_field()
    w.write("\nS: " + w.pick("No acute events overnight.", "c/o nausea.", "Feels better, ambulating with PT.") + " ")
    w.sentences(CONTACTS, 0, 2)
    w.write("\nO: T {temp} HR {hr} BP {bp} RR {rr} {spo2}% {o2}. ")
    w.sentences(NOT_PHI, 1, 3)
    w.write("\nA/P: {age} yo {sex} with {condition} and {eponym}.\n- {drug}\n- ")
    w.sentences(CLINICIANS, 1, 2)
    w.write(
        "\n- Dispo: "
        + w.pick("likely home {date_md}", "rehab at {other_hospital}", "pending PT eval")
        + "\n"
        + w.pick("{doc}, MD PGY-2", "Seen and examined with Dr. {att_last}.", "{att} MD\n{stamp}")
        + "\n"
    )


# ---------------------------------------------------------------- phone call


def phone_call_note(w: NoteWriter) -> None:
    w.write(
        w.pick("TELEPHONE ENCOUNTER\n", "Phone Note\n", "Call log {date_md}\n")
        + "Date: {stamp}\nCaller: {rel} ({relation})    Callback: {phone}\nPatient: {pt_full}    DOB: {dob}\n\n"
    )
    w.write(
        "Reason for call: "
        + w.pick(
            "medication question about {drug_name}",
            "request for refill",
            "worsening cough",
            "question about appointment on {date_md}",
        )
        + ". "
    )
    w.sentences(CONTACTS, 1, 3)
    w.write(
        "\n"
        + w.pick(
            "Routed to Dr. {doc_last}.",
            "Per {doc}, NP: ok to continue.",
            "Sent to {clinic} triage pool.",
            "Advised ED if worse.",
        )
        + " "
    )
    w.write(
        w.pick(
            "Left voicemail at {local_phone}.",
            "Call back at {phone}.",
            "Pt prefers e-mail: {email}.",
            "Reached {rel_first}, verified DOB.",
        )
        + "\n"
        + w.pick("- {nurse}, RN\n", "{nurse_first} (MA)\n", "{init_last}\n")
    )


# ---------------------------------------------------------------- social work


def social_work_note(w: NoteWriter) -> None:
    w.write("SOCIAL WORK " + w.pick("ASSESSMENT", "NOTE", "FOLLOW-UP") + "\nPatient: {pt_full}    ")
    w.id_field()
    w.write(
        "\nSW met with pt and {relation} {rel} at bedside in {unit}. Pt lives "
        + w.pick("alone", "with {relation}", "with roommate")
        + " at "
    )
    w.address(", ")
    w.write(". Born in {country}, moved to {city} in {year}.\n")
    w.write(
        "Insurance: "
        + w.pick("Medicaid", "Medicare", "BCBS", "uninsured, applying")
        + " ({insurance_label} {member}). "
    )
    w.write(w.pick("SSN {ssn}. ", "SS# {ssn}. ", ""))
    w.sentences(CONTACTS, 2, 4)
    w.write(
        "\nResources: "
        + w.pick("Meals on Wheels", "VNA referral", "Elder services", "AA meeting list")
        + "; contact {email}, {url}.\n"
    )
    w.write(
        "Plan: "
        + w.pick("discharge home with services", "pursue guardianship", "screen for rehab at {other_hospital}")
        + ".\n"
        + w.pick("{sw}, LICSW {phone}\n", "{sw} LCSW\n", "SW: {sw} {ext}\n"),
        sw=w.clinician(w.pick("first last", "f. last")),
    )


StyleWriter = Callable[[NoteWriter], None]
# (name, writer, chances of the note's case: as written, upper, lower)
STYLES: tuple[tuple[str, StyleWriter, tuple[float, float, float]], ...] = (
    ("icu_nursing_caps", icu_nursing_caps, (0.0, 1.0, 0.0)),
    ("nursing_lower", nursing_lower, (0.0, 0.0, 1.0)),
    ("discharge_summary", discharge_summary, (0.85, 0.15, 0.0)),
    ("referral_letter", referral_letter, (1.0, 0.0, 0.0)),
    ("physician_question", physician_question, (0.8, 0.05, 0.15)),
    ("lab_report", lab_report, (0.6, 0.4, 0.0)),
    ("ed_note", ed_note, (0.8, 0.15, 0.05)),
    ("radiology", radiology, (0.6, 0.4, 0.0)),
    ("progress_note", progress_note, (0.85, 0.1, 0.05)),
    ("phone_call_note", phone_call_note, (0.8, 0.1, 0.1)),
    ("social_work_note", social_work_note, (0.9, 0.05, 0.05)),
)
CASES = (AS_WRITTEN, UPPER, LOWER)
