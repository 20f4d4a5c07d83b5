"""The page ``factsheet serve`` shows while the content has problems.

The preview keeps running: the page lists every problem, located, and the
site comes back as soon as the files are fixed and saved.
"""

from __future__ import annotations

from generator.problems import Problem
from generator.render.escaping import md


def error_page(problems: list[Problem]) -> str:
    count = len(problems)
    lines = [
        "# Content problems",
        "",
        '<div class="fs-errors" markdown>',
        "",
        f"**{count} problem{'s' if count != 1 else ''}** stop the fact sheets from building. "
        "Fix them and save: this preview reloads by itself.",
        "",
        '<ol class="fs-error-list">',
    ]
    for problem in problems:
        detail = "".join(f"<br><code>{md(line)}</code>" for line in problem.detail)
        lines.append(f"<li><code>{md(str(problem.loc))}</code>: {md(problem.message)}{detail}</li>")
    lines += ["</ol>", "", "</div>", ""]
    return "\n".join(lines)
