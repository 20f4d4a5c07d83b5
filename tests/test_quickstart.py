"""The README's Quick start is what CI runs, and ./test.sh runs pytest where setup.sh installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def commands(lines: list[str]) -> list[str]:
    """Shell lines without comments and blank lines."""
    found = []
    for line in lines:
        command = line.split("#", 1)[0].strip()
        if command:
            found.append(command)
    return found


def test_ci_runs_exactly_the_readme_quick_start() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Quick start") :]
    block = section[section.index("```sh\n") + len("```sh\n") : section.index("```\n", 10)]
    quick_start = commands(block.splitlines())
    assert quick_start == ["./setup.sh", "./test.sh"]
    ci = commands((ROOT / ".ci/run").read_text(encoding="utf-8").splitlines())
    assert ci[-len(quick_start) :] == quick_start
    assert ci[: -len(quick_start)] == ["set -euo pipefail", 'cd "$(dirname "$0")/.."']


def fake_python(path: Path) -> None:
    """A `python` that prints how it was called and the PATH it was given."""
    path.parent.mkdir(parents=True)
    path.write_text('#!/bin/sh\necho "$0 $*"\necho "PATH=$PATH"\n', encoding="utf-8")
    path.chmod(0o755)


def run_test_sh(
    tmp_path: Path, *args: str, path: str | None = None
) -> subprocess.CompletedProcess[str]:
    repo = tmp_path / "repo"
    repo.mkdir(exist_ok=True)
    shutil.copy2(ROOT / "test.sh", repo / "test.sh")
    # A system python3, outside any virtual environment, first on PATH.
    base = Path(getattr(sys, "_base_executable", sys.executable))
    system_bin = tmp_path / "system-bin"
    system_bin.mkdir(exist_ok=True)
    link = system_bin / "python3"
    if not link.exists():
        link.symlink_to(base)
    environ = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    environ["PATH"] = path or f"{system_bin}{os.pathsep}/usr/bin{os.pathsep}/bin"
    return subprocess.run(
        [str(repo / "test.sh"), *args],
        cwd=repo,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_test_sh_runs_pytest_in_the_project_environment(tmp_path: Path) -> None:
    venv_python = tmp_path / "repo/.venv/bin/python"
    fake_python(venv_python)
    proc = run_test_sh(tmp_path, "tests/test_x.py", "-q")
    assert proc.returncode == 0, proc.stderr
    called, path = proc.stdout.splitlines()
    assert called == f"{venv_python} -m pytest tests/test_x.py -q"
    assert path.startswith(f"PATH={venv_python.parent}{os.pathsep}")  # its `factsheet` first


def test_test_sh_prefers_the_active_virtual_environment(tmp_path: Path) -> None:
    fake_python(tmp_path / "repo/.venv/bin/python")
    active = tmp_path / "active"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(active)], check=True, timeout=60
    )
    (site_packages,) = active.glob("lib/python3*/site-packages")
    (site_packages / "pytest").mkdir()
    (site_packages / "pytest/__main__.py").write_text(
        "import sys; print('pytest in', sys.prefix, sys.argv[1:])\n", encoding="utf-8"
    )
    proc = run_test_sh(tmp_path, "-x", path=f"{active / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"pytest in {active} ['-x']\n"


def test_test_sh_without_an_environment_says_to_run_setup(tmp_path: Path) -> None:
    proc = run_test_sh(tmp_path)
    assert proc.returncode == 2
    assert "run ./setup.sh first" in proc.stderr


SYSTEM_PYTHON = Path("/usr/bin/python3")


def externally_managed(python: Path) -> bool:
    """Whether pip refuses to install into this Python (PEP 668), as Debian's and Ubuntu's."""
    code = (
        "import os, sys, sysconfig; "
        "sys.exit(not os.path.exists(os.path.join(sysconfig.get_path('stdlib'), "
        "'EXTERNALLY-MANAGED')))"
    )
    return subprocess.run([str(python), "-c", code], check=False, timeout=60).returncode == 0


@pytest.mark.slow
def test_quick_start_on_the_system_python(tmp_path: Path) -> None:
    """A newcomer on Debian or Ubuntu: a clone, the system Python, no virtual environment.

    Runs on machines whose /usr/bin/python3 is externally managed (CI's are Debian); clones
    the committed state of this repository, runs ./setup.sh with only the system's
    directories on PATH, then ./test.sh on a quick test.
    """
    if not SYSTEM_PYTHON.exists() or not externally_managed(SYSTEM_PYTHON):
        pytest.skip("no externally managed system Python (/usr/bin/python3) here")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    passed_on = ("HOME", "LANG", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")
    environ = {
        key: value
        for key, value in os.environ.items()
        if key in passed_on or key.startswith("PIP_") or key.lower().endswith("_proxy")
    }
    environ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin"

    setup = subprocess.run(
        ["./setup.sh"], cwd=clone, env=environ, capture_output=True, text=True, timeout=900
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert "making the project's virtual environment in .venv/" in setup.stdout
    assert (clone / "site/index.html").is_file()
    cfg = (clone / ".venv/pyvenv.cfg").read_text(encoding="utf-8")
    assert f"executable = {SYSTEM_PYTHON.resolve()}" in cfg
    assert (clone / ".venv/bin/factsheet").is_file()

    tests = subprocess.run(
        ["./test.sh", "tests/test_quickstart.py", "-k", "readme", "-p", "no:cacheprovider"],
        cwd=clone,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert tests.stdout.rstrip().splitlines()[-1].startswith("=")
    assert " 1 passed" in tests.stdout
