"""librdkafka's statistics (`statistics.interval.ms`) turned into a few gauges ops can act on.

Only the worker's own partitions appear in its statistics; partitions it reported
before and lost in a rebalance are set to 0, so that the new owner's value is
the one `livemax` shows. The consumer's count of brokers up is what `/readyz`
reads to say that no broker answers: the consumer always talks to its group
coordinator, while an idle producer may have let its connections go.
"""

from __future__ import annotations

import json
from typing import Any

from deidstream.stream import metrics

STATISTICS_INTERVAL_MS = 5000


class ConsumerStatistics:
    def __init__(self) -> None:
        self._reported: set[tuple[str, str]] = set()

    def __call__(self, statistics_json: str) -> None:
        statistics = json.loads(statistics_json)
        current = set()
        for topic, topic_stats in statistics.get("topics", {}).items():
            for partition, partition_stats in topic_stats.get("partitions", {}).items():
                lag = partition_stats.get("consumer_lag", -1)
                if partition == "-1" or lag < 0:
                    continue
                metrics.CONSUMER_LAG.labels(topic, partition).set(lag)
                current.add((topic, partition))
        for topic, partition in self._reported - current:
            metrics.CONSUMER_LAG.labels(topic, partition).set(0)
        self._reported = current
        metrics.BROKERS_UP.labels("consumer").set(brokers_up(statistics))
        _broker_rtt(statistics)


def producer_statistics(statistics_json: str) -> None:
    statistics = json.loads(statistics_json)
    metrics.PRODUCER_QUEUE.set(statistics.get("msg_cnt", 0))
    _broker_rtt(statistics)


def brokers_up(statistics: dict[str, Any]) -> int:
    """Distinct brokers with a connection up: bootstrap or learned ones (not the group coordinator's alias)."""
    return len(
        {
            broker["nodename"]
            for broker in statistics.get("brokers", {}).values()
            if broker.get("source") in ("configured", "learned") and broker.get("state") == "UP"
        }
    )


def _broker_rtt(statistics: dict[str, Any]) -> None:
    averages = [broker["rtt"]["avg"] for broker in statistics.get("brokers", {}).values() if broker.get("rtt")]
    if averages:
        metrics.BROKER_RTT_SECONDS.labels(statistics.get("type", "client")).set(max(averages) / 1_000_000)
