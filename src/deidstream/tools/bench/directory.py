"""The patient directory at scale: a generated registry of N patients loaded, then read by a worker process.

Issue 24's target: a directory of 1,000,000 patients is read at start in at most
60 s and takes at most 300 MB per worker process. Measured in one run on an
embedded broker:

1. a registry export of N generated patients (census names, nicknames, a relative,
   record number, phone, e-mail, street, town, birth date) is written as CSV and
   loaded with `deidstream directory load`, as a hospital would bootstrap;
2. a freshly spawned interpreter opens the directory as a worker process does and
   reads the topic to its end: the time, and its resident memory before and after
   (the SQLite file is on disk, its page cache in the kernel's); then the cost of
   one message's look-up (key token, store read, decryption) and of seeding a note
   with the entry (the patterns, compiled per entry, and the search);
3. `deidstream run --processes P` with the directory: the time to `/readyz`, and each
   worker process's resident memory, model included.
"""

from __future__ import annotations

import csv
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]  # re-exported untyped

from deidstream.census import census_first_names, census_surnames
from deidstream.tools.bench.end_to_end import BenchFailed
from deidstream.tools.bench.isolated import Ready, run_isolated
from deidstream.tools.bench.procinfo import child_pids, peak_rss_mb, rss_mb
from deidstream.tools.embedded_broker import EmbeddedBroker, free_port

TOPIC = "patient-directory"
SECRET = "the directory benchmark's secret, 32 bytes or more"
SAMPLE_KEYS = 2_000
READY_TIMEOUT_S = 600.0
READ_IN = re.compile(r"directory topic \S+ read to its end in ([0-9.]+) s")  # the worker's log line
TOWNS = ("Saltmarsh", "Brockmere", "Halverton", "Quarrybank", "Farringdale", "Lantern Hill", "Westcombe", "Ashby")
STREETS = ("Wicket Lane", "Mill Road", "Harbour Street", "Orchard Way", "Station Road", "Quarry Close")
# A note that names its patient by nickname and family name in lower case, and its relative.
NOTE = (
    "nursing note 0700-1900. {nick} {family} seen in clinic today for her cough, afebrile overnight. "
    "{relative} drove her in and waited outside; updated on plan of care. lungs clear, sats 96% on room air. "
    "{nick} says the cough is better at night. plan: continue inhaler, follow up in two weeks.\n"
)


