"""The Kafka loop of one worker process: consume a batch, process it, hand it to the Publisher, repeat.

The Worker owns the consumer's side: the group subscription and its rebalance
callbacks, the quarantine brake, and when to stop. With a patient directory it
reads the directory topic to its end before it joins the group, and follows it
between batches. Producing, waiting for the
broker's acknowledgement, retrying and committing are the Publisher's
(`publisher.py`): offsets are committed only after every record made from them,
clean or quarantine, is acknowledged, so a crash anywhere loses nothing.
"""

from __future__ import annotations

import logging
import os
import signal
from types import FrameType

from confluent_kafka import TIMESTAMP_NOT_AVAILABLE, Consumer, KafkaError, Message, Producer, TopicPartition

from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.stream import metrics
from deidstream.stream.brake import QuarantineBrake
from deidstream.stream.client_log import FoldedLog
from deidstream.stream.kafka_properties import accepted_by
from deidstream.stream.kafka_stats import STATISTICS_INTERVAL_MS, ConsumerStatistics, producer_statistics
from deidstream.stream.patient_directory import PatientDirectory
from deidstream.stream.pipeline import BatchProcessor
from deidstream.stream.publisher import Publisher
from deidstream.stream.records import OutputRecord, SourceMessage, received_headers
from deidstream.stream.topic_anonymizers import TopicAnonymizers

log = logging.getLogger(__name__)
# librdkafka's own log lines, routed through logging so they share format and level with ours, repeats folded.
librdkafka_log = logging.getLogger("librdkafka")


def consumer_config(settings: Settings, client_log: FoldedLog) -> dict[str, object]:
    """The consumer's settings: ours, then the shared `kafka` ones a consumer accepts, then `kafka_consumer`."""
    return {
        "bootstrap.servers": settings.bootstrap_servers,
        "group.id": settings.group_id,
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "client.id": f"deidstream-{os.getpid()}",
        "logger": client_log,
        "statistics.interval.ms": STATISTICS_INTERVAL_MS,
        "stats_cb": ConsumerStatistics(),
        # Long enough for the worst batch under the detection budget; settings refuse a user value below it.
        "max.poll.interval.ms": str(settings.poll_interval_needed_ms),
        # Incremental rebalancing: a worker joining or leaving moves only the partitions that change hands, and the
        # others keep consuming. Tansu (the embedded broker) supports it: tests/test_rebalance.py scales 1-2-1 on it.
        "partition.assignment.strategy": "cooperative-sticky",
        **accepted_by("consumer", settings.kafka),
        **settings.kafka_consumer,
    }


def producer_config(settings: Settings, client_log: FoldedLog) -> dict[str, object]:
    """The producer's settings: ours, then the shared `kafka` ones a producer accepts, then `kafka_producer`."""
    return {
        "bootstrap.servers": settings.bootstrap_servers,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
        "message.max.bytes": max(settings.max_message_bytes * 2, 1_000_000),
        "client.id": f"deidstream-{os.getpid()}",
        "logger": client_log,
        "statistics.interval.ms": STATISTICS_INTERVAL_MS,
        "stats_cb": producer_statistics,
        **accepted_by("producer", settings.kafka),
        **settings.kafka_producer,
    }


