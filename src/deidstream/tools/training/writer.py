"""One training note being written: its people, places and dates, its case, and its text and spans grown together.

Templates name what they need (`{rel}`, `{doc_last}`, `{date}`, `{bp}`) and the
writer resolves each name on demand from `FIELDS`; PHI values come back as
`Phi` and become spans in the `ReportBuilder`, so offsets are exact by
construction. Case is applied piece by piece before each piece is added (an
ALL CAPS note upper-cases its literal text and, most of the time, its PHI), so
offsets count the characters actually written even where case changes length.

The annotation convention is synthetic.py's: a name without its title or
degree, ages only over 89, dates without weekdays, a time of day alone and a
state are not PHI.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from deidstream.entity import EntityType
from deidstream.tools.synthetic import ReportBuilder, SyntheticReport
from deidstream.tools.templates import Phi, RandomDraws, expand, us_state
from deidstream.tools.training import dates, phones, places
from deidstream.tools.training.augment import ascii_letters
from deidstream.tools.training.casing import LOWER, TITLE, UPPER, apply_case
from deidstream.tools.training.fakers import faker
from deidstream.tools.training.identifiers import identifier, ssn
from deidstream.tools.training.names import Name, person
from deidstream.tools.training.vocabulary import (
    CONDITIONS,
    DRUG_NAMES,
    DRUGS,
    EPONYM_DEVICES,
    EPONYM_DISEASES,
    EPONYM_SCORES,
    EPONYM_SIGNS,
    FEMALE_RELATIONS,
    ID_LABELS,
    INSURANCE_LABELS,
    MALE_RELATIONS,
    RELATIONS,
    UNITS,
)

AS_WRITTEN = ""  # the note's own mixed case
RANDOM_CASE_CHANCE = 0.15  # a name or place in a case other than the note's
CASE_VARIED_TYPES = frozenset({EntityType.PERSON, EntityType.LOCATION, EntityType.HOSPITAL, EntityType.STREET_ADDRESS})
PARTICLE_FAMILY_CHANCE = 0.1
_FIRST_STAY, _LAST_STAY = date(2008, 1, 1), date(2025, 12, 31)


@dataclass(frozen=True)
class Person:
    name: Name
    male: bool


class NoteWriter(RandomDraws):
    """A note in progress; `case` is AS_WRITTEN, UPPER or LOWER for the whole note."""

    def __init__(self, rng: random.Random, case: str = AS_WRITTEN) -> None:
        self.rng = rng
        self.case = case
        self.builder = ReportBuilder()
        self.patient = self.person()
        self.male = self.patient.male
        self.age = rng.randint(90, 106) if rng.random() < 0.3 else rng.randint(18, 89)
        self.admitted = dates.random_day(rng, _FIRST_STAY, _LAST_STAY)
        self.relation = rng.choice(RELATIONS)
        male_relative = None  # a partner, friend or proxy may be either
        if self.relation in MALE_RELATIONS or self.relation in FEMALE_RELATIONS:
            male_relative = self.relation in MALE_RELATIONS
        self.relative = self.person(male_relative, family=self.patient.name.family if rng.random() < 0.6 else "")
        self.attending = self.person()
        self.nurse = self.person()
        self.hospital = self.facility()

    # ------------------------------------------------------------ writing

    def write(self, template: str, **given: str | Phi) -> None:
        """Append `template`, resolving each `{field}` from `given` or from `FIELDS`; PHI values become spans."""
        for piece in expand(template, given, FIELDS, self):
            if isinstance(piece, Phi):
                self.add_phi(piece)
            else:
                self.add(piece)

    def add(self, text: str) -> None:
        if text:
            self.builder.add(apply_case(text, self.case))

    def add_phi(self, value: Phi) -> None:
        """A PHI value in the note's case, or for names and places now and then in a random one."""
        case = self.case
        if value.type in CASE_VARIED_TYPES and self.rng.random() < RANDOM_CASE_CHANCE:
            case = self.rng.choice((UPPER, LOWER, TITLE))
        self.builder.add_phi(apply_case(value.text, case), value.type)

    def sentences(self, pool: tuple[str, ...], fewest: int, most: int, separator: str = " ") -> None:
        """Between `fewest` and `most` distinct templates of `pool`, each followed by `separator`."""
        count = min(self.rng.randint(fewest, most), len(pool))
        for template in self.rng.sample(pool, count):
            self.write(template + separator)

    def build(self, note_id: str, kind: str) -> SyntheticReport:
        return self.builder.build(note_id, kind)

    # ------------------------------------------------------------ people

    def person(self, male: bool | None = None, family: str = "") -> Person:
        is_male = self.chance(0.5) if male is None else male
        words = self.rng.choice((2, 3)) if self.chance(PARTICLE_FAMILY_CHANCE) else 1
        name = person(self.rng, is_male, family_words=words)
        if family:
            name = Name(name.given, family, name.middle, name.locale)
        return Person(name, is_male)

    def name(self, who: Person, form: str = "") -> Phi:
        """`who` written in `form` (random when empty); one span whatever the form, title and degree outside."""
        name = who.name
        form = form or self.pick(
            "first last", "first last", "first last", "last, first", "f. last", "first m. last", "last"
        )
        text = {
            "first last": f"{name.given} {name.family}",
            "first": name.given,
            "last": name.family,
            "last, first": f"{name.family}, {name.given}",
            "last first": f"{name.family} {name.given}",
            "f. last": f"{name.given[0]}. {name.family}",
            "f last": f"{name.given[0]} {name.family}",
            "first m. last": f"{name.given} {name.middle[0]}. {name.family}",
            "first middle last": f"{name.given} {name.middle} {name.family}",
            "first l.": f"{name.given} {name.family[0]}.",
            "initials": f"{name.given[0]}.{name.family[0]}.",
        }[form]
        return Phi(text, EntityType.PERSON)

    def clinician(self, form: str = "") -> Phi:
        return self.name(self.person(), form or self.pick("first last", "last", "f. last", "first last"))

    # ------------------------------------------------------------ dates

    def during_stay(self) -> datetime:
        return self.admitted + timedelta(minutes=self.rng.randint(0, 9 * 24 * 60))

    def before(self, fewest_days: int = 30, most_days: int = 20 * 365) -> datetime:
        return self.admitted - timedelta(days=self.rng.randint(fewest_days, most_days))

    def day(self, when: datetime | None = None, shape: str = "") -> Phi:
        when = when or self.during_stay()
        shape = shape or self.rng.choice((dates.FULL, dates.FULL, dates.MONTH_DAY))
        return Phi(dates.write_date(when, shape, self.rng), EntityType.DATE_TIME)

    def dob(self) -> Phi:
        born = self.admitted - timedelta(days=int(self.age * 365.25) + self.rng.randint(1, 360))
        return self.day(born, dates.FULL)

    def clock(self) -> str:
        """A time of day alone: not PHI, and the model must learn so."""
        hour, minute = self.rng.randrange(24), self.rng.randrange(0, 60, 5)
        return self.pick(
            f"{hour:02}{minute:02}",
            f"{hour:02}:{minute:02}",
            f"{hour:02}00",
            f"{(hour + 11) % 12 + 1}{self.pick('am', 'pm', ' AM', ' PM')}",
        )

    # ------------------------------------------------------------ places and contacts

    def facility(self) -> Phi:
        return Phi(places.hospital(self.rng), EntityType.HOSPITAL)

    def city(self) -> Phi:
        return Phi(places.city(self.rng, self.rng.choice((1, 1, 1, 2, 3))), EntityType.LOCATION)

    def state(self) -> str:
        return us_state(faker(self.rng), self)

    def address(self, line_break: str = "\n") -> None:
        """Street, city and ZIP as separate spans; the state between them is no PHI."""
        zip_code = faker(self.rng).zipcode_plus4() if self.chance(0.2) else faker(self.rng).zipcode()
        self.write(
            "{street}" + line_break + "{city}, {state} {zip}",
            street=Phi(places.street_address(self.rng), EntityType.STREET_ADDRESS),
            zip=Phi(zip_code, EntityType.ZIP_CODE),
        )

    def phone(self, shape: str = "") -> Phi:
        shape = shape or self.rng.choices(phones.SHAPES, weights=(1, 2, 8, 3, 1))[0]
        return Phi(phones.write_phone(shape, self.rng), EntityType.PHONE_NUMBER)

    def email(self, who: Person | None = None) -> Phi:
        name = (who or self.person()).name
        local = self.pick(
            f"{name.given}.{name.family}", f"{name.given[0]}{name.family}", f"{name.family}{self.rng.randint(1, 99)}"
        )
        fake = faker(self.rng)
        domain = fake.free_email_domain() if self.chance(0.5) else fake.domain_name()
        return Phi(f"{ascii_letters(local.replace(' ', ''))}@{domain}".lower(), EntityType.EMAIL_ADDRESS)

    def url(self) -> Phi:
        path = self.pick("", "patient-portal", "referrals", "mychart", "records/request", "billing")
        return Phi(
            f"{self.pick('https://', 'http://', 'www.', 'https://www.')}{faker(self.rng).domain_name()}/{path}".rstrip(
                "/"
            ),
            EntityType.URL,
        )

    def id_field(self) -> None:
        """A labelled identifier (`MRN: 0934122`, `Acct # A12-55310`); the value alone is the span."""
        label = self.pick(*ID_LABELS)
        separator = self.pick(": ", " ", ": ") if label.endswith("#") else self.pick(": ", " ", ": ", " # ", " - ", "#")
        self.write(label + separator + "{value}", value=Phi(identifier(self.rng), EntityType.ID))


