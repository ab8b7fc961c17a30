"""`deidstream review` from the command line: sample, summary, export (sign-off and gold), then `eval` and training."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient

from deidstream.cli import main
from deidstream.review.store import ReviewStore
from deidstream.tools.embedded_broker import EmbeddedBroker
from deidstream.tools.evaluation import load_gold
from deidstream.tools.training import __main__ as training
from review_helpers import INVENTED_REPORTS


def test_the_help_shows_the_whole_workflow() -> None:
    result = CliRunner().invoke(main, ["review", "--help"])
    assert result.exit_code == 0
    for step in ("sample", "review", "summary", "export", "eval", "--from-topic raw --sample 200 --seed", "--gold"):
        assert step in result.output
    for command in ("sample", "open", "summary", "export"):
        assert CliRunner().invoke(main, ["review", command, "--help"]).exit_code == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "give either --input PATH or --from-topic TOPIC"),
        (["--from-topic", "raw"], "--from-topic needs --sample N"),
    ],
)
def test_sample_says_what_is_missing(tmp_path: Path, arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["review", "sample", str(tmp_path / "r.db"), "--reviewer", "R", *arguments])
    assert result.exit_code == 2 and message in result.output


def test_from_files_to_signoff_gold_eval_and_training(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = tmp_path / "notes.jsonl"
    notes.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in INVENTED_REPORTS), encoding="utf-8")
    review_file = tmp_path / "review.db"
    runner = CliRunner()
    arguments = ["review", "sample", str(review_file), "--input", str(notes), "--sample", "3", "--seed", "5"]
    made = runner.invoke(main, [*arguments, "--reviewer", "Dana Ruiz"])
    assert made.exit_code == 0, made.output
    assert "3 reports to review" in made.output and f"deidstream review open {review_file}" in made.output
    assert stat.S_IMODE(review_file.stat().st_mode) == 0o600
    assert runner.invoke(main, [*arguments, "--reviewer", "Dana Ruiz"]).exit_code == 2, "never overwritten"

    store = ReviewStore.open(review_file)
    assert (store.provenance.seed, store.provenance.reviewer) == (5, "Dana Ruiz")
    assert "3 of 4 drawn" in store.provenance.source
    assert store.provenance.model_version and store.provenance.engine_version.startswith("deidstream-")
    for number in (1, 2):
        store.set_reviewed(number, True)
    store.close()

    summary = runner.invoke(main, ["review", "summary", str(review_file)])
    assert summary.exit_code == 0 and "2 of 3 reports reviewed" in summary.output and "power:" in summary.output

    gold = tmp_path / "reviewed.jsonl"
    exported = runner.invoke(main, ["review", "export", str(review_file), "--gold", str(gold), "--signoff",
                                    str(tmp_path / "signoff")])  # fmt: skip
    assert exported.exit_code == 0, exported.output
    assert stat.S_IMODE(gold.stat().st_mode) == 0o600, "the gold set is PHI"
    documents = load_gold(gold)
    assert len(documents) == 2 and any(document.phi for document in documents)
    signoff = json.loads((tmp_path / "signoff.json").read_text())
    assert signoff["reviewer"] == "Dana Ruiz" and signoff["seed"] == 5 and signoff["contains_phi"] is False
    assert signoff["figures"]["reviewed_reports"] == 2 and signoff["figures"]["recall"]["estimate"] == 1.0
    assert (tmp_path / "signoff.html").read_text().startswith("<!doctype html>")

    scored = runner.invoke(main, ["eval", str(gold)])
    assert scored.exit_code == 0 and "all PHI" in scored.output
    overall = next(line for line in scored.output.splitlines() if line.startswith("all PHI"))
    assert overall.split()[3] == "1.000", "every accepted detection is found again"

    trained_on: list[Any] = []
    monkeypatch.setattr(training, "generated_notes", lambda reports, notes, seed: [])
    monkeypatch.setattr(training, "train", lambda documents, epochs, seed: trained_on.extend(documents) or object())
    monkeypatch.setattr(training, "describe", lambda nlp, arguments: None)
    monkeypatch.setattr(training, "save", lambda nlp, folder: None)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "c1", "text": "No PHI here.", "phi": []}) + "\n", encoding="utf-8")
    assert training.main(["--corpus", str(corpus), "--extra-gold", str(gold), "--output", str(tmp_path / "m")]) == 0
    trained_texts = {document.text for document in trained_on}
    assert {document.text for document in documents} <= trained_texts, "the reviewed notes are trained on"
    assert "No PHI here." in trained_texts


@pytest.mark.integration
def test_sample_from_a_topic_through_the_command_line(tmp_path: Path, broker: EmbeddedBroker) -> None:
    topic = "review-cli-raw"
    broker.create_topics([topic], partitions=2)
    producer = Producer({"bootstrap.servers": broker.bootstrap_servers, "linger.ms": 0})
    for index, (_source_id, text) in enumerate(INVENTED_REPORTS * 3):
        producer.produce(topic, value=text.encode(), partition=index % 2)
        producer.flush(10)
    review_file = tmp_path / "topic.db"
    command = [
        sys.executable, "-m", "deidstream", "review", "sample", str(review_file), "--from-topic", topic,
        "--sample", "5", "--seed", "21", "--reviewer", "Dana Ruiz", "--bootstrap-servers", broker.bootstrap_servers,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, env=os.environ)
    assert result.returncode == 0, result.stderr
    assert f"drawing 5 of the 12 messages of {topic} (seed 21)" in result.stderr
    store = ReviewStore.open(review_file)
    assert store.progress() == (0, 5)
    assert store.provenance.source == f"topic {topic} at {broker.bootstrap_servers}"
    assert all(store.report(number)["source_id"].startswith(f"{topic}[") for number in range(1, 6))
    store.close()
    admin = AdminClient({"bootstrap.servers": broker.bootstrap_servers})
    groups = admin.list_consumer_groups(request_timeout=10).result()
    assert [group.group_id for group in groups.valid if group.group_id.startswith("deidstream-review")] == []


def test_the_readme_shows_the_workflow_and_the_screenshot() -> None:
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Validating on your own notes\n", 1)[1].split("\n## ", 1)[0]
    for command in ("review sample", "--from-topic raw --sample 200 --seed", "review open", "review summary",
                    "review export review.db --signoff", "review export review.db --gold", "deidstream eval",
                    "--extra-gold", "How many reports", "Reading the figures", "TLS"):  # fmt: skip
        assert command in section, command
    assert "(docs/review-workbench.png)" in section and (root / "docs" / "review-workbench.png").is_file()
