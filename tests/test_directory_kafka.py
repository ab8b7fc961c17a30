"""The patient directory end to end: `deidstream run` and `deidstream directory` on the embedded broker.

Registrations (ADT^A08 on an HL7 v2 topic, a FHIR Patient) go to their topics, then
notes of the same patients (plain text naming its patient in a header, a
DocumentReference with a Base64 note) that write their names in lower case and by
nicknames the engine alone misses (tests/test_directory.py shows the misses on the
same notes without the directory). Each is replaced with the surrogate of its field.
Then the workers restart and rebuild the directory from the topic, and `directory
forget` erases a patient in both worker processes. Tansu keeps the topic's
`cleanup.policy = compact` but never compacts (memory storage): the tombstone is
what the workers see, the earlier records stay on Tansu's topic.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

import hl7
import pytest
from confluent_kafka import Message, Producer

from conftest import Topics, WorkerProcess, header
from deidstream.anonymization.secret import Secret
from deidstream.config import load_settings
from deidstream.directory.codec import DirectoryCodec
from deidstream.directory.local import LocalDirectory
from deidstream.formats.seeds import KnownIdentifiers
from deidstream.stream.pipeline import HEADER_QUARANTINE_DETAIL, HEADER_QUARANTINE_REASON, HEADER_SOURCE_TOPIC
from deidstream.tools.embedded_broker import EmbeddedBroker
from deidstream.tools.topic_tail import TopicTail
from test_directory import ADT, DOCUMENT_B, FHIR_PATIENT, NOTE_A, NOTE_B

pytestmark = pytest.mark.integration

SECRET = "the directory end-to-end tests' secret"
READY_TIMEOUT_S = 120.0
COLLECT_TIMEOUT_S = 90.0
CORRUPT_KEY = b"0" * 32  # the key of a record put on the directory topic that no worker can read
FOLLOW_S = 2.0  # a directory record reaches the other worker processes well within this (fetch wait 0.1 s, a batch)


class DirectoryTopics:
    """Topics of one test: notes (`raw`), registrations, documents, and the compacted directory (a new one, or that
    of other topics: the directory outlives the input topics and groups of a worker)."""

    def __init__(self, broker: EmbeddedBroker, directory: str | None = None) -> None:
        self.base = Topics(broker, raw_partitions=2)
        suffix = uuid.uuid4().hex[:8]
        self.adt, self.patients, self.documents = f"adt-{suffix}", f"patients-{suffix}", f"documents-{suffix}"
        self.directory = directory or f"directory-{suffix}"
        broker.create_topics([self.adt, self.patients, self.documents], partitions=2)
        if directory is None:
            broker.create_topics([self.directory], partitions=2, config={"cleanup.policy": "compact"})
        self.broker = broker
        self._tail: TopicTail | None = None

    def collect(self, **expected: int) -> dict[bytes, list[Message]]:
        """Records of clean and quarantine (one reader for the whole test), by key, until each expected key (a
        keyword: `note_a=2` is key `note-a`; `corrupt` is the corrupt directory record's) has come that many times."""
        if self._tail is None:
            self._tail = TopicTail(self.broker.bootstrap_servers, [self.base.clean, self.base.quarantine])
        wanted = {
            CORRUPT_KEY if name == "corrupt" else name.replace("_", "-").encode(): n for name, n in expected.items()
        }
        found: dict[bytes, list[Message]] = {}
        deadline = time.monotonic() + COLLECT_TIMEOUT_S
        while any(len(found.get(key, [])) < count for key, count in wanted.items()):
            assert time.monotonic() < deadline, f"wanted {wanted}, got { {k: len(v) for k, v in found.items()} }"
            for record in self._tail.poll(0.5):
                found.setdefault(record.key() or b"", []).append(record)
        return found

    def close(self) -> None:
        if self._tail is not None:
            self._tail.close()

    @property
    def inputs(self) -> list[str]:
        return [self.base.raw, self.adt, self.patients, self.documents]

    def config(self, path: Path, directory: bool = True) -> Path:
        """The topics' settings; without `directory`, the same topics and keys with no patient directory."""
        source = "true" if directory else "false"
        table = f'[directory]\ntopic = "{self.directory}"' if directory else ""
        path.write_text(
            f"""policy = "research"
{table}
[formats."{self.adt}"]
format = "hl7v2"
directory_source = {source}
patient_key = {{ source = "json_path", name = "PID-3.1" }}
[formats."{self.patients}"]
format = "fhir"
directory_source = {source}
patient_key = {{ source = "json_path", name = "Patient.identifier[0].value" }}
[formats."{self.base.raw}"]
patient_key = {{ source = "header", name = "patient-id" }}
[formats."{self.documents}"]
format = "fhir"
patient_key = {{ source = "json_path", name = "DocumentReference.subject.identifier.value" }}
""",
            encoding="utf-8",
        )
        return path

    def produce(self, topic: str, value: bytes | None, key: bytes | None = None, **options: object) -> None:
        producer = Producer({"bootstrap.servers": self.broker.bootstrap_servers, "linger.ms": 0})
        producer.produce(topic, key=key, value=value, **options)  # type: ignore[arg-type]
        assert producer.flush(10) == 0

    def notes(self, partitions: tuple[int, ...] = (0,)) -> None:
        """The text note of patient A on each given partition, and the document of patient B."""
        for partition in partitions:
            self.produce(
                self.base.raw, NOTE_A.encode(), b"note-a", headers=[("patient-id", b"MRN3302911")], partition=partition
            )
        self.produce(self.documents, DOCUMENT_B, b"document-b")


def wait_ready(worker: WorkerProcess) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        assert worker.process.poll() is None, worker.log_text()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{worker.metrics_port}/readyz", timeout=1) as response:
                if response.status == 200:  # noqa: PLR2004
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"not ready in {READY_TIMEOUT_S:.0f} s; log:\n{worker.log_text()}")


