"""Before the workers start: a directory that cannot work stops `deidstream run` with what to do about it.

A worker never runs without its directory when the settings name one, and never
takes a directory it cannot read for an empty one. So before the model is loaded,
`deidstream run` checks that the topic exists, that it is compacted (erasure and the
start-up read both rely on one record per patient), and that the secret opens its
records: the first records of every partition are read, and if none of them opens
and they were written under another secret's key id, the secret is the wrong one
(the message names the key ids). Unreadable records of this secret, or a few among
readable ones, are not fatal: each worker leaves them out and quarantines them.

Nothing here imports the metrics catalogue: prometheus-client must be imported only
once `deidstream run` has set up its multiprocess directory.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource  # type: ignore[attr-defined]  # re-exported untyped

from deidstream.anonymization.secret import Secret
from deidstream.config import Settings
from deidstream.directory.codec import DirectoryCodec, UnreadableRecord, key_id_of
from deidstream.directory.follower import DirectoryError, follower_config, missing_topic
from deidstream.stream.client_log import FoldedLog
from deidstream.stream.kafka_properties import accepted_by

log = logging.getLogger(__name__)

SAMPLE_RECORDS = 50
NO_KEY_ID = "(none)"
CHECK_TIMEOUT_S = 10.0


def check_directory(settings: Settings, secret: Secret, timeout_s: float = CHECK_TIMEOUT_S) -> None:
    """Raises `DirectoryError` when the directory topic is missing, not compacted, or unreadable with `secret`."""
    topic = settings.directory.topic
    assert topic is not None
    config: dict[str, Any] = {  # the consumer's security settings; an admin client is a producer handle
        "bootstrap.servers": settings.bootstrap_servers,
        "logger": FoldedLog(logging.getLogger("librdkafka")),
        **accepted_by("producer", {**settings.kafka, **settings.kafka_consumer}),
    }
    admin = AdminClient(config)
    try:
        topics = admin.list_topics(timeout=timeout_s).topics  # every topic: asking for one may create it
    except KafkaException as error:
        raise DirectoryError(
            f"cannot read the brokers' topics to find the directory topic {topic!r}: {error.args[0].str()}"
        ) from None
    if topic not in topics or not topics[topic].partitions:
        raise DirectoryError(missing_topic(topic))
    _check_compacted(admin, topic, timeout_s)
    readable, key_ids = _sample(settings, topic, sorted(topics[topic].partitions), DirectoryCodec(secret), timeout_s)
    foreign = key_ids - {secret.key_id, NO_KEY_ID}  # records of this secret that do not open are corrupt, not foreign
    if foreign and not readable:
        written = ", ".join(sorted(foreign))
        raise DirectoryError(
            f"the directory topic {topic!r} cannot be read with this secret (key id {secret.key_id}): its records "
            f"were written under key id {written}. Start the workers with the secret the directory was built with, "
            "or build the directory anew under this one: a new directory topic, `deidstream directory load` of the "
            "registry export, and the registration feed"
        )


def _check_compacted(admin: AdminClient, topic: str, timeout_s: float) -> None:
    try:
        futures = admin.describe_configs([ConfigResource(ConfigResource.Type.TOPIC, topic)])
        configs = next(iter(futures.values())).result(timeout=timeout_s)
    except (KafkaException, ValueError) as error:  # brokers that do not describe configs: say so and go on
        log.warning("could not read the cleanup.policy of directory topic %s (%s); it must be compact", topic, error)
        return
    entry = configs.get("cleanup.policy")
    policy = entry.value if entry is not None else None
    if policy is not None and "compact" not in policy:
        raise DirectoryError(
            f"the directory topic {topic!r} has cleanup.policy={policy}; it must be compact: erasure (`deidstream "
            "directory forget`) relies on compaction to remove a patient's earlier records, and the workers' start-up "
            f"read on one record per patient. Set it: kafka-configs --alter --entity-type topics --entity-name {topic} "
            "--add-config cleanup.policy=compact"
        )


def _sample(
    settings: Settings, topic: str, partitions: list[int], codec: DirectoryCodec, timeout_s: float
) -> tuple[int, set[str]]:
    """How many of the first records of the partitions this secret reads, and the key ids they were written under."""
    consumer = Consumer(follower_config(settings))
    consumer.assign([TopicPartition(topic, partition, OFFSET_BEGINNING) for partition in partitions])
    readable, seen = 0, 0
    at_end: set[int | None] = set()
    key_ids: set[str] = set()
    deadline = time.monotonic() + timeout_s
    try:
        while seen < SAMPLE_RECORDS and len(at_end) < len(partitions) and time.monotonic() < deadline:
            for message in consumer.consume(SAMPLE_RECORDS, timeout=0.5):
                error = message.error()
                if error is not None:
                    if error.code() == KafkaError._PARTITION_EOF:
                        at_end.add(message.partition())
                    continue
                value = message.value()
                if value is None:
                    continue
                seen += 1
                written = key_id_of(message.headers())
                key_ids.add(written or NO_KEY_ID)
                try:
                    codec.check(message.key(), value)
                    readable += 1
                except UnreadableRecord:
                    continue
    finally:
        consumer.close()
    return readable, key_ids
