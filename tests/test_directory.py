"""The patient directory without a broker: its records, its store, the feed, a registry export, and the pipeline.

The pipeline tests use the real engine with an in-memory directory (the codec and feed
the workers use, a dict for the topic), so they show what the directory adds to the
engine on the same notes: with it, the names the engine misses are replaced, with the
surrogates the registration's fields got; without it, they stay. Invented names only.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import hl7
import pytest
from pydantic import ValidationError

from deidstream.anonymization.secret import Secret
from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.directory.codec import DirectoryCodec, UnreadableRecord, key_id_of
from deidstream.directory.feed import DirectoryFeed
from deidstream.directory.registry import RegistryError, RegistryRow, RowProblem, read_registry
from deidstream.directory.store import DirectoryStore
from deidstream.formats.seeds import KnownIdentifiers
from deidstream.ops.health import HealthState
from deidstream.stream.patient_directory import DirectoryRecord
from deidstream.stream.pipeline import BatchProcessor
from deidstream.stream.records import OutputRecord, ProcessingFailure, SourceMessage
from deidstream.stream.topic_anonymizers import TopicAnonymizers

SECRET = Secret(b"the directory unit tests' secret, long enough")
OTHER_SECRET = Secret(b"another secret altogether, long enough too")

ADT = (
    b"MSH|^~\\&|ADT|NFH|EHR|NFH|20230615141000||ADT^A08^ADT_A01|ADT99120|P|2.5\r"
    b"EVN|A08|20230615141000\r"
    b"PID|1||MRN3302911^^^NFH^MR||MORWENNA^ISOLDE^^^MRS~^IZZY^^^^^N||19800714|F|||12 Wicket Lane^^Saltmarsh^ME^04011"
    b"||207-555-0166^^^izzy.m@example.org\r"
    b"NK1|1|MORWENNA^CASPIAN|SPO^Spouse^HL70063\r"
    b"PV1|1|O|CLINIC2^^^NFH||||7781^TREVANION^ELSPETH^^^DR\r"
)
FHIR_PATIENT = json.dumps(
    {
        "resourceType": "Patient",
        "identifier": [{"system": "urn:mrn", "value": "MRN7730412"}],
        "name": [
            {"use": "official", "family": "Quenby", "given": ["Ottoline"]},
            {"use": "nickname", "given": ["Tolly"]},
        ],
        "contact": [{"name": {"family": "Quenby", "given": ["Orla"]}}],
        "birthDate": "1961-02-03",
    }
).encode()
NOTE_A = "izzy morwenna seen in clinic today for her cough. caspian drove her in and waited outside. izzy is better."
NOTE_B = "inhaler refill for tolly quenby sent to the pharmacy. orla will pick it up on friday. tolly knows to call."
DOCUMENT_B = json.dumps(
    {
        "resourceType": "DocumentReference",
        "status": "current",
        "subject": {"identifier": {"value": "MRN7730412"}},
        "content": [{"attachment": {"contentType": "text/plain", "data": base64.b64encode(NOTE_B.encode()).decode()}}],
    }
).encode()
FORMATS = {
    "adt": {"format": "hl7v2", "directory_source": True, "patient_key": {"source": "json_path", "name": "PID-3.1"}},
    "patients": {
        "format": "fhir",
        "directory_source": True,
        "patient_key": {"source": "json_path", "name": "Patient.identifier[0].value"},
    },
    "notes": {"patient_key": {"source": "header", "name": "patient-id"}},
    "documents": {
        "format": "fhir",
        "patient_key": {"source": "json_path", "name": "DocumentReference.subject.identifier.value"},
    },
}


class InMemoryDirectory:
    """A `PatientDirectory` whose topic is a dict: the codec and feed the workers use, no Kafka."""

    topic = "directory"

    def __init__(self, secret: Secret = SECRET) -> None:
        self.codec = DirectoryCodec(secret)
        self._feed = DirectoryFeed(self.codec)
        self.records: dict[bytes, bytes] = {}

    def load(self, should_stop: Callable[[], bool]) -> None: ...

    def follow(self) -> None: ...

    def close(self) -> None: ...

    def lookup(self, patient_key: bytes) -> KnownIdentifiers | None:
        key = self.codec.record_key(patient_key)
        return self.codec.decrypt(key, self.records[key]) if key in self.records else None

    def record(self, patient_key: bytes, known: KnownIdentifiers) -> DirectoryRecord | None:
        key = self.codec.record_key(patient_key)
        update = self._feed.update(key, self.lookup(patient_key), known)
        if update is None:
            return None
        self.records[key] = update[1]
        return DirectoryRecord(key, update[1], self.codec.headers())


def processor(engine: Engine, directory: InMemoryDirectory | None, policy: str = "research") -> BatchProcessor:
    """The topics of FORMATS under `policy`; without a directory, none of them is a directory source."""
    formats = FORMATS if directory is not None else {
        topic: {name: value for name, value in table.items() if name != "directory_source"}
        for topic, table in FORMATS.items()
    }  # fmt: skip
    settings = Settings(
        input_topic=list(FORMATS),
        output_topic="clean",
        quarantine_topic="quarantine",
        policy=policy,
        formats=formats,
        directory={"topic": "directory"} if directory is not None else {},
    )
    return BatchProcessor(settings, engine, TopicAnonymizers(settings, SECRET), directory)


def message(
    topic: str, value: bytes, offset: int = 0, headers: list[tuple[str, bytes | None]] | None = None
) -> SourceMessage:
    return SourceMessage(topic, 0, offset, None, value, headers or [])


def note_messages() -> list[SourceMessage]:
    return [
        message("notes", NOTE_A.encode(), 2, [("patient-id", b"MRN3302911")]),
        message("documents", DOCUMENT_B, 3),
    ]


def document_text(record: OutputRecord) -> str:
    return base64.b64decode(json.loads(record.value or b"")["content"][0]["attachment"]["data"]).decode()


# Records


def test_a_record_is_keyed_by_a_token_and_holds_no_readable_identifier() -> None:
    codec = DirectoryCodec(SECRET)
    key = codec.record_key(b"MRN3302911")
    assert key == codec.record_key(b" MRN3302911 ") and len(key) == 32 and b"3302911" not in key
    assert key != DirectoryCodec(OTHER_SECRET).record_key(b"MRN3302911"), "keyed: another secret, another key"
    known = KnownIdentifiers()
    known.add_name(["Isolde"], ["Morwenna"])
    known.add_value("PHONE_NUMBER", "207-555-0166")
    value = codec.encrypt(key, known)
    assert b"Morwenna" not in value and b"0166" not in value
    assert codec.decrypt(key, value) == known


def test_a_record_under_another_secret_moved_or_altered_is_unreadable_with_a_reason() -> None:
    codec, other = DirectoryCodec(SECRET), DirectoryCodec(OTHER_SECRET)
    key = codec.record_key(b"P1")
    value = codec.encrypt(key, KnownIdentifiers(names=[(["Isolde"], ["Morwenna"])]))
    with pytest.raises(UnreadableRecord) as wrong_key:
        other.check(key, value, lambda: key_id_of(codec.headers()))
    assert wrong_key.value.reason == ProcessingFailure.DIRECTORY_WRONG_KEY and codec.key_id in wrong_key.value.detail
    for record_key, record_value in ((codec.record_key(b"P2"), value), (key, value[:-1] + bytes([value[-1] ^ 1]))):
        with pytest.raises(UnreadableRecord) as corrupt:
            codec.check(record_key, record_value, lambda: codec.key_id)
        assert corrupt.value.reason == ProcessingFailure.DIRECTORY_CORRUPT
        assert "Morwenna" not in str(corrupt.value)
    with pytest.raises(UnreadableRecord) as without_header:
        other.check(key, value)
    assert without_header.value.reason == ProcessingFailure.DIRECTORY_CORRUPT, "no key id to tell: corrupt"


def test_the_store_keeps_the_last_record_of_each_key_as_compaction_would(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    store.append([(b"a", b"1"), (b"b", b"1"), (b"a", b"2"), (b"c", b"1"), (b"c", None), (b"d", None), (b"d", b"1")])
    store.finish_load()
    assert len(store) == 3 and store.get(b"a") == b"2" and store.get(b"c") is None and store.get(b"d") == b"1"
    with store.changes():
        store.put(b"e", b"1")
        store.put(b"a", b"3")
        assert store.delete(b"b") and not store.delete(b"zz")
    assert len(store) == 3 and store.get(b"a") == b"3" and sorted(key for key, _ in store.items()) == [b"a", b"d", b"e"]
    assert store.file_bytes() > 0 and not list(tmp_path.iterdir()), "the copy's file has no name: nothing is left"
    store.close()


def test_the_feed_merges_and_writes_nothing_when_nothing_is_new() -> None:
    codec = DirectoryCodec(SECRET)
    feed = DirectoryFeed(codec)
    key = codec.record_key(b"P1")
    first = KnownIdentifiers()
    first.add_name(["Isolde"], ["Morwenna"])
    first.add_name(["Elspeth"], ["Trevanion"], staff=True)
    update = feed.update(key, None, first)
    assert update is not None
    merged, value = update
    assert merged.names == [(["Isolde"], ["Morwenna"])] and not merged.staff_names, "clinicians are not recorded"
    assert feed.update(key, merged, first) is None
    later = KnownIdentifiers()
    later.add_value("PHONE_NUMBER", "207-555-0199")
    again = feed.update(key, codec.decrypt(key, value), later)
    assert again is not None and again[0].names == merged.names and again[0].values == later.values


# Registry exports


def test_a_csv_export_with_named_columns_and_an_alias(tmp_path: Path) -> None:
    export = tmp_path / "registry.csv"
    export.write_text(
        "patient_key,given,family,nicknames,contacts,MedRec,phones,city,dob\n"
        "MRN1,Isolde Mae,Morwenna,Izzy;Izz,Caspian Morwenna,MRN0001,207-555-0166; 207-555-0177,Saltmarsh,1980-07-14\n"
        ",Nobody,Known,,,,,,\n"
        "MRN3,Ada,Pell,,,,,,14/07/1980\n",
        encoding="utf-8",
    )
    rows = list(read_registry(export, {"MedRec": "record_numbers"}))
    first = rows[0]
    assert isinstance(first, RegistryRow) and first.patient_key == b"MRN1"
    assert (["Isolde", "Mae"], ["Morwenna"]) in first.known.names and (["Izz"], []) in first.known.names
    assert (["Caspian"], ["Morwenna"]) in first.known.names
    assert ("ID", "MRN0001") in first.known.values and ("LOCATION", "Saltmarsh") in first.known.values
    assert ("PHONE_NUMBER", "207-555-0177") in first.known.values and first.known.dates == [(1980, 7, 14)]
    assert rows[1] == RowProblem(3, "no patient_key")
    assert isinstance(rows[2], RowProblem) and "birth_date" in rows[2].problem and "1980" not in rows[2].problem


def test_an_ndjson_export_and_an_unknown_column(tmp_path: Path) -> None:
    export = tmp_path / "registry.ndjson"
    export.write_text(
        '{"patient_key": "P1", "name": "Morwenna, Isolde", "emails": ["izzy.m@example.org"], "ssn": "999-60-2210"}\n'
        '{"patient_key": "P2", "name": "Ada Pell", "record_numbers": {"not": "text"}}\n',
        encoding="utf-8",
    )
    first, second = list(read_registry(export))
    assert isinstance(first, RegistryRow) and first.known.names == [(["Isolde"], ["Morwenna"])]
    assert ("US_SSN", "999-60-2210") in first.known.values
    assert isinstance(second, RowProblem) and "record_numbers" in second.problem
    export.write_text('{"patient_key": "P1", "surnmae": "Pell"}\n', encoding="utf-8")
    with pytest.raises(RegistryError, match="unknown column 'surnmae'"):
        list(read_registry(export))


# Settings


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"formats": {"adt": {"format": "hl7v2", "directory_source": True}}}, "no directory topic is set"),
        ({"formats": {"t": {"directory_source": True}}, "directory": {"topic": "d"}}, "directory_source needs"),
        ({"formats": {"j": {"format": "json", "text_paths": ["a"], "directory_source": True}}}, "directory_source"),
        ({"input_topic": ["raw", "d"], "directory": {"topic": "d"}}, "a topic of its own"),
    ],
)
def test_directory_settings_that_cannot_work_stop_start_up(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(**settings)


def test_the_start_up_checks_do_not_import_the_metrics_before_their_directory_is_set() -> None:
    """prometheus-client reads PROMETHEUS_MULTIPROC_DIR once, on import: `deidstream run` checks first, then sets it."""
    code = "import sys, deidstream.directory.preflight; print('prometheus_client' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_readiness_waits_for_every_worker_process_to_have_read_the_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)  # no worker has reported: none has read it
    state = HealthState()
    state.engine_loaded, state.workers_wanted = True, 2
    state.tick(2)
    assert state.readiness()["ok"]
    state.directory_wanted = True
    assert state.readiness()["reasons"] == ["patient directory read to its end by 0 of 2 worker processes"]


# The pipeline


def test_registrations_seed_later_notes_with_the_surrogates_of_their_fields(engine: Engine) -> None:
    directory = InMemoryDirectory()
    batch = processor(engine, directory)
    adt, patient = batch.process([message("adt", ADT, 0), message("patients", FHIR_PATIENT, 1)])
    records = batch.take_directory_records()
    assert [record.topic for record in records] == ["directory", "directory"]
    assert {record.key for record in records} == {
        directory.codec.record_key(b"MRN3302911"),
        directory.codec.record_key(b"MRN7730412"),
    }
    assert all(b"Morwenna" not in (record.value or b"") for record in records)
    entry = directory.lookup(b"MRN3302911")
    assert entry is not None and not any("TREVANION" in family for _, family in entry.names), "no clinician"

    note, document = batch.process(note_messages())
    pid = hl7.parse((adt.value or b"").decode().strip()).segment("PID")
    nk1 = hl7.parse((adt.value or b"").decode().strip()).segment("NK1")
    family, nickname = str(pid[5][0][0]), str(pid[5][1][1])
    kin = str(nk1[2][0][1])
    expected_a = NOTE_A.replace("izzy", nickname.lower()).replace("morwenna", family.lower())
    assert (note.value or b"").decode() == expected_a.replace("caspian", kin.lower())
    fields = json.loads(patient.value or b"")
    official, nick = fields["name"]
    orla = fields["contact"][0]["name"]["given"][0]
    expected_b = NOTE_B.replace("tolly", nick["given"][0].lower()).replace("quenby", official["family"].lower())
    assert document_text(document) == expected_b.replace("orla", orla.lower())


def test_without_the_directory_the_engine_alone_misses_those_names(engine: Engine) -> None:
    batch = processor(engine, None)
    batch.process([message("adt", ADT, 0), message("patients", FHIR_PATIENT, 1)])
    note, document = batch.process(note_messages())
    assert (note.value or b"").decode() == NOTE_A, "izzy, morwenna and caspian all stay"
    assert document_text(document) == NOTE_B


def test_a_note_before_its_registration_is_processed_as_without_a_directory(engine: Engine) -> None:
    directory = InMemoryDirectory()
    batch = processor(engine, directory)
    early = batch.process([note_messages()[0]])[0]
    assert early.topic == "clean" and (early.value or b"").decode() == NOTE_A
    registered, note = batch.process([message("adt", ADT, 0), note_messages()[0]])
    assert "izzy" not in (note.value or b"").decode(), "the same batch: the registration is applied first"


def test_a_registration_without_its_patient_key_is_not_recorded(engine: Engine) -> None:
    without_key = ADT.replace(b"MRN3302911^^^NFH^MR", b"")
    for policy, topic in (("safe-harbor", "clean"), ("research", "quarantine")):  # research shifts dates: needs it
        directory = InMemoryDirectory()
        batch = processor(engine, directory, policy)
        (record,) = batch.process([message("adt", without_key)])
        assert record.topic == topic and batch.take_directory_records() == [] and directory.records == {}
