"""What the deployments pass a worker are real settings: names, values, secrets and shutdown timing.

pydantic-settings ignores a `DEIDSTREAM_*` variable that names no setting, so a typo in a
manifest would pass silently; these tests catch it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_origin

import pytest
from pydantic import BaseModel

from deidstream.config import Settings
from deploy_files import (
    DOCKERFILE,
    IMAGE_SETTINGS,
    SECRET_PLACEHOLDER,
    compose,
    compose_environment,
    compose_settings,
    kubernetes_documents,
    kubernetes_environment,
    kubernetes_object,
    kubernetes_settings,
    kubernetes_settings_file,
    settings_with,
    worker_container,
)

# Read outside the Settings model by the anonymization policy (issue 6), so that the
# secret is never part of printable settings: the secret itself, or a file holding it.
SECRET_VARIABLES = {"DEIDSTREAM_SECRET", "DEIDSTREAM_SECRET_FILE"}
SENSITIVE = re.compile(r"PASSWORD|SECRET|TOKEN|CREDENTIAL", re.IGNORECASE)


def settings_variables() -> re.Pattern[str]:
    """Every variable name pydantic-settings reads into Settings (`__` nests; dict settings take any key)."""
    names = []
    for name, field in Settings.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            names += [f"{name}__{nested}" for nested in field.annotation.model_fields]
        elif get_origin(field.annotation) is dict:
            names.append(rf"{name}__\w+")
        else:
            names.append(name)
    return re.compile(rf"DEIDSTREAM_(?:{'|'.join(names)})", re.IGNORECASE)


def deployment_variables() -> dict[str, set[str]]:
    """DEIDSTREAM_* variable -> where it is set or read: compose services, the Kubernetes container, the Dockerfile."""
    found: dict[str, set[str]] = {}
    for name, service in compose()["services"].items():
        for variable in compose_environment(service):
            found.setdefault(variable, set()).add(f"compose service {name}")
    for variable in kubernetes_environment():
        found.setdefault(variable, set()).add("Kubernetes Deployment")
    for variable in re.findall(r"DEIDSTREAM_\w+", DOCKERFILE.read_text()):
        found.setdefault(variable, set()).add("worker/Dockerfile")
    return {variable: places for variable, places in found.items() if variable.startswith("DEIDSTREAM_")}


def test_every_deidstream_variable_is_a_setting() -> None:
    variables = deployment_variables()
    assert variables, "the deployments should configure the worker through DEIDSTREAM_* variables"
    known = settings_variables()
    unknown = {
        name: places for name, places in variables.items() if name not in SECRET_VARIABLES and not known.fullmatch(name)
    }
    assert not unknown, f"not settings of deidstream: {unknown}"


def test_the_check_refuses_a_misspelt_variable() -> None:
    known = settings_variables()
    assert known.fullmatch("DEIDSTREAM_ENGINE__NLP_BATCH_SIZE") and known.fullmatch("DEIDSTREAM_KAFKA__SASL_PASSWORD")
    assert not known.fullmatch("DEIDSTREAM_PROCESS") and not known.fullmatch("DEIDSTREAM_ENGINE__MODLE")


def test_kubernetes_settings_load_and_keep_the_file_security_settings(tmp_path: Path) -> None:
    """The ConfigMap's file and the container's environment make valid settings; the Secret's credentials join
    the file's librdkafka settings rather than replace them."""
    settings = kubernetes_settings(tmp_path)
    assert settings.kafka["security.protocol"] == "SASL_SSL"
    assert settings.kafka["sasl.username"] == settings.kafka["sasl.password"] == SECRET_PLACEHOLDER


def test_compose_settings_load() -> None:
    settings = compose_settings()
    assert settings.bootstrap_servers == "kafka:9092"


def test_kubernetes_takes_secrets_only_from_secrets() -> None:
    assert "Secret" not in {document["kind"] for document in kubernetes_documents()}, "no Secret with its values here"
    mounts = {mount["name"]: mount["mountPath"] for mount in worker_container()["volumeMounts"]}
    volumes = kubernetes_object("Deployment")["spec"]["template"]["spec"]["volumes"]
    secret_paths = [mounts[volume["name"]] for volume in volumes if "secret" in volume]
    for entry in worker_container()["env"]:
        if not SENSITIVE.search(entry["name"]):
            continue
        if entry["name"].endswith("_FILE"):
            assert any(entry["value"].startswith(path + "/") for path in secret_paths), f"{entry['name']} is no Secret"
        else:
            assert "secretKeyRef" in entry.get("valueFrom", {}), f"{entry['name']} should come from a Secret"


@pytest.mark.parametrize("source", ["image", "kubernetes"])
def test_settings_files_hold_no_credentials(source: str, tmp_path: Path) -> None:
    settings_file = IMAGE_SETTINGS if source == "image" else kubernetes_settings_file(tmp_path)
    settings = settings_with({}, settings_file)
    librdkafka_keys = {*settings.kafka, *settings.kafka_consumer, *settings.kafka_producer}
    assert not {key for key in librdkafka_keys if SENSITIVE.search(key)}, "credentials belong in Secrets"


@pytest.mark.parametrize("deployment", ["compose", "kubernetes"])
def test_grace_period_outlasts_the_drain(deployment: str, tmp_path: Path) -> None:
    """The container runtime waits longer than the supervisor's shutdown_timeout_s before it kills the workers,
    with 10 s to spare for the supervisor to kill stragglers and exit itself."""
    if deployment == "compose":
        grace_s = float(compose()["services"]["deidstream"]["stop_grace_period"].removesuffix("s"))
        drain_s = compose_settings().shutdown_timeout_s
    else:
        grace_s = kubernetes_object("Deployment")["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        drain_s = kubernetes_settings(tmp_path).shutdown_timeout_s
    assert grace_s >= drain_s + 10