def wait_for(condition: Callable[[], bool], timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def metric(worker: WorkerProcess, name: str) -> float | None:
    with urllib.request.urlopen(f"http://127.0.0.1:{worker.metrics_port}/metrics", timeout=5) as response:
        lines = response.read().decode().splitlines()
    values = [float(line.rsplit(" ", 1)[1]) for line in lines if line.split("{")[0].split(" ")[0] == name]
    return max(values) if values else None


def document_text(record: Message) -> str:
    return base64.b64decode(json.loads(record.value())["content"][0]["attachment"]["data"]).decode()


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers' secret, in the environment the commands and worker processes inherit."""
    monkeypatch.setenv("DEIDSTREAM_SECRET", SECRET)
    monkeypatch.delenv("DEIDSTREAM_SECRET_FILE", raising=False)


@pytest.mark.usefixtures("secret")
def test_registrations_seed_later_notes_across_restart_and_erasure(
    broker: EmbeddedBroker, start_worker, tmp_path: Path
) -> None:
    topics = DirectoryTopics(broker)
    config = topics.config(tmp_path / "directory.toml")
    codec = DirectoryCodec(Secret(SECRET.encode()))
    # A record no worker can read, already on the directory topic: each process quarantines it, with the reason.
    topics.produce(topics.directory, b"not a directory entry", CORRUPT_KEY, headers=codec.headers())

    worker = start_worker(topics.base, processes=2, config=config, input_topics=topics.inputs)
    wait_ready(worker)
    topics.produce(topics.adt, ADT, b"adt")
    topics.produce(topics.patients, FHIR_PATIENT, b"patient")
    registrations = topics.collect(corrupt=2, adt=1, patient=1)
    rejected = registrations[CORRUPT_KEY]
    assert len(rejected) == 2 and {record.topic() for record in rejected} == {topics.base.quarantine}
    for record in rejected:
        assert header(record, HEADER_QUARANTINE_REASON) == "directory_corrupt"
        assert header(record, HEADER_SOURCE_TOPIC) == topics.directory and header(record, HEADER_QUARANTINE_DETAIL)
    adt, patient = registrations[b"adt"][0], registrations[b"patient"][0]
    assert adt.topic() == topics.base.clean and patient.topic() == topics.base.clean

    pid = hl7.parse(adt.value().decode().strip()).segment("PID")
    family, nickname = str(pid[5][0][0]).lower(), str(pid[5][1][1]).lower()
    kin = str(hl7.parse(adt.value().decode().strip()).segment("NK1")[2][0][1]).lower()
    fields = json.loads(patient.value())
    b_family, b_nickname = fields["name"][0]["family"].lower(), fields["name"][1]["given"][0].lower()
    b_contact = fields["contact"][0]["name"]["given"][0].lower()
    note_a = NOTE_A.replace("izzy", nickname).replace("morwenna", family).replace("caspian", kin)
    note_b = NOTE_B.replace("tolly", b_nickname).replace("quenby", b_family).replace("orla", b_contact)

    # Notes come later than their registration: here, once every worker process has read it from the directory.
    wait_for(lambda: metric(worker, "deidstream_directory_updates_total") == 2)  # noqa: PLR2004
    time.sleep(FOLLOW_S)
    topics.notes(partitions=(0, 1))
    notes = topics.collect(note_a=2, document_b=1)
    assert [record.value().decode() for record in notes[b"note-a"]] == [note_a, note_a], "in both worker processes"
    assert document_text(notes[b"document-b"][0]) == note_b
    assert metric(worker, "deidstream_directory_patients") == 2  # noqa: PLR2004
    assert (metric(worker, "deidstream_directory_seeds_total") or 0) > 0
    assert worker.terminate() == 0

    topics.close()

    # Restarted: the same directory topic, read anew. (Input topics and group of their own: Tansu sometimes never
    # assigns a group's partitions to processes that join it again seconds after all its members left, directory
    # or not.)
    topics = DirectoryTopics(broker, directory=topics.directory)
    config = topics.config(tmp_path / "restarted.toml")
    restarted = start_worker(topics.base, processes=2, config=config, input_topics=topics.inputs)
    wait_ready(restarted)
    assert metric(restarted, "deidstream_directory_patients") == 2, "rebuilt from the topic"  # noqa: PLR2004
    topics.notes()
    after_restart = topics.collect(corrupt=2, note_a=1, document_b=1)
    assert len(after_restart[CORRUPT_KEY]) == 2, "each process that reads the corrupt record quarantines it"  # noqa: PLR2004
    assert after_restart[b"note-a"][0].value().decode() == note_a
    assert document_text(after_restart[b"document-b"][0]) == note_b

    forgotten_at = time.monotonic()
    forget = subprocess.run(
        [sys.executable, "-m", "deidstream", "directory", "forget", "MRN3302911", "--config", str(config),
         "--bootstrap-servers", broker.bootstrap_servers],
        capture_output=True, text=True, timeout=60, env=os.environ,
    )  # fmt: skip
    assert forget.returncode == 0, forget.stderr
    acknowledged_at = time.monotonic()
    assert codec.record_key(b"MRN3302911").decode() in forget.stdout and "MRN3302911" not in forget.stdout
    while metric(restarted, "deidstream_directory_patients") != 1:  # the largest count over both processes
        assert time.monotonic() - forgotten_at < 30, "forget reaches every worker process within seconds"  # noqa: PLR2004
        time.sleep(0.2)
    print(
        f"forget: the command took {acknowledged_at - forgotten_at:.1f} s, and both worker processes had dropped "
        f"the patient {time.monotonic() - acknowledged_at:.1f} s after the tombstone was acknowledged"
    )
    topics.notes(partitions=(0, 1))
    after_forget = topics.collect(note_a=2, document_b=1)
    assert [record.value().decode() for record in after_forget[b"note-a"]] == [NOTE_A, NOTE_A], "forgotten"
    assert document_text(after_forget[b"document-b"][0]) == note_b
    assert restarted.terminate() == 0
    topics.close()
    for log in (worker.log_text(), restarted.log_text()):
        assert not [name for name in ("izzy", "morwenna", "MORWENNA", "tolly", "Quenby", "MRN3302911") if name in log]


@pytest.mark.usefixtures("secret")
def test_without_the_directory_the_same_notes_keep_the_names_the_engine_misses(
    broker: EmbeddedBroker, start_worker, tmp_path: Path
) -> None:
    topics = DirectoryTopics(broker)
    config = topics.config(tmp_path / "no-directory.toml", directory=False)
    worker = start_worker(topics.base, processes=1, config=config, input_topics=topics.inputs)
    wait_ready(worker)
    topics.produce(topics.adt, ADT, b"adt")
    topics.produce(topics.patients, FHIR_PATIENT, b"patient")
    topics.collect(adt=1, patient=1)
    topics.notes()
    notes = topics.collect(note_a=1, document_b=1)
    assert notes[b"note-a"][0].value().decode() == NOTE_A, "izzy, morwenna and caspian stay"
    assert document_text(notes[b"document-b"][0]) == NOTE_B, "tolly, quenby and orla stay"
    assert worker.terminate() == 0
    topics.close()


def run_briefly(config: Path, broker: EmbeddedBroker, secret: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deidstream", "run", "--config", str(config), "--bootstrap-servers",
         broker.bootstrap_servers, "--processes", "1", "--quiet"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "DEIDSTREAM_SECRET": secret},
    )  # fmt: skip


