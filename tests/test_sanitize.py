"""The sanitiser on the build path (generator/site/sanitize.py), and the escaping it backs up."""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.content.fields import url_scheme
from generator.render.escaping import attr, front, json_ld, md
from generator.site import sanitize
from generator.site.sanitize import CONTENT_START, check_page, check_site

from .conftest import ROOT, SHEET_DIR, Run, edit, line_of
from .sites import wait_no_scratch
from .test_injection import read_page


def page(body: str, *, title: str = "A page - Fact sheets", head: str = "") -> str:
    """A page shaped like Material's, with ``body`` as the content area."""
    return (
        f"<!doctype html><html><head><title>{title}</title>{head}</head><body>"
        f'<div class="md-content">{CONTENT_START}\n{body}\n</article></div>'
        '<script src="assets/javascripts/bundle.js"></script></body></html>'
    )


def messages(body: str, **kwargs: str) -> list[str]:
    return [f.message for f in check_page(page(body, **kwargs))]


# --- our own markup passes ----------------------------------------------------------------------

OURS = [
    '<h1 id="t">Title<a class="headerlink" href="#t" title="Permanent link">&para;</a></h1>',
    '<p class="fs-dateline">As of <time datetime="2023-05-28">28 May 2023</time> &middot; x</p>',
    '<article class="fs-fact"><h3 class="fs-fact-title" id="f">S</h3>'
    '<dl class="fs-meta"><div><dt>Names</dt><dd>A, B</dd></div></dl></article>',
    '<details class="fs-citation"><summary><a href="../../sources/x/">X</a></summary>'
    '<blockquote class="fs-quote"><p>quote</p></blockquote></details>',
    '<p><mark class="fs-cited" id="f--1">passage</mark><sup class="fs-cited-by">'
    '<a href="../../sheets/s/#f">f</a></sup></p>',
    '<table class="fs-sources-table"><thead><tr><th scope="col">Source</th></tr></thead>'
    "<tbody><tr><td>x<br>y</td></tr></tbody></table>",
    "<table><tr><td>no tbody written</td></tr></table>",
    '<section class="fs-sheet-card"><h2 id="s">S</h2></section>',
    '<p class="fs-cite"><span class="fs-cite-text" data-fs-fact="f">t &#35;f</span></p>',
    '<p class="fs-source-url">Original: <a href="https://example.org/a?b=1&amp;c=2" '
    'rel="nofollow noopener">https://example.org/a?b=1&amp;c=2</a></p>',
    '<p><a href="mailto:x@example.org">mail</a> <code>key</code> <strong>b</strong> <em>i</em></p>',
    '<ol class="fs-timeline"><li><time datetime="2023-05">May</time> <a href="#f">f</a></li></ol>',
    '<figure class="fs-chart" id="c"><figcaption><strong>T</strong></figcaption>'
    '<svg class="fs-chart-svg" viewBox="0 0 600 90.5" role="img" aria-labelledby="c-t c-d" '
    'xmlns="http://www.w3.org/2000/svg"><title id="c-t">T</title><desc id="c-d">D</desc>'
    '<line class="fs-grid" x1="1" x2="1" y1="0" y2="9"></line>'
    '<text class="fs-tick" x="1" y="9" text-anchor="middle">0</text>'
    '<g class="fs-bar"><rect class="fs-bar-fill" x="0" y="1" width="5" height="3"></rect>'
    '<path class="fs-arrow" d="M1 2 L3 4 Z"></path></g></svg></figure>',
    '<svg viewBox="0 0 1 1"><rect x="0" y="0" width="1" height="1"/><path d="M0 0"/>'
    '<text x="0" y="1" dominant-baseline="middle" transform="rotate(90)">t</text></svg>',
    '<script type="application/ld+json">{"@context": "https://schema.org", '
    '"text": "\\u003c/script\\u003e \\u0026"}</script>',
]


@pytest.mark.parametrize("body", OURS)
def test_our_markup_passes(body: str) -> None:
    assert messages(body) == []


@pytest.mark.parametrize(
    "body",
    [
        '<p class="a" id="b">x</p>',
        "<p id='b' class='a'>x</p>",
        "<p id=b class=a>x</p>",
        "<p>&para; &#182; &#xB6; ¶ &amp; &#38; &lt; &#60;</p>",
        "<p>line<br>break<br/>and<br />more</p><hr/>",
        "<p>  spaced\n\n   out\ttext </p>\n\n\n",
        '<details open=""><summary>s</summary></details>'
        "<details open><summary>t</summary></details>",
        '<svg viewBox="0 0 1 1"><path d="M0 0"/></svg>',
    ],
)
def test_harmless_serialisation_differences_pass(body: str) -> None:
    assert messages(body) == []


