"""TLS to the broker end to end: the worker reaches Tansu only through a TLS proxy, with a client certificate.

The broker advertises the proxy's address, so every connection, bootstrap and
group coordinator alike, is TLS. A worker trusting another CA stops at start with
a message naming the TLS failure instead of retrying in silence.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import FAST_GROUP_ENV
from deidstream.tools.embedded_broker import EmbeddedBroker, free_port
from test_worker_kafka import PATIENTS, text_messages
from tls_proxy import Pki, TlsProxy, client_settings, make_pki

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def tls_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Pki, str]]:
    pki = make_pki(tmp_path_factory.mktemp("pki"))
    proxy_port = free_port()
    with EmbeddedBroker(advertised=f"127.0.0.1:{proxy_port}") as broker, TlsProxy(proxy_port, broker.port, pki):
        yield pki, f"127.0.0.1:{proxy_port}"


def kafka_toml(settings: dict[str, str]) -> str:
    return "[kafka]\n" + "".join(f'"{key}" = "{value}"\n' for key, value in settings.items())


def test_the_worker_talks_tls_with_a_client_certificate_and_messages_flow(
    tls_broker: tuple[Pki, str], start_worker, tmp_path: Path
) -> None:
    pki, bootstrap = tls_broker
    tls = {"bootstrap.servers": bootstrap, **client_settings(pki)}
    suffix = uuid.uuid4().hex[:8]
    topics = SimpleNamespace(
        broker=SimpleNamespace(bootstrap_servers=bootstrap),
        raw=f"raw-{suffix}",
        clean=f"clean-{suffix}",
        quarantine=f"quarantine-{suffix}",
        group=f"group-{suffix}",
    )
    admin = AdminClient(tls)
    for future in admin.create_topics(
        [NewTopic(name, 1) for name in (topics.raw, topics.clean, topics.quarantine)]
    ).values():
        future.result(timeout=10)
    messages = text_messages(10)
    producer = Producer({**tls, "linger.ms": 0})
    for key, value in messages:
        producer.produce(topics.raw, key=key, value=value)
        producer.flush(10)
    config = tmp_path / "tls.toml"
    config.write_text(kafka_toml(client_settings(pki)), encoding="utf-8")

    worker = start_worker(topics, config=config)
    consumer = Consumer({**tls, "group.id": f"reader-{suffix}", "auto.offset.reset": "earliest"})
    consumer.subscribe([topics.clean, topics.quarantine])
    received = []
    deadline = time.monotonic() + 90
    while len(received) < len(messages) and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is not None and message.error() is None:
            received.append(message)
    consumer.close()
    assert worker.terminate() == 0

    assert len(received) == len(messages) and {m.topic() for m in received} == {topics.clean}
    assert not any(name in m.value().decode() for m in received for name in PATIENTS)


def test_a_worker_trusting_the_wrong_ca_stops_at_start_naming_the_tls_failure(
    tls_broker: tuple[Pki, str], tmp_path: Path
) -> None:
    pki, bootstrap = tls_broker
    stranger = make_pki(tmp_path / "other", name="other")
    config = tmp_path / "wrong-ca.toml"
    config.write_text(kafka_toml(client_settings(pki, ca=stranger.ca)), encoding="utf-8")

    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "deidstream", "run", "--bootstrap-servers", bootstrap, "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **FAST_GROUP_ENV, "DEIDSTREAM_METRICS_PORT": str(free_port())},
    )
    elapsed = time.monotonic() - started

    assert result.returncode != 0
    assert "Error: TLS with the brokers at" in result.stderr, result.stderr[-2000:]
    assert "certificate verify failed" in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert elapsed < 30, f"fails fast ({elapsed:.1f} s), before loading the model"
