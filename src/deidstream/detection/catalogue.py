"""Every recognizer, veto and post-pass of the engine, in the order the engine runs them: the data it is built from.

The engine proposes the union of the recognizers' candidates, grows names over
their neighbours (post-pass `NameListExtension`), drops what a veto shows is not
PHI, finds the further mentions of what it kept (post-pass `MentionPropagation`),
and vetoes those alike. A deployment changes this catalogue by name and adds its
own recognizers and allow lists (`settings.EngineSettings`); `configure` applies
the settings, reading the site's lists once, and `deidstream catalogue` prints the
result. To add a recognizer, veto or post-pass to deidstream, write its module and
add one line here (ARCHITECTURE.md, "Adding to detection").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from presidio_analyzer import EntityRecognizer, RecognizerResult

from deidstream.detection.base.check_digits import length, luhn, mod11
from deidstream.detection.base.recognizers import Buildable, Parts, Tuning
from deidstream.detection.base.veto import Veto
from deidstream.detection.lexicons.site_lists import PhraseIndex, RosterName, SiteListError, read_entries, read_roster
from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.detection.passes.name_extension import extend_names
from deidstream.detection.passes.propagation import propagate_mentions
from deidstream.detection.recognizers.contacts.international_phone import InternationalPhoneRecognizer
from deidstream.detection.recognizers.contacts.phone import ClinicalPhoneRecognizer
from deidstream.detection.recognizers.contacts.web_address import WebAddressRecognizer
from deidstream.detection.recognizers.dates.age_over_89 import AgeOver89Recognizer
from deidstream.detection.recognizers.dates.clinical_date import ClinicalDateRecognizer
from deidstream.detection.recognizers.identifiers.device_number import DeviceNumberRecognizer
from deidstream.detection.recognizers.identifiers.identifier_after_word import IdentifierAfterWordRecognizer
from deidstream.detection.recognizers.identifiers.labelled_ssn import LabelledSsnRecognizer
from deidstream.detection.recognizers.identifiers.licence_number import LicenceNumberRecognizer
from deidstream.detection.recognizers.identifiers.record_number import RecordNumberRecognizer
from deidstream.detection.recognizers.names.clinician_name import ClinicianNameRecognizer
from deidstream.detection.recognizers.names.contact_name import ContactNameRecognizer
from deidstream.detection.recognizers.names.dictionary_name import DictionaryNameRecognizer
from deidstream.detection.recognizers.names.initial_name import InitialNameRecognizer
from deidstream.detection.recognizers.names.labelled_name import LabelledNameRecognizer
from deidstream.detection.recognizers.names.phone_owner_name import PhoneOwnerNameRecognizer
from deidstream.detection.recognizers.names.relative_name import RelativeNameRecognizer
from deidstream.detection.recognizers.names.signature_name import SignatureNameRecognizer
from deidstream.detection.recognizers.names.titled_name import TitledNameRecognizer
from deidstream.detection.recognizers.ner.ner_entities import NerEntityRecognizer
from deidstream.detection.recognizers.places.cued_place import CuedPlaceRecognizer
from deidstream.detection.recognizers.places.gazetteer_place import GazetteerPlaceRecognizer
from deidstream.detection.recognizers.places.hospital import HospitalRecognizer
from deidstream.detection.recognizers.places.place import PlaceRecognizer
from deidstream.detection.recognizers.places.region import RegionRecognizer
from deidstream.detection.recognizers.places.street_address import (
    CityOfAddressRecognizer,
    StreetAddressRecognizer,
    TownOfAddressRecognizer,
    ZipCodeRecognizer,
)
from deidstream.detection.recognizers.presidio.predefined import (
    CreditCardRecognizer,
    EmailRecognizer,
    IpRecognizer,
    UsSsnRecognizer,
)
from deidstream.detection.recognizers.site.pattern import SitePatternRecognizer
from deidstream.detection.recognizers.site.roster import RosterRecognizer
from deidstream.detection.recognizers.site.word_list import SiteWordListRecognizer
from deidstream.detection.settings import (
    AllowListSetting,
    DetectionConfigError,
    EngineSettings,
    PatternSetting,
    RecognizerChange,
    RosterSetting,
    WordListSetting,
)
from deidstream.detection.vetoes.allow_list import AllowListVeto
from deidstream.detection.vetoes.clinical_abbreviation import ClinicalAbbreviationVeto
from deidstream.detection.vetoes.clinical_term import ClinicalTermVeto
from deidstream.detection.vetoes.duration import DurationVeto
from deidstream.detection.vetoes.english_word import EnglishWordVeto
from deidstream.detection.vetoes.function_word import FunctionWordVeto
from deidstream.detection.vetoes.measurement import MeasurementVeto
from deidstream.detection.vetoes.misspelt_word import MisspeltWordVeto
from deidstream.detection.vetoes.reading import ReadingVeto
from deidstream.detection.vetoes.state import StateVeto

PostPass = Callable[[str, list[RecognizerResult], Vocabulary], list[RecognizerResult]]
BEFORE_VETOES, AFTER_VETOES = "before the vetoes", "after the vetoes"


@dataclass(frozen=True)
class RecognizerEntry:
    name: str
    build: Callable[[Parts, Tuning], EntityRecognizer]
    summary: str


@dataclass(frozen=True)
class VetoEntry:
    name: str
    build: Callable[[Parts], Veto]
    summary: str


@dataclass(frozen=True)
class PassEntry:
    name: str
    run: PostPass
    stage: str
    summary: str


def recognizer(cls: type[Buildable], summary: str) -> RecognizerEntry:
    return RecognizerEntry(cls.__name__, cls.build, summary)


# Presidio's recognizers for URLs, phone numbers and dates are left out because `deidstream eval` showed them not
# earning their keep: on the PhysioNet notes they found 10 gold spans that others found too and raised 806 false
# alarms (URLs in `pt.` and `d/c`, phones in lab runs, dates in ratios). Those for driver licences, bank numbers and
# passports match any run of letters and digits. The order is the engine's: where two recognizers propose the same
# span, type and score, the detection names the first.
RECOGNIZERS: tuple[RecognizerEntry, ...] = (
    recognizer(NerEntityRecognizer, "every entity of the PHI NER, as its mapped type; a role or title cut from a name"),
    recognizer(LabelledNameRecognizer, "a name in a labelled header field (`PATIENT: JOHN SMITH`)"),
    recognizer(ClinicianNameRecognizer, "a name after a title, role or contact cue, or before a credential"),
    recognizer(RelativeNameRecognizer, "a name after or before a relation word (`wife Mary`, `Walt K. (son)`)"),
    recognizer(TitledNameRecognizer, "a name after a courtesy title (`Mr. Albrecht`, `Ms S.`)"),
    recognizer(ContactNameRecognizer, "a first name before a verb of contact (`bill called`)"),
    recognizer(InitialNameRecognizer, "a surname after an initial (`J. Chang`, `M JONES ORDERED`)"),
    recognizer(PhoneOwnerNameRecognizer, "a name right before a phone number"),
    recognizer(SignatureNameRecognizer, "a name that signs a note (last line, after a dash, before typist initials)"),
    recognizer(DictionaryNameRecognizer, "a census name that is no English or clinical word, wherever it stands"),
    recognizer(ClinicalDateRecognizer, "dates as clinicians write them, not readings, scores or fractions"),
    recognizer(
        HospitalRecognizer, "hospitals, clinics and wards by facility word, saint, transfer verb or ward number"
    ),
    recognizer(PlaceRecognizer, "towns where people live, come from or work (`lives in Frostburg`)"),
    recognizer(
        CuedPlaceRecognizer, "places of several words, any case, after motion, transfer or residence (`to east haddam`)"
    ),
    recognizer(GazetteerPlaceRecognizer, "towns of GeoNames' populated places, wherever they stand"),
    recognizer(RegionRecognizer, "regions named by a compass word (`the North Shore`)"),
    recognizer(ClinicalPhoneRecognizer, "phone, fax and pager numbers, short ones after a contact word"),
    recognizer(InternationalPhoneRecognizer, "international phone numbers (`+44 20 7946 0958`)"),
    recognizer(AgeOver89Recognizer, "ages over 89 (`93 yo`, `age 101`)"),
    recognizer(RecordNumberRecognizer, "record, accession, account and other numbers after their label"),
    recognizer(DeviceNumberRecognizer, "device serial numbers after their label"),
    recognizer(LicenceNumberRecognizer, "licence, DEA, NPI and certificate numbers after their label"),
    recognizer(IdentifierAfterWordRecognizer, "identifiers a few words after an identifier word"),
    recognizer(LabelledSsnRecognizer, "nine digits after an SSN label, valid or not"),
    recognizer(StreetAddressRecognizer, "street addresses (`12 Main Street`, `P.O. Box 44`)"),
    recognizer(CityOfAddressRecognizer, "the city before a state on an address line"),
    recognizer(TownOfAddressRecognizer, "the town after a street address"),
    recognizer(ZipCodeRecognizer, "ZIP codes after a state or a ZIP label"),
    recognizer(WebAddressRecognizer, "URLs with a scheme, `www.` or a common top-level domain"),
    recognizer(EmailRecognizer, "e-mail addresses (Presidio's)"),
    recognizer(IpRecognizer, "IP addresses (Presidio's)"),
    recognizer(UsSsnRecognizer, "social security numbers that could be issued (Presidio's)"),
    recognizer(CreditCardRecognizer, "card numbers that pass the Luhn check (Presidio's)"),
)
VETOES: tuple[VetoEntry, ...] = (
    VetoEntry("ClinicalTermVeto", lambda parts: ClinicalTermVeto(parts.vocabulary), "clinical vocabulary and drugs"),
    VetoEntry("EnglishWordVeto", lambda parts: EnglishWordVeto(parts.vocabulary), "names made of English words only"),
    VetoEntry("FunctionWordVeto", lambda parts: FunctionWordVeto(parts.vocabulary), "a lone function word"),
    VetoEntry("MeasurementVeto", lambda parts: MeasurementVeto(), "quantities, readings, clock times, young ages"),
    VetoEntry("DurationVeto", lambda parts: DurationVeto(), "a number of time units proposed as a date"),
    VetoEntry(
        "ReadingVeto",
        lambda parts: ReadingVeto(),
        "runs of readings with a unit or a count, blood pressures as identifiers, clock times read as years",
    ),
    VetoEntry(
        "MisspeltWordVeto",
        lambda parts: MisspeltWordVeto(parts.vocabulary),
        "a relation or clinical word typed with a slip (`Neice called`)",
    ),
    VetoEntry(
        "StateVeto", lambda parts: StateVeto(), "a US state's full name taken for a place (`sister in Illinois`)"
    ),
    VetoEntry(
        "ClinicalAbbreviationVeto",
        lambda parts: ClinicalAbbreviationVeto(),
        "a clinical abbreviation of a public list taken for a name or place",
    ),
)
PASSES: tuple[PassEntry, ...] = (
    PassEntry("NameListExtension", extend_names, BEFORE_VETOES, "a name grown over its first names and particles"),
    PassEntry("MentionPropagation", propagate_mentions, AFTER_VETOES, "a kept name's other mentions in the text"),
)


@dataclass
class Detectors:
    """What an engine runs, built from the catalogue and a deployment's settings."""

    recognizers: list[EntityRecognizer] = field(default_factory=list)
    vetoes: list[Veto] = field(default_factory=list)
    before_vetoes: list[PassEntry] = field(default_factory=list)
    after_vetoes: list[PassEntry] = field(default_factory=list)