def test_the_bundled_site_passes_and_takes_the_fast_path(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    from generator.site.build import build_site
    from generator.site.project import find_project

    result = build_site(find_project(project / "mkdocs.yml"))
    assert not result.problems and result.site_dir is not None
    assert check_site(result.site_dir) == []
    for path in sanitize.html_pages(result.site_dir):
        text = path.read_text(encoding="utf-8")
        area = sanitize.content_area(text)
        assert area is not None, path
        fragment = sanitize._json_ld(text, *area)[1]
        # equal quick forms: no page needs the slower token comparison
        assert sanitize._canonical(fragment) == sanitize._canonical(sanitize.sanitize(fragment))


# --- what the sanitiser removes fails the page --------------------------------------------------


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("<p>x<script>alert(1)</script></p>", "removed the element <script>"),
        ("<p><img src=x onerror=alert(1)></p>", "<img onerror='alert(1)' src='x'>"),
        ('<p onclick="alert(1)">x</p>', "removed the attribute onclick='alert(1)' from <p>"),
        ('<a href="javascript:alert(1)">x</a>', "href='javascript:alert(1)'"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "href='JaVaScRiPt:alert(1)'"),
        ('<a href="java&#x09;script:alert(1)">x</a>', "from <a>"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "href='javascript:alert(1)'"),
        ('<a href="data:text/html,x">x</a>', "href='data:text/html,x'"),
        ('<a href="vbscript:x">x</a>', "href='vbscript:x'"),
        ('<p style="background:red">x</p>', "style='background:red'"),
        ('<span data-evil="1">x</span>', "data-evil"),
        ('<iframe src="https://example.org/"></iframe>', "<iframe"),
        ('<form action="https://example.org/"><input name="q"></form>', "<form"),
        ("<p><!-- a comment --></p>", "'<!-- a comment -->'"),
        ("<p><![CDATA[x]]></p>", "CDATA"),
        ("<body onload=alert(1)>", "<body onload='alert(1)'>"),
        ('<html lang="x">', "<html"),
        ("<p>x</article><p>y</p>", "the end tag </article>"),
        ("<p>a<div>b</div></p>", "reads the markup differently"),
        ("<math><mi>x</mi></math>", "<math>"),
        ("<svg><foreignObject><p>x</p></foreignObject></svg>", "<foreignobject>"),
        ('<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', "javascript"),
        ("<svg><script>alert(1)</script></svg>", "<script>"),
        ('<svg onload="alert(1)"></svg>', "onload"),
        ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "<noscript>"),
        ("<template><img src=x></template>", "<template>"),
        ("<p>\x00</p>", "the text"),
        ('<script type="text/javascript">{}</script>', "<script type='text/javascript'>"),
    ],
)
def test_unsafe_markup_fails(body: str, needle: str) -> None:
    found = messages(body)
    assert found, body
    assert any(needle in m for m in found), found


@pytest.mark.parametrize(
    ("block", "needle"),
    [
        ('<script type="application/ld+json">{"a": </script>', "is not valid JSON"),
        ('<script type="application/ld+json">{"a": "</b>"}</script>', "contains '</' or '<!--'"),
        ('<script type="application/ld+json">{"a": "<!--"}</script>', "contains '</' or '<!--'"),
        # unclosed: it runs on to the theme's next </script>, taking the page with it
        ('<script type="application/ld+json">{"a": 1}', "contains '</' or '<!--'"),
    ],
)
def test_json_ld_is_checked(block: str, needle: str) -> None:
    assert any(needle in m for m in messages(block)), messages(block)
    # also outside the content area, where a theme override might put it
    assert any(needle in m for m in messages("<p>x</p>", head=block))


def test_a_json_ld_block_written_by_json_ld_passes() -> None:
    value = {"text": "</script><script>alert(1)</script><!-- \u2028 & ' \"", "n": [1, None]}
    block = f'<script type="application/ld+json">{json_ld(value)}</script>'
    assert messages(block) == []
    assert json.loads(str(json_ld(value))) == value


def test_markup_in_the_page_title_fails() -> None:
    found = messages("<p>x</p>", title="</title><script>alert(1)</script> - Fact sheets")
    assert any("<title> contains markup" in m for m in found), found
    assert messages("<p>x</p>", title="&lt;/title&gt; - Fact sheets") == []


def test_zensicals_skip_target_opening_the_content_area_passes() -> None:
    """Zensical's theme opens the content area with the target of its skip link; the same
    markup anywhere else in the content is still reported."""
    skip = '<a id="__skip" tabindex="-1"></a>'
    assert messages(f"                {skip}\n<p>x</p>") == []
    found = messages(f"<p>x</p>\n{skip}")
    assert any("tabindex" in m for m in found), found
    found = messages(f"<p>x</p>{skip}<script>alert(1)</script>")
    assert any("script" in m for m in found), found


def test_a_page_without_a_content_area_is_skipped() -> None:
    assert check_page("<html><body><script>alert(1)</script></body></html>") == []


