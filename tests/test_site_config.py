"""A hospital's own detection knowledge, configured without code: word lists, rosters, identifier patterns with a
check digit, allow lists, and catalogue recognizers turned off or retyped; and the errors that stop start-up.

Every word here is invented (`Tamberley`, `Quorvik`, `Ostrander Pump`); no rule of the engine names them.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from confluent_kafka import Consumer, TopicPartition
from prometheus_client.parser import text_string_to_metric_families

from conftest import Topics
from deidstream.cli import main
from deidstream.config import setting_location
from deidstream.detection import recognizers, vetoes
from deidstream.detection.base.check_digits import length, luhn, mod11
from deidstream.detection.base.recognizers import Buildable, Parts
from deidstream.detection.catalogue import PASSES, RECOGNIZERS, VETOES, SiteLists, configure
from deidstream.detection.engine import Engine
from deidstream.detection.lexicons.site_lists import PhraseIndex, SiteListError, read_entries, read_roster
from deidstream.detection.lexicons.vocabulary import Vocabulary
from deidstream.detection.settings import EngineSettings
from deidstream.detection.vetoes.allow_list import AllowListVeto
from deidstream.entity import EntityType

# `4829158` passes the weighted modulus-11 check (weights 2..7 from the right: 135, check digit 8); `4829159` fails.
TEXTS = {
    "ward": "Patient transferred to Tamberley 4 overnight. Back to kestrel wing tomorrow.",
    "roster": "pain controlled. quorvik aware of plan, vantreese to follow up.",
    "mrn": "Filing code 4829158 per desk. Filing code 4829159 per desk.",
    "allow": "Ostrander Pump running at 20 ml/hr. Ostrander Pump alarmed twice.",
    "off": "See www.kestrelclinic.org for the leaflet.",
}
SITE_CONFIG = """
[engine.recognizers.WardNames]
kind = "words"
file = "lists/wards.txt"
type = "HOSPITAL"

[engine.recognizers.Clinicians]
kind = "roster"
file = "lists/roster.txt"

[engine.recognizers.HospitalMrn]
kind = "regex"
pattern = '\\b\\d{7}\\b'
type = "ID"
context = ["filing"]
validator = "mod11"

[engine.vetoes.DeviceNames]
kind = "allow"
file = "lists/allow.txt"