def test_a_missing_uncompacted_or_unreadable_directory_stops_start_up(broker: EmbeddedBroker, tmp_path: Path) -> None:
    topics = DirectoryTopics(broker)
    config = topics.config(tmp_path / "directory.toml")
    missing = config.read_text().replace(topics.directory, f"{topics.directory}-missing")
    (tmp_path / "missing.toml").write_text(missing, encoding="utf-8")
    result = run_briefly(tmp_path / "missing.toml", broker, SECRET)
    assert result.returncode == 1 and "does not exist" in result.stderr and "directory create" in result.stderr

    plain = f"{topics.directory}-plain"
    broker.create_topics([plain], config={"cleanup.policy": "delete"})
    (tmp_path / "plain.toml").write_text(config.read_text().replace(topics.directory, plain), encoding="utf-8")
    result = run_briefly(tmp_path / "plain.toml", broker, SECRET)
    assert result.returncode == 1 and "cleanup.policy=delete" in result.stderr

    codec = DirectoryCodec(Secret(SECRET.encode()))
    key = codec.record_key(b"MRN3302911")
    entry = KnownIdentifiers()
    entry.add_name(["Isolde"], ["Morwenna"])
    topics.produce(topics.directory, codec.encrypt(key, entry), key, headers=codec.headers())
    other = "another secret than the directory's"
    result = run_briefly(config, broker, other)
    assert result.returncode == 1 and "cannot be read with this secret" in result.stderr
    assert codec.key_id in result.stderr and Secret(other.encode()).key_id in result.stderr


