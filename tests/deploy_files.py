"""The deployment files, parsed, for the tests that check them: compose stack, Kubernetes manifests, worker image.

The settings each deployment gives a worker are rebuilt the way `deidstream run`
builds them: the settings file it mounts, then the environment it passes.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

from conftest import REPO_ROOT
from deidstream.config import Settings, load_settings

DEPLOY = REPO_ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "compose.yaml"
KUBERNETES = DEPLOY / "kubernetes"
DOCKERFILE = REPO_ROOT / "worker" / "Dockerfile"
IMAGE_SETTINGS = REPO_ROOT / "worker" / "deidstream.toml"
# Stands in for values that come from a Kubernetes Secret.
SECRET_PLACEHOLDER = "from-a-secret"


def tool(name: str) -> str | None:
    """A command-line tool, looked for first beside this interpreter (pip installs the test extra's tools there)."""
    return shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def compose_environment(service: dict[str, Any]) -> dict[str, str]:
    """A compose service's environment, from either of the two forms compose accepts."""
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(entry.split("=", 1) for entry in environment)
    return {name: str(value) for name, value in environment.items()}


def kubernetes_documents() -> list[dict[str, Any]]:
    return [
        document
        for path in sorted(KUBERNETES.glob("*.yaml"))
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if document
    ]


def kubernetes_object(kind: str) -> dict[str, Any]:
    (found,) = [document for document in kubernetes_documents() if document["kind"] == kind]
    return found


def worker_container() -> dict[str, Any]:
    (container,) = kubernetes_object("Deployment")["spec"]["template"]["spec"]["containers"]
    return container


def kubernetes_environment() -> dict[str, str]:
    """The worker container's environment, with values from Secrets replaced by a placeholder."""
    return {entry["name"]: entry.get("value", SECRET_PLACEHOLDER) for entry in worker_container()["env"]}


def kubernetes_settings_file(directory: Path) -> Path:
    """The ConfigMap's settings file, written out as the pod sees it."""
    path = directory / "deidstream.toml"
    path.write_text(kubernetes_object("ConfigMap")["data"]["deidstream.toml"], encoding="utf-8")
    return path


def settings_with(environment: dict[str, str], settings_file: Path) -> Settings:
    """Settings as `deidstream run --config settings_file` builds them under `environment`."""
    clean = {name: value for name, value in os.environ.items() if not name.upper().startswith("DEIDSTREAM_")}
    with mock.patch.dict(os.environ, {**clean, **environment}, clear=True):
        return load_settings(settings_file)


def kubernetes_settings(directory: Path) -> Settings:
    return settings_with(kubernetes_environment(), kubernetes_settings_file(directory))


def compose_settings() -> Settings:
    return settings_with(compose_environment(compose()["services"]["deidstream"]), IMAGE_SETTINGS)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    joined = re.sub(
        r"\\\n",
        " ",
        "\n".join(line for line in DOCKERFILE.read_text().splitlines() if not line.lstrip().startswith("#")),
    )
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip()) for line in joined.splitlines() if line.strip()
    ]
