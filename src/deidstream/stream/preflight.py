"""A start-up look at the brokers: a TLS or SASL setting that can never work stops `deidstream run` at once.

Without it a wrong CA, client certificate or password shows only as librdkafka
retrying in the logs of every worker process, forever, while readiness says all
is well. Before the model is loaded, one metadata request is made with the
workers' security settings. An authentication failure (TLS handshake, SASL)
cannot heal by waiting, so it ends start-up with librdkafka's reason. Brokers
that merely do not answer yet may be starting too (compose, a rollout): that is
logged and the workers start and retry as usual.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient

from deidstream.config import Settings
from deidstream.stream.client_log import FoldedLog
from deidstream.stream.kafka_properties import accepted_by

log = logging.getLogger(__name__)
T = TypeVar("T")

CHECK_TIMEOUT_S = 10.0
_AUTHENTICATION_ERRORS = {KafkaError._SSL, KafkaError._AUTHENTICATION, KafkaError.SASL_AUTHENTICATION_FAILED}


class BrokerAuthenticationError(Exception):
    """The brokers refused the worker's TLS or SASL settings; the message says which and librdkafka's reason."""


class KafkaSettingsError(Exception):
    """librdkafka refused a setting (no such property, or a value it cannot take); the message has its reason."""


def check_brokers(settings: Settings, timeout_s: float = CHECK_TIMEOUT_S) -> bool:
    """True once the brokers answer a metadata request; raises `BrokerAuthenticationError` on TLS or SASL failure.

    Raises `KafkaSettingsError` first when librdkafka refuses a setting of either client: otherwise every worker
    process would fail on it as it starts, and be restarted, in a loop.
    """
    client_log = FoldedLog(logging.getLogger("librdkafka"))
    _check_client_settings(settings, client_log)
    failures: list[KafkaError] = []
    config: dict[str, Any] = {  # callbacks and a logger too, which confluent-kafka's stubs do not allow for
        "bootstrap.servers": settings.bootstrap_servers,
        "error_cb": failures.append,
        "logger": client_log,
        # The consumer's security settings; the admin client is a producer handle, so not its consumer properties.
        **accepted_by("producer", {**settings.kafka, **settings.kafka_consumer}),
    }
    admin = _refused_as_settings_error(lambda: AdminClient(config), "kafka and kafka_consumer")
    try:
        return _wait_for_metadata(admin, settings, failures, timeout_s)
    finally:
        client_log.flush()


def _check_client_settings(settings: Settings, client_log: FoldedLog) -> None:
    """Each client's own settings, given to a client with no brokers to connect to: librdkafka checks them as it builds."""
    consumer: dict[str, Any] = {**accepted_by("consumer", settings.kafka), **settings.kafka_consumer}
    producer: dict[str, Any] = {**accepted_by("producer", settings.kafka), **settings.kafka_producer}
    for config in (consumer, producer):
        config.pop("bootstrap.servers", None)
        config["logger"] = client_log
    _refused_as_settings_error(
        lambda: Consumer({"group.id": "deidstream-preflight", **consumer}).close(), "kafka and kafka_consumer"
    )
    _refused_as_settings_error(lambda: Producer(producer), "kafka and kafka_producer")


def _refused_as_settings_error(build: Callable[[], T], names: str) -> T:
    try:
        return build()
    except KafkaException as error:
        raise KafkaSettingsError(
            f"librdkafka refused the Kafka settings: {error.args[0].str()}. Check the {names} settings "
            "(DEIDSTREAM_KAFKA__*, DEIDSTREAM_KAFKA_CONSUMER__*, DEIDSTREAM_KAFKA_PRODUCER__*, --kafka-option) "
            "against librdkafka's CONFIGURATION.md"
        ) from None


def _wait_for_metadata(admin: AdminClient, settings: Settings, failures: list[KafkaError], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            admin.list_topics(timeout=min(1.0, max(0.1, deadline - time.monotonic())))
            return True
        except KafkaException as error:
            failures.append(error.args[0])
        admin.poll(0.2)  # serves error_cb, which carries the reason (the metadata error only says "transport")
        refused = [failure for failure in failures if failure.code() in _AUTHENTICATION_ERRORS]
        if refused:
            protocol = settings.kafka.get("security.protocol", "PLAINTEXT")
            kind = "TLS" if refused[0].code() == KafkaError._SSL else "SASL authentication"
            raise BrokerAuthenticationError(
                f"{kind} with the brokers at {settings.bootstrap_servers} failed (security.protocol={protocol}): "
                f"{refused[0].str()}. Check ssl.ca.location, ssl.certificate.location, ssl.key.location and the "
                "sasl.* settings"
            )
    last = failures[-1].str() if failures else "no answer"
    log.warning(
        "brokers at %s did not answer within %.0f s (%s); starting anyway", settings.bootstrap_servers, timeout_s, last
    )
    return False