def test_findings_give_the_line_in_the_built_page_and_the_nearest_anchors() -> None:
    body = (
        '<h3 id="fact-a">A</h3>\n<p>one</p>\n<p><a href="#fact-b">b</a> <img src=x onerror=y></p>'
    )
    text = page(body)
    (finding,) = check_page(text)
    lines = text.splitlines()
    assert "onerror" in lines[finding.line - 1][finding.col - 1 :]
    assert finding.owners[0] == "section=fact-a"
    assert "href=#fact-b" in finding.owners


# --- in the build: located problems, the published site untouched -------------------------------


def test_unescaped_text_stops_the_build_at_the_fact(project: Path, cli: Callable[..., Run]) -> None:
    assert cli("build", cwd=project).code == 0
    published = (project / "site" / "sheets/china-self-media-2023/index.html").read_bytes()
    # a template that prints a note with |safe (trusting it), and a note that is markup
    edit(project / "templates/partials/fact.md.j2", "{{ fact.note }}", "{{ fact.note|safe }}")
    facts = project / SHEET_DIR / "facts/3-accounts.yaml"
    edit(
        facts,
        "    note: >-\n      The rewrite gives the figure",
        "    note: >-\n      <img src=x onerror=alert(origin)> The rewrite gives the figure",
    )
    run = cli("build", cwd=project)
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert "the published site was left as it was" in run.err
    fact_line = line_of(facts, "id: hot-issues-closures")
    where = f"{SHEET_DIR}/facts/3-accounts.yaml:{fact_line}:5: error: unsafe markup on page "
    assert (
        where + "sheets/china-self-media-2023/index.html (text of fact 'hot-issues-closures'"
        in (run.err)
    )
    assert "the sanitiser removed the element <img onerror='alert(origin)' src='x'>" in run.err
    assert "site/sheets/china-self-media-2023/index.html:" in run.err  # and where in the page
    assert (project / "site" / "sheets/china-self-media-2023/index.html").read_bytes() == published
    wait_no_scratch(project)


def test_a_page_title_that_is_not_escaped_stops_the_build_at_the_title(
    project: Path, cli: Callable[..., Run]
) -> None:
    edit(project / "templates/source.md.j2", "title: {{ s.title|front }}\n", "")
    source = project / "content/sources/reuters-2023-self-media.yaml"
    edit(
        source,
        'title: "China cracks down',
        'title: "</title><script>alert(1)</script> China cracks down',
    )
    run = cli("build", cwd=project)
    assert run.code == 1, run.err
    line = line_of(source, "title:")
    assert f"content/sources/reuters-2023-self-media.yaml:{line}:8: error: unsafe markup" in run.err
    assert "the page's <title> contains markup" in run.err


# --- the escaping the sanitiser backs up --------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "👩 [x](javascript:alert(1)) 𝕵",
        "\u2028 line \u2029 separators \ufeff and \x85 NEL",
        "\x7f\x9b C1 and DEL",
        "'single' \"double\" {{ 7*7 }} <b>",
        "---\ntitle: injected\n---",
    ],
)
def test_front_matter_always_parses(title: str) -> None:
    """An emoji made JSON write a surrogate pair, YAML refused it, and MkDocs then rendered
    the whole front matter as Markdown: ``[x](javascript:...)`` became a live link."""
    document = f"---\ntitle: {front(title)}\n---\n\n# Page\n"
    rest, meta = get_data(document)
    assert rest == "# Page\n", rest
    assert html.unescape(meta["title"]) == " ".join(title.split())


def test_an_emoji_title_with_a_markdown_link_builds_as_text(
    project: Path, cli: Callable[..., Run]
) -> None:
    sheet = project / SHEET_DIR / "sheet.yaml"
    edit(
        sheet,
        "title: China's 2023 crackdown on “self-media” accounts",
        'title: "👩 [x](javascript:alert(origin)) China"',
    )
    run = cli("build", cwd=project)
    assert run.code == 0, run.err
    built = read_page((project / "site/sheets/china-self-media-2023/index.html").read_text("utf-8"))
    links = [v for _, attrs in built.tags for k, v in attrs if k == "href" and v]
    assert links and all(url_scheme(v) in (None, "http", "https", "mailto") for v in links)
    assert built.title == "👩 [x](javascript:alert(origin)) China - Fact sheets"
    assert built.text.startswith("👩 [x](javascript:alert(origin)) China¶ As of 28 May 2023")


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80))
def test_escaped_text_never_becomes_markup(text: str) -> None:
    body = f'<p title="{attr(text)}">{md(text)}</p><h2 id="x">{md(text)}</h2>'
    assert messages(body) == []
    document = f"---\ntitle: {front(text)}\n---\n"
    assert isinstance(yaml.safe_load(document.split("---")[1]), dict)
