"""Re-confirm a source whose archived text changed: re-verify its quotes, record the new hash.

The recorded SHA-256 is how ``check`` notices an archived text that changed
under its quotes.  Confirming rewrites only the hash on its line of the YAML
file (comments and layout stay), and only when every check passes with the
new text.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.generate import check
from generator.problems import Problem

_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass
class Confirmation:
    ok: bool
    message: str
    problems: list[Problem] = field(default_factory=list)


def confirm_source(content_dir: str | os.PathLike[str], source_id: str) -> Confirmation:
    loaded, findings = check(content_dir)
    source = loaded.content.sources.get(source_id)
    if source is None:
        known = ", ".join(sorted(loaded.content.sources)) or "none"
        return Confirmation(
            False, f"no source '{source_id}' (sources: {known})", sorted(loaded.problems)
        )
    where = source.archive.where
    hash_loc = where.of("sha256") if where else None
    problems = sorted(
        p
        for p in [*loaded.problems, *findings.problems]
        if not (p.loc == hash_loc and "has changed since" in p.message)
    )
    if problems:
        return Confirmation(
            False,
            f"not confirmed: fix these first (source '{source_id}' keeps "
            "its recorded hash until every check passes)",
            problems,
        )
    quotes = findings.quotes.count(source_id)
    if source.text_sha256 is None or hash_loc is None:
        return Confirmation(False, f"source '{source_id}' has no readable archived text")
    if source.text_sha256 == source.archive.sha256:
        return Confirmation(
            True,
            f"already confirmed: {quotes} quotes of '{source_id}' verified; "
            f"sha256 {source.text_sha256}",
        )
    _replace_hash(Path(source.path), hash_loc.line, source.text_sha256)
    return Confirmation(
        True,
        f"confirmed: {quotes} quotes of '{source_id}' verified against "
        f"the new text; recorded sha256 {source.text_sha256} in {source.path}",
    )


def _replace_hash(path: Path, line: int, new_hash: str) -> None:
    data = path.read_bytes().decode("utf-8")
    lines = data.splitlines(keepends=True)
    lines[line - 1] = _HASH.sub(new_hash, lines[line - 1], count=1)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write("".join(lines).encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