@dataclass
class DirectoryBench:
    patients: int
    partitions: int
    processes: int
    figures: dict[str, Any] = field(default_factory=dict)

    def table(self) -> str:
        f = self.figures
        rows = [
            ("patients in the directory", f"{f['patients']:,}"),
            ("registry export written (CSV)", f"{f['export_mb']:.0f} MB"),
            ("`deidstream directory load` of the export", f"{f['load_command_s']:.1f} s"),
            ("topic records, partitions", f"{f['records']:,}, {self.partitions}"),
            ("a process reads the topic to its end", f"{f['read_s']:.1f} s (target <= 60)"),
            ("its RSS before / after / peak", f"{f['rss_before_mb']} / {f['rss_after_mb']} / {f['peak_rss_mb']} MB"),
            ("its RSS taken by the directory", f"{f['rss_growth_mb']:.1f} MB (target <= 300)"),
            ("SQLite file of the copy (on disk)", f"{f['store_mb']:.0f} MB"),
            ("look-up of one patient (token, read, decrypt)", f"{f['lookup_us']:.0f} us"),
            ("seeding one note with the entry (compile + search)", f"{f['seed_us']:.0f} us"),
            ("seeding the same patient's next note (cached)", f"{f['seed_cached_us']:.0f} us"),
            (f"`deidstream run --processes {self.processes}` ready", f"{f['worker_ready_s']:.1f} s"),
            ("each of its processes read the topic in", " / ".join(f"{s:.1f} s" for s in f["worker_read_s"])),
            ("RSS per worker process, model included", " / ".join(f"{mb} MB" for mb in f["worker_rss_mb"])),
            ("peak RSS per worker process", " / ".join(f"{mb} MB" for mb in f["worker_peak_rss_mb"])),
        ]
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def run_directory_bench(
    patients: int, partitions: int, processes: int, seed: int, progress: Callable[[str], None]
) -> DirectoryBench:
    bench = DirectoryBench(patients, partitions, processes)
    with EmbeddedBroker() as broker, tempfile.TemporaryDirectory(prefix="deidstream-directory-bench-") as scratch:
        admin = AdminClient({"bootstrap.servers": broker.bootstrap_servers})
        created = admin.create_topics([NewTopic(TOPIC, partitions, config={"cleanup.policy": "compact"})])
        created[TOPIC].result(timeout=30)
        broker.create_topics(["raw", "clean", "quarantine"])
        export = Path(scratch) / "registry.csv"
        progress(f"writing a registry export of {patients:,} generated patients")
        sample = write_registry(export, patients, seed)
        bench.figures["export_mb"] = export.stat().st_size / 1e6
        config = Path(scratch) / "deidstream.toml"
        config.write_text(
            f'bootstrap_servers = "{broker.bootstrap_servers}"\n[directory]\ntopic = "{TOPIC}"\n'
            f'state_dir = "{scratch}"\ncached_patients = 0\n',
            encoding="utf-8",
        )
        env = {**os.environ, "DEIDSTREAM_SECRET": SECRET}
        progress("deidstream directory load")
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "deidstream", "directory", "load", str(export), "--config", str(config)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        bench.figures["load_command_s"] = time.monotonic() - started
        progress("a fresh process reads the directory")
        copy, _ = run_isolated(measure_copy, str(config), SECRET, sample)
        bench.figures.update(copy)
        progress(f"deidstream run --processes {processes}")
        bench.figures.update(measure_worker(config, processes, env, Path(scratch) / "worker.log"))
    return bench


