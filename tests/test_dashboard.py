"""The Grafana dashboard: every query is valid PromQL over metrics in the catalogue (the live check is in
test_prometheus_live.py), and it has the panels ops asked for."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT
from promql import dashboard_expressions, metric_names
from test_alert_rules import exported_names

DASHBOARD = REPO_ROOT / "deploy" / "grafana" / "dashboards" / "deidstream.json"
PROVISIONING = REPO_ROOT / "deploy" / "grafana" / "provisioning"


def test_metric_names_skips_functions_labels_keywords_and_durations() -> None:
    expression = (
        'histogram_quantile(0.99, sum by (le) (rate(a_bucket{job="x", le!="+Inf"}[5m] offset 1h)))'
        " / on (instance) group_left (model) b_info > bool 2 and c unless d:recorded"
    )
    assert metric_names(expression) == {"a_bucket", "b_info", "c", "d:recorded"}


def test_dashboard_has_the_panels_ops_need() -> None:
    titles = {key.split("/")[0] for key in dashboard_expressions(DASHBOARD)}
    wanted = [
        "Throughput in and out", "End-to-end latency", "Consumer lag by partition", "Quarantine by reason",
        "Entities by type", "Worker processes alive", "Model loaded",
    ]  # fmt: skip
    assert not [title for title in wanted if title not in titles]


def test_dashboard_queries_name_only_catalogued_metrics() -> None:
    used = {name for expression in dashboard_expressions(DASHBOARD).values() for name in metric_names(expression)}
    assert used <= exported_names(), f"not exported: {sorted(used - exported_names())}"


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool not installed (.ci/run installs it)")
def test_dashboard_queries_are_valid_promql(tmp_path: Path) -> None:
    rules = [{"record": f"dashboard:query_{index}", "expr": expression}
             for index, expression in enumerate(dashboard_expressions(DASHBOARD).values())]  # fmt: skip
    rules_file = tmp_path / "dashboard-queries.yml"
    rules_file.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}), encoding="utf-8")
    result = subprocess.run(["promtool", "check", "rules", str(rules_file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_provisioning_loads_the_dashboard_directory_compose_mounts() -> None:
    provider = yaml.safe_load((PROVISIONING / "dashboards" / "deidstream.yaml").read_text())["providers"][0]
    compose = yaml.safe_load((REPO_ROOT / "deploy" / "compose.yaml").read_text())
    mounts = compose["services"]["grafana"]["volumes"]
    assert f"./grafana/dashboards:{provider['options']['path']}:ro" in mounts