@pytest.mark.usefixtures("secret")
def test_load_forget_and_stats_from_the_command_line(broker: EmbeddedBroker, tmp_path: Path) -> None:
    topics = DirectoryTopics(broker)
    config = topics.config(tmp_path / "directory.toml")
    export = tmp_path / "registry.csv"
    export.write_text(
        "patient_key,given,family,nicknames,phones,birth_date\n"
        "MRN1,Isolde,Morwenna,Izzy,207-555-0166,1980-07-14\n"
        "MRN2,Ottoline,Quenby,Tolly,,1961-02-03\n"
        "MRN1,Isolde,Morwenna,,207-555-0199,\n"
        ",No,Key,,,\n",
        encoding="utf-8",
    )

    def directory(*arguments: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "deidstream", "directory", *arguments, "--config", str(config),
                   "--bootstrap-servers", broker.bootstrap_servers]  # fmt: skip
        return subprocess.run(command, capture_output=True, text=True, timeout=60, env=os.environ)

    loaded = directory("load", str(export))
    assert loaded.returncode == 1, "a row was left out"
    assert "4 rows: 3 patients written" in loaded.stdout and "line 5: no patient_key" in loaded.stderr
    stats = directory("stats", "--identifiers")
    assert stats.returncode == 0, stats.stderr
    assert "records: 3" in stats.stdout and "patients: 2" in stats.stdout
    assert "PHONE_NUMBER: 2 in 1 patients" in stats.stdout and "BIRTH_DATE: 2 in 2 patients" in stats.stdout
    assert "Morwenna" not in stats.stdout + stats.stderr and "555" not in stats.stdout + stats.stderr
    assert directory("load", str(export)).stdout.startswith("4 rows: 0 patients written, 3 already known")
    assert directory("forget", "MRN2").returncode == 0
    after = directory("stats")
    assert "patients: 1" in after.stdout and "tombstones: 1" in after.stdout


def test_two_processes_registering_one_patient_at_once_both_keep_both_news(
    broker: EmbeddedBroker, tmp_path: Path
) -> None:
    """Each writes its own merge and the later record lacks the other's phone: followed, both copies keep both."""
    topics = DirectoryTopics(broker)
    settings = load_settings(topics.config(tmp_path / "directory.toml"), bootstrap_servers=broker.bootstrap_servers)
    secret = Secret(SECRET.encode())
    first, second = LocalDirectory(settings, secret), LocalDirectory(settings, secret)
    try:
        for directory in (first, second):
            directory.load(lambda: False)
        phones = [("PHONE_NUMBER", "207-555-0140"), ("PHONE_NUMBER", "207-555-0177")]
        records = [
            directory.record(b"MRN7", KnownIdentifiers(values=[phone]))
            for directory, phone in zip((first, second), phones, strict=True)
        ]
        for record in records:
            assert record is not None
            topics.produce(topics.directory, record.value, record.key, headers=record.headers)

        def both_know_both() -> bool:
            for directory in (first, second):
                directory.follow()
            return all(
                (known := directory.lookup(b"MRN7")) is not None and set(phones) <= set(known.values)
                for directory in (first, second)
            )

        wait_for(both_know_both, timeout_s=FOLLOW_S * 10)
    finally:
        first.close()
        second.close()
