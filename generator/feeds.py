"""Atom feeds: one of the whole archive (an entry per digest date) and one per tag (an entry per paper).

Ids are the permanent page URLs, so they never change from one build to the next; timestamps are
digest dates, so the same content gives the same bytes. ElementTree escapes all text; characters
that XML cannot hold at all are dropped from untrusted text.
"""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import escape

from .charts import quantity
from .config import SiteSettings
from .models import Archive, Day, Paper, Tag

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50  # newest entries per feed: readers poll feeds often, so they stay small
ARCHIVE_FEED = "feeds/digests.xml"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def tag_feed(tag_slug: str) -> str:
    return f"feeds/tags/{tag_slug}.xml"


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name, attributes)
    if text is not None:
        element.text = _text(text)
    return element


def _feed(settings: SiteSettings, path: str, title: str, page: str, updated: dt.date | None) -> ET.Element:
    base = settings.site_url.rstrip("/") + "/"
    feed = ET.Element("feed", xmlns=ATOM)
    _add(feed, "id", base + path)
    _add(feed, "title", title)
    _add(feed, "updated", _timestamp(updated or dt.date(1970, 1, 1)))
    _add(feed, "link", rel="self", type="application/atom+xml", href=base + path)
    _add(feed, "link", rel="alternate", type="text/html", href=base + page)
    _add(_add(feed, "author"), "name", settings.site_name)
    return feed


def _serialise(feed: ET.Element) -> str:
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def day_entry(feed: ET.Element, day: Day, papers: dict[str, Paper], base: str) -> None:
    entry = _add(feed, "entry")
    url = f"{base}dates/{day.date.isoformat()}/"
    _add(entry, "id", url)
    papers_count = quantity(len(day.slugs), "paper")
    _add(entry, "title", f"Papers of {day.date:%B} {day.date.day}, {day.date.year}: {papers_count}")
    _add(entry, "updated", _timestamp(day.date))
    _add(entry, "link", rel="alternate", type="text/html", href=url)
    items = "".join(f'<li><a href="{base}{papers[s].url}">{escape(papers[s].title)}</a></li>' for s in day.slugs)
    _add(entry, "content", f"<ol>{items}</ol>", type="html")


def paper_entry(feed: ET.Element, paper: Paper, names: dict[str, str], base: str) -> None:
    entry = _add(feed, "entry")
    _add(entry, "id", base + paper.url)
    _add(entry, "title", paper.title)
    _add(entry, "published", _timestamp(paper.dates[0]))
    _add(entry, "updated", _timestamp(paper.last_featured))
    _add(entry, "link", rel="alternate", type="text/html", href=base + paper.url)
    if paper.meta.arxiv_id:
        _add(entry, "link", rel="related", type="text/html", href=f"https://arxiv.org/abs/{paper.meta.arxiv_id}")
    for name in paper.meta.authors:
        _add(_add(entry, "author"), "name", name)
    for slug in paper.tags:
        _add(entry, "category", term=slug, label=names[slug])
    _add(entry, "summary", paper.abstract, type="text")


def archive_feed(archive: Archive, settings: SiteSettings) -> str:
    """The newest digest dates first, each entry listing its papers."""
    days = list(reversed(archive.days))[:ENTRIES]
    feed = _feed(settings, ARCHIVE_FEED, f"{settings.site_name}: all digests", "dates/",
                 days[0].date if days else None)
    papers = {p.slug: p for p in archive.papers}
    for day in days:
        day_entry(feed, day, papers, settings.site_url.rstrip("/") + "/")
    return _serialise(feed)


def tags_feed(tag: Tag, papers: list[Paper], names: dict[str, str], settings: SiteSettings,
              archive_updated: dt.date | None = None) -> str:
    """A tag's papers, the most recently featured first; a tag with none dates from the archive's newest digest."""
    newest = sorted(papers, key=lambda p: (-p.last_featured.toordinal(), p.slug))[:ENTRIES]
    feed = _feed(settings, tag_feed(tag.slug), f"{settings.site_name}: {tag.name}", f"tags/{tag.slug}/",
                 newest[0].last_featured if newest else archive_updated)
    _add(feed, "subtitle", tag.description)
    for paper in newest:
        paper_entry(feed, paper, names, settings.site_url.rstrip("/") + "/")
    return _serialise(feed)


def feed_files(archive: Archive, settings: SiteSettings) -> dict[str, str]:
    """Every feed, as path in the docs folder -> XML text."""
    names = {t.slug: t.name for t in archive.tags}
    by_tag: dict[str, list[Paper]] = {t.slug: [] for t in archive.tags}
    for paper in archive.papers:
        for slug in paper.tags:
            by_tag[slug].append(paper)
    files = {ARCHIVE_FEED: archive_feed(archive, settings)}
    for tag in archive.tags:
        files[tag_feed(tag.slug)] = tags_feed(tag, by_tag[tag.slug], names, settings,
                                              archive.days[-1].date if archive.days else None)
    return files
