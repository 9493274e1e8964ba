"""The real `mkdocs build` of the seed archive: pages, links, determinism, and failure safety."""
import hashlib
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from generator.errors import ContentError, UserError
from generator.site import build
from conftest import copy_project


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_seed_site_has_every_paper_tag_and_date_page(seed_site):
    site = seed_site.site_dir
    assert len(list((site / "papers").glob("*/index.html"))) == 262
    tags = [line.split("slug:")[1].strip() for line in seed_site.taxonomy.read_text().splitlines()
            if line.startswith("- slug:")]
    assert len(tags) == 27
    assert sorted(p.parent.name for p in (site / "tags").glob("*/index.html")) == sorted(tags)
    assert sorted(p.parent.name for p in (site / "dates").glob("*/index.html")) == [
        "2025", "2025-03-11", "2025-03-17", "2025-06-26"]


def test_date_page_merges_digests_of_the_same_date(seed_site):
    titles = []
    for path in ("dates/2025-03-11/index.html", "dates/2025-03-11/page/2/index.html"):
        page = BeautifulSoup((seed_site.site_dir / path).read_text(), "html.parser")
        titles += [a.get_text() for a in page.select(".pda-item__title")]
    # 000 and 004 are both Mar 11: 129 distinct papers, 100 on the first page.
    assert len(titles) == len(set(titles)) == 129
    assert titles[0] == "SC2EGSet: StarCraft II Esport Replay and Game-state Dataset"


@pytest.mark.parametrize("path, title", [
    ("index.html", "Paper Digest Archive"),  # not "Paper Digest Archive - Paper Digest Archive"
    ("dates/2025-03-11/index.html", "Papers of March 11, 2025 - Paper Digest Archive"),
    ("dates/2025-03-11/page/2/index.html", "Papers of March 11, 2025 (page 2) - Paper Digest Archive"),
])
def test_pages_have_their_own_titles(seed_site, path, title):
    page = BeautifulSoup((seed_site.site_dir / path).read_text(), "html.parser")
    assert page.title.get_text() == title
    assert not [h for h in page.select("article h1, article h2") if set(h.get_text().strip()) <= {"-"}]


def test_listing_pages_have_descriptions_of_their_own(seed_site):
    def description(path):
        page = BeautifulSoup((seed_site.site_dir / path / "index.html").read_text(), "html.parser")
        return page.find("meta", attrs={"name": "description"})["content"]
    listings = ["tags/", "untagged/", "dates/", "dates/2025/", "dates/2025-03-11/", "dates/2025-03-17/"]
    found = [description(path) for path in listings]
    assert len(set(found + [description("")])) == len(listings) + 1  # none is the site's own
    assert found[4] == "The 129 ML papers of the digest of March 11, 2025."


def test_paper_page_shows_abstract_exactly_dates_tags_and_links(seed_site):
    path = seed_site.site_dir / "papers/m3leo-a-multi-modal-multi-label-earth-observation-dataset-integrating/index.html"
    page = BeautifulSoup(path.read_text(), "html.parser")
    seed = (seed_site.digests / "000_707fa8d6304808c4.txt").read_text().split("\n\n")
    abstract = seed[seed.index(page.h1.get_text()) + 1]
    assert page.select_one(".pda-abstract").get_text() == abstract
    assert [a["href"] for a in page.select(".pda-abstract a")] == [
        "https://huggingface.co/M3LEO", "https://github.com/spaceml-org/M3LEO"]
    assert [a.get_text() for a in page.select(".pda-featured a")] == ["2025-03-11"]
    assert page.select(".pda-tags a"), "the paper has at least one tag link"


@pytest.mark.parametrize("fragment", ["[Re]", "\\tool", "``memory wall''", "256*256", "{https://", "O(n^2)"])
def test_special_characters_in_abstracts_survive(seed_site, fragment):
    pages = [BeautifulSoup(p.read_text(), "html.parser") for p in (seed_site.site_dir / "papers").glob("*/index.html")]
    texts = [page.h1.get_text() + "\n" + page.select_one(".pda-abstract").get_text() for page in pages]
    assert any(fragment in text for text in texts)


def test_nav_does_not_list_papers(seed_site):
    home = BeautifulSoup((seed_site.site_dir / "index.html").read_text(), "html.parser")
    nav_links = [a["href"] for a in home.select("nav.md-nav--primary a[href]")]
    assert nav_links and not any("papers/" in href for href in nav_links)


def test_every_internal_link_and_asset_resolves(seed_site):
    site = seed_site.site_dir
    prefix = "/paper-digest-archive/"  # the path of site_url: the 404 page links absolutely
    missing = []
    for path in html_files(site):
        base = "/" + path.relative_to(site).as_posix()
        soup = BeautifulSoup(path.read_text(), "html.parser")
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag, attrs={attr: True}):
                url = urlparse(urljoin(base, element[attr]))
                if url.scheme or url.netloc:
                    continue
                path_only = unquote(url.path)
                path_only = path_only[len(prefix) - 1:] if path_only.startswith(prefix) else path_only
                target = site / path_only.lstrip("/")
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    missing.append(f"{base} -> {element[attr]}")
    assert missing == []