@dataclass(frozen=True)
class SiteLists:
    """A site's lists, read once at start, by their setting's name: the terms of word and allow lists, the people of
    rosters."""

    terms: dict[str, PhraseIndex] = field(default_factory=dict)
    people: dict[str, list[RosterName]] = field(default_factory=dict)
    # How many terms or people each list holds, in the settings' order: all that may be logged or exported of them.
    sizes: dict[str, int] = field(default_factory=dict)


def read_site_lists(settings: EngineSettings) -> SiteLists:
    """Check the settings' names against the catalogue, and read every site list they turn on.

    Cheap next to loading the model, so the engine does it first: a mistake stops start-up at once. Raises
    DetectionConfigError naming the setting, the list's file and line, and the fix.
    """
    check_names(settings)
    lists = SiteLists()
    for (table, name), setting in settings.site_lists().items():
        if not setting.enabled:
            continue
        try:
            if isinstance(setting, RosterSetting):
                lists.people[name] = read_roster(setting.file)
                lists.sizes[name] = len(lists.people[name])
            else:
                entries = read_entries(setting.file)
                lists.terms[name] = PhraseIndex((entry.text for entry in entries), setting.case_sensitive)
                lists.sizes[name] = lists.terms[name].size
        except SiteListError as error:
            raise DetectionConfigError(
                (table, name, "file"), error.problem, error.fix, error.file, error.line
            ) from None
    return lists


