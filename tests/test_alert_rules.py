"""The shipped Prometheus alert rules: valid, unit-tested with promtool, and only about metrics we export."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml
from prometheus_client import REGISTRY

import deidstream.stream.metrics  # noqa: F401 - registers the catalogue
from conftest import REPO_ROOT
from promql import metric_names

RULES = REPO_ROOT / "deploy" / "prometheus"
needs_promtool = pytest.mark.skipif(
    shutil.which("promtool") is None, reason="promtool not installed (.ci/run installs it)"
)
SUFFIXES = {"counter": ["_total"], "histogram": ["_bucket", "_sum", "_count"], "gauge": [""]}


def exported_names() -> set[str]:
    return {
        family.name + suffix
        for family in REGISTRY.collect()
        if family.name.startswith("deidstream_")
        for suffix in SUFFIXES.get(family.type, [""])
    }


@needs_promtool
def test_promtool_checks_the_rules() -> None:
    result = subprocess.run(["promtool", "check", "rules", "alerts.yml"], cwd=RULES, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_promtool_unit_tests_pass() -> None:
    result = subprocess.run(["promtool", "test", "rules", "alerts_test.yml"], cwd=RULES, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rules_name_only_exported_metrics() -> None:
    groups = yaml.safe_load((RULES / "alerts.yml").read_text())["groups"]
    used = {name for group in groups for rule in group["rules"] for name in metric_names(rule["expr"])}
    assert used, "the rules should use deidstream metrics"
    allowed = exported_names() | {"up"}  # `up` is Prometheus' own, per scrape target
    assert used <= allowed, f"not exported: {sorted(used - allowed)}"
