#!/usr/bin/env bash
# Runs the test suite (python -m pytest, with any arguments given) in the environment that
# ./setup.sh set up: the active virtual environment if there is one, otherwise .venv/.
# That environment's bin/ comes first on PATH, so tests find its `factsheet` too.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"

if python3 -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)' 2>/dev/null; then
  python="$(python3 -c 'import sys; print(sys.executable)')"
elif [ -x "$root/.venv/bin/python" ]; then
  python="$root/.venv/bin/python"
  export VIRTUAL_ENV="$root/.venv"
else
  echo "error: no environment to test in: run ./setup.sh first" >&2
  exit 2
fi
export PATH="$(dirname "$python"):$PATH"
exec "$python" -m pytest "$@"
