#!/usr/bin/env bash
# One command to set up factsheet on a fresh machine and build the bundled fact sheet:
#   - installs the project and its test tools into the current Python environment
#     (use a virtual environment first if you like: python3 -m venv .venv && . .venv/bin/activate);
#   - installs Debian's Chromium for the browser tests when it is missing (needs root or sudo);
#   - installs axe-core (accessibility checks) from the npm registry when npm is available;
#   - builds the site into site/.
set -euo pipefail
cd "$(dirname "$0")"

python3 -m pip install --quiet --upgrade pip
python3 -m pip install --quiet -e '.[test]'

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" != none ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Chromium (Debian package) for the browser tests..."
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  else
    echo "note: Chromium is not installed and cannot be installed here; browser tests will fail" >&2
  fi
fi

if [ -f package.json ] && command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --silent
fi

# Dates and corrections come from the git history: a shallow clone (git clone --depth) has
# too little of it, and `factsheet build` refuses to guess. Build without dates then.
if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
  echo "note: this is a shallow clone, so the site is built without change dates;" \
    "run 'git fetch --unshallow' and 'factsheet build' for the full history" >&2
  factsheet build --allow-shallow-history
else
  factsheet build
fi
