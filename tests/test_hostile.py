"""Hostile titles and abstracts are data: after a real build no markup, script or URL from them survives."""
import re

import feedparser
import pytest
from bs4 import BeautifulSoup

from generator.latex import readable
from generator.site import build
from conftest import project_of_digests

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</title><script>x</script>",
    '" onmouseover="x', "[x](javascript:alert(1))", "{{ 7*7 }}", "{% raw %}", "# T { onmouseover=alert(1) }",
    "|", "*", "_", "`code` ``", "$x$", ":rocket:", "&amp; &lt;b&gt;", "<!-- c -->", "\\(y\\)",
    "\\textbf{<b>bold</b>}", "$\\href{javascript:alert(1)}{x}$", "$</span><script>alert(1)</script>$",
]
# Paper pages with math load KaTeX to typeset it: the same two scripts whatever the math.
MATH_SCRIPTS = {"assets/katex/katex.min.js", "assets/javascripts/math.js"}
FILLER = "and then the abstract goes on for enough words to be read as an abstract rather than as a title"
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 11\n\n"


def hostile_digest() -> tuple[str, list[tuple[str, str]]]:
    papers = [(value, f"{value} {FILLER} {value}") for value in HOSTILE]
    text = HEADER + "\n\n".join(f"{t}\n\n{a}" for t, a in papers) + "\n"
    return text, papers


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory):
    """The hostile digest on two dates, so every paper is also among the most featured (Trends page)."""
    text, papers = hostile_digest()
    project = project_of_digests(tmp_path_factory.mktemp("hostile") / "project", {
        "hostile.txt": ("2025-03-11", text),
        "hostile-again.txt": ("2025-03-12", text.replace("\nMar 11\n", "\nMar 12\n"))})
    build(project)
    return project, papers


@pytest.fixture(scope="module")
def hostile_site(hostile_project):
    project, papers = hostile_project
    pages = {p.relative_to(project.site_dir).as_posix(): BeautifulSoup(p.read_text(), "html.parser")
             for p in project.site_dir.rglob("*.html")}
    return pages, papers


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}


def scripts(soup: BeautifulSoup) -> set[str]:
    """Each script as its src or its text, with the per-page relative or absolute base path removed."""
    return {re.sub(r'\.\./|\./|/paper-digest-archive/|"base":\s*"[^"]*"|URL\("[^"]*"', "",
                   script.get("src") or script.text) for script in soup.find_all("script")}


def test_no_script_but_the_themes(hostile_site):
    pages, _ = hostile_site
    # The about page is hand-written and trusted: its scripts are exactly the theme's own.
    theme = scripts(pages["about/index.html"])
    assert any("bundle" in s for s in theme)
    # Paper pages have a lean template of their own (overrides/paper.html): its scripts are those that
    # every paper page has, whatever its title and abstract.
    theme |= set.intersection(*(scripts(soup) for path, soup in pages.items() if path.startswith("papers/")))
    theme |= MATH_SCRIPTS
    foreign = {path: scripts(soup) - theme for path, soup in pages.items()}
    assert {path: extra for path, extra in foreign.items() if extra} == {}


def test_no_event_handler_attributes_or_javascript_urls(hostile_site):
    pages, _ = hostile_site
    for path, soup in pages.items():
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), f"{path}: <{element.name} {name}=...>"
                if name.lower() in URL_ATTRIBUTES:
                    assert "javascript:" not in value.lower(), f"{path}: {name}={value}"


def test_visible_text_equals_the_input(hostile_site):
    pages, papers = hostile_site
    paper_pages = [soup for path, soup in pages.items() if path.startswith("papers/")]
    shown = {soup.h1.get_text(): (soup.select_one(".pda-abstract").get_text(), soup.title.get_text())
             for soup in paper_pages}
    assert len(shown) == len(papers)
    for title, abstract in papers:
        assert shown[title][0] == readable(abstract)[0]  # text-mode LaTeX resolved (test_latex.py)
        assert shown[title][1] == f"{title} - Paper Digest Archive"


def test_listing_pages_show_titles_as_text(hostile_site):
    pages, papers = hostile_site
    listed = [a.get_text() for a in pages["dates/2025-03-11/index.html"].select(".pda-item__title")]
    assert listed == [title for title, _ in papers]


def test_trends_page_shows_titles_as_text(hostile_site):
    pages, papers = hostile_site
    page = pages["stats/index.html"]
    listed = [a.get_text() for a in page.select("article table a[href^='../papers/']")]
    assert len(listed) == 10 and set(listed) <= {title for title, _ in papers}
    bars = [title.get_text() for title in page.select("figure svg rect title")][-10:]
    assert bars == [f"{title}: 2 times" for title in listed]


def test_feeds_hold_titles_and_abstracts_as_text(hostile_project):
    project, papers = hostile_project
    feeds = {p.relative_to(project.site_dir).as_posix(): feedparser.parse(p.read_bytes())
             for p in (project.site_dir / "feeds").rglob("*.xml")}
    assert feeds and not [path for path, feed in feeds.items() if feed.bozo]
    newest = feeds["feeds/digests.xml"].entries[0].content[0].value
    assert [a.get_text() for a in BeautifulSoup(newest, "html.parser").find_all("a")] == [t for t, _ in papers]
    abstracts = dict(papers)
    for entry in (e for feed in feeds.values() for e in feed.entries if "/papers/" in e.id):
        assert entry.summary == readable(abstracts[entry.title])[0]
