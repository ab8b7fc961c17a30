"""The worker image's default configuration is valid and points at the shipped model."""

from __future__ import annotations

from conftest import REPO_ROOT
from deidstream.config import DEFAULT_MODEL, load_settings


def test_default_worker_config_loads() -> None:
    settings = load_settings(REPO_ROOT / "worker" / "deidstream.toml")
    assert settings.engine.model == DEFAULT_MODEL
    assert settings.input_topic == ["reports.raw"]
