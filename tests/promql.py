"""Metric names used by PromQL expressions, to check dashboards and alert rules against what the worker exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

# Words of the language that look like metric names.
KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset"}
KEYWORDS |= {"inf", "nan"}
# Grafana fills these in before the query reaches Prometheus.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h"}

_STRING = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGES = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_IDENTIFIER = re.compile(r"(?<![\w.:])([A-Za-z_:][\w:]*)\s*(\()?")


def metric_names(expression: str) -> set[str]:
    """Every metric selected by the expression; functions, keywords and label names are left out."""
    text = _GROUPING.sub(" ", _RANGES.sub("", _MATCHERS.sub("", _STRING.sub('""', expression))))
    return {
        match.group(1)
        for match in _IDENTIFIER.finditer(text)
        if match.group(2) is None and match.group(1).lower() not in KEYWORDS
    }


def with_grafana_variables(expression: str) -> str:
    for variable, value in GRAFANA_VARIABLES.items():
        expression = expression.replace(variable, value)
    return expression


def dashboard_expressions(path: Path) -> dict[str, str]:
    """`panel title/refId` → PromQL, ready for Prometheus, of every panel query in a Grafana dashboard."""
    dashboard = json.loads(path.read_text(encoding="utf-8"))
    return {
        f"{panel['title']}/{target['refId']}": with_grafana_variables(target["expr"])
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    }
