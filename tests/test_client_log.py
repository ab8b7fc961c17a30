"""librdkafka's log lines folded per client: one line per kind and interval, with the count of those held back."""

from __future__ import annotations

import logging

import pytest

from deidstream.stream.client_log import FoldedLog

FORMAT = "%s [%s] %s"  # how confluent-kafka calls a logger: facility, client name, message
REFUSED = "127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused (after {}ms in state CONNECT)"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def folded(caplog: pytest.LogCaptureFixture) -> tuple[FoldedLog, Clock]:
    caplog.set_level(logging.DEBUG, logger="test.folded")
    clock = Clock()
    return FoldedLog(logging.getLogger("test.folded"), interval_s=60, clock=clock), clock


def messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "test.folded"]


def test_repeats_within_the_interval_are_held_back_and_counted_on_the_next_line(
    folded: tuple[FoldedLog, Clock], caplog: pytest.LogCaptureFixture
) -> None:
    log, clock = folded
    for second in range(130):  # twenty a second, as librdkafka retries a refused connection
        for tick in range(20):
            clock.now = 1000.0 + second + tick / 20
            text = REFUSED.format(tick % 3)
            if tick == 7:  # librdkafka's own folding of identical errors
                text = text.replace("CONNECT)", "CONNECT, 4 identical error(s) suppressed)")
            log.log(logging.ERROR, FORMAT, "FAIL", "rdkafka#consumer-1", text)
    lines = messages(caplog)
    assert len(lines) == 3, lines
    assert lines[0].endswith("(after 0ms in state CONNECT)")
    assert lines[1].endswith("(1199 more like it in the last 60 s)")
    assert all(record.levelno == logging.ERROR for record in caplog.records)


def test_lines_of_different_brokers_clients_or_levels_are_not_folded_together(
    folded: tuple[FoldedLog, Clock], caplog: pytest.LogCaptureFixture
) -> None:
    log, _ = folded
    for _ in range(5):
        log.log(logging.ERROR, FORMAT, "FAIL", "rdkafka#consumer-1", REFUSED.format(0))
        log.log(
            logging.ERROR,
            FORMAT,
            "FAIL",
            "rdkafka#consumer-1",
            REFUSED.format(0).replace("127.0.0.1:1", "10.0.0.2:9092"),
        )
        log.log(logging.ERROR, FORMAT, "FAIL", "rdkafka#producer-2", REFUSED.format(0))
        log.log(logging.WARNING, FORMAT, "FAIL", "rdkafka#consumer-1", REFUSED.format(0))
        log.log(logging.WARNING, FORMAT, "REQTMOUT", "rdkafka#consumer-1", "Timed out 1 in-flight, 0 retry-queued")
    assert len(messages(caplog)) == 5


def test_flush_writes_what_is_still_held_back_once(
    folded: tuple[FoldedLog, Clock], caplog: pytest.LogCaptureFixture
) -> None:
    log, clock = folded
    for tick in range(10):
        clock.now += 1
        log.log(logging.ERROR, FORMAT, "FAIL", "rdkafka#consumer-1", REFUSED.format(tick))
    log.log(logging.INFO, FORMAT, "CGRPOP", "rdkafka#consumer-1", "Group joined")
    log.flush()
    log.flush()
    lines = messages(caplog)
    assert len(lines) == 3, lines
    assert lines[-1].endswith("(after 9ms in state CONNECT) (9 more like it in the last 9 s)")


def test_a_kind_seen_again_after_a_quiet_interval_is_written_without_a_count(
    folded: tuple[FoldedLog, Clock], caplog: pytest.LogCaptureFixture
) -> None:
    log, clock = folded
    log.log(logging.ERROR, FORMAT, "FAIL", "rdkafka#consumer-1", REFUSED.format(0))
    clock.now += 3600
    log.log(logging.ERROR, FORMAT, "FAIL", "rdkafka#consumer-1", REFUSED.format(0))
    assert [line.endswith("CONNECT)") for line in messages(caplog)] == [True, True]
