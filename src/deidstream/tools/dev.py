"""`deidstream dev`: the whole pipeline on one machine, to see it work in a minute.

Starts the embedded broker, creates the topics, starts `deidstream run` as a child
process, publishes sample reports (the classic radiology report, generated ones,
and one deliberately broken message to show quarantine) and prints what comes out.
Everything it started is stopped on Ctrl-C or, with `until_done`, once every
report has come out. A policy that needs a secret gets a throwaway one when none
is set, so that `deidstream dev --policy research` works out of the box.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import click
from confluent_kafka import Message, Producer

from deidstream.anonymization.secret import SECRET_FILE_VARIABLE, SECRET_VARIABLE
from deidstream.stream.pipeline import (
    HEADER_ENTITIES,
    HEADER_KEY_ID,
    HEADER_POLICY,
    HEADER_POLICY_VERSION,
    HEADER_QUARANTINE_REASON,
)
from deidstream.tools.embedded_broker import EmbeddedBroker, free_port
from deidstream.tools.synthetic import generate_reports
from deidstream.tools.topic_tail import TopicTail, text_headers

RAW_TOPIC, CLEAN_TOPIC, QUARANTINE_TOPIC = "raw", "clean", "quarantine"
# One sample of each structured format, each on its own topic with its format.
JSON_TOPIC, HL7_TOPIC, FHIR_TOPIC = "raw-json", "raw-hl7", "raw-fhir"
DEV_FORMATS: dict[str, dict[str, Any]] = {
    JSON_TOPIC: {
        "format": "json",
        "text_paths": ["report.text"],
        "fields": {
            "patient.name": {"type": "PERSON"},
            "patient.mrn": {"type": "ID"},
            "patient.phone": {"type": "PHONE_NUMBER"},
            "site": "keep",
            "id": "keep",
        },
    },
    HL7_TOPIC: {"format": "hl7v2"},
    FHIR_TOPIC: {"format": "fhir"},
}
STRUCTURED_SAMPLES = [
    (JSON_TOPIC, "json-sample", "envelope.json"),
    (HL7_TOPIC, "hl7v2-sample", "oru-r01.hl7"),
    (FHIR_TOPIC, "fhir-sample", "diagnostic-report-bundle.json"),
]
RAW_PARTITIONS = 2
# Quiet worker logs, so the clean reports stand out, and a status line every few seconds; Tansu makes a first group join last about half
# the session timeout, so keep that short on loopback.
WORKER_ENV = {
    "DEIDSTREAM_LOG_LEVEL": "WARNING",
    "DEIDSTREAM_KAFKA_CONSUMER__SESSION_TIMEOUT_MS": "6000",
    "DEIDSTREAM_KAFKA_CONSUMER__HEARTBEAT_INTERVAL_MS": "1000",
    "DEIDSTREAM_STATUS_INTERVAL_S": "5",
}
BROKEN_SAMPLE = b"\xff\xfe not UTF-8: shows that undecodable input goes to quarantine"


@dataclass(frozen=True)
class DevOptions:
    processes: int
    reports: int
    until_done: bool
    config_file: Path | None
    model: str | None
    quiet: bool
    policy: str | None = None
    needs_secret: bool = False


def sample_messages(count: int) -> list[tuple[str, bytes]]:
    """(key, value) pairs of plain text: the radiology sample, `count` generated reports, one broken message."""
    radiology = files("deidstream").joinpath("samples/radiology-report.txt").read_bytes()
    generated = [(report.id, report.text.encode("utf-8")) for report in generate_reports(count, seed=7)]
    return [("radiology-sample", radiology), *generated, ("broken-sample", BROKEN_SAMPLE)]


def structured_samples() -> list[tuple[str, str, bytes]]:
    """(topic, key, value): one JSON envelope, HL7 v2 message and FHIR Bundle, each for its format's topic."""
    samples = files("deidstream").joinpath("samples")
    return [(topic, key, samples.joinpath(name).read_bytes()) for topic, key, name in STRUCTURED_SAMPLES]


def run_dev(options: DevOptions) -> int:
    with EmbeddedBroker() as broker:
        broker.create_topics([RAW_TOPIC], partitions=RAW_PARTITIONS)
        broker.create_topics([CLEAN_TOPIC, QUARANTINE_TOPIC, *DEV_FORMATS])
        click.echo(f"embedded broker on {broker.bootstrap_servers}; starting the worker", err=True)
        # Its own session, so that Ctrl-C reaches only us and we stop the worker before the broker.
        metrics_port = free_port()
        worker = subprocess.Popen(
            _worker_command(broker.bootstrap_servers, options),
            env={
                **os.environ,
                **WORKER_ENV,
                **_secret_env(options),
                **_formats_env(options),
                "DEIDSTREAM_METRICS_PORT": str(metrics_port),
            },
            start_new_session=True,
        )
        click.echo(f"worker metrics and health on http://127.0.0.1:{metrics_port}/metrics, /healthz, /readyz", err=True)
        stop = StopRequest()
        try:
            messages = [(RAW_TOPIC, key, value) for key, value in sample_messages(options.reports)]
            messages += structured_samples()
            _publish(broker.bootstrap_servers, messages)
            click.echo(
                f"published {len(messages)} reports to '{RAW_TOPIC}' and {', '.join(DEV_FORMATS)}; "
                "waiting for results (Ctrl-C stops)",
                err=True,
            )
            _print_results(broker.bootstrap_servers, len(messages) if options.until_done else None, worker, stop)
        finally:
            click.echo("stopping the worker, then the broker", err=True)
            _stop(worker)
    return 0