[engine.recognizers.WebAddressRecognizer]
enabled = false
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site config with its lists in a folder beside it, named by relative paths."""
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "wards.txt").write_text("# wards and buildings\nTamberley\nKestrel Wing\n", encoding="utf-8")
    (lists / "roster.txt").write_text("Adaeze Quorvik\nVantreese, Morwenna\n", encoding="utf-8")
    (lists / "allow.txt").write_text("Ostrander Pump\n", encoding="utf-8")
    config = tmp_path / "site.toml"
    config.write_text(SITE_CONFIG, encoding="utf-8")
    return config


def found(text: str, entities: list[dict[str, object]]) -> dict[str, set[tuple[object, object]]]:
    """Each detected text, with the types it was detected as and the recognizers that found it."""
    detected: dict[str, set[tuple[object, object]]] = {}
    for entity in entities:
        start, end = entity["start"], entity["end"]
        assert isinstance(start, int) and isinstance(end, int)
        detected.setdefault(text[start:end], set()).add((entity["type"], entity["recognizer"]))
    return detected


def analyze(config: Path | None, texts: dict[str, str]) -> dict[str, dict[str, set[tuple[object, object]]]]:
    lines = "".join(json.dumps({"id": key, "text": text}) + "\n" for key, text in texts.items())
    result = CliRunner().invoke(main, ["analyze", *(["--config", str(config)] if config else [])], input=lines)
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    return {answer["id"]: found(texts[answer["id"]], answer["entities"]) for answer in answers}


def test_a_site_config_adds_what_the_site_knows_through_analyze(site: Path, engine: Engine) -> None:
    default = {
        key: {e.start for e in entities}
        for key, entities in zip(TEXTS, engine.analyze_batch(list(TEXTS.values())), strict=True)
    }
    assert not default["roster"] and not default["mrn"], "without the site's lists nothing is found here"
    assert default["allow"] and default["off"], "and here the catalogue finds something"

    with_site = analyze(site, TEXTS)

    assert ("HOSPITAL", "WardNames") in with_site["ward"]["Tamberley"]
    assert with_site["ward"]["kestrel wing"] == {("HOSPITAL", "WardNames")}, "any case, as whole words"
    assert with_site["roster"] == {"quorvik": {("PERSON", "Clinicians")}, "vantreese": {("PERSON", "Clinicians")}}
    assert with_site["mrn"] == {"4829158": {("ID", "HospitalMrn")}}, "the number whose check fails is no candidate"
    assert with_site["allow"] == {}, "an allowed term is never flagged"
    assert with_site["off"] == {}, "a recognizer turned off finds nothing"


def test_a_catalogue_recognizer_takes_another_type_and_score(tmp_path: Path) -> None:
    config = tmp_path / "retype.toml"
    config.write_text('[engine.recognizers.RegionRecognizer]\ntype = "HOSPITAL"\nscore = 0.4\n', encoding="utf-8")
    text = "Her family lives on the North Shore and visits weekly."
    answers = analyze(config, {"a": text})
    assert answers["a"]["North Shore"] == {("LOCATION", "NerEntityRecognizer"), ("HOSPITAL", "RegionRecognizer")}
    result = CliRunner().invoke(main, ["analyze", "--config", str(config)], input=json.dumps({"id": 1, "text": text}))
    scores = {entity["recognizer"]: entity["score"] for entity in json.loads(result.stdout)["entities"]}
    assert scores["RegionRecognizer"] == 0.4


def test_the_catalogue_command_lists_the_sites_changes_and_additions(site: Path) -> None:
    result = CliRunner().invoke(main, ["catalogue", "--config", str(site)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[1]: line for line in result.output.splitlines() if "pass" not in line.split()[0]}
    assert " off " in rows["WebAddressRecognizer"] and " on " in rows["DictionaryNameRecognizer"]
    assert "words as HOSPITAL" in rows["WardNames"] and "allow list" in rows["DeviceNames"]
    assert "Tamberley" not in result.output, "never what a list holds"


def test_every_recognizer_and_veto_of_the_package_is_in_the_catalogue_once() -> None:
    """A new recognizer or veto module counts only once the catalogue lists it (ARCHITECTURE.md, "Adding to
    detection"); a site's own are built from settings instead."""
    modules = [
        importlib.import_module(module.name)
        for package in (recognizers, vetoes)
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
        if ".site." not in module.name and not module.ispkg
    ]
    defined = [
        cls
        for module in modules
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__
    ]
    recognizer_classes = {cls.__name__ for cls in defined if issubclass(cls, Buildable)}
    veto_classes = {cls.__name__ for cls in defined if cls.__module__.startswith(vetoes.__name__)}
    names = [entry.name for entry in RECOGNIZERS] + [entry.name for entry in VETOES] + [entry.name for entry in PASSES]
    assert len(names) == len(set(names))
    assert recognizer_classes == {entry.name for entry in RECOGNIZERS}
    assert veto_classes - {"AllowListVeto"} == {entry.name for entry in VETOES}


def test_vetoes_and_post_passes_turn_off_by_name(vocabulary: Vocabulary) -> None:
    settings = EngineSettings.model_validate(
        {"vetoes": {"EnglishWordVeto": {"enabled": False}}, "passes": {"MentionPropagation": {"enabled": False}}}
    )
    detectors = configure(settings, Parts(vocabulary), SiteLists())
    assert [veto.name for veto in detectors.vetoes] == [
        entry.name for entry in VETOES if entry.name != "EnglishWordVeto"
    ]
    assert [entry.name for entry in detectors.before_vetoes + detectors.after_vetoes] == ["NameListExtension"]
    assert len(detectors.recognizers) == len(RECOGNIZERS)


BAD_CONFIGS = [
    # (config, list file and its bytes, what the message names)
    ("[engine.recognizers.Foo]\nenabled = false\n", None, ["bad.toml:1", "unknown recognizer name 'Foo'", "fix:"]),
    ('[engine.vetoes.EnglishWordVeto]\nkind = "allow"\nfile = "l.txt"\n', None, ["bad.toml:1", "catalogue veto"]),
    (
        '[engine.recognizers.Mrn]\nkind = "regex"\ntype = "ID"\npattern = \'(\\d{7}\'\n',
        None,
        ["bad.toml:4", "engine.recognizers.Mrn.pattern", "not a regular expression", "fix:"],
    ),
    ('[engine.recognizers.W]\nkind = "wrds"\nfile = "l.txt"\ntype = "ID"\n', None, ["bad.toml:1", "kind must be"]),
    (
        '[engine.recognizers.W]\nkind = "words"\nfile = "l.txt"\ntype = "HOSPITAL"\n',
        b"Tamberley\nKestrel\tWing\n",
        ["l.txt:2", "a tab", "fix:", "bad.toml:3"],
    ),
    (
        '[engine.recognizers.W]\nkind = "words"\nfile = "l.txt"\ntype = "HOSPITAL"\n',
        b"Tamberley\n\nKestrel Wing\n\xffWest\n",
        ["l.txt:4", "not UTF-8", "save the list as UTF-8"],
    ),
    (
        '[engine.recognizers.R]\nkind = "roster"\nfile = "l.txt"\n',
        b"Quorvik, Adaeze, MD\n",
        ["l.txt:1", "more than one comma", "fix:"],
    ),
    ('[engine.vetoes.A]\nkind = "allow"\nfile = "missing.txt"\n', None, ["missing.txt", "cannot be read", "fix:"]),
    ('[engine.recognizers.W\nkind = "words"\n', None, ["bad.toml is not TOML", "line 1"]),
    (
        '[engine.recognizers.NerEntityRecognizer]\ntype = "ID"\n',
        None,
        ["bad.toml:2", "proposes several types", "fix:"],
    ),
]


@pytest.mark.parametrize(("body", "list_bytes", "expected"), BAD_CONFIGS)
def test_a_bad_site_config_stops_start_up_naming_the_file_the_line_and_the_fix(
    tmp_path: Path, body: str, list_bytes: bytes | None, expected: list[str]
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(body, encoding="utf-8")
    if list_bytes is not None:
        (tmp_path / "l.txt").write_bytes(list_bytes)
    result = CliRunner().invoke(main, ["analyze", "--config", str(config)], input="")
    assert result.exit_code != 0
    for part in expected:
        assert part in result.output, result.output
    assert "Kestrel" not in result.output and "Quorvik" not in result.output, "a list's content is never shown"


def test_the_readmes_worked_example_is_a_working_config(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Site configuration", 1)[1]
    config = section.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "worker.toml").write_text(config, encoding="utf-8")
    (tmp_path / "site").mkdir()
    for name, terms in [("wards", "Tamberley\n"), ("clinicians", "Adaeze Quorvik\n"), ("allow", "Ostrander Pump\n")]:
        (tmp_path / "site" / f"{name}.txt").write_text(terms, encoding="utf-8")
    result = CliRunner().invoke(main, ["catalogue", "--config", str(tmp_path / "worker.toml")])
    assert result.exit_code == 0, result.output
    shown = [line for line in result.output.splitlines() if "  on  " not in line]
    documented = section.split('grep -v "  on  "\n', 1)[1].split("$ echo", 1)[0].splitlines()
    assert [line.replace(str(tmp_path), "/etc/deidstream") for line in shown] == documented


def test_site_lists_are_read_as_whole_words_in_any_case_and_with_or_without_diacritics() -> None:
    terms = PhraseIndex(["Hôpital Saint-Éloi", "St. Ives Wing", "Ives"], case_sensitive=False)
    text = "to HOPITAL SAINT ELOI then St Ives  Wing; Ivesdale not, ives yes\nSt.\nIves Wing"
    assert [text[start:end] for start, end in terms.find(text)] == [
        "HOPITAL SAINT ELOI", "St Ives  Wing", "ives", "Ives",
    ]  # fmt: skip
    exact = PhraseIndex(["Kestrel Wing"], case_sensitive=True)
    assert exact.find("kestrel wing, Kestrel Wing") == [(14, 26)]


def test_a_site_list_reads_one_term_a_line_and_says_where_it_is_malformed(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("# comment\n\n  Tamberley  \nKestrel Wing\n", encoding="utf-8")
    assert [(entry.text, entry.line) for entry in read_entries(good)] == [("Tamberley", 3), ("Kestrel Wing", 4)]
    for content, line, problem in [
        ("Tamberley\n---\n", 2, "holds no letter or digit"),
        ("Tamberley\n" + "Kestrel " * 30 + "\n", 2, "is longer than a term"),
        ("# only a comment\n", None, "holds no terms"),
    ]:
        bad = tmp_path / "bad.txt"
        bad.write_text(content, encoding="utf-8")
        with pytest.raises(SiteListError) as raised:
            read_entries(bad)
        assert (raised.value.line, raised.value.problem.startswith(problem)) == (line, True)
    roster = tmp_path / "roster.txt"
    roster.write_text("Adaeze Quorvik\nVan der Berg, Anna Maria\n", encoding="utf-8")
    people = read_roster(roster)
    assert [(person.given, person.family) for person in people] == [
        (("Adaeze",), ("Quorvik",)), (("Anna", "Maria"), ("Van", "der", "Berg")),
    ]  # fmt: skip


def test_an_allow_list_drops_only_what_lies_within_its_terms() -> None:
    veto = AllowListVeto(
        "DeviceNames", PhraseIndex(["Ostrander Pump"], case_sensitive=False), frozenset({EntityType.PERSON})
    )
    text = "OSTRANDER PUMP alarmed; Dr. Ostrander came."
    assert veto.vetoes(text, 0, 9, "PERSON") and veto.vetoes(text, 0, 15, "PERSON"), "a part, or the term and a blank"
    assert not veto.vetoes(text, 0, 14, "LOCATION"), "only the types the list names"
    assert not veto.vetoes(text, 24, 37, "PERSON") and not veto.vetoes(text, 28, 37, "PERSON"), "not beyond the term"


def test_check_digits() -> None:
    assert luhn("4539 1488 0343 6467") and not luhn("4539 1488 0343 6468")
    assert mod11("4829158") and not mod11("4829159")
    assert mod11("943 476 5919"), "an NHS number"
    assert mod11("0-306-40615-2") and mod11("0-8044-2957-X"), "ISBN-10s, X for ten"
    assert length([8, 10])("AB-123456") and not length([8])("1234567")


def test_a_setting_is_located_in_its_config_file(tmp_path: Path) -> None:
    config = tmp_path / "site.toml"
    config.write_text(SITE_CONFIG, encoding="utf-8")
    lines = SITE_CONFIG.splitlines()
    pattern, allow_list = lines.index("pattern = '\\b\\d{7}\\b'") + 1, lines.index('file = "lists/allow.txt"') + 1
    assert setting_location(config, ("engine", "recognizers", "HospitalMrn", "pattern")) == f"{config}:{pattern}"
    assert setting_location(config, ("engine", "vetoes", "DeviceNames", "file")) == f"{config}:{allow_list}"
    assert (
        setting_location(config, ("engine", "recognizers", "HospitalMrn", "lengths", "0")) == f"{config}:{pattern - 2}"
    )
    assert setting_location(config, ("group_id",)) is None


def test_unknown_quarantine_reasons_are_refused_naming_the_known_ones() -> None:
    result = CliRunner().invoke(
        main, ["catalogue"], env={"DEIDSTREAM_QUARANTINE_BRAKE_IGNORES": "too_large,invalid_jsn"}
    )
    assert result.exit_code == 2
    assert "invalid_jsn" in result.output and "engine_error" in result.output and "invalid_json" in result.output


@pytest.mark.integration
def test_the_worker_applies_the_site_config_on_the_broker(site: Path, topics: Topics, start_worker) -> None:
    topics.publish([(key.encode(), text.encode()) for key, text in TEXTS.items()])
    worker = start_worker(topics, config=site)
    received = {message.key().decode(): message.value().decode() for message in topics.collect(len(TEXTS))}
    assert "Tamberley" not in received["ward"] and received["ward"].endswith("overnight. Back to <HOSPITAL> tomorrow.")
    assert "quorvik" not in received["roster"] and "vantreese" not in received["roster"]
    assert received["mrn"] == "Filing code <ID> per desk. Filing code 4829159 per desk."
    assert received["allow"] == TEXTS["allow"]
    assert received["off"] == TEXTS["off"]

    with urllib.request.urlopen(f"http://127.0.0.1:{worker.metrics_port}/metrics", timeout=10) as response:
        body = response.read().decode()
    [info] = [
        s for family in text_string_to_metric_families(body) for s in family.samples if s.name == "deidstream_info"
    ]
    assert info.labels["site_lists"] == "WardNames=2,Clinicians=2,DeviceNames=1", "names and sizes, never terms"
    log = worker.log_text()
    assert "Tamberley" not in log and "Quorvik" not in log and "Ostrander" not in log
    assert worker.terminate() == 0


@pytest.mark.integration
def test_a_bad_site_list_stops_the_worker_before_it_consumes_anything(
    tmp_path: Path, topics: Topics, start_worker
) -> None:
    (tmp_path / "wards.txt").write_bytes(b"Tamberley\n\tKestrel\tWing\n")
    config = tmp_path / "bad.toml"
    config.write_text('[engine.recognizers.WardNames]\nkind = "words"\nfile = "wards.txt"\ntype = "HOSPITAL"\n')
    topics.publish([(b"k", b"Patient transferred to Tamberley 4.")])
    worker = start_worker(topics, config=config)
    deadline = time.monotonic() + 60
    while worker.process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert worker.process.returncode not in (None, 0)
    assert f"{tmp_path / 'wards.txt'}:2: holds a tab" in worker.log_text() and "fix:" in worker.log_text()
    assert f"{config}:3" in worker.log_text(), "and the line of the config file that names the list"
    consumer = Consumer({"bootstrap.servers": topics.broker.bootstrap_servers, "group.id": topics.group})
    try:
        committed = consumer.committed([TopicPartition(topics.raw, p) for p in range(2)], timeout=10)
    finally:
        consumer.close()
    assert all(partition.offset < 0 for partition in committed), "nothing consumed"
    assert topics.collect(1, timeout_s=3) == [], "nothing produced"
