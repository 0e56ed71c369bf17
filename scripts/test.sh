#!/usr/bin/env bash
# The test command: installs what the tests need (quick when present), lints, runs pytest.
#   bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
export PYTHON

bash scripts/setup-tests.sh
"$PYTHON" -m ruff check .
"$PYTHON" -m mypy
# pytest's exit code 5 ("no tests collected") is an error here, never success: a run that
# selected nothing must not pass silently.
"$PYTHON" -m pytest -q "$@"
