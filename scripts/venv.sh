#!/usr/bin/env bash
# Sourced by the other scripts: makes .venv with deidstream, its dev tools, the review workbench and test tools, or
# refreshes it when pyproject.toml has changed since it was last installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "deidstream needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 1
fi
stamp="$VENV/.installed-$(cksum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$stamp" ]; then
    echo "setting up $VENV (first run takes a minute)..." >&2
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --editable "$ROOT[dev,test,review]"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
fi
