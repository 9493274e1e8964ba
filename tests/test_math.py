"""An abstract's math, typeset by KaTeX in headless Chromium; pages without math load none of it."""
import pytest
from bs4 import BeautifulSoup

from generator.site import build
from conftest import SiteServer, project_of_digests
from test_hostile import HEADER

FILLER = "and the abstract goes on for enough words to be read as an abstract rather than as a title here"
PAPERS = {
    "Attention in Linear Time": f"We cut attention from $\\mathcal{{O}}(n^2)$ to $O(n)$ at 28.4\\% less memory, {FILLER}.",
    "A Hostile Formula": f"A link $\\href{{javascript:alert(1)}}{{click}}$ and $</span><img src=x onerror=alert(1)>$ {FILLER}.",
    "No Math Here": f"We save \\$5 and 10\\% of the time with \\textbf{{plain}} text, {FILLER}.",
}


@pytest.fixture(scope="module")
def math_site(tmp_path_factory):
    text = HEADER + "\n\n".join(f"{title}\n\n{abstract}" for title, abstract in PAPERS.items()) + "\n"
    project = project_of_digests(tmp_path_factory.mktemp("math") / "project", {"math.txt": ("2025-03-11", text)})
    build(project)
    server = SiteServer(project.site_dir)
    yield project, server
    server.close()


def paper_html(project, slug: str) -> BeautifulSoup:
    return BeautifulSoup((project.site_dir / "papers" / slug / "index.html").read_text(), "html.parser")


def test_only_pages_with_math_load_katex_and_math_is_kept_as_written(math_site):
    project, _ = math_site
    linear = paper_html(project, "attention-in-linear-time")
    assert [s.get_text() for s in linear.select(".pda-math")] == ["$\\mathcal{O}(n^2)$", "$O(n)$"]
    assert "28.4% less memory" in linear.select_one(".pda-abstract").get_text()
    assert linear.select("script[src$='katex.min.js']") and linear.select("link[href$='katex.min.css']")
    plain = paper_html(project, "no-math-here")
    assert not plain.select(".pda-math") and not plain.select("script[src*='katex']")
    assert "We save $5 and 10% of the time with plain text" in plain.select_one(".pda-abstract").get_text()


def test_katex_typesets_the_math(page, math_site):
    _, server = math_site
    page.goto(server.url + "papers/attention-in-linear-time/")
    page.locator(".pda-math .katex").first.wait_for()
    assert page.locator(".pda-math .katex-mathml math").count() == 2
    # KaTeX's own fonts, served by the site (a missing one would also be a failed request in page.errors).
    loaded = page.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, '')) }""")
    assert "KaTeX_Math" in loaded and "KaTeX_Caligraphic" in loaded  # \\mathcal's
    assert page.errors == []


def test_hostile_math_stays_text(page, math_site):
    _, server = math_site
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.url + "papers/a-hostile-formula/")
    page.locator(".pda-math .katex").first.wait_for()
    assert page.locator(".pda-math").count() == 2
    assert page.locator(".pda-abstract a, .pda-abstract img, .pda-abstract script").count() == 0
    assert dialogs == []
    assert page.errors == []
