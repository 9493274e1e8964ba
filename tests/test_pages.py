"""Golden Markdown for representative pages; `pytest --update-golden` rewrites them after a deliberate change."""
import datetime as dt
from pathlib import Path

import pytest

from generator import store
from generator.content import load
from generator.models import Digest, Entry, Paper, SourceMeta
from generator.pages import PAGE_SIZE, paginate, paginate_growing, plan_site
from generator.writer import relative_link, render_all
from conftest import ROOT
from generator.config import Project

GOLDEN = Path(__file__).resolve().parent / "golden"
FLASH_2 = "flashattention-2-faster-attention-with-better-parallelism-and-work-partitioning"
PAGES = {
    "paper-with-links.md": "papers/torchgeo-deep-learning-with-geospatial-data/index.md",
    "paper-featured-three-times.md": f"papers/{FLASH_2}/index.md",
    "tag.md": "tags/edge/index.md",
    "date.md": "dates/2025-06-26/index.md",
    "date-between-two-digests.md": "dates/2025-03-17/index.md",
    "dates-calendar.md": "dates/index.md",
    "year.md": "dates/2025/index.md",
    "stats.md": "stats/index.md",
    "home.md": "index.md",
}


@pytest.fixture(scope="module")
def rendered():
    loaded = load(Project(ROOT))
    return render_all(plan_site(loaded.archive, loaded.settings, set(loaded.corrections)))


def assert_golden(actual: str, golden: str, request) -> None:
    target = GOLDEN / golden
    if request.config.getoption("--update-golden"):
        target.parent.mkdir(exist_ok=True)
        target.write_text(actual, encoding="utf-8")
    assert actual == target.read_text(encoding="utf-8"), f"the page differs from {target.name}"


@pytest.mark.parametrize("golden, path", sorted(PAGES.items()))
def test_page_matches_golden(rendered, golden, path, request):
    assert_golden(rendered[path], golden, request)


def test_paper_the_live_site_knows_more_about_matches_golden(project, request):
    """A seed paper featured again on the live site: its authors, links, upvotes, code and arXiv citation."""
    seed = {p.slug: p for p in load(project).archive.papers}[FLASH_2]
    meta = SourceMeta(arxiv_id="2307.08691", authors=("Tri Dao",), upvotes=42, published="2023-07-17",
                      github_repo="https://github.com/Dao-AILab/flash-attention", github_stars=12345,
                      project_page="https://tridao.me/publications/flash2/flash2.pdf")
    digest = Digest("2025-07-01.json", dt.date(2025, 7, 1), (Entry(seed.title, seed.abstract, 1, meta),))
    (project.digests / digest.source).write_text(store.to_json(digest), encoding="utf-8")
    loaded = load(project)
    rendered = render_all(plan_site(loaded.archive, loaded.settings, set(loaded.corrections)))
    assert_golden(rendered[f"papers/{FLASH_2}/index.md"], "paper-from-the-live-site.md", request)


def test_relative_links_between_pages():
    assert relative_link("tags/llm/", "papers/x/") == "../../papers/x/"
    assert relative_link("", "tags/") == "tags/"
    assert relative_link("papers/x/", "") == "../../"
    assert relative_link("tags/llm/page/2/", "tags/llm/") == "../../"


def test_listings_are_paginated_at_page_size():
    pages = paginate("tags/llm/", list(range(PAGE_SIZE * 2 + 1)))
    assert [url for url, _, _ in pages] == ["tags/llm/", "tags/llm/page/2/", "tags/llm/page/3/"]
    assert [len(items) for _, items, _ in pages] == [PAGE_SIZE, PAGE_SIZE, 1]
    assert pages[1][2]["first"] == PAGE_SIZE + 1


def dated_papers(count: int, start: int = 0) -> list[Paper]:
    return [Paper(f"p{n:04d}", f"Paper {n}", "An abstract.", (dt.date(2025, 1, 1) + dt.timedelta(days=n // 60),))
            for n in range(start, start + count)]


def test_growing_listings_keep_their_full_pages_when_papers_arrive():
    before = paginate_growing("tags/llm/", dated_papers(PAGE_SIZE * 2 + 50))
    after = paginate_growing("tags/llm/", dated_papers(PAGE_SIZE * 2 + 60) + dated_papers(1, start=9999))
    assert [url for url, _, _ in after] == ["tags/llm/", "tags/llm/page/1/", "tags/llm/page/2/", "tags/llm/page/3/"]
    assert after[1:3] == before[1:3]  # the full pages, pager included, are untouched
    assert [p.title for p in after[3][1]][:2] == ["Paper 9999", "Paper 259"]  # newest first
    landing = after[0][1]
    assert len(landing) == PAGE_SIZE and landing[0].title == "Paper 9999" and after[0][2]["total"] == 261


def test_a_listing_of_one_page_has_no_numbered_pages():
    assert [url for url, _, _ in paginate_growing("untagged/", dated_papers(PAGE_SIZE))] == ["untagged/"]


def test_dates_get_a_page_per_year_linked_newest_first():
    from generator.models import Archive, Day
    from generator.pages import date_pages
    papers = dated_papers(3)
    days = tuple(Day(dt.date(year, 5, 1), (p.slug,), (f"{year}.txt",)) for year, p in zip((2023, 2025, 2026), papers))
    plans = {plan.url: plan for plan in date_pages(Archive(tuple(papers), days, ()))}
    assert [year for year, _, _ in plans["dates/"].context["years"]] == [2026, 2025, 2023]
    assert plans["dates/"].context["newest"] == 2026
    year = plans["dates/2025/"].context
    assert (year["older"], year["newer"], year["days"]) == (2023, 2026, [(dt.date(2025, 5, 1), 1)])
    assert plans["dates/2023/"].context["older"] is None and plans["dates/2026/"].context["newer"] is None
    assert 'href="../2025-05-01/"' in str(year["calendar"])
