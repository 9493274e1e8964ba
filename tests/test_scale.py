"""Scale: the bench command, the sitemap index, and incremental builds that touch only what changed."""
import datetime as dt
import gzip
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli, indexer, parallel, postbuild, store
from generator.errors import UserError
from generator.models import Digest, Entry, SourceMeta
from generator.site import build
from conftest import copy_project

ABSTRACT = ("We present a method for {topic} that scales to large models and long sequences, "
            "evaluated on public benchmarks where it improves over strong baselines by a clear margin.")


def test_bench_writes_every_measurement(tmp_path, monkeypatch, capsys):
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project.root)
    assert cli.main(["bench", "--papers", "200", "--output", "out.json"]) == 0
    result = json.loads((project.root / "out.json").read_text())
    assert "full build / floor" in capsys.readouterr().out
    full, floor, incremental = result["full"], result["floor"], result["incremental"]
    assert result["papers"] == 200 and result["dates"] >= 3
    assert set(full["seconds"]) == {"generate", "mkdocs", "search", "finish"}
    for measured in (full, floor, incremental):
        assert measured["total_seconds"] > 0 and 20e6 < measured["peak_rss_bytes"] < 4e9
    for measured in (full, floor):
        assert measured["site_bytes"] > 200 * 1000 and measured["files"] > 200
        assert measured["bytes_per_paper"] == measured["site_bytes"] / 200
        assert 1000 < measured["median_paper_page_bytes"] <= measured["largest_html_bytes"] < 200 * 1024
    assert full["largest_html"].endswith(".html") and full["sitemaps"] == 1
    assert result["ratio_to_floor"] == full["total_seconds"] / floor["total_seconds"]
    assert incremental["markdown_written"] > 100  # the new digest's papers, at least
    assert result["related"]["seconds"] > 0 and 0 < result["related"]["extra_peak_bytes"] < 1e9


def urls(sitemap: bytes) -> list[str]:
    return re.findall(r"<loc>([^<]*)</loc>", sitemap.decode())


def test_sitemap_over_the_limit_becomes_an_index(seed_site, tmp_path):
    original = (seed_site.site_dir / "sitemap.xml").read_bytes()
    (tmp_path / "sitemap.xml").write_bytes(original)
    (tmp_path / "sitemap-9.xml.gz").write_text("stale")
    site_url = "https://example.org/archive/"
    limit = len(urls(original)) // 3 + 1  # three files, the last one shorter
    assert postbuild.write_sitemaps(tmp_path, site_url, limit=limit) == 3
    index = (tmp_path / "sitemap.xml").read_bytes()
    assert urls(index) == [f"{site_url}sitemap-{n}.xml.gz" for n in (1, 2, 3)]
    assert b"<sitemapindex" in index and gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == index
    parts = [urls(gzip.decompress((tmp_path / f"sitemap-{n}.xml.gz").read_bytes())) for n in (1, 2, 3)]
    assert [len(p) for p in parts] == [limit, limit, len(urls(original)) - 2 * limit]
    assert sum(parts, []) == sorted(urls(original))
    assert not (tmp_path / "sitemap-9.xml.gz").exists()


def test_sitemap_within_the_limit_is_one_sorted_file(seed_site):
    sitemap = (seed_site.site_dir / "sitemap.xml").read_bytes()
    assert b"<urlset" in sitemap and urls(sitemap) == sorted(urls(sitemap))
    assert re.search(rb"\n<url><loc>[^<]+</loc><lastmod>\d{4}-\d\d-\d\d</lastmod></url>\n", sitemap)  # no indentation
    assert len(urls(sitemap)) == len(list(seed_site.site_dir.rglob("index.html")))
    assert gzip.decompress((seed_site.site_dir / "sitemap.xml.gz").read_bytes()) == sitemap


def test_two_mkdocs_processes_build_the_same_site_as_one(seed_site, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "SPLIT_FROM", 10)
    assert len(parallel.initials(seed_site.docs_dir)) > 3
    split = copy_project(tmp_path / "split", source=seed_site.root)
    build(split)
    ours, theirs = files_of(split.site_dir), files_of(seed_site.site_dir)
    assert {p: h for p, (_, h) in ours.items()} == {p: h for p, (_, h) in theirs.items()}
    assert sorted(p.name for p in split.root.iterdir()) == ["build", "content", "mkdocs.yml", "overrides", "site"]


