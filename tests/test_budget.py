"""The detection time budget: only the slow message is quarantined, and the poll interval outlasts the worst batch."""

from __future__ import annotations

import threading
import time

import pytest
from pydantic import ValidationError

from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.entity import Entity
from deidstream.stream.budget import DetectTimeout, time_budget
from deidstream.stream.client_log import FoldedLog
from deidstream.stream.pipeline import HEADER_QUARANTINE_DETAIL, BatchProcessor
from deidstream.stream.records import ProcessingFailure, SourceMessage
from deidstream.stream.topic_anonymizers import TopicAnonymizers
from deidstream.stream.worker import consumer_config, librdkafka_log

SLOW_MARKER = "CRAWL"


class SlowOnMarker:
    """The real engine, except that a text holding the marker makes detection spin for a minute (in Python)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.calls: list[int] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self._engine, name)

    def analyze_batch(self, texts: list[str]) -> list[list[Entity]]:
        self.calls.append(len(texts))
        if any(SLOW_MARKER in text for text in texts):
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                pass
        return self._engine.analyze_batch(texts)


def message(offset: int, text: str) -> SourceMessage:
    return SourceMessage("raw", 0, offset, None, text.encode(), [])


def test_only_the_slow_message_goes_to_quarantine_and_the_batch_goes_on(engine: Engine) -> None:
    settings = Settings(output_topic="clean", quarantine_topic="q", max_detect_seconds=0.5)
    slow = SlowOnMarker(engine)
    processor = BatchProcessor(settings, slow, TopicAnonymizers(settings, None))  # type: ignore[arg-type]
    batch = [
        message(0, "Patient John Smith was seen in clinic."),
        message(1, f"Patient Mary Jones {SLOW_MARKER} was seen."),
        message(2, "Dr. Alan Brown reviewed the film."),
    ]

    started = time.monotonic()
    records = processor.process(batch)
    elapsed = time.monotonic() - started

    assert [record.quarantine_reason for record in records] == [None, ProcessingFailure.DETECT_TIMEOUT, None]
    assert records[0].value == b"Patient <PERSON> was seen in clinic."
    assert records[1].value == batch[1].value, "quarantine keeps the raw value"
    detail = dict(records[1].headers)[HEADER_QUARANTINE_DETAIL].decode()
    assert "budget 0.5 s" in detail and "Mary" not in detail
    assert slow.calls == [3, 1, 1, 1], "one try of the batch, then each message alone"
    assert elapsed < 5, f"two budgets and the fast texts, not the slow text's minute ({elapsed:.1f} s)"


def test_outside_the_main_thread_an_overrun_is_noticed_after_the_fact() -> None:
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            with time_budget(0.05):
                time.sleep(0.2)
            outcome.append(None)
        except DetectTimeout as timeout:
            outcome.append(timeout)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert isinstance(outcome[0], DetectTimeout)


def test_within_budget_nothing_is_raised_and_the_timer_is_cleared() -> None:
    with time_budget(0.2):
        pass
    time.sleep(0.3)  # a timer left running would raise here


def test_max_poll_interval_is_derived_from_the_budget_and_batch_size() -> None:
    settings = Settings(max_detect_seconds=2, batch_max_messages=10)
    assert settings.poll_interval_needed_ms == (2 * 11 + 60) * 1000
    assert consumer_config(settings, FoldedLog(librdkafka_log))["max.poll.interval.ms"] == str(
        settings.poll_interval_needed_ms
    )
    larger = Settings(max_detect_seconds=2, batch_max_messages=10, kafka_consumer={"max.poll.interval.ms": "900000"})
    assert consumer_config(larger, FoldedLog(librdkafka_log))["max.poll.interval.ms"] == "900000", (
        "a larger user setting stands"
    )


@pytest.mark.parametrize("section", ["kafka", "kafka_consumer"])
def test_a_poll_interval_shorter_than_the_worst_batch_is_refused_at_start(section: str) -> None:
    with pytest.raises(ValidationError, match=r"max.poll.interval.ms = 300000 is shorter than a batch may take"):
        Settings(max_detect_seconds=60, batch_max_messages=64, **{section: {"max.poll.interval.ms": "300000"}})
