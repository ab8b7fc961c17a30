"""Scaling stays within what Kafka can use: consumers (pods x processes) never outnumber the input partitions.

Each partition is read by one consumer of the group and every worker process is a
consumer, so more processes than partitions only idle. The autoscaler also has to
watch the group and topic the workers actually use.
"""

from __future__ import annotations

from pathlib import Path

from deploy_files import (
    compose,
    compose_environment,
    compose_settings,
    kubernetes_object,
    kubernetes_settings,
    worker_container,
)

PARTITIONS_ANNOTATION = "deidstream/input-partitions"


def test_compose_workers_fit_the_partitions() -> None:
    services = compose()["services"]
    topics = compose_environment(services["kafka-topics"])
    consumers = services["deidstream"]["deploy"]["replicas"] * compose_settings().processes
    assert consumers <= int(topics["PARTITIONS"])


def test_compose_creates_the_topics_the_workers_use() -> None:
    settings = compose_settings()
    created = set(compose_environment(compose()["services"]["kafka-topics"])["TOPICS"].split())
    assert {*settings.input_topic, settings.output_topic, settings.quarantine_topic} <= created


def test_autoscaler_maximum_fits_the_partitions(tmp_path: Path) -> None:
    scaled_object = kubernetes_object("ScaledObject")
    partitions = int(scaled_object["metadata"]["annotations"][PARTITIONS_ANNOTATION])
    processes = kubernetes_settings(tmp_path).processes
    assert scaled_object["spec"]["maxReplicaCount"] * processes <= partitions
    assert scaled_object["spec"]["minReplicaCount"] <= scaled_object["spec"]["maxReplicaCount"]


def test_autoscaler_watches_the_workers_group_and_topic(tmp_path: Path) -> None:
    settings = kubernetes_settings(tmp_path)
    scaled_object = kubernetes_object("ScaledObject")
    assert scaled_object["spec"]["scaleTargetRef"]["name"] == kubernetes_object("Deployment")["metadata"]["name"]
    (trigger,) = scaled_object["spec"]["triggers"]
    assert trigger["type"] == "kafka"
    assert trigger["metadata"]["consumerGroup"] == settings.group_id
    assert trigger["metadata"]["topic"] in settings.input_topic
    assert trigger["metadata"]["bootstrapServers"] == settings.bootstrap_servers


def test_pod_requests_a_core_per_worker_process(tmp_path: Path) -> None:
    """The processes are CPU-bound: fewer cores than processes would slow every one of them."""
    requests = worker_container()["resources"]["requests"]
    assert float(requests["cpu"]) == kubernetes_settings(tmp_path).processes
