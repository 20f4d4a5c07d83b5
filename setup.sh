#!/usr/bin/env bash
# One command to set up factsheet on a fresh machine and build the bundled fact sheet:
#   - picks the Python environment: the active virtual environment if there is one,
#     otherwise the project's own, .venv/ (made here with python3 -m venv; a system
#     Python that is "externally managed" (PEP 668, Debian and Ubuntu) is never installed
#     into). Debian's python3-venv is installed when venv needs it (root or sudo);
#   - installs the project (editable), its test tools and the other engines (ProperDocs,
#     Zensical: the `engines` extra) into that environment;
#   - installs Debian's Chromium for the browser tests when it is missing (root or sudo);
#   - installs Java (for the Nu HTML Checker) and npm when they are missing (root or sudo),
#     then axe-core (accessibility checks) and vnu-jar (HTML validation) from the npm registry;
#   - builds the site into site/.
# ./test.sh then runs the test suite in the same environment.
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
apt_install() {
  if [ "$SUDO" != none ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $* (Debian packages)..."
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
  else
    return 1
  fi
}

if ! command -v python3 >/dev/null 2>&1; then
  apt_install python3 python3-venv || { echo "error: python3 is not installed" >&2; exit 1; }
fi
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  echo "error: factsheet needs Python 3.10 or later; python3 is $(python3 -V 2>&1)" >&2
  exit 1
fi

if python3 -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)'; then
  PYTHON=python3
  echo "using the active virtual environment ($(python3 -c 'import sys; print(sys.prefix)'))"
else
  # Debian and Ubuntu ship venv's pip bootstrap (ensurepip) separately, in python3-venv.
  if [ -e .venv ] && ! .venv/bin/python -c '' >/dev/null 2>&1; then
    echo "remaking .venv/: its Python no longer runs"
    rm -rf .venv
  fi
  if [ ! -e .venv ]; then
    echo "making the project's virtual environment in .venv/"
    if ! venv_error="$(python3 -m venv .venv 2>&1)"; then
      rm -rf .venv
      apt_install python3-venv || {
        echo "$venv_error" >&2
        echo "error: 'python3 -m venv' failed; install your distribution's python3-venv package" >&2
        exit 1
      }
      python3 -m venv .venv
    fi
  elif ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
    # A .venv made without pip (say, by a 'python3 -m venv' that failed half-way): add it.
    if ! .venv/bin/python -m ensurepip --upgrade >/dev/null 2>&1; then
      apt_install python3-venv || {
        echo "error: .venv/ has no pip; install your distribution's python3-venv package" >&2
        exit 1
      }
      .venv/bin/python -m ensurepip --upgrade >/dev/null
    fi
  fi
  PYTHON="$PWD/.venv/bin/python"
  export VIRTUAL_ENV="$PWD/.venv"
  export PATH="$PWD/.venv/bin:$PATH"
fi

"$PYTHON" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$PYTHON" -m pip install --quiet --disable-pip-version-check -e '.[test,engines]'

if ! command -v chromium >/dev/null 2>&1; then
  apt_install chromium ||
    echo "note: Chromium is not installed and cannot be installed here; browser tests will fail" >&2
fi

# The Nu HTML Checker (vnu-jar, from npm) runs on Java.
if ! command -v java >/dev/null 2>&1; then
  apt_install default-jre-headless ||
    echo "note: Java is not installed and cannot be installed here; the HTML checks will fail" >&2
fi
if ! command -v npm >/dev/null 2>&1; then
  apt_install npm ||
    echo "note: npm is not installed and cannot be installed here; axe and vnu tests will fail" >&2
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

if [ "$PYTHON" != python3 ]; then
  echo "set up in .venv/: run the tests with ./test.sh; for factsheet itself, activate" \
    "the environment first: . .venv/bin/activate"
fi
