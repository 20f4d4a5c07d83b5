"""The ``factsheet`` command.

Commands (``factsheet COMMAND --help`` documents each option):

``check``     validate all content; print every problem as PATH:LINE:COL: error: MESSAGE
``build``     check, render and build the site into site/ (the old site is kept on failure)
``serve``     preview on http://127.0.0.1:8000/ with live reload
``confirm``   re-verify the quotes of a source whose archived text changed, record its hash
``coverage``  list numbers and dates in sources that no fact cites yet
``schema``    print or write the JSON Schema of the content files

Exit status: 0 on success, 1 when the content has problems or the build
failed, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .problems import Problem, format_problems
from .project import Project, ProjectError, find_project

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _project(args: argparse.Namespace) -> Project:
    return find_project(
        args.config_file,
        content_dir=getattr(args, "content", None),
        templates_dir=getattr(args, "templates", None),
        site_dir=getattr(args, "site_dir", None),
    )


def _report(problems: list[Problem]) -> int:
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .generate import check

    project = _project(args)
    loaded, findings = check(project.content_dir)
    problems = sorted([*loaded.problems, *findings.problems])
    if problems:
        return _report(problems)
    content = loaded.content
    print(
        f"ok: {len(content.facts)} facts in {len(content.sheets)} "
        f"sheet{'s' if len(content.sheets) != 1 else ''}, {len(content.sources)} sources, "
        f"{len(findings.quotes.spans)} quotes verified"
    )
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build_site

    project = _project(args)
    started = time.perf_counter()
    result = build_site(project, strict=not args.no_strict)
    if result.problems:
        print("build stopped; the published site was left as it was.", file=sys.stderr)
        return _report(result.problems)
    elapsed = time.perf_counter() - started
    print(f"built {result.pages} pages into {result.site_dir} in {elapsed:.1f} s")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    project = _project(args)
    address = f"127.0.0.1:{args.port}"
    print(
        f"previewing on http://{address}/ (Ctrl+C to stop); edits to content/ and "
        "templates/ reload the page",
        file=sys.stderr,
    )
    serve(str(project.config_file), livereload=True, dev_addr=address, open_in_browser=args.open)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .content_schema import json_schemas
    from .exports import dump_json

    schemas = json_schemas()
    if args.write:
        out = Path(args.write)
        out.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas.items():
            (out / name).write_bytes(dump_json(schema))
            print(f"wrote {out / name}")
        return EXIT_OK
    sys.stdout.write(dump_json(schemas).decode("utf-8"))
    return EXIT_OK


def cmd_confirm(args: argparse.Namespace) -> int:
    from .confirm import confirm_source

    project = _project(args)
    result = confirm_source(project.content_dir, args.source)
    if result.problems:
        print(format_problems(result.problems), file=sys.stderr)
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def cmd_coverage(args: argparse.Namespace) -> int:
    from .coverage import source_coverage
    from .generate import check

    project = _project(args)
    loaded, findings = check(project.content_dir)
    problems = sorted([*loaded.problems, *findings.problems])
    if problems:
        print("coverage needs clean content:", file=sys.stderr)
        return _report(problems)
    below = False
    for source in loaded.content.sources.values():
        if args.source and source.id not in args.source:
            continue
        cov = source_coverage(source, findings.quotes)
        for sentence in cov.uncited:
            stated = ", ".join(sentence.states)
            print(
                f"{source.text_path}:{sentence.line}:{sentence.col}: not cited ({stated}): "
                f"{sentence.text}"
            )
        print(
            f"{source.id}: {cov.cited} of {cov.total} sentences that state a number or a "
            f"date are cited ({cov.percent}%)"
        )
        if args.fail_under is not None and cov.percent < args.fail_under:
            below = True
    return EXIT_PROBLEMS if below else EXIT_OK


def _add_common(parser: argparse.ArgumentParser, *, site: bool = False) -> None:
    parser.add_argument(
        "-f",
        "--config-file",
        metavar="FILE",
        help="the project's mkdocs.yml (default: found from the current directory upwards)",
    )
    parser.add_argument(
        "--content",
        metavar="DIR",
        help="content directory (default: the plugin's content_dir, 'content')",
    )
    if site:
        parser.add_argument(
            "--templates",
            metavar="DIR",
            help="templates directory (default: the plugin's templates_dir)",
        )
    parser.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' progress")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factsheet",
        description="Sourced fact sheets from curated YAML: check the content, build the site, "
        "preview it.",
    )
    parser.add_argument("--version", action="version", version=f"factsheet {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "check",
        help="validate all content and report every problem",
        description="Validate all content: the YAML format, references, quotes "
        "against the archived sources, numbers against quotes. Prints every "
        "problem as PATH:LINE:COL: error: MESSAGE; exit status 1 if any.",
    )
    _add_common(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "build",
        help="check, then build the site into site/",
        description="Check the content, render the pages and build the site "
        "with MkDocs into a temporary directory, then swap it in place of the "
        "site directory. On any problem the existing site is left untouched "
        "and the exit status is 1.",
    )
    _add_common(p, site=True)
    p.add_argument(
        "-d",
        "--site-dir",
        metavar="DIR",
        help="where to build the site (default: site_dir of mkdocs.yml, 'site')",
    )
    p.add_argument(
        "--no-strict",
        action="store_true",
        help="do not treat MkDocs warnings (broken links or anchors) as errors",
    )
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "serve",
        help="preview the site with live reload",
        description="Serve the site on 127.0.0.1 and rebuild it when the "
        "content, templates or archived texts change. Content problems are "
        "shown in the page; the server keeps running.",
    )
    _add_common(p)
    p.add_argument("-p", "--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--open", action="store_true", help="open the preview in a browser")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "schema",
        help="print or write the JSON Schema of the content files",
        description="Print the JSON Schema of source, sheet and facts files "
        "(for YAML editors), or write them into a directory.",
    )
    p.add_argument("--write", metavar="DIR", help="write one .schema.json file per kind")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser(
        "confirm",
        help="re-verify a changed archived text and record its hash",
        description="After an archived text was deliberately changed: re-run every check "
        "against the new text and, if all pass, record its new SHA-256 in the source's YAML "
        "(only that line changes).",
    )
    _add_common(p)
    p.add_argument("source", help="id of the source to confirm")
    p.set_defaults(func=cmd_confirm)

    p = sub.add_parser(
        "coverage",
        help="list numbers and dates in sources that no fact cites",
        description="For each source, list every sentence of its archived text that states a "
        "number or a date and that no fact cites yet (page furniture marked in the source's "
        "YAML is skipped), as PATH:LINE:COL lines, with the share of such sentences cited.",
    )
    _add_common(p)
    p.add_argument("source", nargs="*", help="only these source ids (default: all)")
    p.add_argument(
        "--fail-under",
        type=int,
        metavar="PERCENT",
        help="exit 1 if any source's coverage is below PERCENT",
    )
    p.set_defaults(func=cmd_coverage)
    return parser


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    _setup_logging(getattr(args, "verbose", False))
    try:
        return int(args.func(args))
    except ProjectError as exc:
        print(f"factsheet: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
