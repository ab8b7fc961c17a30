#!/usr/bin/env bash
# Runs the whole test suite; extra arguments go to pytest. pytest's own exit code is
# kept, so "no tests collected" (5) fails like any other failure.
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
cd "$ROOT"
exec "$VENV/bin/python" -m pytest "$@"
