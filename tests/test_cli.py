"""The command-line contracts: anonymize, analyze, reidentify, and errors a person can act on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
    [found] = outputs[0]["entities"]
    assert {key: found[key] for key in ("start", "end", "type")} == {"start": 0, "end": 10, "type": "PERSON"}
    assert 0 < found["score"] <= 1 and found["recognizer"].endswith("Recognizer")
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


NO_SECRET = {"DEIDSTREAM_SECRET": None, "DEIDSTREAM_SECRET_FILE": None}
SECRET = "a secret for the command-line tests"


def deidstream(*args: str, secret: str | None = SECRET, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`deidstream` in a process of its own, with or without the secret in its environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEIDSTREAM_SECRET")}
    if secret is not None:
        env["DEIDSTREAM_SECRET"] = secret
    return subprocess.run(
        [sys.executable, "-m", "deidstream", *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_a_policy_that_needs_a_missing_secret_stops_start_up_with_a_clear_error() -> None:
    worker = deidstream("run", "--policy", "research", "--bootstrap-servers", "127.0.0.1:1", secret=None)
    assert worker.returncode == 1
    assert "policy 'research' uses keyed operators (shift_date, surrogate, token) and needs a secret" in worker.stderr
    assert "DEIDSTREAM_SECRET" in worker.stderr and "Traceback" not in worker.stderr
    result = CliRunner().invoke(main, ["anonymize", "--policy", "research"], input="x", env=NO_SECRET)
    assert result.exit_code == 1 and "needs a secret" in result.output


def test_a_topic_policy_that_needs_a_missing_secret_stops_start_up_too(tmp_path: Path) -> None:
    config = tmp_path / "topics.toml"
    config.write_text('[formats.raw]\npolicy = "safe-harbor"\n[formats.linked]\npolicy = "research"\n')
    worker = deidstream("run", "--config", str(config), "--bootstrap-servers", "127.0.0.1:1", secret=None)
    assert worker.returncode == 1
    assert "policy 'research' uses keyed operators (shift_date, surrogate, token) and needs a secret" in worker.stderr
    assert "Traceback" not in worker.stderr
    result = CliRunner().invoke(main, ["anonymize", "--config", str(config)], input="x", env=NO_SECRET)
    assert result.exit_code == 0, "anonymize applies the worker-wide policy only: no secret needed here"


def test_a_policy_that_shifts_dates_needs_the_patient_of_the_text() -> None:
    result = CliRunner().invoke(
        main, ["anonymize", "--policy", "research"], input="x", env={"DEIDSTREAM_SECRET": SECRET}
    )
    assert result.exit_code == 2 and "give --patient-key" in result.output


def test_pseudonyms_are_the_same_in_every_process_and_change_with_the_secret() -> None:
    text = "Patient John Smith (MRN 4455667) was admitted on 3/14/2011 with chest pain.\n"
    args = ("anonymize", "--policy", "research", "--patient-key", "patient-A")
    first, again = deidstream(*args, stdin=text), deidstream(*args, stdin=text)
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout, "a restart gives the same surrogates, tokens and shifted dates"
    assert "John" not in first.stdout and "4455667" not in first.stdout and "3/14/2011" not in first.stdout
    other = deidstream(*args, secret="another secret for the same tests", stdin=text)
    assert other.stdout != first.stdout


def test_encrypted_values_round_trip_through_reidentify(tmp_path: Path) -> None:
    policy = tmp_path / "escrow.toml"
    policy.write_text('[policy]\nid = "escrow"\nversion = "1"\ndefault = "encrypt"\n', encoding="utf-8")
    original = RADIOLOGY_SAMPLE.read_text(encoding="utf-8")

    encrypted = deidstream("anonymize", "--policy", str(policy), str(RADIOLOGY_SAMPLE))
    assert encrypted.returncode == 0, encrypted.stderr
    assert "[ENC:PERSON:" in encrypted.stdout and "JOHN SMITH" not in encrypted.stdout

    restored = deidstream("reidentify", stdin=encrypted.stdout)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout == original

    wrong_key = deidstream("reidentify", secret="not the secret the records were made with", stdin=encrypted.stdout)
    assert wrong_key.returncode == 1 and "could not be decrypted" in wrong_key.stderr
    assert wrong_key.stdout == encrypted.stdout, "what cannot be decrypted stays encrypted"
    no_key = deidstream("reidentify", secret=None, stdin=encrypted.stdout)
    assert no_key.returncode == 1 and "reidentify needs the secret" in no_key.stderr


def test_anonymize_reads_hl7_fhir_and_json_messages() -> None:
    data = Path(__file__).parent / "data"
    hl7_result = CliRunner().invoke(main, ["anonymize", "--format", "hl7v2", str(data / "hl7" / "adt_a08.hl7")])
    assert hl7_result.exit_code == 0, hl7_result.output
    assert hl7_result.stdout_bytes.startswith(b"MSH|^~\\&|ADT|NFH|") and b"\rPID|" in hl7_result.stdout_bytes
    assert b"MORWENNA" not in hl7_result.stdout_bytes
    fhir_input = (data / "fhir" / "diagnostic-report-bundle.json").read_bytes()
    fhir_result = CliRunner().invoke(main, ["anonymize", "--format", "fhir"], input=fhir_input)
    assert fhir_result.exit_code == 0 and json.loads(fhir_result.stdout_bytes)["resourceType"] == "Bundle"
    assert b"Vasquenza" not in fhir_result.stdout_bytes
    envelope = json.dumps({"report": {"text": "Seen by John Smith."}, "patient": {"name": "John Smith"}})
    json_result = CliRunner().invoke(
        main, ["anonymize", "--format", "json", "--text-path", "report.text"], input=envelope
    )
    assert json_result.exit_code == 0
    assert json.loads(json_result.stdout_bytes) == {"report": {"text": "Seen by <PERSON>."}, "patient": {}}


def test_anonymize_says_why_a_message_would_be_quarantined() -> None:
    result = CliRunner().invoke(main, ["anonymize", "--format", "fhir"], input='{"id": "x"}')
    assert result.exit_code == 1
    assert "invalid_fhir" in result.output
