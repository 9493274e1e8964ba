"""Page plans: which pages the site has, at which URL, from which template, with what data."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .config import SiteSettings
from .models import Archive, Paper, Tag
from .reviews import correction_link

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


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def listed(paper: Paper) -> Listed:
    return Listed(paper.title, paper.url, excerpt(paper.abstract), paper.last_featured, len(paper.dates))


def paginate(base_url: str, items: list) -> list[tuple[str, list, dict]]:
    """(url, items, pager) per page; page 1 lives at base_url, page n at base_url/page/n/."""
    chunks = [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]
    urls = [base_url] + [f"{base_url}page/{n}/" for n in range(2, len(chunks) + 1)]
    return [(url, chunk, {"number": n, "count": len(chunks), "urls": urls, "total": len(items),
                          "first": (n - 1) * PAGE_SIZE + 1})
            for n, (url, chunk) in enumerate(zip(urls, chunks), start=1)]


def recent_first(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (-p.last_featured.toordinal(), p.slug))


def paper_pages(archive: Archive, settings: SiteSettings, corrected: set[str]) -> list[PagePlan]:
    names = {t.slug: t.name for t in archive.tags}
    return [PagePlan(p.url, "paper.md.j2", p.title, description=excerpt(p.abstract, 160),
                     context={"paper": p, "tag_names": names, "correction_url": correction_link(p, settings, p.slug in corrected)})
            for p in archive.papers]


def tag_pages(archive: Archive) -> list[PagePlan]:
    by_tag: dict[str, list[Paper]] = {t.slug: [] for t in archive.tags}
    for paper in archive.papers:
        for slug in paper.tags:
            by_tag[slug].append(paper)
    plans = [PagePlan("tags/", "tags.md.j2", "Tags", context={
        "tags": [(t, len(by_tag[t.slug])) for t in archive.tags]})]
    for tag in archive.tags:
        for url, chunk, pager in paginate(f"tags/{tag.slug}/", recent_first(by_tag[tag.slug])):
            title = tag.name if pager["number"] == 1 else f"{tag.name} (page {pager['number']})"
            plans.append(PagePlan(url, "tag.md.j2", title, description=tag.description,
                                  context={"tag": tag, "papers": [listed(p) for p in chunk], "pager": pager}))
    untagged = [listed(p) for p in recent_first([p for p in archive.papers if not p.tags])]
    plans.append(PagePlan("untagged/", "untagged.md.j2", "Untagged papers", context={"papers": untagged}))
    return plans


def date_pages(archive: Archive) -> list[PagePlan]:
    papers = {p.slug: p for p in archive.papers}
    plans = [PagePlan("dates/", "dates.md.j2", "Dates", context={
        "days": [(d.date, len(d.slugs)) for d in reversed(archive.days)]})]
    for day in archive.days:
        base = f"dates/{day.date.isoformat()}/"
        for url, chunk, pager in paginate(base, [papers[s] for s in day.slugs]):
            plans.append(PagePlan(url, "date.md.j2", f"Papers of {day.date:%B} {day.date.day}, {day.date.year}",
                                  context={"day": day, "papers": [listed(p) for p in chunk], "pager": pager}))
    return plans


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


def plan_site(archive: Archive, settings: SiteSettings, corrected: set[str]) -> list[PagePlan]:
    """Every generated page; `corrected` holds the slugs that have a correction file."""
    return [home_page(archive, settings), *date_pages(archive), *tag_pages(archive),
            *paper_pages(archive, settings, corrected)]
