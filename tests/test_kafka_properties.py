"""The property scope table against librdkafka itself, and the real clients built from the worker's settings."""

from __future__ import annotations

import ctypes
import logging
import re
from pathlib import Path

import confluent_kafka
import confluent_kafka.cimpl
import pytest
from confluent_kafka import Consumer, Producer

from deidstream.config import Settings
from deidstream.stream.client_log import FoldedLog
from deidstream.stream.kafka_properties import LIBRDKAFKA_VERSION, SCOPES, accepted_by
from deidstream.stream.preflight import KafkaSettingsError, check_brokers
from deidstream.stream.worker import consumer_config, producer_config

UNREACHABLE = "127.0.0.1:1"


def installed_scopes(tmp_path: Path) -> dict[str, str]:
    """The C/P/* column of the CONFIGURATION.md that the installed librdkafka prints (`rd_kafka_conf_properties_show`).

    The symbol is reached through confluent-kafka's extension module, which links the library its wheel ships.
    """
    library = ctypes.CDLL(confluent_kafka.cimpl.__file__)
    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    library.rd_kafka_conf_properties_show.argtypes = [ctypes.c_void_p]
    path = tmp_path / "CONFIGURATION.md"
    stream = libc.fopen(str(path).encode(), b"w")
    library.rd_kafka_conf_properties_show(stream)
    libc.fclose(stream)
    scopes: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > 2 and re.fullmatch(r"[a-z][a-z0-9._]*", cells[0]) and cells[1] in ("C", "P", "*"):
            scopes.setdefault(cells[0], cells[1])
    return scopes


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def librdkafka_lines() -> tuple[logging.Logger, Lines]:
    logger = logging.getLogger("test.librdkafka")
    lines = Lines()
    logger.handlers[:] = [lines]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, lines


def test_the_table_is_librdkafkas_own(tmp_path: Path) -> None:
    installed = installed_scopes(tmp_path)
    assert len(installed) > 150, "librdkafka's property list could not be read"
    moved = {
        name: (scope, installed[name])
        for name, scope in SCOPES.items()
        if name in installed and installed[name] != scope
    }
    assert not moved, f"properties whose scope differs from the installed librdkafka's (table, library): {moved}"
    if confluent_kafka.libversion()[0] == LIBRDKAFKA_VERSION:
        assert set(SCOPES) == set(installed), "the table must list exactly the properties of its librdkafka version"


def test_shared_settings_reach_only_the_clients_that_accept_them() -> None:
    shared = {"session.timeout.ms": "6000", "linger.ms": "20", "security.protocol": "SSL", "not.a.property": "x"}
    assert accepted_by("consumer", shared) == {
        "session.timeout.ms": "6000",
        "security.protocol": "SSL",
        "not.a.property": "x",
    }
    assert accepted_by("producer", shared) == {"linger.ms": "20", "security.protocol": "SSL", "not.a.property": "x"}


def test_per_client_settings_override_and_are_passed_whole() -> None:
    settings = Settings(
        kafka={"session.timeout.ms": "6000", "linger.ms": "20"},
        kafka_consumer={"session.timeout.ms": "7000"},
        kafka_producer={"linger.ms": "1", "fetch.min.bytes": "2"},
    )
    client_log = FoldedLog(logging.getLogger("test"))
    consumer, producer = consumer_config(settings, client_log), producer_config(settings, client_log)
    assert consumer["session.timeout.ms"] == "7000" and "linger.ms" not in consumer
    assert producer["linger.ms"] == "1" and "session.timeout.ms" not in producer
    assert producer["fetch.min.bytes"] == "2", "a client's own table is passed whole: librdkafka warns about a misfit"


def test_real_clients_built_from_the_settings_log_no_confwarn(librdkafka_lines: tuple[logging.Logger, Lines]) -> None:
    logger, lines = librdkafka_lines
    settings = Settings(
        bootstrap_servers=UNREACHABLE,
        kafka={"session.timeout.ms": "6000", "heartbeat.interval.ms": "1000", "linger.ms": "10", "acks": "all"},
    )
    consumer = Consumer(consumer_config(settings, FoldedLog(logger)))
    producer = Producer(producer_config(settings, FoldedLog(logger)))
    consumer.poll(0.2)
    producer.poll(0.2)
    consumer.close()
    assert not [line for line in lines.lines if "CONFWARN" in line], lines.lines

    # The control: the same consumer property given to a producer unfiltered is what librdkafka warns about.
    unfiltered = Producer({"bootstrap.servers": UNREACHABLE, "session.timeout.ms": "6000", "logger": logger})
    unfiltered.poll(0.2)
    assert [line for line in lines.lines if "CONFWARN" in line and "session.timeout.ms" in line]


def test_the_start_up_check_gives_the_admin_client_no_consumer_property(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(bootstrap_servers=UNREACHABLE, kafka={"session.timeout.ms": "6000"})
    with caplog.at_level(logging.DEBUG, logger="librdkafka"):
        assert check_brokers(settings, timeout_s=0.5) is False
    assert not [record for record in caplog.records if "CONFWARN" in record.getMessage()]


@pytest.mark.parametrize(
    ("shared", "reason"),
    [({"no.such.property": "1"}, "No such configuration property"), ({"socket.timeout.ms": "soon"}, "Invalid value")],
)
def test_a_setting_librdkafka_refuses_stops_start_up_with_its_reason(shared: dict[str, str], reason: str) -> None:
    with pytest.raises(KafkaSettingsError, match=reason):
        check_brokers(Settings(bootstrap_servers=UNREACHABLE, kafka=shared), timeout_s=0.5)


@pytest.mark.parametrize("client", ["kafka_consumer", "kafka_producer"])
def test_a_setting_one_client_refuses_stops_start_up_and_names_its_table(client: str) -> None:
    """A bad property only one client is given would otherwise make every worker process fail as it starts."""
    settings = Settings(bootstrap_servers=UNREACHABLE, **{client: {"no.such.property": "1"}})
    with pytest.raises(KafkaSettingsError, match=f"No such configuration property.*{client}"):
        check_brokers(settings, timeout_s=0.5)
