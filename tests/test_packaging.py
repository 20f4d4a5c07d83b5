"""The wheel is the product: it carries the whole package, and installed from it alone (not
editable, in a fresh virtual environment) `factsheet` checks, builds and serves a site.

The wheel is built once for this module, from a copy of the repository's top-level files and
``generator/`` (setuptools writes ``build/`` and ``*.egg-info`` next to the sources it builds,
so the working tree is left alone). Building needs setuptools from the package index or pip's
cache, as does installing the wheel's dependencies into the fresh environment.
"""

from __future__ import annotations

import email.parser
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

import generator
from generator.editor.newsite import EXAMPLE_SHEET

from .conftest import ROOT

SHEET = f"sheets/{EXAMPLE_SHEET}/"
SHEET_TITLE = "Riverside Public Library"


def package_files() -> set[str]:
    """Every file of the package: modules and data under generator/, and the default
    templates, which are the repository's templates/ shipped as generator/_templates/."""
    found: set[str] = set()
    for top, shipped_as in (("generator", "generator"), ("templates", "generator/_templates")):
        for path in (ROOT / top).rglob("*"):
            relative = path.relative_to(ROOT / top)
            if path.is_file() and "__pycache__" not in relative.parts and path.suffix != ".pyc":
                found.add(f"{shipped_as}/{relative.as_posix()}")
    return found


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert proc.returncode == 0, (
        f"{' '.join(command)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    )
    return proc.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for path in ROOT.iterdir():
        if path.is_file() and not path.name.startswith("."):
            shutil.copy2(path, source / path.name)
    for name in ("generator", "templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = root / "dist"
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), "./source"],
        cwd=root,
    )
    (built,) = out.glob("factsheet-*.whl")
    return built


def test_wheel_carries_every_module_and_data_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if name.startswith("generator/")}
    expected = package_files()
    assert {name for name in expected if name.startswith("generator/checks/")}, "tree not found"
    assert {name for name in expected if name.endswith(".schema.json")}, "schemas not found"
    for default in ("sheet.md.j2", "partials/fact.md.j2", "overrides/404.html"):
        assert f"generator/_templates/{default}" in expected, "templates not found"
    assert {name for name in expected if name.startswith("generator/_templates/static/")}
    assert sorted(expected - shipped) == [], "missing from the wheel"
    assert sorted(shipped - expected) == [], "in the wheel but not in the source tree"


def test_wheel_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = f"factsheet-{generator.__version__}.dist-info"
        metadata = email.parser.Parser().parsestr(archive.read(f"{info}/METADATA").decode())
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        license_text = archive.read(f"{info}/licenses/LICENSE").decode()
    assert wheel.name == f"factsheet-{generator.__version__}-py3-none-any.whl"
    assert metadata["Version"] == generator.__version__
    assert metadata["License-Expression"] == "MIT"
    assert metadata["License"] is None  # the deprecated free-text field is gone
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert license_text.startswith("MIT License")
    assert "factsheet = generator.cli:main" in entry_points
    assert "factsheet = generator.site.plugin:FactsheetPlugin" in entry_points
    assert not [name for name in names if name.startswith(("tests/", "bench/", "content/"))]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


@pytest.mark.slow
def test_installed_wheel_checks_builds_and_serves(wheel: Path, tmp_path: Path) -> None:
    """As a user gets it: `pip install` of the wheel into a fresh environment, then a site."""
    env_dir = tmp_path / "env"
    run([sys.executable, "-m", "venv", str(env_dir)], cwd=tmp_path)
    bin_dir = env_dir / "bin"
    environ = {
        key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    environ["PATH"] = f"{bin_dir}{os.pathsep}{environ.get('PATH', '')}"
    environ["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        cwd=tmp_path,
        env=environ,
    )

    # The package comes from the environment's site-packages, not from this repository,
    # and so do its default templates.
    where = run(
        [
            str(bin_dir / "python"),
            "-c",
            "import generator, generator.paths as p; "
            "print(generator.__file__); print(p.DEFAULT_TEMPLATES)",
        ],
        cwd=tmp_path,
        env=environ,
    )
    module, templates = where.split()
    assert Path(module).is_relative_to(env_dir), where
    assert Path(templates).is_relative_to(env_dir) and Path(templates).name == "_templates"
    factsheet = str(bin_dir / "factsheet")
    assert run([factsheet, "--version"], cwd=tmp_path, env=environ).strip() == (
        f"factsheet {generator.__version__}"
    )

    # factsheet new site demo && cd demo && factsheet check && factsheet build
    run([factsheet, "new", "site", "demo"], cwd=tmp_path, env=environ)
    site = tmp_path / "demo"
    assert not (site / "templates").exists()  # built on the package's default templates
    run([factsheet, "check"], cwd=site, env=environ)
    run([factsheet, "build"], cwd=site, env=environ)
    page = (site / "site" / SHEET / "index.html").read_text(encoding="utf-8")
    assert "fs-fact" in page and SHEET_TITLE in page
    stylesheet = (ROOT / "templates" / "static" / "assets" / "factsheet.css").read_bytes()
    assert (site / "site" / "assets" / "factsheet.css").read_bytes() == stylesheet
    assert "assets/factsheet.css" in page

    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [factsheet, "serve", "--port", str(port)],
            cwd=site,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        served = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "fs-fact" not in served:
            assert server.poll() is None, log_path.read_text(encoding="utf-8")
            try:
                served = fetch(f"http://127.0.0.1:{port}/{SHEET}")
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        assert "fs-fact" in served and SHEET_TITLE in served, log_path.read_text(encoding="utf-8")
        assert fetch(f"http://127.0.0.1:{port}/assets/factsheet.css") == stylesheet.decode()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
