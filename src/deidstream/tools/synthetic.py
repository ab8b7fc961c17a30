"""Synthetic clinical reports with gold PHI annotations, for demos, benchmarks and evaluation.

Real clinical notes can be neither shipped nor published, yet the worker needs
realistic input to demo on, to benchmark with and to measure recall and precision
against. These reports imitate the styles de-identification has to cope with
(radiology headers in capitals, terse ICU nursing notes, discharge summaries,
pathology and emergency notes, referral letters) and mix their PHI with the
clinical language a detector must leave alone: eponyms (`Crohn disease`, `Murphy
sign`, `Foley catheter`), vertebral levels (`C5/6`, `L4-L5`), measurements, series
and image numbers, vital signs, lab values, doses, scores, ratios and times of day.

Text is grown piece by piece together with its spans, so offsets are exact by
construction instead of being searched for afterwards (a name that also occurs in
`Parkinson disease` would otherwise be annotated twice or in the wrong place).

The annotation convention below is the gold standard the evaluation set scores
detectors against:

- PERSON: a name without its title or degree (`Dr. ` and `, MD` stay outside);
  each written name is one span whatever its form (`John Smith`, `Smith, John`,
  `J. Smith`, `JOHN A. SMITH`, `Smith` after `Mr.`).
- DATE_TIME: a date without its weekday (`July 22, 2011`, `22-Jul`, `7/22`); a
  date and a time written together (`01/02/2011 10:31`) are one span; a year alone
  (`in 2009`, `'92`) is a date; a time of day alone (`0800`, `@ 14:30`) is not PHI.
- AGE: only ages over 89, the number alone (`92` in `92 yo`, `93` in `93-year-old`).
- HOSPITAL: named hospitals, clinics, nursing facilities and named wards
  (`Ward 7B`); generic units (`MICU`, `ED`, `PACU`) and `OSH` are not PHI.
- STREET_ADDRESS: number and street as one span (`12 Main Street`); the city is
  a LOCATION span; the ZIP code (with any +4) is ZIP_CODE. States are not PHI
  under HIPAA Safe Harbor (only subdivisions smaller than a state are) and are
  not annotated.
- ID, DEVICE_ID, LICENSE_NUMBER, US_SSN, PHONE_NUMBER (with any extension),
  EMAIL_ADDRESS, URL, IP_ADDRESS: the value alone, without its label.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from faker import Faker

from deidstream.entity import EntityType
from deidstream.tools.templates import Phi, RandomDraws, expand, us_state


@dataclass(frozen=True)
class SyntheticReport:
    """One generated report and the PHI it contains.

    Spans are character offsets (end exclusive) rather than token labels, so any
    tokenizer or detector can be scored against them.
    """

    id: str
    kind: str
    text: str
    phi: list[tuple[int, int, str]]

    def to_json(self) -> dict[str, object]:
        """The evaluation-set record; spans become lists so a JSON round trip gives the same value back."""
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "phi": [[start, end, entity] for start, end, entity in self.phi],
        }


def generate_reports(count: int, seed: int = 0, min_chars: int = 0) -> list[SyntheticReport]:
    """`count` reports cycling through every report kind, identical for identical arguments.

    Determinism lets the shipped evaluation set, benchmark corpora and `deidstream
    dev` runs be regenerated and compared; cycling keeps every style represented in
    even a small corpus. `min_chars` pads each body with more paragraphs, some with
    PHI and some without, so benchmarks can vary report length while keeping the
    density of PHI realistic.
    """
    if count < 0 or min_chars < 0:
        raise ValueError("count and min_chars must not be negative")
    fake = Faker("en_US")
    fake.seed_instance(seed)
    reports = []
    for index in range(count):
        kind, write = _KINDS[index % len(_KINDS)]
        builder = ReportBuilder()
        write(_Case(fake, min_chars), builder)
        reports.append(builder.build(f"synthetic-{seed}-{index:05d}", kind))
    return reports


class ReportBuilder:
    """A report's text and its PHI spans, grown together so every offset is exact by construction.

    Public because `deidstream.tools.training.notes` grows its training notes the same way.
    """

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._length = 0
        self._phi: list[tuple[int, int, str]] = []
        self._values: list[str] = []

    def __len__(self) -> int:
        return self._length

    def add(self, text: str) -> None:
        self._pieces.append(text)
        self._length += len(text)

    def add_phi(self, text: str, entity: str) -> None:
        if not text or text != text.strip():
            raise ValueError(f"a PHI value must be non-empty and trimmed: {text!r}")
        self._phi.append((self._length, self._length + len(text), entity))
        self._values.append(text)
        self.add(text)

    def build(self, report_id: str, kind: str) -> SyntheticReport:
        """The finished report, after checking that every span still covers the value it was made for."""
        text = "".join(self._pieces)
        for (start, end, entity), value in zip(self._phi, self._values, strict=True):
            assert text[start:end] == value, f"{entity} span {start}:{end} does not hold {value!r}"
        return SyntheticReport(report_id, kind, text, list(self._phi))


@dataclass(frozen=True)
class _Person:
    first: str
    last: str
    initial: str


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DATE_STYLES = ("m/d/yyyy", "mm/dd/yyyy", "m/d/yy", "m/d", "d-mon", "month d, yyyy", "mon d", "month dth", "iso")
_STAMP_STYLES = ("mm/dd/yyyy hh:mm", "m/d/yyyy hh:mm", "iso hh:mm", "mm/dd/yyyy hh:mmAM", "month d, yyyy h:mm AM")
_FIRST_ADMISSION, _LAST_ADMISSION = date(2006, 1, 1), date(2020, 12, 31)
_HOSPITALS = (
    "{{city}} General Hospital",
    "St. {{first_name}} Medical Center",
    "{{last_name}} Memorial Hospital",
    "{{city}} Regional Medical Center",
    "{{last_name}} Community Hospital",
    "Saint {{first_name_female}} Hospital",
)
_CLINICS = (
    "{{last_name}} Family Health Center",
    "{{city}} Cardiology Clinic",
    "{{last_name}} Orthopedic Clinic",
    "{{city}} Neurology Associates Clinic",
)
_NURSING_FACILITIES = (
    "{{last_name}} Nursing and Rehabilitation Center",
    "{{city}} Rehabilitation Hospital",
    "{{last_name}} House Nursing Home",
)
_PRACTICES = (
    ("Family Medicine", "{{last_name}} Family Health Center"),
    ("Internal Medicine", "{{city}} Internal Medicine Clinic"),
    ("Gastroenterology", "{{last_name}} Digestive Health Center"),
    ("Neurology", "{{city}} Neurology Clinic"),
)
_SERIAL_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


class _Case(RandomDraws):
    """One patient encounter: the people, places and dates a report mentions, consistent within the report.

    Templates name what they need (`{relative_first}`, `{hct}`, `{date}`) and the
    case resolves each name on demand, so only the values a paragraph uses are
    drawn and every PHI value lands in the builder as a span.
    """

    def __init__(self, fake: Faker, min_chars: int) -> None:
        self.fake = fake
        self.rng: random.Random = fake.random
        self.min_chars = min_chars
        self.male = self.chance(0.5)
        self.side = self.pick("right", "left")
        self.patient = self.person(self.male)
        self.age = self.rng.randint(90, 104) if self.chance(0.3) else self.rng.randint(40, 89)
        admission_day = fake.date_between_dates(_FIRST_ADMISSION, _LAST_ADMISSION)
        self.admitted = datetime(admission_day.year, admission_day.month, admission_day.day) + timedelta(
            minutes=self.rng.randrange(24 * 60)
        )
        self.discharged = self.admitted + timedelta(days=self.rng.randint(2, 12), hours=self.rng.randint(1, 9))
        latest_birth = _years_before(admission_day, self.age)
        earliest_birth = _years_before(admission_day, self.age + 1) + timedelta(days=1)
        self.dob = fake.date_between_dates(earliest_birth, latest_birth)
        self.hospital = self.facility(_HOSPITALS)
        self.attending = self.person()
        self.relation = self.pick("wife" if self.male else "husband", "son", "daughter", "sister", "brother")
        relative = self.person(self.relation in ("husband", "son", "brother"))
        if self.chance(0.7):  # relatives usually share the patient's surname
            relative = _Person(relative.first, self.patient.last, relative.initial)
        self.relative = relative

    def write(self, builder: ReportBuilder, template: str, **given: str | Phi) -> None:
        """Append `template`, resolving each `{field}` from `given` or from `_FIELDS`; PHI values become spans."""
        for piece in expand(template, given, _FIELDS, self):
            if isinstance(piece, Phi):
                builder.add_phi(piece.text, piece.type)
            else:
                builder.add(piece)

    def body(self, builder: ReportBuilder, pool: Sequence[str], count: int, separator: str = "\n\n") -> None:
        """`count` distinct paragraphs from `pool`, then more until the report reaches `min_chars`."""
        for template in self.rng.sample(pool, min(count, len(pool))):
            self.write(builder, template + separator)
        while len(builder) < self.min_chars:
            self.write(builder, self.rng.choice(pool) + separator)

    def person(self, male: bool | None = None) -> _Person:
        is_male = self.chance(0.5) if male is None else male
        first = self.fake.first_name_male() if is_male else self.fake.first_name_female()
        return _Person(first, self.fake.last_name(), self.rng.choice(string.ascii_uppercase))

    def name(self, person: _Person, style: str = "", caps: bool = False) -> Phi:
        style = style or self.pick("first last", "first last", "first m. last", "last, first")
        text = {
            "first last": f"{person.first} {person.last}",
            "first m. last": f"{person.first} {person.initial}. {person.last}",
            "last, first": f"{person.last}, {person.first}",
            "f. last": f"{person.first[0]}. {person.last}",
            "first": person.first,
            "last": person.last,
        }[style]
        return Phi(text.upper() if caps else text, EntityType.PERSON)

    def aged(self, years: int) -> str | Phi:
        """Only ages over 89 identify someone under HIPAA Safe Harbor; younger ages stay plain text."""
        return Phi(str(years), EntityType.AGE) if years > 89 else str(years)

    def during_stay(self) -> datetime:
        return self.admitted + (self.discharged - self.admitted) * self.rng.random()

    def before_admission(self, fewest_days: int = 30, most_days: int = 15 * 365) -> date:
        return (self.admitted - timedelta(days=self.rng.randint(fewest_days, most_days))).date()

    def day(self, when: date, style: str = "") -> Phi:
        style = style or self.rng.choice(_DATE_STYLES)
        month = _MONTHS[when.month - 1]
        text = {
            "m/d/yyyy": f"{when.month}/{when.day}/{when.year}",
            "mm/dd/yyyy": f"{when.month:02}/{when.day:02}/{when.year}",
            "m/d/yy": f"{when.month}/{when.day}/{when.year % 100:02}",
            "m/d": f"{when.month}/{when.day}",
            "d-mon": f"{when.day}-{month[:3]}",
            "month d, yyyy": f"{month} {when.day}, {when.year}",
            "mon d": f"{month[:3]} {when.day}",
            "month dth": f"{month} {when.day}{_ordinal_suffix(when.day)}",
            "iso": f"{when.year}-{when.month:02}-{when.day:02}",
        }[style]
        return Phi(text, EntityType.DATE_TIME)

    def stamp(self, when: datetime, style: str = "") -> Phi:
        """A date and time written together: one span, because splitting it would leave a dangling time."""
        style = style or self.rng.choice(_STAMP_STYLES)
        minute = f"{when.minute:02}"
        clock = f"{when.hour:02}:{minute}"
        hour12, meridiem = (when.hour + 11) % 12 + 1, "PM" if when.hour >= 12 else "AM"
        text = {
            "mm/dd/yyyy hh:mm": f"{when.month:02}/{when.day:02}/{when.year} {clock}",
            "m/d/yyyy hh:mm": f"{when.month}/{when.day}/{when.year} {clock}",
            "iso hh:mm": f"{when.year}-{when.month:02}-{when.day:02} {clock}",
            "mm/dd/yyyy hh:mmAM": f"{when.month:02}/{when.day:02}/{when.year} {hour12:02}:{minute}{meridiem}",
            "month d, yyyy h:mm AM": f"{_MONTHS[when.month - 1]} {when.day}, {when.year} {hour12}:{minute} {meridiem}",
        }[style]
        return Phi(text, EntityType.DATE_TIME)

    def weekday(self, when: date) -> str:
        return _WEEKDAYS[when.weekday()]

    def year(self) -> Phi:
        past = self.before_admission().year
        return Phi(f"'{past % 100:02}" if self.chance(0.3) else str(past), EntityType.DATE_TIME)

    def month_year(self) -> Phi:
        past = self.before_admission()
        return Phi(
            self.pick(f"{_MONTHS[past.month - 1]} {past.year}", f"{past.month}/{past.year}"), EntityType.DATE_TIME
        )

    def clock(self, when: datetime | None = None) -> str:
        """A time of day alone, which is not PHI and which detectors must not mistake for a date."""
        hour, minute = (when.hour, when.minute) if when else (self.rng.randrange(24), self.rng.randrange(0, 60, 5))
        return f"{hour:02}:{minute:02}" if self.chance(0.4) else f"{hour:02}{minute:02}"

    def facility(self, patterns: Sequence[str]) -> Phi:
        return Phi(self.fake.parse(self.rng.choice(patterns)), EntityType.HOSPITAL)

    def ward(self) -> Phi:
        return Phi(f"Ward {self.rng.randint(2, 12)}{self.rng.choice('ABCD')}", EntityType.HOSPITAL)

    def unit(self) -> str | Phi:
        return self.ward() if self.chance(0.3) else self.pick("MICU", "SICU", "CCU", "CVICU", "Neuro ICU")

    def state(self) -> str:
        return us_state(self.fake, self)

    def zip_code(self) -> Phi:
        return Phi(self.fake.zipcode_plus4() if self.chance(0.2) else self.fake.zipcode(), EntityType.ZIP_CODE)

    def phone(self) -> Phi:
        area, exchange, line = self.rng.randint(201, 989), self.rng.randint(201, 989), self.rng.randint(0, 9999)
        text = self.pick(
            f"({area}) {exchange}-{line:04}",
            f"{area}-{exchange}-{line:04}",
            f"{area}.{exchange}.{line:04}",
            f"{area}-{exchange}-{line:04} x{self.rng.randint(100, 9999)}",
        )
        return Phi(text, EntityType.PHONE_NUMBER)

    def email(self, person: _Person) -> Phi:
        local = self.pick(f"{person.first}.{person.last}", f"{person.first[0]}{person.last}{self.rng.randint(1, 99)}")
        domain = self.fake.domain_name() if self.chance(0.5) else self.fake.free_email_domain()
        return Phi(f"{local}@{domain}".lower().replace("'", ""), EntityType.EMAIL_ADDRESS)

    def url(self) -> Phi:
        path = self.pick("", "patient-portal", "referrals/new", "mychart/login", "records/request")
        return Phi(f"https://{self.pick('www.', 'portal.', '')}{self.fake.domain_name()}/{path}", EntityType.URL)

    def digits(self, pattern: str, entity: str) -> Phi:
        return Phi(self.fake.bothify(pattern, letters=_SERIAL_LETTERS), entity)

    def address(self, builder: ReportBuilder, line_break: str) -> None:
        """Street, city and ZIP as separate spans (the state is no PHI), the way a detector is asked to find them."""
        self.write(
            builder,
            "{street}" + line_break + "{city}, {state} {zip}",
            street=Phi(f"{self.fake.building_number()} {self.fake.street_name()}", EntityType.STREET_ADDRESS),
            city=Phi(self.fake.city(), EntityType.LOCATION),
            state=self.state(),
            zip=self.zip_code(),
        )

    def signature(
        self, builder: ReportBuilder, label: str, signer: _Person, when: datetime, degree: str = "MD"
    ) -> None:
        self.write(
            builder,
            "{label}{name}, {degree} {when}\n",
            label=label,
            name=self.name(signer, self.pick("first last", "first m. last")),
            degree=degree,
            when=self.stamp(when),
        )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # February 29 in a year that has none
        return day.replace(year=day.year - years, day=28)


def _ordinal_suffix(day: int) -> str:
    return "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _upper(value: Phi) -> Phi:
    return Phi(value.text.upper(), value.type)


def _cervical_level(c: _Case) -> str:
    level = c.rng.randint(3, 6)
    return f"C{level}/{level + 1}"


def _lumbar_level(c: _Case) -> str:
    level = c.rng.randint(2, 4)
    return f"L{level}-L{level + 1}"


# What templates may ask for. Values that are PHI come back as Phi and become spans.
_FIELDS: dict[str, Callable[[_Case], str | Phi]] = {
    # clinical language that is not PHI
    "side": lambda c: c.side,
    "grade": lambda c: c.pick("mild", "moderate", "severe"),
    "size": lambda c: " x ".join(c.number(0.4, 4.5) for _ in range(3)) + " cm",
    "cm": lambda c: c.number(1.0, 9.5),
    "mm": lambda c: str(c.rng.randint(2, 9)),
    "series": lambda c: str(c.rng.randint(2, 9)),
    "image": lambda c: str(c.rng.randint(12, 240)),
    "c_level": _cervical_level,
    "l_level": _lumbar_level,
    "clock": lambda c: c.clock(),
    "n": lambda c: str(c.rng.randint(2, 6)),
    "hr": lambda c: str(c.rng.randint(55, 125)),
    "bp": lambda c: f"{c.rng.randint(88, 172)}/{c.rng.randint(44, 98)}",
    "rr": lambda c: str(c.rng.randint(12, 28)),
    "temp": lambda c: c.number(97.0, 102.6),
    "spo2": lambda c: str(c.rng.randint(88, 100)),
    "k": lambda c: c.number(3.1, 5.6),
    "na": lambda c: str(c.rng.randint(128, 146)),
    "hct": lambda c: c.number(22.0, 45.0),
    "hgb": lambda c: c.number(7.2, 15.1),
    "wbc": lambda c: c.number(3.1, 19.9),
    "plt": lambda c: str(c.rng.randint(45, 420)),
    "cr": lambda c: c.number(0.6, 3.4),
    "glucose": lambda c: str(c.rng.randint(70, 260)),
    "inr": lambda c: c.number(0.9, 3.1),
    "lactate": lambda c: c.number(0.8, 4.5),
    "gcs": lambda c: str(c.rng.randint(13, 15)),
    "pain": lambda c: str(c.rng.randint(0, 8)),
    "apgar": lambda c: c.pick("7/9", "8/9", "9/9", "6/8"),
    "grams": lambda c: str(c.rng.randint(380, 560)),
    "sex": lambda c: "M" if c.male else "F",
    "man": lambda c: "man" if c.male else "woman",
    "title": lambda c: "Mr." if c.male else "Ms.",
    "he": lambda c: "he" if c.male else "she",
    "He": lambda c: "He" if c.male else "She",
    "his": lambda c: "his" if c.male else "her",
    "His": lambda c: "His" if c.male else "Her",
    "him": lambda c: "him" if c.male else "her",
    "relation": lambda c: c.relation,
    # PHI
    "patient": lambda c: c.name(c.patient),
    "patient_last": lambda c: c.name(c.patient, "last"),
    "age": lambda c: c.aged(c.age),
    "elder_age": lambda c: c.aged(c.rng.randint(70, 99)),
    "relative": lambda c: c.name(c.relative, "first last"),
    "relative_first": lambda c: c.name(c.relative, "first"),
    "doctor": lambda c: c.name(c.person(), "first last"),
    "doctor_last": lambda c: c.name(c.person(), "last"),
    "attending": lambda c: c.name(c.attending, "first last"),
    "attending_last": lambda c: c.name(c.attending, "last"),
    "date": lambda c: c.day(c.during_stay()),
    "past_date": lambda c: c.day(c.before_admission()),
    "recent_date": lambda c: c.day(c.before_admission(7, 180)),
    "year": lambda c: c.year(),
    "month_year": lambda c: c.month_year(),
    "hospital": lambda c: c.hospital,
    "other_hospital": lambda c: c.facility(_HOSPITALS),
    "clinic": lambda c: c.facility(_CLINICS),
    "nursing_facility": lambda c: c.facility(_NURSING_FACILITIES),
    "ward": lambda c: c.ward(),
    "city": lambda c: Phi(c.fake.city(), EntityType.LOCATION),
    "state": lambda c: c.state(),
    "phone": lambda c: c.phone(),
    "url": lambda c: c.url(),
    "ip": lambda c: Phi(c.fake.ipv4_public(), EntityType.IP_ADDRESS),
    "mrn": lambda c: c.digits(c.pick("#######", "########"), EntityType.ID),
    "specimen": lambda c: c.digits(f"S{c.admitted.year % 100:02}-#####", EntityType.ID),
    "device": lambda c: c.digits(c.pick("???######?", "########", "SN-####-####"), EntityType.DEVICE_ID),
    "license": lambda c: c.digits(c.pick("######", "MD######", "LN-#####"), EntityType.LICENSE_NUMBER),
    "ssn": lambda c: Phi(c.fake.ssn(), EntityType.US_SSN),
}


# ---------------------------------------------------------------- radiology


@dataclass(frozen=True)
class _Exam:
    name: str
    history: tuple[str, ...]
    technique: str
    findings: tuple[str, ...]
    impression: tuple[str, ...]


_EXAMS = (
    _Exam(
        "MRI NECK WITH AND WITHOUT CONTRAST",
        (
            "{age}-year-old {man} with a palpable {side} preauricular mass.",
            "Parotid mass, evaluate. History of Hodgkin lymphoma.",
        ),
        "Multiplanar T1 and T2 weighted images of the neck were obtained before and after 15 mL gadobutrol IV.",
        (
            "Evaluation of the neck reveals a somewhat heterogeneous but well defined lobulated mass within the "
            "superficial lobe of the {side} parotid gland. The mass demonstrates a rounded focus of signal "
            "prolongation with enhancement and measures approximately {size} (anterior-posterior by transverse by "
            "superior-inferior) on series {series} image {image}. It abuts the retromandibular vein and is most "
            "consistent with a benign pleomorphic adenoma.",
            "The mucosal surfaces of the upper aerodigestive tract appear symmetric and unremarkable. The larynx is "
            "intact. The nasopharynx is symmetric without distinct lesion. The thyroid gland appears symmetric "
            "without distinct nodule.",
            "No pathologically enlarged lymph nodes are found. The largest level II node measures {mm} mm in short "
            "axis (series {series} image {image}) and demonstrates no central necrosis or extranodal extension.",
            "Cervical spondylosis is noted, most notable for a broad-based disc bulge and dorsal osteophytic ridge "
            "at the {c_level} level with a focal {mm} mm central disc protrusion, resulting in {grade} central "
            "spinal stenosis. Foraminal narrowing is also evident bilaterally.",
            "Evaluation of the paranasal sinuses reveals no significant inflammatory disease. No air-fluid levels "
            "are noted. The central skull base is intact and the mastoids remain clear.",
        ),
        (
            "Lobulated {side} parotid mass, most consistent with pleomorphic adenoma.",
            "Cervical spondylosis with {grade} central canal stenosis.",
            "No cervical lymphadenopathy.",
        ),
    ),
    _Exam(
        "CT ABDOMEN AND PELVIS WITH CONTRAST",
        (
            "{age} yo {sex} with right upper quadrant pain, fever and positive Murphy sign.",
            "Abdominal pain and diarrhea. Known Crohn disease. Evaluate for abscess.",
        ),
        "Axial images from the lung bases through the pubic symphysis after 100 mL Omnipaque 350 IV, with "
        "coronal and sagittal reformations.",
        (
            "The liver is normal in size and contour. A {mm} mm hypodense lesion in hepatic segment VI (series "
            "{series} image {image}) is too small to characterize, likely a cyst. The portal and hepatic veins are "
            "patent.",
            "The gallbladder is distended with layering stones and wall thickening to {mm} mm with pericholecystic "
            "fluid. The common bile duct measures {mm} mm.",
            "There is {grade} {side} hydronephrosis without a visible obstructing calculus. The contralateral "
            "kidney is unremarkable. No perinephric fluid.",
            "Mural thickening and hyperenhancement of the terminal ileum over {cm} cm with adjacent fat stranding "
            "and engorged vasa recta, compatible with active Crohn disease. No drainable abscess or free air.",
            "The urinary bladder is decompressed around a Foley catheter balloon. No pelvic free fluid. No "
            "pathologically enlarged pelvic or inguinal lymph nodes.",
            "The visualized lung bases are clear. Degenerative change at {l_level} without acute osseous abnormality.",
        ),
        (
            "Acute calculous cholecystitis.",
            "Active terminal ileitis, compatible with Crohn disease, without abscess.",
            "Hydronephrosis on the {side}, {grade}, without obstructing calculus.",
        ),
    ),
    _Exam(
        "MRI LUMBAR SPINE WITHOUT CONTRAST",
        (
            "Low back pain radiating to the {side} leg. Positive straight leg raise.",
            "{age} yo with back pain after fall.",
        ),
        "Sagittal T1, T2 and STIR and axial T2 weighted images of the lumbar spine.",
        (
            "Vertebral body heights and alignment are maintained. Marrow signal is unremarkable. The conus "
            "medullaris terminates at L1 and is normal in signal.",
            "At {l_level} there is a broad-based disc bulge with a superimposed {mm} mm {side} paracentral "
            "protrusion, facet arthropathy and ligamentum flavum thickening, resulting in {grade} spinal canal "
            "stenosis and {grade} bilateral neural foraminal narrowing (series {series} image {image}).",
            "At L5-S1 there is disc desiccation without significant canal or foraminal stenosis. The traversing S1 "
            "nerve roots are free.",
            "A T2 hyperintense lesion in the {side} S2 sacral foramen measuring {size} is compatible with a Tarlov "
            "cyst. A Schmorl node is present at the inferior endplate of L2.",
        ),
        (
            "Spinal canal stenosis at {l_level}, {grade}.",
            "Incidental Tarlov cyst.",
            "No fracture or marrow edema.",
        ),
    ),
    _Exam(
        "CT CHEST WITH CONTRAST",
        ("Follow-up pulmonary nodule. History of Hodgkin lymphoma.", "{age}-year-old {man} with dyspnea and cough."),
        "Axial 1.25 mm images of the chest after 75 mL Omnipaque 350 IV with multiplanar reformations.",
        (
            "A {mm} mm solid nodule in the {side} upper lobe (series {series} image {image}) is unchanged. No new "
            "nodules. Follow-up per Fleischner Society guidelines is suggested.",
            "Mediastinal and hilar lymph nodes are not enlarged by size criteria. No residual anterior mediastinal "
            "mass at the site of previously treated Hodgkin lymphoma.",
            "Small {side} pleural effusion with adjacent compressive atelectasis. No pneumothorax. The central "
            "airways are patent.",
            "The heart is normal in size. No pericardial effusion. The thoracic aorta measures {cm} cm. Coronary "
            "artery calcification is {grade}.",
            "Endotracheal tube terminates {cm} cm above the carina. Right internal jugular central venous catheter "
            "tip at the cavoatrial junction. Nasogastric tube courses below the diaphragm.",
        ),
        (
            "Stable {mm} mm {side} upper lobe nodule.",
            "Small {side} pleural effusion.",
            "No lymphadenopathy or evidence of recurrent lymphoma.",
        ),
    ),
    _Exam(
        "CT HEAD WITHOUT CONTRAST",
        (
            "Fall, on anticoagulation. Glasgow Coma Scale {gcs}.",
            "{age} yo {sex} with acute confusion. Parkinson disease.",
        ),
        "Contiguous axial images from the skull base to the vertex without contrast.",
        (
            "There is no acute intracranial hemorrhage, mass effect or midline shift. Gray-white matter "
            "differentiation is preserved.",
            "The ventricles and sulci are prominent, consistent with age-related volume loss. Periventricular white "
            "matter hypodensities are compatible with {grade} chronic small vessel ischemic disease.",
            "No acute fracture. The visualized paranasal sinuses and mastoid air cells are clear. Scalp soft tissue "
            "swelling over the {side} parietal bone measures {mm} mm.",
            "Physiologic calcification of the basal ganglia and pineal gland. No hydrocephalus.",
        ),
        (
            "No acute intracranial abnormality.",
            "Chronic small vessel ischemic disease, {grade}.",
            "Scalp hematoma over the {side} parietal bone without fracture.",
        ),
    ),
)
_RADIOLOGY_PHI_FINDINGS = (
    "Comparison is made with the outside study from {other_hospital} dated {recent_date}; the findings are similar.",
    "The patient underwent surgery at {other_hospital} in {year}; postoperative changes are stable.",
    "Prior imaging from {month_year} is not available for comparison at the time of this dictation.",
)


def _radiology(c: _Case, b: ReportBuilder) -> None:
    exam = c.rng.choice(_EXAMS)
    caps = c.chance(0.6)
    performed = c.during_stay()
    c.write(
        b,
        "{hospital}\nDEPARTMENT OF RADIOLOGY\n\nPATIENT: {patient}\nDOB: {dob}\n{mrn_label}: {mrn}\n"
        "ACCESSION #: {accession}\nEXAM: {exam}\nDATE: {date}\nREFERRING PHYSICIAN: {dr} {referrer}\n\n",
        hospital=_upper(c.hospital) if caps else c.hospital,
        patient=c.name(c.patient, c.pick("first last", "last, first"), caps),
        dob=c.day(c.dob, c.pick("m/d/yyyy", "mm/dd/yyyy")),
        mrn_label=c.pick("MRN", "FILE #", "MED REC #", "UNIT NO"),
        accession=c.digits(c.pick("RA##-######", "ACC#########", "CT########"), EntityType.ID),
        exam=exam.name,
        dr="DR." if caps else "Dr.",
        date=c.day(performed, c.pick("m/d/yyyy", "mm/dd/yyyy")),
        referrer=c.name(c.person(), "first last", caps),
    )
    c.write(b, "CLINICAL HISTORY: " + c.rng.choice(exam.history) + "\n\n")
    comparison = c.pick("None.", "{recent_date}.", "Outside study from {other_hospital}, {recent_date}.")
    c.write(b, "COMPARISON: " + comparison + "\n\n")
    c.write(b, "TECHNIQUE: " + exam.technique + "\n\nFINDINGS:\n\n")
    c.body(b, exam.findings + _RADIOLOGY_PHI_FINDINGS, count=c.rng.randint(3, len(exam.findings)))
    b.add("IMPRESSION:\n")
    for number, line in enumerate(c.rng.sample(exam.impression, c.rng.randint(1, len(exam.impression))), start=1):
        c.write(b, f"{number}. {line}\n")
    if c.chance(0.5):
        c.write(
            b,
            "\nThese findings were discussed with Dr. {doctor} by telephone at {clock} on {date}.\n",
            date=c.day(performed, c.pick("m/d/yyyy", "m/d", "month d, yyyy")),
        )
    if c.chance(0.08):
        c.write(b, "\nTeleradiology interpretation; images received from {ip}.\n")
    b.add("\n")
    c.write(b, "Dictated by: {doctor}, MD\n")
    c.signature(b, "Electronically signed by: ", c.attending, performed + timedelta(minutes=c.rng.randint(20, 600)))


# ---------------------------------------------------------------- nursing progress note

_NURSING_SYSTEMS = (
    "Neuro: a+ox3, GCS {gcs}, follows commands, MAE. PERRL 3mm brisk. no babinski. c/o pain {pain}/10 at "
    "{side} hip, dilaudid 0.5 mg IV q3h prn w/ good effect.",
    "Neuro: lethargic but arousable to voice, oriented to self only. resting tremor BUE (hx Parkinson disease), "
    "sinemet 25/100 1 tab given @ {clock}. CIWA 4.",
    "CV: HR {hr} NSR, no ectopy. BP {bp}, MAP 70s. K {k}, Mg 1.8, repleted w/ 40 meq KCL IV and 2 gm mag "
    "sulfate. lopressor 5 mg IV q6h, last dose @ {clock}.",
    "CV: afib 90s-110s, dilt gtt @ 10 mg/hr. BP {bp}. pedal pulses palpable, trace edema BLE. CVP 8-10.",
    "Resp: vent settings AC 500 x 14, PEEP 5, FiO2 40%, I:E 1:2. ABG 7.38/42/96 at {clock}. LS coarse bilat, "
    "sx for mod amt thick tan secretions.",
    "Resp: on 2L NC, sats {spo2}%. LS clear upper, diminished bases. RR {rr}, non-labored. IS 750 cc.",
    "GI: abd soft, nt/nd, +BS. TF (Nutren 2.0) @ goal 40 cc/hr, residuals < 30 cc. no BM this shift, colace "
    "100 mg and senna 2 tabs given.",
    "GU: foley catheter draining clear yellow urine 40-60 cc/hr. Cr {cr}. lasix 20 mg IV x1 @ {clock} w/ 600 cc "
    "response.",
    "ID: Tmax {temp} at {clock}, pan cultured. vanco 1 gm IV q12h, zosyn 4.5 gm IV q8h. WBC {wbc}. lactate {lactate}.",
    "Heme: Hct {hct} (29.8 this am), 1 u PRBC transfused over 2 hrs starting {clock}, no rxn. plt {plt}, INR "
    "{inr}. SQ heparin 5000 units q8h.",
    "Endo: FS BG {glucose}, covered per RISS. insulin gtt @ 4 units/hr per protocol, titrating q1h.",
    "Skin: stage II coccyx, duoderm intact, turned q2h. waffle boots on. braden 14.",
    "Lines: R IJ TLC placed {date}, dsg c/d/i. L radial a-line w/ good waveform. PIV #20 L FA.",
    "Social: {relation} {relative_first} called x2, updated on plan of care. {relative} is HCP, cell {phone}.",
    "Social: {relation} in to visit this afternoon, questions answered by RN and Dr. {doctor_last}. SW following.",
    "Events: at {clock} pt became hypotensive to 80s/40s, 500 cc NS bolus given w/ good effect, MAP now > 65. "
    "Dr. {doctor_last} aware.",
    "Events: pt pulled out NGT at {clock}, replaced, placement confirmed by KUB. Dr. {doctor_last} notified.",
    "Dispo: awaiting bed on {ward}; case mgmt screening for {nursing_facility}.",
    "Equipment: IV pump #{device} alarmed for occlusion x3, removed from service, biomed notified.",
    "Hx: MI in {year}, CABG {year}, Hodgkin lymphoma {year} s/p XRT. lives w/ {relation} in {city}.",
)


def _nursing_note(c: _Case, b: ReportBuilder) -> None:
    c.write(
        b,
        "{unit} Nursing Progress Note {shift}\n{date}\n\nPt is a {age} yo {sex} admitted {admitted} from {source} "
        "w/ {reason}. full code. allergies: {allergy}.\n\n",
        unit=c.unit(),
        shift=c.pick("0700-1900", "1900-0700", "7a-7p", "7p-7a"),
        date=c.day(c.during_stay(), c.pick("m/d/yyyy", "mm/dd/yyyy", "m/d/yy")),
        admitted=c.day(c.admitted, c.pick("m/d", "m/d/yy", "d-mon")),
        source=c.facility(_HOSPITALS) if c.chance(0.5) else c.pick("OSH", "home", "the ED"),
        reason=c.pick("urosepsis", "hypoxic resp failure", "GI bleed", "CHF exacerbation", "DKA"),
        allergy=c.pick("nkda", "pcn (hives)", "sulfa", "codeine (n/v)"),
    )
    c.body(b, _NURSING_SYSTEMS, count=c.rng.randint(6, 10), separator="\n")
    c.write(b, "\nPlan: cont abx, wean vent as tol, SBT in am. f/u am labs, lytes. Dr. {doctor_last} aware of plan.\n")
    c.write(b, "{nurse}, RN\n", nurse=c.name(c.person(), c.pick("first last", "f. last")))


# ---------------------------------------------------------------- discharge summary

_HOSPITAL_COURSE = (
    "# Pneumonia: treated with vancomycin 1 g IV q12h and cefepime 2 g IV q8h, narrowed to levofloxacin 750 mg "
    "PO daily on {date} once sputum grew pan-sensitive Streptococcus pneumoniae. Afebrile since hospital day 2.",
    "# Acute kidney injury: Cr peaked at {cr} on {date} and improved with IV fluids. Renal ultrasound showed no "
    "hydronephrosis. Lisinopril held, to be restarted by PCP.",
    "# Parkinson disease: continued carbidopa-levodopa 25/100 mg 1.5 tabs PO TID. Seen by neurology (Dr. "
    "{doctor_last}), who recommended no changes.",
    "# Delirium: CAM positive on admission, likely multifactorial. Improved with reorientation and sleep "
    "hygiene. Foley catheter removed on hospital day 3.",
    "# Goals of care: family meeting held on {date} with the patient, {his} {relation} {relative_first} and "
    "Dr. {attending_last}. Remains full code. HCP: {relative}, phone {phone}.",
    "# Crohn disease: quiescent, continued mesalamine 1.2 g PO BID. No diarrhea during admission.",
    "# Anemia: Hct stable {hct}, guaiac negative. Iron studies consistent with anemia of chronic disease.",
    "# Atrial fibrillation: CHA2DS2-VASc 5. Rate controlled on metoprolol tartrate 25 mg PO BID; apixaban 2.5 mg "
    "PO BID continued.",
    "# ICD: interrogated by electrophysiology; device serial {device} functioning normally, no events.",
    "# Hypokalemia: K {k} on admission, repleted with 40 mEq KCl PO x2. Mg 2.0 after repletion.",
)


def _discharge_summary(c: _Case, b: ReportBuilder) -> None:
    _discharge_header(c, b)
    _discharge_history(c, b)
    _discharge_admission_findings(c, b)
    b.add("Brief Hospital Course:\n")
    c.body(b, _HOSPITAL_COURSE, count=c.rng.randint(3, 6))
    _discharge_plan(c, b)
    _discharge_follow_up(c, b)
    signed = c.discharged + timedelta(hours=c.rng.randint(1, 30))
    c.signature(b, c.pick("", "Electronically signed by: "), c.attending, signed)


def _discharge_header(c: _Case, b: ReportBuilder) -> None:
    c.write(
        b,
        "DISCHARGE SUMMARY\n{hospital}\n\nName: {patient}    Unit No: {mrn}\nAdmission Date: {admitted}    "
        "Discharge Date: {discharged}\nDate of Birth: {dob}    Sex: {sex}\nService: MEDICINE\n"
        "Attending: {attending}, MD\n",
        patient=c.name(c.patient, c.pick("last, first", "first last"), caps=c.chance(0.3)),
        admitted=c.day(c.admitted, "month d, yyyy"),
        discharged=c.day(c.discharged, "month d, yyyy"),
        dob=c.day(c.dob, c.pick("m/d/yyyy", "mm/dd/yyyy", "month d, yyyy")),
    )
    if c.chance(0.25):
        c.write(b, "SSN: {ssn}\n")


def _discharge_history(c: _Case, b: ReportBuilder) -> None:
    lymphoma_year = c.year()
    c.write(
        b,
        "\nChief Complaint: shortness of breath and fever\n\nHistory of Present Illness:\n{title} {patient_last} is a "
        + c.pick("{age} yo", "{age}-year-old", "{age} y/o")
        + " {man} with Parkinson disease, Hodgkin lymphoma in {lymphoma_year} treated with ABVD, and CAD s/p CABG in "
        "{year}, who presented to {other_hospital} on {onset} with three days of dyspnea, productive cough and fever "
        "to 102.4. There {he} was hypoxic to 86% on room air and received ceftriaxone and azithromycin. {He} was "
        "transferred to {hospital} on {transfer} for further management.\n\n"
        "Past Medical History:\n- Parkinson disease, diagnosed {year}\n- Hodgkin lymphoma, stage IIA, treated "
        "{lymphoma_year}\n- Crohn disease\n- Hypertension, hyperlipidemia\n- CKD stage 3 (baseline Cr 1.4)\n\n"
        "Social History:\nLives with {his} {relation} {relative_first} in {city}, {state}. Works as a {job}. Former "
        "smoker, 40 pack-years, quit in {year}.\n\nFamily History:\nMother died at age {elder_age} of stroke. "
        "Father with MI in his 60s.\n\n",
        lymphoma_year=lymphoma_year,
        onset=c.day(c.admitted - timedelta(days=1), c.pick("d-mon", "m/d", "month dth")),
        transfer=c.day(c.admitted, c.pick("m/d", "d-mon", "mon d")),
        job=c.pick("machinist", "teacher", "accountant", "electrician", "nurse"),
    )


def _discharge_admission_findings(c: _Case, b: ReportBuilder) -> None:
    first_labs = c.admitted + timedelta(hours=c.rng.randint(2, 8))
    c.write(
        b,
        "Physical Exam on admission:\nVitals: T {temp} HR {hr} BP {bp} RR {rr} SpO2 {spo2}% 4L NC\nGeneral: in "
        "mild respiratory distress, speaking in short sentences.\nNeuro: A&Ox2, GCS {gcs}, resting tremor and "
        "cogwheel rigidity, Babinski downgoing bilaterally.\nAbdomen: soft, nontender, negative Murphy sign.\n\n"
        "Pertinent Results:\n{lab_time} WBC-{wbc}* Hgb-{hgb}* Hct-{hct}* Plt Ct-{plt}\n{lab_time} "
        "Glucose-{glucose}* Creat-{cr}* Na-{na} K-{k}\nChest x-ray ({date}): {side} lower lobe consolidation.\n\n",
        lab_time=c.stamp(first_labs, c.pick("mm/dd/yyyy hh:mmAM", "mm/dd/yyyy hh:mm")),
    )


def _discharge_plan(c: _Case, b: ReportBuilder) -> None:
    c.write(
        b,
        "Medications on Discharge:\n1. Carbidopa-levodopa 25/100 mg 1.5 tabs PO TID\n2. Levofloxacin 750 mg PO "
        "q48h x 2 doses\n3. Metoprolol tartrate 25 mg PO BID\n4. Apixaban 2.5 mg PO BID\n5. Mesalamine 1.2 g PO "
        "BID\n6. Acetaminophen 650 mg PO q6h prn pain\n\nDischarge Disposition:\n"
        + c.pick("Extended Care\nFacility: {nursing_facility}", "Home With Service")
        + "\n\nDischarge Diagnosis:\nCommunity-acquired pneumonia\nAcute kidney injury\nParkinson disease\n\n"
        "Discharge Condition:\nMental status: clear and coherent. Activity: ambulatory with walker and assistance."
        "\n\nDischarge Instructions:\nYou were admitted with pneumonia. Please call your doctor or return to the "
        "emergency department for fever > 101, shortness of breath or chest pain. Your results are available on "
        "the patient portal at {url}.\n\n",
    )


def _discharge_follow_up(c: _Case, b: ReportBuilder) -> None:
    appointment = c.discharged + timedelta(days=c.rng.randint(7, 21))
    appointment = appointment.replace(hour=c.rng.randint(8, 16), minute=c.rng.choice((0, 15, 30, 45)))
    c.write(b, "Followup Instructions:\nDr. {doctor}, {clinic}\n")
    c.address(b, "\n")
    c.write(
        b,
        "\nPhone: {phone}\nAppointment: {weekday}, {appointment}\n\n",
        weekday=c.weekday(appointment),
        appointment=c.stamp(appointment, "month d, yyyy h:mm AM"),
    )


# ---------------------------------------------------------------- pathology


@dataclass(frozen=True)
class _Specimen:
    name: str
    history: str
    gross: str
    microscopic: tuple[str, ...]
    diagnosis: str
    sexes: str = "MF"
    max_age: int = 120

    def fits(self, case: _Case) -> bool:
        return ("M" if case.male else "F") in self.sexes and case.age <= self.max_age


_SPECIMENS = (
    _Specimen(
        "Right colon and terminal ileum, right hemicolectomy",
        "Cecal mass on colonoscopy. History of Crohn disease.",
        "a segment of terminal ileum and right colon measuring {cm} cm in length. A fungating mass measuring "
        "{size} is present in the cecum. The radial margin is inked black. Representative sections are submitted "
        "in cassettes A1-A12.",
        (
            "Sections of the mass show a moderately differentiated adenocarcinoma invading through the muscularis "
            "propria into pericolonic adipose tissue (pT3). Lymphovascular invasion is present.",
            "{n} of 18 pericolonic lymph nodes are positive for metastatic carcinoma (pN1b). Tumor deposits are not "
            "identified.",
            "The terminal ileum shows chronic active ileitis with crypt distortion, pyloric gland metaplasia and "
            "non-necrotizing granulomas, consistent with Crohn disease.",
            "Immunohistochemistry: MLH1, PMS2, MSH2 and MSH6 show intact nuclear expression (mismatch repair "
            "proficient).",
        ),
        "Invasive adenocarcinoma, moderately differentiated, pT3 pN1b; margins negative. Chronic active ileitis "
        "consistent with Crohn disease.",
    ),
    _Specimen(
        "Lymph node, left cervical, excisional biopsy",
        "Cervical lymphadenopathy, night sweats. Rule out lymphoma.",
        "a tan-pink lymph node measuring {size}. The cut surface is vaguely nodular. Touch preparations are made "
        "and the specimen is entirely submitted in cassettes A1-A4.",
        (
            "Sections show effacement of the nodal architecture by a nodular infiltrate with fibrous bands. "
            "Scattered large Reed-Sternberg cells and lacunar variants are present in a background of small "
            "lymphocytes, eosinophils and histiocytes.",
            "Immunohistochemistry: the large cells are positive for CD30 and CD15, weakly positive for PAX5 and "
            "negative for CD20, CD45 and ALK-1. EBER in situ hybridization is negative.",
            "Flow cytometry shows no monoclonal B-cell population.",
        ),
        "Classic Hodgkin lymphoma, nodular sclerosis type.",
    ),
    _Specimen(
        "Prostate, needle core biopsies (12 cores)",
        "PSA 8.2 ng/mL, rising. Digital rectal examination with {side} nodule.",
        "twelve cores of tan tissue measuring 0.9 to {cm} cm in aggregate length, labeled by site. Each "
        "container is entirely submitted.",
        (
            "Cores from the {side} base and {side} mid gland show prostatic adenocarcinoma, Gleason score 3+4=7 "
            "(Grade Group 2), involving {n} of 12 cores and up to 40% of core length.",
            "Perineural invasion is identified. No extraprostatic extension is seen.",
            "The remaining cores show benign prostatic tissue with focal high-grade prostatic intraepithelial "
            "neoplasia.",
        ),
        "Prostatic adenocarcinoma, Gleason score 3+4=7 (Grade Group 2).",
        sexes="M",
    ),
    _Specimen(
        "Gallbladder, cholecystectomy",
        "Right upper quadrant pain, positive Murphy sign, cholelithiasis on ultrasound.",
        "an intact gallbladder measuring {size} containing {n} yellow-green faceted stones up to {mm} mm. The wall "
        "is up to {mm} mm thick. Representative sections are submitted in cassettes A1-A3.",
        (
            "Sections show transmural acute and chronic inflammation with mucosal ulceration, hemorrhage and "
            "Rokitansky-Aschoff sinuses.",
            "No dysplasia or malignancy is identified. The cystic duct margin is unremarkable.",
        ),
        "Acute and chronic cholecystitis with cholelithiasis.",
    ),
    _Specimen(
        "Placenta, delivery",
        "Term vaginal delivery at 39 weeks, meconium-stained fluid. Infant APGAR {apgar}.",
        "a trimmed singleton placenta weighing {grams} g with a three-vessel umbilical cord measuring {cm} cm in "
        "length, inserted eccentrically. The membranes are green-tinged. Representative sections are submitted in "
        "cassettes A1-A5.",
        (
            "Sections of the membranes show meconium-laden macrophages in the amnion and chorion.",
            "The chorionic plate shows maternal inflammatory response, stage 1. No fetal vasculitis is identified.",
            "Villous maturation is appropriate for gestational age. No infarcts or intervillous thrombi.",
        ),
        "Third-trimester placenta with meconium-laden macrophages and acute chorioamnionitis, maternal stage 1.",
        sexes="F",
        max_age=45,
    ),
)
_PATHOLOGY_PHI = (
    "Intradepartmental consultation: selected slides were reviewed by Dr. {doctor}, who concurs.",
    "Prior specimen {specimen} ({past_date}) was reviewed for comparison.",
    "Slides were sent for outside consultation to {other_hospital} at the request of Dr. {doctor_last}.",
)


def _pathology(c: _Case, b: ReportBuilder) -> None:
    specimen = c.rng.choice([candidate for candidate in _SPECIMENS if candidate.fits(c)])
    collected = c.during_stay()
    c.write(
        b,
        "SURGICAL PATHOLOGY REPORT\n{hospital} Department of Pathology    CLIA #{clia}\n\nPatient: {patient}    "
        "MRN: {mrn}\nDOB: {dob}    Age: {age}    Sex: {sex}\nAccession #: {specimen}\nCollected: {collected}    "
        "Received: {received}\nSubmitting Physician: {doctor}, MD\nLocation: {location}\n\n",
        clia=c.digits("##D#######", EntityType.LICENSE_NUMBER),
        patient=c.name(c.patient, "last, first", caps=c.chance(0.5)),
        dob=c.day(c.dob, c.pick("m/d/yyyy", "mm/dd/yyyy")),
        collected=c.stamp(collected),
        received=c.stamp(collected + timedelta(minutes=c.rng.randint(30, 300))),
        location=c.unit(),
    )
    c.write(b, "CLINICAL HISTORY: " + specimen.history + f"\n\nSPECIMEN: A. {specimen.name}\n\n")
    c.write(
        b,
        'GROSS DESCRIPTION:\nReceived in formalin in a container labeled with the patient\'s name, "{label}", '
        f'and "{specimen.name.split(",")[0].lower()}" is ' + specimen.gross + "\n\nMICROSCOPIC DESCRIPTION:\n",
        label=c.name(c.patient, "last, first", caps=True),
    )
    c.body(b, specimen.microscopic + _PATHOLOGY_PHI, count=len(specimen.microscopic))
    c.write(b, f"DIAGNOSIS:\nA. {specimen.name}:\n   - {specimen.diagnosis}\n\n")
    if c.chance(0.5):
        c.write(b, "Results communicated to Dr. {doctor_last} by telephone on {date}.\n\n")
    b.add("I have personally reviewed the slides and rendered the diagnosis above.\n")
    c.signature(b, "Electronically signed by: ", c.person(), collected + timedelta(hours=c.rng.randint(20, 80)))


# ---------------------------------------------------------------- emergency department note

_ED_COURSE = (
    "ROS: denies chest pain, palpitations, headache or vomiting. + {side} hip pain. Otherwise negative x 10 systems.",
    "Exam: T {temp} HR {hr} BP {bp} RR {rr} SpO2 {spo2}% RA. GCS {gcs}. No Battle sign or raccoon eyes. C-spine "
    "nontender, Canadian C-spine rule negative. {side} leg shortened and externally rotated.",
    "Abdomen soft, McBurney point nontender, Rovsing and psoas signs negative. Kernig and Brudzinski signs "
    "negative. Homans sign negative.",
    "ED course: CT head and C-spine without acute process. EKG: sinus rhythm at {hr}, QTc 452, no acute ST "
    "changes. Troponin < 0.01 x2. Lactate {lactate}.",
    "Labs: WBC {wbc}, Hgb {hgb}, plt {plt}, Na {na}, K {k}, Cr {cr}, INR {inr}. UA negative.",
    "Meds given: morphine 4 mg IV x1 at {clock}, ondansetron 4 mg IV, 1 L LR bolus. Tetanus up to date.",
    "Pacemaker interrogated by the device representative: serial {device}, normal function, no arrhythmias.",
    "Discussed with Dr. {doctor} (orthopedics) at {clock}, who will take {him} to the OR in the morning.",
    "Records from {other_hospital}, where {he} was admitted in {month_year} for syncope, were reviewed.",
    "Collateral from {his} {relation} {relative} ({phone}): baseline independent with ADLs, uses a cane.",
)


def _emergency_note(c: _Case, b: ReportBuilder) -> None:
    c.write(
        b,
        "EMERGENCY DEPARTMENT PHYSICIAN NOTE\n{hospital} Emergency Department\n\nPatient: {patient}    MRN: {mrn}"
        "    Acct #: {account}\nArrival: {arrival}    Mode: EMS    Triage: ESI 2\nPCP: Dr. {doctor}\n\n"
        "Chief complaint: fall\n\nHPI: {age} yo {sex} with Parkinson disease and atrial fibrillation on apixaban "
        "who presents after an unwitnessed fall at home in {city} at approximately {fall}. Per {his} {relation} "
        "{relative_first}, {he} was found on the floor next to the bed; no LOC reported.\n\n",
        account=c.digits("##########", EntityType.ID),
        arrival=c.stamp(c.admitted),
        fall=c.clock(c.admitted - timedelta(minutes=c.rng.randint(40, 180))),
    )
    c.body(b, _ED_COURSE, count=c.rng.randint(4, 7))
    c.write(
        b,
        "Disposition: admitted to {destination} under Dr. {attending_last}. Condition: stable.\n\nAttending "
        "attestation: I saw and examined the patient and agree with the resident's findings and plan.\n",
        destination=c.unit(),
    )
    c.signature(b, "", c.attending, c.admitted + timedelta(minutes=c.rng.randint(60, 400)))


# ---------------------------------------------------------------- referral letter

_REFERRAL_PARAGRAPHS = (
    "{He} has a history of Parkinson disease, Crohn disease in remission on mesalamine, and Hodgkin lymphoma "
    "treated at {other_hospital} in {year}, with no evidence of recurrence.",
    "A recent MRI of the lumbar spine showed a broad-based disc bulge at {l_level} with {grade} canal stenosis; "
    "the report is enclosed. Straight leg raise is positive on the {side}, and the ankle reflex is diminished.",
    "Recent laboratory results: hemoglobin {hgb}, WBC {wbc}, platelets {plt}, creatinine {cr}, potassium {k}. "
    "HbA1c 6.8%.",
    "Current medications include carbidopa-levodopa 25/100 mg TID, mesalamine 1.2 g BID, atorvastatin 40 mg "
    "daily and gabapentin 300 mg TID. {He} is allergic to penicillin.",
    "{His} {relation}, {relative}, usually accompanies {him} to appointments and can be reached at {phone}.",
    "{He} was last seen in our clinic on {recent_date}, when blood pressure was {bp} and pain was {pain}/10.",
    "Despite physical therapy twice weekly since {month_year} and a trial of NSAIDs, {his} symptoms have progressed.",
)


def _referral_letter(c: _Case, b: ReportBuilder) -> None:
    sender, recipient = c.person(), c.person()
    specialty, practice = c.rng.choice(_PRACTICES)
    c.write(b, "{practice}\n", practice=c.facility((practice,)))
    c.address(b, "\n")
    c.write(
        b,
        "\nTel {phone} | Fax {fax}\n{url}\n\n{letter_date}\n\nDr. {recipient}\n{hospital}\n",
        fax=c.phone(),
        letter_date=c.day(c.admitted, c.pick("month d, yyyy", "mm/dd/yyyy")),
        recipient=c.name(recipient, "first last"),
    )
    c.address(b, "\n")
    c.write(
        b,
        "\n\nRE: {patient}    DOB: {dob}    MRN: {mrn}\n",
        patient=c.name(c.patient, c.pick("first last", "last, first"), caps=c.chance(0.3)),
        dob=c.day(c.dob, c.pick("m/d/yyyy", "mm/dd/yyyy")),
    )
    if c.chance(0.2):
        c.write(b, "SSN: {ssn}\n")
    c.write(
        b,
        "Insurance member ID: {member}\n\nDear Dr. {recipient_last},\n\nThank you for seeing my patient, {title} "
        "{patient_last}, a {age}-year-old {man} whom I am referring for evaluation of {reason}.\n\n",
        member=c.digits("???#########", EntityType.ID),
        recipient_last=c.name(recipient, "last"),
        reason=c.pick("progressive low back pain", "worsening tremor", "chronic diarrhea", "exertional dyspnea"),
    )
    c.body(b, _REFERRAL_PARAGRAPHS, count=c.rng.randint(3, 5))
    c.write(
        b,
        "Please do not hesitate to contact me at {email} or {phone}. Records can also be uploaded securely at "
        "{url}.\n\nSincerely,\n\n{sender}, MD\n{specialty}\nLicense #{license}    DEA #{dea}\n\ncc: {doctor}, MD\n",
        email=c.email(sender),
        sender=c.name(sender, c.pick("first last", "first m. last")),
        specialty=specialty,
        dea=c.digits("??#######", EntityType.LICENSE_NUMBER),
    )
    if c.chance(0.08):
        c.write(b, "Sent via secure fax gateway {ip}\n")


_KINDS: tuple[tuple[str, Callable[[_Case, ReportBuilder], None]], ...] = (
    ("radiology", _radiology),
    ("nursing_progress_note", _nursing_note),
    ("discharge_summary", _discharge_summary),
    ("pathology", _pathology),
    ("emergency_note", _emergency_note),
    ("referral_letter", _referral_letter),
)