def files_of(site: Path) -> dict[str, tuple[int, str]]:
    """Each file's content hash, and each page's inode: a page left untouched keeps its inode."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino if p.suffix == ".html" else 0,
                                             hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(site.rglob("*")) if p.is_file()}


def new_digest(date: dt.date, titles: list[str], again: Entry) -> Digest:
    entries = [Entry(t, ABSTRACT.format(topic=t.lower()), 0, SourceMeta(arxiv_id=f"2501.0{n}"))
               for n, t in enumerate(titles)]
    return Digest(f"{date.isoformat()}.json", date, tuple(entries) + (again,))


@pytest.fixture
def searchless(tmp_path):
    """The seed project without an MkDocs search plugin, whose index only a full build can write."""
    project = copy_project(tmp_path / "project")
    config = project.mkdocs_yml.read_text(encoding="utf-8")
    project.mkdocs_yml.write_text(re.sub(r"\nplugins:\n(  - .*\n)+", "\nplugins: []\n", config), encoding="utf-8")
    return project


def test_incremental_build_rewrites_only_affected_pages(searchless, tmp_path):
    build(searchless)
    before = files_of(searchless.site_dir)
    again = Entry("FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
                  ABSTRACT.format(topic="attention"), 0)
    digest = new_digest(dt.date(2025, 7, 1), ["Sparse Speculative Decoding", "Tiny Video Diffusion"], again)
    (searchless.digests / digest.source).write_text(store.to_json(digest), encoding="utf-8")
    report = build(searchless, incremental=True)
    after = files_of(searchless.site_dir)
    assert report.incremental and report.html_written < 40
    # The search index is written whole by every build (search.py).
    changed = {path for path in after if before.get(path) != after[path] and not path.startswith("search-index/")}
    assert "papers/sparse-speculative-decoding/index.html" in changed
    assert "papers/flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness/index.html" in changed
    assert "dates/2025-07-01/index.html" in changed and "index.html" in changed
    untouched = "papers/torchgeo-deep-learning-with-geospatial-data/index.html"
    assert untouched not in changed and untouched in after
    feeds = {path for path in changed if path.startswith("feeds/")}  # the archive's, and its new papers' tags'
    assert len(changed - feeds) <= report.html_written + 2  # the pages rendered, and the sitemap and its .gz
    full = copy_project(tmp_path / "full", source=searchless.root)
    build(full)
    assert {p: h for p, (_, h) in files_of(full.site_dir).items()} == {p: h for p, (_, h) in after.items()}


def test_a_failed_incremental_build_leaves_the_site_exactly_as_it_was(searchless, monkeypatch):
    build(searchless)
    before = files_of(searchless.site_dir)  # content and inode of every file
    again = Entry("FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
                  ABSTRACT.format(topic="attention"), 0)
    digest = new_digest(dt.date(2025, 7, 1), ["Sparse Speculative Decoding"], again)
    (searchless.digests / digest.source).write_text(store.to_json(digest), encoding="utf-8")

    real = subprocess.Popen
    failing = [sys.executable, "-c", "import sys; sys.exit('cannot write the search index into x: No space left')"]
    monkeypatch.setattr(indexer.subprocess, "Popen", lambda command, **kw: real(
        failing if "generator.indexer" in command else command, **kw))
    # MkDocs renders the changed pages into site/ before the search index fails.
    with pytest.raises(UserError, match="^cannot write the search index into x: No space left$"):
        build(searchless, incremental=True)

    assert files_of(searchless.site_dir) == before
    assert not list(searchless.root.glob("site.*"))  # no undo, staging or search folder left behind
    monkeypatch.undo()
    report = build(searchless, incremental=True)
    assert not report.incremental  # the failed build's changed pages are unknown now: a full build
    assert "papers/sparse-speculative-decoding/index.html" in files_of(searchless.site_dir)


def test_incremental_build_falls_back_to_full_when_the_theme_changed(searchless):
    build(searchless)
    stylesheet = searchless.overrides / "assets" / "stylesheets" / "archive.css"
    stylesheet.write_text(stylesheet.read_text() + "\n.pda-new { color: red; }\n")
    report = build(searchless, incremental=True)
    assert not report.incremental and report.html_written == len(list(searchless.site_dir.rglob("*.html")))
    assert ".pda-new" in (searchless.site_dir / "assets" / "stylesheets" / "archive.css").read_text()


def test_incremental_build_of_a_site_with_a_search_plugin_is_full(searchless):
    config = searchless.mkdocs_yml.read_text(encoding="utf-8")
    searchless.mkdocs_yml.write_text(config.replace("\nplugins: []\n", "\nplugins: [search]\n"), encoding="utf-8")
    build(searchless)
    assert not build(searchless, incremental=True).incremental