def digest_of(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(seed_site, tmp_path):
    again = copy_project(tmp_path / "again", source=seed_site.root)
    build(again)
    first, second = digest_of(seed_site.site_dir), digest_of(again.site_dir)
    assert second == first
    assert any(path.startswith("search-index/terms/") for path in first)  # the search index too


def test_invalid_content_leaves_previous_site_intact(project):
    build(project)
    before = digest_of(project.site_dir)
    (project.digests / "999_broken.txt").write_text("not a digest\n", encoding="utf-8")
    with pytest.raises(ContentError) as failure:
        build(project)
    assert "content/digests/999_broken.txt:1: error: expected header line 'new'" in str(failure.value)
    assert digest_of(project.site_dir) == before
    assert sorted(p.name for p in project.root.iterdir()) == ["build", "content", "mkdocs.yml", "overrides", "site"]


def test_failing_mkdocs_leaves_previous_site_intact(project):
    build(project)
    before = digest_of(project.site_dir)
    config = project.mkdocs_yml.read_text(encoding="utf-8")
    project.mkdocs_yml.write_text(config.replace("name: material", "name: no-such-theme"), encoding="utf-8")
    with pytest.raises(UserError, match="mkdocs build failed: .*site/ left unchanged"):
        build(project)
    assert digest_of(project.site_dir) == before
    assert not list(project.root.glob("site.*"))


def test_failing_search_index_leaves_previous_site_intact(project, monkeypatch):
    import subprocess
    import sys
    from generator import indexer
    build(project)
    before = digest_of(project.site_dir)
    real = subprocess.Popen
    # The indexer's process fails as it does on a full disk (test_indexer.py has the real failure).
    failing = [sys.executable, "-c", "import sys; sys.exit('cannot write the search index into x: No space left')"]
    monkeypatch.setattr(indexer.subprocess, "Popen", lambda command, **kw: real(
        failing if "generator.indexer" in command else command, **kw))
    with pytest.raises(UserError, match="^cannot write the search index into x: No space left$"):
        build(project)
    assert digest_of(project.site_dir) == before
    assert not list(project.root.glob("site.*"))


def test_a_failing_build_stops_its_search_index_at_once(project, monkeypatch):
    import subprocess
    import time
    from generator import indexer
    real = subprocess.Popen
    # The indexer stands in as a process that would run for a minute; MkDocs fails meanwhile.
    monkeypatch.setattr(indexer.subprocess, "Popen", lambda command, **kw: real(
        ["sleep", "60"] if "generator.indexer" in command else command, **kw))
    config = project.mkdocs_yml.read_text(encoding="utf-8")
    project.mkdocs_yml.write_text(config.replace("name: material", "name: no-such-theme"), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(UserError, match="mkdocs build failed"):
        build(project)
    assert time.perf_counter() - started < 30
    assert not list(project.root.glob("site*"))


def test_a_removed_digest_takes_its_pages_away_in_both_builds(project):
    # The second build removes stale Markdown from the listing the first left (writer.write_tree).
    build(project)
    digest = sorted(project.digests.glob("*.txt"))[-1]
    pages = {p.name for p in (project.site_dir / "papers").iterdir()}
    digest.unlink()
    for correction in project.corrections.glob("*.yml"):  # one names a paper of that digest
        correction.unlink()
    dates = project.digests / "dates.yml"
    dates.write_text("".join(line for line in dates.read_text().splitlines(keepends=True) if digest.name not in line))
    for incremental in (True, False):  # in place, then in full
        assert build(project, incremental=incremental).incremental == incremental
        left = {p.name for p in (project.site_dir / "papers").iterdir()}
        docs = {p.name for p in (project.docs_dir / "papers").iterdir()}
        assert left == docs and len(left) < len(pages)


def test_markdown_left_by_another_version_of_the_generator_is_removed(project):
    # That version kept no listing of build/docs and recorded its own fingerprint: the folder is walked.
    build(project)
    stray = project.docs_dir / "papers" / "from-another-version" / "index.md"
    stray.parent.mkdir()
    stray.write_text("# A page this version does not make\n")
    (project.build_dir / "last-build.json").write_text('{"fingerprint": "another version"}\n')
    build(project, incremental=True)
    assert not stray.parent.exists()
    assert not (project.site_dir / "papers" / "from-another-version").exists()


def test_the_build_command_reports_what_it_rendered(project, monkeypatch, capsys):
    from generator import cli
    monkeypatch.chdir(project.root)
    assert cli.main(["build"]) == 0
    assert cli.main(["build", "--incremental"]) == 0  # nothing changed: only the 404 page is rendered again
    first, again = capsys.readouterr().out.splitlines()
    assert re.match(r"built site/ \d+ pages \(\d+ written, 0 unchanged, 0 removed; \d+ HTML pages rendered\)", first)
    assert re.match(r"built site/ incrementally, \d+ pages \(0 written, \d+ unchanged, 0 removed; "
                    r"1 HTML page rendered\) in ", again)