def _age(w: NoteWriter) -> str | Phi:
    """Only ages over 89 identify someone under HIPAA Safe Harbor; younger ages stay plain text."""
    return Phi(str(w.age), EntityType.AGE) if w.age > 89 else str(w.age)


# What templates may ask for. Values that are PHI come back as Phi and become spans.
FIELDS: dict[str, Callable[[NoteWriter], str | Phi]] = {
    # people
    "pt": lambda w: w.name(w.patient),
    "pt_full": lambda w: w.name(w.patient, w.pick("first last", "first m. last", "last, first")),
    "pt_first": lambda w: w.name(w.patient, "first"),
    "pt_last": lambda w: w.name(w.patient, "last"),
    "pt_named": lambda w: w.name(w.patient, w.pick("first last", "first m. last", "first l.", "first middle last")),
    "pt_short": lambda w: w.name(w.patient, w.pick("first l.", "first", "initials", "f. last")),
    "pt_title": lambda w: "Mr." if w.male else w.pick("Ms.", "Mrs."),
    "rel": lambda w: w.name(w.relative, w.pick("first last", "first last", "first")),
    "rel_first": lambda w: w.name(w.relative, "first"),
    "relation": lambda w: w.relation,
    "Relation": lambda w: w.relation[0].upper() + w.relation[1:],
    "doc": lambda w: w.clinician(w.pick("first last", "f. last", "first m. last")),
    "doc_last": lambda w: w.clinician("last"),
    "att": lambda w: w.name(w.attending, w.pick("first last", "first m. last")),
    "att_last": lambda w: w.name(w.attending, "last"),
    "nurse": lambda w: w.name(w.nurse, w.pick("first last", "first", "f. last")),
    "nurse_first": lambda w: w.name(w.nurse, "first"),
    "init_last": lambda w: w.clinician("f last"),
    "init_dot": lambda w: w.clinician("f. last"),
    "other": lambda w: w.name(w.person(), w.pick("first last", "first")),
    # dates
    "date": lambda w: w.day(),
    "date_md": lambda w: w.day(shape=dates.MONTH_DAY),
    "date_full": lambda w: w.day(shape=dates.FULL),
    "stamp": lambda w: w.day(shape=dates.DATE_TIME),
    "admit_date": lambda w: w.day(w.admitted, dates.FULL),
    "past_date": lambda w: w.day(w.before()),
    "year": lambda w: w.day(w.before(365), dates.YEAR),
    "month_year": lambda w: w.day(w.before(60), dates.MONTH_YEAR),
    "dob": lambda w: w.dob(),
    "holiday": lambda w: Phi(w.rng.choice(dates.HOLIDAYS), EntityType.DATE_TIME),
    "age": _age,
    # places and contacts
    "hospital": lambda w: w.hospital,
    "other_hospital": lambda w: w.facility(),
    "clinic": lambda w: w.facility(),
    "ward": lambda w: Phi(f"Ward {w.rng.randint(2, 12)}{w.rng.choice('ABCD')}", EntityType.HOSPITAL),
    "city": lambda w: w.city(),
    "country": lambda w: Phi(places.country(w.rng), EntityType.LOCATION),
    "street": lambda w: Phi(places.street_address(w.rng), EntityType.STREET_ADDRESS),
    "state": lambda w: w.state(),
    "phone": lambda w: w.phone(),
    "local_phone": lambda w: w.phone(phones.LOCAL),
    "ext": lambda w: w.phone(phones.EXTENSION),
    "email": lambda w: w.email(),
    "rel_email": lambda w: w.email(w.relative),
    "url": lambda w: w.url(),
    "ssn": lambda w: Phi(ssn(w.rng), EntityType.US_SSN),
    "mrn": lambda w: Phi(identifier(w.rng), EntityType.ID),
    "member": lambda w: Phi(identifier(w.rng), EntityType.ID),
    "insurance_label": lambda w: w.pick(*INSURANCE_LABELS),
    # clinical language that is not PHI
    "clock": lambda w: w.clock(),
    "bp": lambda w: f"{w.rng.randint(86, 178)}/{w.rng.randint(42, 104)}",
    "hr": lambda w: str(w.rng.randint(52, 132)),
    "rr": lambda w: str(w.rng.randint(10, 32)),
    "temp": lambda w: w.number(96.8, 102.9),
    "spo2": lambda w: str(w.rng.randint(86, 100)),
    "o2": lambda w: w.pick("2L NC", "4L NC", "RA", "40% FM", "50% FiO2", "6L NC", "BiPAP 12/5", "HFNC 40L/60%"),
    "uop": lambda w: str(w.rng.randint(15, 250)),
    "wbc": lambda w: w.number(2.1, 21.5),
    "hgb": lambda w: w.number(6.8, 15.9),
    "plt": lambda w: str(w.rng.randint(38, 460)),
    "na": lambda w: str(w.rng.randint(124, 149)),
    "k": lambda w: w.number(2.9, 6.1),
    "cr": lambda w: w.number(0.5, 4.8),
    "glucose": lambda w: str(w.rng.randint(58, 420)),
    "inr": lambda w: w.number(0.9, 4.2),
    "gcs": lambda w: str(w.rng.randint(3, 15)),
    "pain": lambda w: str(w.rng.randint(0, 10)),
    "drug": lambda w: w.pick(*DRUGS),
    "drug_name": lambda w: w.pick(*DRUG_NAMES),
    "eponym": lambda w: w.pick(*EPONYM_DISEASES),
    "sign": lambda w: w.pick(*EPONYM_SIGNS),
    "device": lambda w: w.pick(*EPONYM_DEVICES),
    "score": lambda w: w.pick(*EPONYM_SCORES),
    "posneg": lambda w: w.pick("positive", "negative", "neg", "absent"),
    "condition": lambda w: w.pick(*CONDITIONS),
    "unit": lambda w: w.pick(*UNITS),
    "room": lambda w: f"{w.rng.randint(2, 14)}{w.rng.randint(0, 40):02}",
    "bed": lambda w: f"{w.rng.randint(1, 30)}{w.pick('', 'A', 'B')}",
    "sex": lambda w: "M" if w.male else "F",
    "man": lambda w: "man" if w.male else "woman",
    "male": lambda w: "male" if w.male else "female",
    "he": lambda w: "he" if w.male else "she",
    "He": lambda w: "He" if w.male else "She",
    "his": lambda w: "his" if w.male else "her",
    "His": lambda w: "His" if w.male else "Her",
    "him": lambda w: "him" if w.male else "her",
    "side": lambda w: w.pick("right", "left"),
    "n": lambda w: str(w.rng.randint(2, 9)),
}