def configure(settings: EngineSettings, parts: Parts, lists: SiteLists) -> Detectors:
    """The catalogue with the settings' changes, and the site's recognizers and allow lists over `lists`.

    Raises DetectionConfigError naming the setting and the fix.
    """
    detectors = Detectors()
    for entry in RECOGNIZERS:
        change = settings.recognizers.get(entry.name, RecognizerChange())
        if isinstance(change, RecognizerChange) and change.enabled:
            detectors.recognizers.append(_tuned(entry, change, parts))
    for name, setting in settings.recognizers.items():
        if not isinstance(setting, RecognizerChange) and setting.enabled:
            detectors.recognizers.append(_site_recognizer(name, setting, parts, lists))
    for name, veto in settings.vetoes.items():  # a site's allow list first: its word is the reason to drop
        if isinstance(veto, AllowListSetting) and veto.enabled:
            detectors.vetoes.append(AllowListVeto(name, lists.terms[name], frozenset(veto.types)))
    for veto_entry in VETOES:
        veto_change = settings.vetoes.get(veto_entry.name)
        if veto_change is None or veto_change.enabled:
            detectors.vetoes.append(veto_entry.build(parts))
    for pass_entry in PASSES:
        pass_change = settings.passes.get(pass_entry.name)
        if pass_change is None or pass_change.enabled:
            stage = detectors.before_vetoes if pass_entry.stage == BEFORE_VETOES else detectors.after_vetoes
            stage.append(pass_entry)
    return detectors


