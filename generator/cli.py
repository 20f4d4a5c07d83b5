"""The ``factsheet`` command.

Commands (``factsheet COMMAND --help`` documents each option):

``check``     validate all content; print every problem as PATH:LINE:COL: error: MESSAGE
``build``     check, render and build the site into site/ (the old site is kept on failure);
              ``--engine mkdocs|properdocs|zensical`` picks what builds it
``export``    write the pages and a plain mkdocs.yml that any MkDocs-compatible engine builds
``serve``     preview on http://127.0.0.1:8000/ with live reload
``confirm``   re-verify the quotes of a source whose archived text changed, record its hash
``coverage``  list numbers and dates in sources that no fact cites yet
``add-source`` archive a page (or a saved file) as a new source
``cite``      check a quote and print the citation block to paste
``new``       start a new site (``new site DIR``), or a sheet or a fact from a skeleton
``schema``    print or write the JSON Schema of the content files

Exit status: 0 on success, 1 when the content has problems or the build
failed, 2 on a usage error, 130 when stopped by Ctrl-C (SIGINT), 143 by SIGTERM.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.problems import Problem, format_problems
from generator.site.project import ENGINES, Project, ProjectError, find_project

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _project(args: argparse.Namespace) -> Project:
    project = find_project(
        args.config_file,
        content_dir=getattr(args, "content", None),
        templates_dir=getattr(args, "templates", None),
        site_dir=getattr(args, "site_dir", None),
    )
    if getattr(args, "allow_shallow_history", False):
        project = dataclasses.replace(project, history="allow-shallow")
    if getattr(args, "engine", None):
        project = dataclasses.replace(project, engine=args.engine)
    return project


def _report(problems: list[Problem]) -> int:
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from generator.generate import check

    project = _project(args)
    loaded, findings = check(project.content_dir)
    problems = sorted([*loaded.problems, *findings.problems])
    if problems:
        return _report(problems)
    content = loaded.content
    print(
        f"ok: {len(content.facts)} facts in {len(content.sheets)} "
        f"sheet{'s' if len(content.sheets) != 1 else ''}, {len(content.sources)} sources, "
        f"{findings.quotes.count()} quotes verified"
    )
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from generator.site.build import build_site, site_url_warning

    project = _project(args)
    warning = site_url_warning(project)
    if warning is not None and not (args.publish or project.publish):
        print(warning, file=sys.stderr)
    started = time.perf_counter()
    result = build_site(project, strict=not args.no_strict, publish=args.publish)
    if result.problems:
        print("build stopped; the published site was left as it was.", file=sys.stderr)
        return _report(result.problems)
    elapsed = time.perf_counter() - started
    print(
        f"built {result.pages} pages into {result.site_dir} in {elapsed:.1f} s"
        + (f" with {project.engine}" if project.engine != "mkdocs" else "")
    )
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from generator.generate import generate
    from generator.site.export import write_export

    project = _project(args)
    out = Path(args.dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"error: {out}: exists and is not an empty directory", file=sys.stderr)
        return EXIT_USAGE
    generated = generate(
        project.content_dir,
        project.templates_dir,
        directory_urls=project.directory_urls,
        history=project.history,
    )
    if not generated.ok or generated.site is None:
        print("export stopped; nothing was written.", file=sys.stderr)
        return _report(generated.problems)
    config = write_export(project, generated.site, out, fast_html=not args.plain_html)
    print(
        f"exported {len(generated.site.pages)} pages to {out}; build them with "
        f"'mkdocs build -f {config}' (or properdocs, or zensical)"
    )
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    from generator.site.plugin import FactsheetPlugin
    from generator.site.scratch import remove_dead

    project = _project(args)
    remove_dead(project.site_dir)  # what builds killed on the way left there
    address = f"127.0.0.1:{args.port}"
    print(
        f"previewing on http://{address}/ (Ctrl+C to stop); edits to content/ and "
        "templates/ reload the page",
        file=sys.stderr,
    )
    # Rebuilds are "dirty": the plugin marks only the pages an edit changed as modified,
    # so MkDocs renders just those (and the whole site when the navigation changed).
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyBuildNote())
    # the plugin's option, unless the command line allows a shallow history
    plugin = FactsheetPlugin
    plugin.history_override = "allow-shallow" if args.allow_shallow_history else None
    try:
        serve(
            str(project.config_file),
            livereload=True,
            build_type="dirty",
            dev_addr=address,
            open_in_browser=args.open,
        )
    finally:
        plugin.history_override = None
    return EXIT_OK


class _DirtyBuildNote(logging.Filter):
    """Drop MkDocs' warning about dirty builds: the plugin decides what is stale."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def cmd_schema(args: argparse.Namespace) -> int:
    from generator.content.format import json_schemas
    from generator.downloads.exports import dump_json

    schemas = json_schemas()
    if args.write:
        out = Path(args.write)
        out.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas.items():
            (out / name).write_bytes(dump_json(schema, pretty=True))
            print(f"wrote {out / name}")
        return EXIT_OK
    sys.stdout.write(dump_json(schemas, pretty=True).decode("utf-8"))
    return EXIT_OK