class Worker:
    """Consumes the input topics in the group and publishes every message to clean or quarantine."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        anonymizers: TopicAnonymizers,
        directory: PatientDirectory | None = None,
    ) -> None:
        self._settings = settings
        self._directory = directory
        self._processor = BatchProcessor(settings, engine, anonymizers, directory)
        self._brake = QuarantineBrake(
            settings.quarantine_window, settings.quarantine_max_ratio, settings.quarantine_brake_ignores
        )
        self._stopping = False
        self._parent_pid = os.getppid()
        self._client_logs = (FoldedLog(librdkafka_log), FoldedLog(librdkafka_log))  # the consumer's, the producer's
        self._consumer = Consumer(consumer_config(settings, self._client_logs[0]))
        self._publisher = Publisher(
            settings,
            Producer(producer_config(settings, self._client_logs[1])),
            self._consumer,
            should_stop=self._should_stop,
            stays_paused=lambda topic: topic in self._brake.braked,
        )

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        """Ask the loop to finish the batch in hand, commit it and leave the group."""
        self._stopping = True

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    def run(self) -> None:
        try:
            if self._directory is not None:
                self._directory.load(self._should_stop)  # before joining: no message is processed without it
            self._consumer.subscribe(
                self._settings.input_topic, on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_lost
            )
            while not self._should_stop():
                if self._brake.braked:
                    self._pause_braked()  # also the braked topics' partitions a rebalance has handed over since
                messages = self._consume_batch()
                if self._directory is not None:  # what arrived meanwhile, before the batch is processed
                    self._directory.follow()
                if messages:
                    self._handle(messages)
                self._publisher.serve_events()
        finally:
            self._publisher.flush()
            self._consumer.close()
            for client_log in self._client_logs:
                client_log.flush()
            if self._directory is not None:
                self._directory.close()
            log.info("worker stopped and left the group")

    def _should_stop(self) -> bool:
        if os.getppid() != self._parent_pid:
            log.warning("supervisor process is gone; stopping")
            self._stopping = True
        return self._stopping

    def _consume_batch(self) -> list[SourceMessage]:
        batch = []
        for message in self._consumer.consume(
            num_messages=self._settings.batch_max_messages, timeout=self._settings.batch_max_wait_s
        ):
            error = message.error()
            if error is None:
                batch.append(_source(message))
            elif error.code() != KafkaError._PARTITION_EOF:
                log.error("consumer error: %s", error.str())
        return batch

    def _handle(self, messages: list[SourceMessage]) -> None:
        # Fetched before the brake paused their partitions: left uncommitted for the worker after a restart.
        messages = [message for message in messages if message.topic not in self._brake.braked]
        if not messages:
            return
        metrics.IN_FLIGHT.set(len(messages))
        metrics.BATCH_SIZE.observe(len(messages))
        for message in messages:
            metrics.MESSAGES_CONSUMED.labels(message.topic).inc()
            metrics.BYTES_PROCESSED.inc(len(message.value or b""))
        records = self._apply_brake(self._processor.process(messages))
        # Registrations go to the directory topic with the batch: committed only once the directory has them too.
        directory_records = [
            record
            for record in self._processor.take_directory_records()
            if record.source.topic not in self._brake.braked
        ]
        if not records:
            metrics.IN_FLIGHT.set(0)
            return
        with metrics.BATCH_SECONDS.labels("produce").time():
            published = self._publisher.publish(directory_records + records)
        if not published:
            log.warning("stopped before %d records were delivered; their offsets stay uncommitted", len(records))
            return
        self._publisher.commit()
        metrics.IN_FLIGHT.set(0)
        quarantined = sum(record.quarantine_reason is not None for record in records)
        log.info(
            "batch of %d published: %d clean, %d quarantined", len(records), len(records) - quarantined, quarantined
        )

    def _apply_brake(self, records: list[OutputRecord]) -> list[OutputRecord]:
        """Count the batch in each topic's window; drop, unpublished and uncommitted, the records of braked topics."""
        for record in records:
            if self._brake.record(record.source.topic, record.quarantine_reason):
                self._engage_brake(record.source.topic)
        return [record for record in records if record.source.topic not in self._brake.braked]

    def _engage_brake(self, topic: str) -> None:
        reasons = ", ".join(f"{reason} {count}" for reason, count in self._brake.reasons(topic).most_common())
        log.error(
            "quarantine brake engaged on input topic %s: %d of its last %d messages were quarantined (limit %g%%; %s); "
            "its partitions are paused and nothing more of it is committed until the worker is restarted",
            topic,
            self._brake.quarantined(topic),
            self._brake.window,
            self._brake.max_ratio * 100,
            reasons,
        )
        metrics.QUARANTINE_BRAKE_ENGAGED.labels(topic).set(1)
        self._pause_braked()

    def _pause_braked(self) -> None:
        braked = [tp for tp in self._consumer.assignment() if tp.topic in self._brake.braked]
        if braked:
            self._consumer.pause(braked)

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Log the partitions held after this assignment (cooperative rebalancing hands over only the new ones)."""
        holding = _union(consumer.assignment(), partitions)
        log.info("assigned %s", _describe(holding))
        unbraked = [tp for tp in partitions if tp.topic not in self._brake.braked]
        if unbraked:
            consumer.resume(unbraked)  # a partition paused when it was lost comes back paused otherwise
        metrics.REBALANCES.inc()
        metrics.ASSIGNED_PARTITIONS.set(len(holding))

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Before the partitions move, the Publisher commits what the broker has acknowledged of the batch on them."""
        log.info("revoked %s", _describe(partitions))
        revoked = {(tp.topic, tp.partition) for tp in partitions}
        metrics.ASSIGNED_PARTITIONS.set(
            len([tp for tp in consumer.assignment() if (tp.topic, tp.partition) not in revoked])
        )
        self._publisher.revoke(partitions)

    def _on_lost(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Partitions taken away without a revocation (session expired): another worker may own them; commit nothing."""
        log.warning("lost %s", _describe(partitions))
        self._publisher.lose(partitions)
        metrics.ASSIGNED_PARTITIONS.set(0)


def _union(held: list[TopicPartition], added: list[TopicPartition]) -> list[TopicPartition]:
    seen = {(tp.topic, tp.partition): tp for tp in [*held, *added]}
    return [seen[key] for key in sorted(seen)]


def _describe(partitions: list[TopicPartition]) -> str:
    return ", ".join(f"{tp.topic}[{tp.partition}]" for tp in partitions) or "nothing"


def _source(message: Message) -> SourceMessage:
    topic, partition, offset = message.topic(), message.partition(), message.offset()
    # Only error events lack them, and the caller has set those aside.
    assert topic is not None and partition is not None and offset is not None, "a consumed record has a position"
    return SourceMessage(
        topic=topic,
        partition=partition,
        offset=offset,
        key=message.key(),
        value=message.value(),
        headers=received_headers(message),
        timestamp_ms=message.timestamp()[1] if message.timestamp()[0] != TIMESTAMP_NOT_AVAILABLE else None,
    )