def check_names(settings: EngineSettings) -> None:
    """Every name the settings change is the catalogue's, and every name they add is not, nor twice a site's (a
    detection and the info metric name a site's list by it): else DetectionConfigError."""
    _check_names("recognizers", settings.recognizers, {entry.name for entry in RECOGNIZERS})
    _check_names("vetoes", settings.vetoes, {entry.name for entry in VETOES})
    _check_names("passes", settings.passes, {entry.name for entry in PASSES})
    for name, veto in settings.vetoes.items():
        if isinstance(veto, AllowListSetting) and name in settings.recognizers:
            raise DetectionConfigError(
                ("vetoes", name), f"{name!r} names a recognizer too", "give the list a name of its own"
            )


def _check_names(table: str, settings: Mapping[str, object], known: set[str]) -> None:
    to_add = {"recognizers": "kind = 'words', 'regex' or 'roster'", "vetoes": "kind = 'allow'"}.get(table)
    for name, setting in settings.items():
        kind = getattr(setting, "kind", None)
        if kind is None and name not in known:
            adding = f", or give {to_add} to add one of the site's own" if to_add else ""
            raise DetectionConfigError(
                (table, name), f"unknown {table[:-1]} name {name!r}", f"use a name `deidstream catalogue` lists{adding}"
            )
        if kind is not None and name in known:
            raise DetectionConfigError(
                (table, name), f"{name!r} is a catalogue {table[:-1]}'s name", "give the site's own another name"
            )


def _tuned(entry: RecognizerEntry, change: RecognizerChange, parts: Parts) -> EntityRecognizer:
    built = entry.build(parts, Tuning(change.type, change.score))
    if change.type is not None and len(built.supported_entities) > 1:
        raise DetectionConfigError(
            ("recognizers", entry.name, "type"),
            f"{entry.name} proposes several types ({', '.join(sorted(built.supported_entities))})",
            "leave its type, or turn it off and add a site recognizer of the type",
        )
    return built


def _site_recognizer(
    name: str, setting: WordListSetting | PatternSetting | RosterSetting, parts: Parts, lists: SiteLists
) -> EntityRecognizer:
    if isinstance(setting, WordListSetting):
        return SiteWordListRecognizer(name, lists.terms[name], setting.type, setting.score, parts.language)
    if isinstance(setting, RosterSetting):
        people = lists.people[name]
        return RosterRecognizer(name, people, parts.vocabulary, setting.type, setting.score, parts.language)
    checks = {"luhn": luhn, "mod11": mod11, "length": length(setting.lengths), None: None}
    return SitePatternRecognizer(
        name, setting.pattern, setting.type, setting.score, setting.context, checks[setting.validator], parts.language
    )


@dataclass(frozen=True)
class Row:
    """One line of `deidstream catalogue`: what runs, in the engine's order, and what the settings made of it."""

    stage: str
    name: str
    state: str
    summary: str


def rows(settings: EngineSettings) -> list[Row]:
    """The catalogue as the settings configure it, without building anything or reading a site list."""
    check_names(settings)
    listed: list[Row] = []
    for entry in RECOGNIZERS:
        change = settings.recognizers.get(entry.name)
        listed.append(Row("recognizer", entry.name, _state(change), entry.summary))
    for name, setting in settings.recognizers.items():
        if not isinstance(setting, RecognizerChange):
            where = setting.pattern if isinstance(setting, PatternSetting) else str(setting.file)
            state = "site" if setting.enabled else "off"
            listed.append(Row("recognizer", name, state, f"{setting.kind} as {setting.type}: {where}"))
    for name, veto in settings.vetoes.items():
        if isinstance(veto, AllowListSetting):
            listed.append(Row("veto", name, "site" if veto.enabled else "off", f"allow list: {veto.file}"))
    for veto_entry in VETOES:
        listed.append(Row("veto", veto_entry.name, _state(settings.vetoes.get(veto_entry.name)), veto_entry.summary))
    for pass_entry in PASSES:
        state = _state(settings.passes.get(pass_entry.name))
        listed.append(Row(f"pass {pass_entry.stage}", pass_entry.name, state, pass_entry.summary))
    return listed


def _state(change: object) -> str:
    if change is None:
        return "on"
    if not getattr(change, "enabled", True):
        return "off"
    if isinstance(change, RecognizerChange):
        changed = [f"type {change.type}" if change.type else "", f"score {change.score}" if change.score else ""]
        return ", ".join(part for part in changed if part) or "on"
    return "on"
