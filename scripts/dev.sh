#!/usr/bin/env bash
# Runs `deidstream dev`: the worker on an embedded broker, fed with sample reports.
# Extra arguments go to `deidstream dev` (see `scripts/dev.sh --help`).
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
exec "$VENV/bin/deidstream" dev "$@"
