#!/usr/bin/env bash
# Static checks, each failing on any finding: ruff's lint rules, ruff's formatting, and mypy --strict
# on src/ (settings in pyproject.toml). CI runs them before the tests.
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
cd "$ROOT"
"$VENV/bin/ruff" check src tests benchmarks scripts
"$VENV/bin/ruff" format --check src tests benchmarks scripts
"$VENV/bin/mypy"
