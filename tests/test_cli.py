"""The command-line contracts: anonymize, analyze, and errors a person can act on."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from conftest import RADIOLOGY_SAMPLE
from deidstream.cli import main


def test_anonymize_removes_the_radiology_sample_identifiers() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "deidstream", "anonymize", str(RADIOLOGY_SAMPLE)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    for identifier in ("JOHN SMITH", "5/5/1955", "1/1/2011"):
        assert identifier not in result.stdout
    assert "pleomorphic adenoma" in result.stdout
    assert "JOHN SMITH" not in result.stderr


def test_anonymize_reads_standard_input() -> None:
    result = CliRunner().invoke(main, ["anonymize"], input="Called Maria Gonzalez at home.\n")
    assert result.exit_code == 0
    assert "Maria" not in result.output and "<PERSON>" in result.output


def test_analyze_answers_every_line_in_order_and_flags_bad_lines() -> None:
    lines = [
        json.dumps({"id": "a", "text": "John Smith called."}),
        "not json",
        json.dumps({"id": "c", "text": "Nothing here."}),
        json.dumps({"id": "d"}),
    ]
    result = CliRunner().invoke(main, ["analyze"], input="\n".join(lines) + "\n")

    assert result.exit_code == 1
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [item["id"] for item in outputs] == ["a", None, "c", "d"]
    assert outputs[0]["entities"] == [{"start": 0, "end": 10, "type": "PERSON", "score": 0.85}]
    assert outputs[2]["entities"] == []
    assert "line 2" in outputs[1]["error"] and "line 4" in outputs[3]["error"]


def test_a_model_that_is_not_installed_is_a_clear_error() -> None:
    result = CliRunner().invoke(main, ["anonymize", "--model", "en_core_web_nonexistent"], input="x")
    assert result.exit_code == 1
    assert "cannot load spaCy model 'en_core_web_nonexistent'" in result.output
    assert "pip install" in result.output


def test_invalid_settings_name_the_setting() -> None:
    result = CliRunner().invoke(main, ["run", "--processes", "2"], env={"DEIDSTREAM_BATCH_MAX_MESSAGES": "zero"})
    assert result.exit_code == 2
    assert "batch_max_messages" in result.output
