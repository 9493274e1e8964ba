"""The archive over time: the Trends page's data and charts, and the calendars of the dates pages."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from markupsafe import Markup

from . import charts
from .models import Archive, Paper

MOST_FEATURED = 10
RECENT_DATES = 120  # the per-date chart and table keep the Trends page small however long the archive runs


def papers_per_date(archive: Archive) -> list[tuple[dt.date, int]]:
    """Papers per digest date, for the most recent RECENT_DATES dates."""
    return [(day.date, len(day.slugs)) for day in archive.days[-RECENT_DATES:]]


def months(archive: Archive) -> list[str]:
    """Every month from the first digest's to the last's, as YYYY-MM."""
    if not archive.days:
        return []
    first, last = archive.days[0].date, archive.days[-1].date
    return [f"{n // 12}-{n % 12 + 1:02d}" for n in range(first.year * 12 + first.month - 1, last.year * 12 + last.month)]


def tags_by_month(archive: Archive, columns: list[str]) -> list[list[int]]:
    """Per tag (vocabulary order), per month: the papers featured that month carrying it."""
    index = {month: number for number, month in enumerate(columns)}
    counts = {t.slug: [0] * len(columns) for t in archive.tags}
    for paper in archive.papers:
        for month in {f"{d:%Y-%m}" for d in paper.dates}:
            for slug in paper.tags:
                counts[slug][index[month]] += 1
    return [counts[t.slug] for t in archive.tags]


def most_featured(archive: Archive) -> list[Paper]:
    """Papers featured more than once, the most often first, then the most recently."""
    again = [p for p in archive.papers if len(p.dates) > 1]
    return sorted(again, key=lambda p: (-len(p.dates), -p.last_featured.toordinal(), p.slug))[:MOST_FEATURED]


def trends(archive: Archive) -> dict:
    """The Trends page's context: each chart with the data of its table."""
    per_date = papers_per_date(archive)
    columns = months(archive)
    grid = tags_by_month(archive, columns)
    featured = most_featured(archive)
    return {
        "paper_count": len(archive.papers), "day_count": len(archive.days), "recent_dates": RECENT_DATES,
        "per_date": per_date, "per_date_chart": charts.column_chart(
            "Papers per digest date", [(d.isoformat(), n) for d, n in per_date], "paper"),
        "months": columns, "tag_rows": list(zip(archive.tags, grid)), "tags_chart": charts.heat_grid(
            "Papers per tag and month", [t.name for t in archive.tags], columns, grid, "paper"),
        "featured": featured, "repeated": sum(1 for p in archive.papers if len(p.dates) > 1),
        "featured_chart": charts.bar_chart(
            "Most-featured papers: times featured", [(p.title, len(p.dates)) for p in featured], "time")}


def years(archive: Archive) -> list[tuple[int, list[tuple[dt.date, int]], int]]:
    """Each year with a digest, newest first: its (date, papers) newest first and its distinct papers."""
    days: dict[int, list[tuple[dt.date, int]]] = {}
    papers: dict[int, set[str]] = {}
    for day in reversed(archive.days):
        days.setdefault(day.date.year, []).append((day.date, len(day.slugs)))
        papers.setdefault(day.date.year, set()).update(day.slugs)
    return [(year, days[year], len(papers[year])) for year in days]


def calendar(year: int, days: list[tuple[dt.date, int]], href: Callable[[dt.date], str]) -> Markup:
    """The calendar heat-map of one year's digest dates."""
    return charts.calendar(year, dict(days), href)