class StopRequest:
    """Turns SIGINT and SIGTERM into a flag the result loop checks between polls."""

    def __init__(self) -> None:
        self.requested = False
        signal.signal(signal.SIGINT, self._request)
        signal.signal(signal.SIGTERM, self._request)

    def _request(self, signum: int, frame: object) -> None:
        self.requested = True


def _secret_env(options: DevOptions) -> dict[str, str]:
    """A throwaway secret for this run when the policy needs one and none is set."""
    if not options.needs_secret or SECRET_VARIABLE in os.environ or SECRET_FILE_VARIABLE in os.environ:
        return {}
    click.echo(f"no {SECRET_VARIABLE} set: using a throwaway secret, so pseudonyms differ from run to run", err=True)
    return {SECRET_VARIABLE: secrets.token_urlsafe(32)}


def _formats_env(options: DevOptions) -> dict[str, str]:
    """The sample topics' formats, next to those of the given settings file (whose own topics win)."""
    from deidstream.config import load_settings

    configured = load_settings(options.config_file).formats if options.config_file is not None else {}
    formats = {**DEV_FORMATS, **{topic: item.model_dump(mode="json") for topic, item in configured.items()}}
    return {"DEIDSTREAM_FORMATS": json.dumps(formats)}


def _worker_command(bootstrap_servers: str, options: DevOptions) -> list[str]:
    command = [
        sys.executable, "-m", "deidstream", "run",
        "--bootstrap-servers", bootstrap_servers,
        "--input-topic", RAW_TOPIC,
        *[argument for topic in DEV_FORMATS for argument in ("--input-topic", topic)],
        "--output-topic", CLEAN_TOPIC,
        "--quarantine-topic", QUARANTINE_TOPIC,
        "--group-id", "deidstream-dev",
        "--processes", str(options.processes),
    ]  # fmt: skip
    if options.config_file is not None:
        command += ["--config", str(options.config_file)]
    if options.model is not None:
        command += ["--model", options.model]
    if options.quiet:
        command.append("--quiet")
    if options.policy is not None:
        command += ["--policy", options.policy]
    return command


def _publish(bootstrap_servers: str, messages: list[tuple[str, str, bytes]]) -> None:
    producer = Producer({"bootstrap.servers": bootstrap_servers, "enable.idempotence": True})
    for topic, key, value in messages:
        producer.produce(topic, key=key.encode(), value=value)
    producer.flush(30)


def _print_results(
    bootstrap_servers: str, expected: int | None, worker: subprocess.Popen[bytes], stop: StopRequest
) -> None:
    tail = TopicTail(bootstrap_servers, [CLEAN_TOPIC, QUARANTINE_TOPIC])
    seen = 0
    try:
        while (expected is None or seen < expected) and not stop.requested:
            if worker.poll() is not None:
                raise click.ClickException(f"the worker exited with code {worker.returncode}; see its log above")
            for message in tail.poll(1.0):
                seen += 1
                _print_message(message)
    finally:
        tail.close()
    if expected is not None and seen == expected:
        click.echo(f"all {seen} reports came out", err=True)


def _print_message(message: Message) -> None:
    headers = text_headers(message)
    key = (message.key() or b"").decode("utf-8", "replace")
    if message.topic() == QUARANTINE_TOPIC:
        reason = headers.get(HEADER_QUARANTINE_REASON, "?")
        click.secho(f"── quarantine  key={key}  reason={reason}  (raw value kept in '{QUARANTINE_TOPIC}')", fg="red")
        return
    entities = headers.get(HEADER_ENTITIES, "{}")
    policy = ""
    if HEADER_POLICY in headers:
        policy = f"  policy={headers[HEADER_POLICY]}/{headers[HEADER_POLICY_VERSION]}"
        policy += f"  key_id={headers[HEADER_KEY_ID]}" if HEADER_KEY_ID in headers else ""
    click.secho(f"── clean  key={key}  entities={entities}{policy}", fg="green")
    click.echo((message.value() or b"").decode("utf-8").replace("\r", "\n"))  # HL7 v2 segments end in CR


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
