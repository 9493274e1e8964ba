"""Page plans: which pages the site has, at which URL, from which template, with what data."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import cite, feeds, insights, related
from .charts import quantity
from .config import SiteSettings
from .models import Archive, Paper

PAGE_SIZE = 100  # papers per listing page: keeps every page small however large the archive grows
EXCERPT_CHARS = 220
LATEST_DAYS = 10


@dataclass(frozen=True)
class PagePlan:
    url: str  # site-relative, directory style: "papers/<slug>/"; "" is the home page
    template: str
    title: str  # plain text; the writer escapes it
    context: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    layout: str = ""  # the theme template, when not the theme's main.html
    feed: str = ""  # the site path of the page's own Atom feed, announced in its head

    @property
    def path(self) -> str:
        return f"{self.url}index.md"


@dataclass(frozen=True)
class Listed:
    """A paper as shown in a listing."""

    title: str
    url: str
    excerpt: str
    last_featured: dt.date
    times: int
    first_featured: dt.date


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def listed(paper: Paper) -> Listed:
    return Listed(paper.title, paper.url, excerpt(paper.abstract), paper.last_featured, len(paper.dates),
                  paper.dates[0])


def paginate(base_url: str, items: list) -> list[tuple[str, list, dict]]:
    """(url, items, pager) per page; page 1 lives at base_url, page n at base_url/page/n/."""
    chunks = [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]
    urls = [base_url] + [f"{base_url}page/{n}/" for n in range(2, len(chunks) + 1)]
    return [(url, chunk, {"number": n, "count": len(chunks), "urls": urls, "total": len(items),
                          "first": (n - 1) * PAGE_SIZE + 1})
            for n, (url, chunk) in enumerate(zip(urls, chunks), start=1)]


def paginate_growing(base_url: str, papers: list[Paper]) -> list[tuple[str, list, dict]]:
    """A listing that grows as digests arrive: (url, papers newest first, pager) per page.

    base_url shows the newest PAGE_SIZE papers. page/N/ holds the N-th PAGE_SIZE papers counted
    from the first featured, so a full page never changes when papers are added (an incremental
    build rewrites the newest page or two, not every page) and its URL keeps its papers. A paper
    featured again stays where it was first featured.
    """
    ordered = [listed(p) for p in sorted(papers, key=lambda p: (p.dates[0], p.slug))]
    chunks = [ordered[i:i + PAGE_SIZE] for i in range(0, len(ordered), PAGE_SIZE)]
    count = len(chunks) if len(chunks) > 1 else 0  # one page's papers need no numbered page
    urls = [f"{base_url}page/{n}/" for n in range(1, count + 1)]
    pages = [(base_url, ordered[::-1][:PAGE_SIZE], {"number": 0, "total": len(ordered), "urls": urls})]
    for n, (url, chunk) in enumerate(zip(urls, chunks), start=1):
        pages.append((url, chunk[::-1], {"number": n, "first": (n - 1) * PAGE_SIZE + 1, "newest": base_url,
                                         "newer": urls[n] if n < count else base_url,
                                         "older": urls[n - 2] if n > 1 else None, "oldest": urls[0]}))
    return pages


def paper_pages(archive: Archive, settings: SiteSettings, corrected: set[str],
                analyzed: dict[bytes, str] | None = None) -> list[PagePlan]:
    names = {t.slug: t.name for t in archive.tags}
    by_slug = {p.slug: p for p in archive.papers}
    similar = related.compute(archive.papers, analyzed=analyzed)
    cite_keys = cite.keys(archive.papers)
    return [PagePlan(p.url, "paper.md.j2", p.title, description=excerpt(p.abstract, 160), layout="paper.html",
                     # The citation and the correction link are made by the template (writer.environment's
                     # filters), only for the pages rendered: a plan holds what they are made from.
                     context={"paper": p, "tag_names": names, "settings": settings, "corrected": p.slug in corrected,
                              "cite_key": cite_keys[p.slug],
                              "related": [listed(by_slug[s]) for s in similar[p.slug]]})
            for p in archive.papers]


def tag_pages(archive: Archive) -> list[PagePlan]:
    by_tag: dict[str, list[Paper]] = {t.slug: [] for t in archive.tags}
    for paper in archive.papers:
        for slug in paper.tags:
            by_tag[slug].append(paper)
    plans = [PagePlan("tags/", "tags.md.j2", "Tags", description="Every tag of the archive's vocabulary, with its papers.", context={
        "tags": [(t, len(by_tag[t.slug])) for t in archive.tags]})]
    for tag in archive.tags:
        for url, chunk, pager in paginate_growing(f"tags/{tag.slug}/", by_tag[tag.slug]):
            title = f"{tag.name} (page {pager['number']})" if pager["number"] else tag.name
            plans.append(PagePlan(url, "tag.md.j2", title, description=tag.description, feed=feeds.tag_feed(tag.slug),
                                  context={"tag": tag, "papers": chunk, "pager": pager}))
    for url, chunk, pager in paginate_growing("untagged/", [p for p in archive.papers if not p.tags]):
        title = f"Untagged papers (page {pager['number']})" if pager["number"] else "Untagged papers"
        plans.append(PagePlan(url, "untagged.md.j2", title, context={"papers": chunk, "pager": pager},
                              description="Papers the automatic tagger left without a tag: suggest one for any of them."))
    return plans


def date_pages(archive: Archive) -> list[PagePlan]:
    """The dates index, a page per year (calendar and list: a year stays under 200 KB), a page per date."""
    years = insights.years(archive)
    plans = [PagePlan("dates/", "dates.md.j2", "Dates", description="Every digest date of the archive, by year.", context={
        "years": [(year, len(days), papers) for year, days, papers in years],
        "calendar": insights.calendar(*years[0][:2], href=lambda date: f"{date.isoformat()}/") if years else None,
        "newest": years[0][0] if years else None})]
    numbers = [None, *(year for year, _, _ in years), None]  # newest first
    for index, (year, days, _) in enumerate(years, start=1):
        plans.append(PagePlan(f"dates/{year}/", "year.md.j2", f"Digest dates of {year}",
                              description=f"The {quantity(len(days), 'digest date')} of {year}, on a calendar.", context={
            "year": year, "days": days, "newer": numbers[index - 1], "older": numbers[index + 1],
            "calendar": insights.calendar(year, days, href=lambda date: f"../{date.isoformat()}/")}))
    papers = {p.slug: p for p in archive.papers}
    dates = [None, *(d.date for d in archive.days), None]
    for number, day in enumerate(archive.days, start=1):
        base = f"dates/{day.date.isoformat()}/"
        around = {"previous": dates[number - 1], "next": dates[number + 1]}  # digest dates either side
        title = f"Papers of {day.date:%B} {day.date.day}, {day.date.year}"
        description = f"The {quantity(len(day.slugs), 'ML paper')} of the digest of {day.date:%B} {day.date.day}, {day.date.year}."
        for url, chunk, pager in paginate(base, [papers[s] for s in day.slugs]):
            plans.append(PagePlan(url, "date.md.j2", f"{title} (page {pager['number']})" if pager["number"] > 1 else title,
                                  description=description,
                                  context={"day": day, "papers": [listed(p) for p in chunk], "pager": pager, **around}))
    return plans


def stats_page(archive: Archive) -> PagePlan:
    return PagePlan("stats/", "stats.md.j2", "Trends", context=insights.trends(archive),
                    description="Papers per digest date, tags over time and the most-featured papers.")


def home_page(archive: Archive, settings: SiteSettings) -> PagePlan:
    counts = {t.slug: 0 for t in archive.tags}
    for paper in archive.papers:
        for slug in paper.tags:
            counts[slug] += 1
    return PagePlan("", "home.md.j2", settings.site_name, context={
        "paper_count": len(archive.papers), "digest_count": sum(len(d.sources) for d in archive.days),
        "day_count": len(archive.days), "latest": [(d.date, len(d.slugs)) for d in reversed(archive.days)][:LATEST_DAYS],
        "tags": [(t, counts[t.slug]) for t in archive.tags],
        "untagged": sum(1 for p in archive.papers if not p.tags)})


def plan_site(archive: Archive, settings: SiteSettings, corrected: set[str],
              analyzed: dict[bytes, str] | None = None) -> list[PagePlan]:
    """Every generated page; `corrected` holds the slugs that have a correction file; `analyzed`,
    the words of the papers' texts from the last build (related.vectors)."""
    return [home_page(archive, settings), *date_pages(archive), *tag_pages(archive), stats_page(archive),
            *paper_pages(archive, settings, corrected, analyzed)]
