"""Write the peer site: the same pages built through mkdocs-macros-plugin from the same YAML.

Usage::

    python bench/peer/make_site.py CONTENT_DIR PEER_DIR

writes ``PEER_DIR/{mkdocs.yml, main.py, includes/, docs/}``: one Markdown
stub per page (home, each sheet with its differences and corrections pages, the
sources index, each source), whose body is Jinja that includes the peer
templates with the right sheet or source in scope; the macros module and
templates copied from ``bench/peer/``; the project's CSS and JavaScript; and an
``mkdocs.yml`` that is the project's (same theme, search and Markdown
extensions, and the navigation factsheet builds: a section per sheet, or none
beyond ``generator.render.pages.NAV_SHEETS`` sheets) with the ``macros`` plugin in
place of ``factsheet``.  Build it with::

    cd PEER_DIR && mkdocs build

(mkdocs-macros resolves ``include_dir`` against the working directory.)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent

try:  # the same navigation as factsheet's: sheets are listed up to this many
    from generator.render.pages import NAV_SHEETS as _NAV_SHEETS

    NAV_SHEETS: int | None = _NAV_SHEETS
except ImportError:  # a version of factsheet that always lists them
    NAV_SHEETS = None


def _load(path: Path) -> Any:
    with open(path, "rb") as handle:
        return yaml.load(handle, Loader=yaml.CSafeLoader)


def _front(description: str) -> str:
    return f"---\ndescription: {json.dumps(description, ensure_ascii=True)}\n---\n\n"


def write_peer(content: Path, peer: Path) -> int:
    """Write the peer project; returns the number of pages."""
    docs = peer / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    (docs / "sheets").mkdir(parents=True)
    (docs / "sources").mkdir()
    shutil.copytree(PROJECT / "templates" / "static", docs, dirs_exist_ok=True)
    includes = peer / "includes"
    if includes.exists():
        shutil.rmtree(includes)
    shutil.copytree(HERE / "templates", includes)
    shutil.copy2(HERE / "main.py", peer / "main.py")

    pages = 0

    def page(path: str, text: str) -> None:
        nonlocal pages
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        pages += 1

    page(
        "index.md",
        _front("Sourced fact sheets: every figure with its qualifier, attribution and source")
        + '{% include "home.md.j2" %}\n',
    )
    nav: list[Any] = ["index.md"]
    sections: list[Any] = []
    for sheet_dir in sorted(p for p in (content / "sheets").iterdir() if p.is_dir()):
        sheet = _load(sheet_dir / "sheet.yaml")
        sid = sheet["id"]
        setter = f'{{% set sheet = fs.sheets["{sid}"] %}}\n'
        page(
            f"sheets/{sid}/index.md",
            _front(sheet.get("description") or sheet["title"])
            + setter
            + '{% include "sheet.md.j2" %}\n',
        )
        page(
            f"sheets/{sid}/differences.md",
            _front(f"Where the sources of “{sheet['title']}” state different things")
            + setter
            + '{% include "differences.md.j2" %}\n',
        )
        page(
            f"sheets/{sid}/corrections.md",
            _front(f"Every change to a published figure of “{sheet['title']}”")
            + setter
            + '{% include "corrections.md.j2" %}\n',
        )
        sections.append(
            {
                sheet["title"]: [
                    f"sheets/{sid}/index.md",
                    f"sheets/{sid}/differences.md",
                    f"sheets/{sid}/corrections.md",
                ]
            }
        )
    if NAV_SHEETS is None or len(sections) <= NAV_SHEETS:
        nav.extend(sections)
    page(
        "sources/index.md",
        _front("Every source the fact sheets cite") + '{% include "sources.md.j2" %}\n',
    )
    nav.append("sources/index.md")
    for path in sorted((content / "sources").glob("*.yaml")):
        source = _load(path)
        sid = source["id"]
        page(
            f"sources/{sid}.md",
            _front(f"Source: {source['title']}")
            + f'{{% set s = fs.sources["{sid}"] %}}\n'
            + '{% include "source.md.j2" %}\n',
        )

    config = _load(PROJECT / "mkdocs.yml")
    config["site_name"] = f"{config.get('site_name', 'Fact sheets')} (mkdocs-macros peer)"
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    theme = config.get("theme")
    if isinstance(theme, dict) and "custom_dir" in theme:  # the project's, from the peer
        theme["custom_dir"] = os.path.relpath(PROJECT / theme["custom_dir"], peer)
    plugins: list[Any] = []
    for entry in config.get("plugins", []):
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name == "factsheet":
            continue
        plugins.append(entry)
    plugins.append(
        {
            "macros": {
                "module_name": "main",
                "include_dir": "includes",
                "on_error_fail": True,
                "on_undefined": "silent",
            }
        }
    )
    config["plugins"] = plugins
    config["nav"] = nav
    config.setdefault("extra", {})["content_dir"] = os.path.relpath(content, peer)
    (peer / "mkdocs.yml").write_text(
        "# Generated by bench/peer/make_site.py: the peer of the factsheet build.\n"
        + yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("content", type=Path, help="the content directory (from make_content)")
    parser.add_argument("peer", type=Path, help="directory of the peer project to write")
    args = parser.parse_args(argv)
    args.peer.mkdir(parents=True, exist_ok=True)
    pages = write_peer(args.content.resolve(), args.peer.resolve())
    print(f"wrote {pages:,} page stubs into {args.peer}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
