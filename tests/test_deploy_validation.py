"""The deployment files are valid for the tools that will read them, checked without a container engine or cluster.

- compose.yaml against the Compose Specification's JSON schema (vendored in
  check-jsonschema), since `docker compose config` needs the compose plugin;
- Kubernetes objects of built-in kinds against the Kubernetes OpenAPI schemas in
  kubernetes-validate, strict (unknown fields are errors, as `kubectl apply` makes them);
- custom resources (KEDA, Prometheus Operator) against cloudcoil's models, which are
  generated from those projects' CRD schemas: parsed strictly (no type coercion), and
  a field the CRD does not know, dropped by the model, makes the round trip differ;
- the Prometheus config with `promtool check config`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from deploy_files import COMPOSE_FILE, DEPLOY, compose, kubernetes_documents, tool

# The oldest Kubernetes the manifests are meant for (deploy/README.md).
KUBERNETES_VERSION = "1.29"
PROMTOOL = tool("promtool")


def custom_resource_models() -> dict[tuple[str, str], Any]:
    keda = pytest.importorskip(
        "cloudcoil.models.keda.v1alpha1", reason="cloudcoil-models-keda not installed (it is in the test extra)"
    )
    monitoring = pytest.importorskip(
        "cloudcoil.models.prometheus_operator.v1",
        reason="cloudcoil-models-prometheus-operator not installed (it is in the test extra)",
    )
    return {
        ("keda.sh/v1alpha1", "ScaledObject"): keda.ScaledObject,
        ("keda.sh/v1alpha1", "TriggerAuthentication"): keda.TriggerAuthentication,
        ("monitoring.coreos.com/v1", "ServiceMonitor"): monitoring.ServiceMonitor,
    }


def name_of(document: dict[str, Any]) -> str:
    return f"{document['kind']}/{document['metadata']['name']}"


def api_group(document: dict[str, Any]) -> str:
    return document["apiVersion"].rpartition("/")[0]


# Everything else is a built-in kind, which kubernetes-validate knows (or fails on, loudly).
CUSTOM_RESOURCE_GROUPS = {"keda.sh", "monitoring.coreos.com"}
BUILT_IN = [document for document in kubernetes_documents() if api_group(document) not in CUSTOM_RESOURCE_GROUPS]
CUSTOM = [document for document in kubernetes_documents() if api_group(document) in CUSTOM_RESOURCE_GROUPS]


def test_compose_file_matches_the_compose_specification() -> None:
    pytest.importorskip("check_jsonschema", reason="check-jsonschema not installed (it is in the test extra)")
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_mounts_files_that_exist() -> None:
    for name, service in compose()["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert (DEPLOY / source).exists(), f"{name} mounts {source}, which is not in deploy/"


def test_compose_dependencies_are_services() -> None:
    services = compose()["services"]
    for name, service in services.items():
        assert set(service.get("depends_on", [])) <= set(services), f"{name} depends on an unknown service"


@pytest.mark.parametrize("document", BUILT_IN, ids=name_of)
def test_kubernetes_object_matches_the_kubernetes_schema(document: dict[str, Any]) -> None:
    kubernetes_validate = pytest.importorskip(
        "kubernetes_validate", reason="kubernetes-validate not installed (it is in the test extra)"
    )
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("document", CUSTOM, ids=name_of)
def test_custom_resource_matches_its_crd(document: dict[str, Any]) -> None:
    model = custom_resource_models()[(document["apiVersion"], document["kind"])]
    parsed = model.model_validate_json(json.dumps(document), strict=True)
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == document, "fields the CRD lacks"


def test_manifests_include_every_kind_the_issue_asks_for() -> None:
    kinds = {document["kind"] for document in kubernetes_documents()}
    wanted = {"ConfigMap", "Deployment", "Service", "ServiceMonitor", "PodDisruptionBudget", "ScaledObject"}
    assert wanted <= kinds


@pytest.mark.skipif(PROMTOOL is None, reason="promtool not installed (.ci/run installs it)")
def test_promtool_checks_the_prometheus_config() -> None:
    """Also checks the rule files the config names."""
    config = DEPLOY / "prometheus" / "prometheus.yml"
    result = subprocess.run([PROMTOOL, "check", "config", str(config)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