def write_registry(path: Path, count: int, seed: int) -> list[tuple[str, str, str, str]]:
    """A CSV export of `count` invented patients; a sample of (patient key, nickname, family, relative) for notes."""
    rng = random.Random(seed)
    firsts = sorted(census_first_names())
    families = sorted(census_surnames())[:20_000]
    sample: list[tuple[str, str, str, str]] = []
    keep = set(rng.sample(range(count), min(SAMPLE_KEYS, count)))
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            ["patient_key", "given", "family", "nicknames", "contacts", "mrn", "phones", "emails", "street", "town",
             "birth_date"]
        )  # fmt: skip
        for number in range(count):
            given, nick, relative = rng.choice(firsts), rng.choice(firsts), rng.choice(firsts)
            family = rng.choice(families)
            key = f"MRN{number:08d}"
            writer.writerow([
                key, given.title(), family.title(), nick.title(), f"{relative.title()} {family.title()}",
                f"{key};{rng.randrange(10**6, 10**7)}",
                f"{rng.randrange(200, 999)}-555-{rng.randrange(10**4):04d}",
                f"{given}.{family}{number % 97}@example.org",
                f"{rng.randrange(1, 400)} {rng.choice(STREETS)}", rng.choice(TOWNS),
                f"{rng.randrange(1925, 2020)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            ])  # fmt: skip
            if number in keep:
                sample.append((key, nick, family, relative))
    return sample


def measure_copy(config: str, secret: str, sample: list[tuple[str, str, str, str]], ready: Ready) -> dict[str, Any]:
    """In a fresh interpreter: a worker process's copy of the directory read to its end, then looked up."""
    from deidstream.anonymization.secret import Secret
    from deidstream.config import load_settings
    from deidstream.directory.local import LocalDirectory

    settings = load_settings(Path(config))
    rss_before = rss_mb()
    directory = LocalDirectory(settings, Secret(secret.encode()))
    started = time.monotonic()
    directory.load(lambda: False)
    read_s = time.monotonic() - started
    rss_after, peak = rss_mb(), peak_rss_mb()
    ready()
    follower, store = directory._follower, directory._store  # noqa: SLF001 - figures of the benchmark's own copy
    figures = {
        "patients": len(store),
        "records": follower.records_read,
        "read_s": read_s,
        "rss_before_mb": rss_before,
        "rss_after_mb": rss_after,
        "peak_rss_mb": peak,
        "rss_growth_mb": (peak or 0) - (rss_before or 0),
        "store_mb": store.file_bytes() / 1e6,
    }
    keys = [key.encode() for key, _, _, _ in sample]
    started = time.perf_counter()
    entries = [directory.lookup(key) for key in keys]
    figures["lookup_us"] = (time.perf_counter() - started) / len(keys) * 1e6
    assert all(entry is not None for entry in entries), "every sampled patient is in the directory"
    figures.update(_seeding_cost(entries, sample))
    directory.close()
    return figures


def _seeding_cost(entries: list[Any], sample: list[tuple[str, str, str, str]]) -> dict[str, float]:
    """Per note: the entry's patterns compiled and searched, then searched again (the next note of the patient)."""
    from deidstream.detection.engine import load_spacy_model
    from deidstream.detection.lexicons.vocabulary import Vocabulary
    from deidstream.detection.settings import EngineSettings

    everyday = Vocabulary(load_spacy_model(EngineSettings().model)).is_everyday_word
    notes = [
        NOTE.format(nick=nick.lower(), family=family.lower(), relative=relative.lower())
        for _, nick, family, relative in sample
    ]
    started = time.perf_counter()
    found = [entry.find(note, everyday) for entry, note in zip(entries, notes, strict=True)]
    first = (time.perf_counter() - started) / len(notes) * 1e6
    started = time.perf_counter()
    for entry, note in zip(entries, notes, strict=True):
        entry.find(note, everyday)
    again = (time.perf_counter() - started) / len(notes) * 1e6
    return {
        "seed_us": first,
        "seed_cached_us": again,
        "note_chars": sum(map(len, notes)) / len(notes),
        "seeds_per_note": sum(map(len, found)) / len(found),
    }


def measure_worker(config: Path, processes: int, env: dict[str, str], log_path: Path) -> dict[str, Any]:
    """`deidstream run` with the directory: seconds to ready, and each worker process's RSS once ready."""
    port = free_port()
    command = [
        sys.executable, "-m", "deidstream", "run", "--config", str(config), "--processes", str(processes),
        "--input-topic", "raw", "--metrics-port", str(port), "--quiet",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        started = time.monotonic()
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            ready_s = _wait_ready(port, process, started, log_path)
            workers = child_pids(process.pid)
            return {
                "worker_ready_s": ready_s,
                "worker_read_s": [
                    float(seconds) for seconds in READ_IN.findall(log_path.read_text("utf-8", "replace"))
                ],
                "worker_rss_mb": [rss_mb(pid) for pid in workers],
                "worker_peak_rss_mb": [peak_rss_mb(pid) for pid in workers],
                "supervisor_rss_mb": rss_mb(process.pid),
            }
        finally:
            process.terminate()
            process.wait(timeout=120)


def _wait_ready(port: int, process: subprocess.Popen[bytes], started: float, log_path: Path) -> float:
    import urllib.error
    import urllib.request

    while time.monotonic() - started < READY_TIMEOUT_S:
        if process.poll() is not None:
            tail = "\n".join(log_path.read_text("utf-8", "replace").splitlines()[-20:])
            raise BenchFailed(f"deidstream run exited with code {process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
                if response.status == 200:  # noqa: PLR2004
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise BenchFailed(f"deidstream run was not ready within {READY_TIMEOUT_S:.0f} s")