def cmd_confirm(args: argparse.Namespace) -> int:
    from generator.editor.confirm import confirm_source

    project = _project(args)
    result = confirm_source(project.content_dir, args.source)
    if result.problems:
        print(format_problems(result.problems), file=sys.stderr)
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def cmd_coverage(args: argparse.Namespace) -> int:
    from generator.analysis.coverage import source_coverage
    from generator.generate import check

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


def cmd_add_source(args: argparse.Namespace) -> int:
    from generator.editor.addsource import (
        DEFAULT_TIMEOUT,
        AddSourceError,
        add_from_file,
        add_from_url,
    )
    from generator.problems import display_path

    if args.url and not args.file:
        print(
            "factsheet add-source: error: --url goes with --file (a page fetched from a URL "
            "records its own address)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    project = _project(args)
    try:
        if args.file:
            added = add_from_file(project, Path(args.file), source_id=args.id, url=args.url)
        else:
            timeout = args.timeout if args.timeout is not None else DEFAULT_TIMEOUT
            added = add_from_url(project, args.page_url, source_id=args.id, timeout=timeout)
    except AddSourceError as exc:
        print(f"{exc.format()}\nnothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
    for note in added.notes:
        print(f"note: {note}")
    text = display_path(added.text_path)
    if added.text_written:
        print(f"wrote {text} ({added.chars:,} characters, sha256 {added.sha256})")
    else:
        print(f"kept {text} as it is (sha256 {added.sha256})")
    print(f"wrote {display_path(added.yaml_path)}")
    if added.found:
        print(f"  found: {', '.join(added.found)}")
    if added.todo:
        print(f"  not found (marked '# TODO:' in the file): {', '.join(added.todo)}")
    print(f'next: read {text}, then cite it: factsheet cite {added.source_id} "a passage"')
    return EXIT_OK


def cmd_cite(args: argparse.Namespace) -> int:
    from generator.editor.cite import CiteError, cite, render

    project = _project(args)
    try:
        citation = cite(project.content_dir, args.source, args.quote)
    except CiteError as exc:
        print(exc.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.occurrence is not None and args.occurrence > citation.total:
        print(
            f"factsheet cite: error: --occurrence {args.occurrence}, but the quote occurs "
            f"{citation.total} time{'s' if citation.total != 1 else ''}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    sys.stdout.write(render(citation, indent=args.indent, only=args.occurrence))
    if citation.total == 1:
        occ = citation.occurrences[0]
        print(f"{citation.text_path}:{occ.line}:{occ.col}: found once", file=sys.stderr)
    else:
        lines = ", ".join(str(o.line) for o in citation.occurrences)
        print(
            f"{citation.text_path}: the passage occurs {citation.total} times (lines {lines}); "
            "each block has the prefix or suffix that points at its occurrence",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_new_site(args: argparse.Namespace) -> int:
    from generator.editor.newsite import NewSiteError, new_site

    try:
        new_site(args.directory)
    except NewSiteError as exc:
        print(f"factsheet new site: error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    where = shlex.quote(str(args.directory))
    print(
        f"wrote a new fact sheet site in {args.directory}: mkdocs.yml, content/ (an example "
        "sheet and its source), .gitignore, .github/workflows/pages.yml\n"
        f"next: cd {where} && factsheet check && factsheet serve"
    )
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from generator.editor.scaffold import ScaffoldError, new_fact, new_sheet
    from generator.problems import display_path

    project = _project(args)
    try:
        if args.kind == "sheet":
            written = new_sheet(project, args.id, args.title, args.topic)
        else:
            written = [new_fact(project, args.sheet, args.topic, args.id)]
    except ScaffoldError as exc:
        print(f"{exc.format()}\nnothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
    for item in written:
        verb = "wrote" if item.created else "added a fact skeleton to"
        print(f"{verb} {display_path(item.path)}:{item.line}")
    print("next: fill in each '# TODO:'; factsheet check says exactly what is still missing")
    return EXIT_OK


def _slug(text: str) -> str:
    from generator.editor.scaffold import slug_problem

    problem = slug_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def _http_url(text: str) -> str:
    from generator.editor.addsource import check_url

    problem = check_url(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds from 0 to 600")
    return value


def _column(text: str) -> int:
    if not text.isdigit() or int(text) > 40:
        raise argparse.ArgumentTypeError(f"'{text}' is not a column from 0 to 40")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return int(text)


def _add_history(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-shallow-history",
        action="store_true",
        help="build even when the content's git history is shallow (a --depth clone): the "
        "pages then say that change dates are unknown (default: such a build fails; the "
        "plugin option 'history: allow-shallow' does the same as this)",
    )


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
    p.add_argument(
        "--publish",
        action="store_true",
        help="strict publishing mode: a missing site_url in mkdocs.yml is an error (exit 1, "
        "the site untouched), not a warning (plugin option: 'publish: true')",
    )
    p.add_argument(
        "--engine",
        choices=ENGINES,
        help="what builds the site (default: the plugin's option 'engine', else mkdocs)",
    )
    _add_history(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "export",
        help="write the site as a plain MkDocs project, built without the plugin",
        description="Check the content and write the pages, downloads and assets to DIR/docs "
        "and a mkdocs.yml (explicit navigation, no factsheet plugin) that MkDocs, ProperDocs "
        "or Zensical build as it is. DIR must be empty or missing.",
    )
    _add_common(p, site=True)
    p.add_argument("dir", metavar="DIR", help="where to write the project")
    p.add_argument(
        "--plain-html",
        action="store_true",
        help="leave out the generator.site.rawblocks Markdown extension (the export then "
        "builds without factsheet installed, more slowly)",
    )
    _add_history(p)
    p.set_defaults(func=cmd_export)

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
    _add_history(p)
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

    p = sub.add_parser(
        "add-source",
        help="archive a page's main text as a new source and write its YAML",
        description="Fetch a web page (or read a local .txt or .html file), extract the "
        "article's main text with trafilatura, archive it as content/sources/ID.txt and write "
        "content/sources/ID.yaml with its SHA-256 and the metadata found (title, outlet, "
        "authors, date, language, address); what was not found is marked '# TODO:'. Only "
        "HTML pages up to 5 MB are fetched, and redirects only within the same host. Nothing "
        "is overwritten, and on any failure nothing is written (exit status 1).",
    )
    _add_common(p)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "page_url",
        nargs="?",
        metavar="URL",
        type=_http_url,
        help="address of the page (http:// or https://)",
    )
    what.add_argument(
        "--file",
        metavar="PATH",
        help="add a local file instead: a .txt is archived byte for byte (one already in "
        "content/sources/ stays where it is), an .html page goes through the same extraction",
    )
    p.add_argument(
        "--id",
        type=_slug,
        help="the source's id (default: made from the outlet, date and title)",
    )
    p.add_argument(
        "--url",
        type=_http_url,
        help="with --file: the address the file was published at, recorded as 'url'",
    )
    p.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="give up when the server has not answered for this long (default: 30)",
    )
    p.set_defaults(func=cmd_add_source)

    p = sub.add_parser(
        "cite",
        help="check a quote against a source and print its citation block",
        description="Find QUOTE in the archived text of SOURCE exactly as 'check' does, and "
        "print a citation block (YAML, indented to paste under a fact's 'citations:') with "
        "the passage as archived, a 'prefix' or 'suffix' when the passage occurs more than "
        "once, and the numbers it states as comments. When the quote is not found, prints the "
        "closest passage with a word diff and exits with status 1.",
    )
    _add_common(p)
    p.add_argument("source", metavar="SOURCE", help="id of the source")
    p.add_argument(
        "quote",
        metavar="QUOTE",
        help="the passage, copied from the archived text (quote it in the shell)",
    )
    p.add_argument(
        "--indent",
        type=_column,
        default=6,
        metavar="N",
        help="column of the block's dash (default: 6, under a fact's 'citations:' at 4)",
    )
    p.add_argument(
        "--occurrence",
        type=_positive,
        metavar="N",
        help="when the passage occurs more than once, print only the block of the N-th",
    )
    p.set_defaults(func=cmd_cite)

    p = sub.add_parser(
        "new",
        help="start a new site, or write the skeleton of a new sheet or fact",
        description="Write a skeleton for an editor to fill in: valid YAML with a '# TODO:' "
        "comment at each key to write; 'factsheet check' then says exactly what is missing.",
    )
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    q = kinds.add_parser(
        "site",
        help="a new fact sheet site in DIRECTORY, ready to check, build and publish",
        description="Create DIRECTORY (or fill an empty one) with mkdocs.yml, content/ "
        "holding an example sheet and its archived source, a .gitignore and a GitHub Pages "
        "workflow (.github/workflows/pages.yml). It passes 'factsheet check' and builds at "
        "once. The templates are factsheet's defaults: a file under the site's templates/ "
        "with the same name as a default one replaces it.",
    )
    q.add_argument("directory", metavar="DIRECTORY", help="where to create the site")
    q.set_defaults(func=cmd_new_site)
    q = kinds.add_parser(
        "sheet",
        help="a new sheet: sheets/ID/sheet.yaml and a first facts file",
        description="Create content/sheets/ID/sheet.yaml (title filled in; summary, date and "
        "topic titles to write) and facts/TOPIC.yaml with a first fact skeleton. Existing "
        "files are never overwritten.",
    )
    _add_common(q)
    q.add_argument("id", type=_slug, help="id of the sheet (also its directory and URL)")
    q.add_argument("--title", required=True, help="the sheet's title")
    q.add_argument(
        "--topic",
        action="append",
        type=_slug,
        metavar="ID",
        help="a topic id (repeat for several; default: overview); the first gets the facts file",
    )
    q.set_defaults(func=cmd_new)
    q = kinds.add_parser(
        "fact",
        help="append a fact skeleton to a sheet",
        description="Append a fact skeleton to the facts file of sheet SHEET whose facts use "
        "topic TOPIC (else to a new facts/TOPIC.yaml). The file's comments, key order and "
        "layout are kept as they are; only the new fact is added at its end.",
    )
    _add_common(q)
    q.add_argument("--sheet", required=True, type=_slug, help="id of the sheet")
    q.add_argument("--topic", required=True, type=_slug, help="id of one of the sheet's topics")
    q.add_argument("--id", type=_slug, help="id of the new fact (default: left for you to write)")
    q.set_defaults(func=cmd_new)
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
    from generator.site import interrupts

    try:
        with interrupts.stop_on_signals():
            code = int(args.func(args))
            stopped = interrupts.received()  # `serve` stops cleanly, then says why
            return code if stopped is None else 128 + stopped
    except ProjectError as exc:
        print(f"factsheet: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        which = "SIGTERM" if isinstance(exc, interrupts.Terminated) else "Ctrl-C (SIGINT)"
        print(f"factsheet: stopped by {which}", file=sys.stderr)
        return interrupts.exit_status(exc)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
