"""Daily Papers sources (day page HTML, API JSON) parsed into digests. Pure: text in, records out.

A source whose shape is not what we expect raises SourceError naming what was missing, so a
change on the site stops the import instead of writing a half-understood digest.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from bs4 import BeautifulSoup

from .errors import UserError
from .models import Digest, Entry, SourceMeta
from .readers import MAX_TITLE_CHARS, MIN_ABSTRACT_WORDS

DAY_PAGE_URL = "https://huggingface.co/papers?date={date}"
API_URL = "https://huggingface.co/api/daily_papers?date={date}"
PROPS = 'div[data-target="DailyPapers"]'
# New-style arXiv ids (what the site uses), and old-style ones like hep-th/9901001.
ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z][a-z.-]+/\d{7})(?:v\d+)?$")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
CHANGED = "the site's structure changed"


class SourceError(UserError):
    """The source could not be understood; the message names what was missing or wrong."""


def digest_file(date: dt.date) -> str:
    return f"{date.isoformat()}.json"


def iso_utc(moment: dt.datetime) -> str:
    """A retrieval time as written in digests: ISO 8601, UTC, whole seconds."""
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_day_page(html: str, source_url: str, retrieved_at: str, expected: dt.date | None = None) -> Digest:
    """A Daily Papers day page: the records sit as JSON in the DailyPapers element's data-props."""
    element = BeautifulSoup(html, "html.parser").select_one(PROPS)
    if element is None and not html.rstrip().lower().endswith("</html>"):
        # The parser drops a tag cut off inside its attributes: say so, not "structure changed".
        raise SourceError("the page is truncated: it ends before its closing </html> tag, and no complete "
                          "div[data-target=DailyPapers] was found")
    if element is None:
        raise SourceError(f"no div[data-target=DailyPapers] in the page: {CHANGED}")
    props_text = element.get("data-props")
    if not isinstance(props_text, str):
        raise SourceError(f"div[data-target=DailyPapers] has no data-props attribute: {CHANGED}")
    try:
        props = json.loads(props_text)
    except ValueError as exc:
        raise SourceError(f"data-props of div[data-target=DailyPapers] is not valid JSON ({exc}): "
                          f"the page is truncated or {CHANGED}") from None
    if not isinstance(props, dict) or not isinstance(props.get("dailyPapers"), list):
        raise SourceError(f"data-props of div[data-target=DailyPapers] has no 'dailyPapers' list: {CHANGED}")
    date = _iso_date(props.get("date"))
    if date is None:
        raise SourceError(f"data-props of div[data-target=DailyPapers] has no 'date': {CHANGED}")
    if expected and date != expected:
        raise SourceError(f"the page is for {date.isoformat()}, not {expected.isoformat()}")
    return _digest(props["dailyPapers"], date, source_url, retrieved_at)


def parse_api(text: str, date: dt.date, source_url: str, retrieved_at: str) -> Digest:
    """A response of the daily_papers API: the same records as the day page, as a JSON list."""
    try:
        records = json.loads(text)
    except ValueError as exc:
        raise SourceError(f"the API response is not valid JSON ({exc}): it is truncated or {CHANGED}") from None
    if not isinstance(records, list):
        kind = {dict: "an object", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(records), "a number")
        raise SourceError(f"the API response is {kind}, not a list of papers: {CHANGED}")
    return _digest(records, date, source_url, retrieved_at)


def parse_saved(text: str, name: str, retrieved_at: str, date: dt.date | None = None) -> Digest:
    """A saved day page or API response; an API response's date comes from `date` or the file name."""
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        return parse_day_page(text, "", retrieved_at, expected=date)
    if date is None:
        found = ISO_DAY.search(name)
        date = _iso_date(found.group()) if found else None
    if date is None:
        raise SourceError(f"cannot tell which day {name} is: put the date (YYYY-MM-DD) in its name "
                          "or pass --date")
    return parse_api(text, date, API_URL.format(date=date.isoformat()), retrieved_at)


def _digest(records: list, date: dt.date, source_url: str, retrieved_at: str) -> Digest:
    entries: list[Entry] = []
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        entry = _entry(record, number)
        if entry.meta.arxiv_id not in seen:  # the site lists a paper once; guard anyway
            seen.add(entry.meta.arxiv_id)
            entries.append(entry)
    url = source_url or DAY_PAGE_URL.format(date=date.isoformat())
    return Digest(source=digest_file(date), date=date, entries=tuple(entries),
                  source_url=url, retrieved_at=retrieved_at)


def _entry(record: Any, number: int) -> Entry:
    paper = record.get("paper") if isinstance(record, dict) else None
    if not isinstance(paper, dict):
        raise SourceError(f"paper {number} has no 'paper' object: {CHANGED}")
    arxiv_id = paper.get("id")
    if not isinstance(arxiv_id, str) or not arxiv_id:
        raise SourceError(f"paper {number} has no 'paper.id': {CHANGED}")
    if not ARXIV_ID.match(arxiv_id):
        raise SourceError(f"paper {number}: 'paper.id' {arxiv_id[:40]!r} is not an arXiv id")
    title = _text(paper.get("title")) or _text(record.get("title"))
    abstract = _text(paper.get("summary"))
    where = f"paper {number} ({arxiv_id})"
    if not title:
        raise SourceError(f"{where} has no 'paper.title': {CHANGED}")
    if not abstract:
        raise SourceError(f"{where} has no 'paper.summary' (its abstract): {CHANGED}")
    if len(title) > MAX_TITLE_CHARS:
        raise SourceError(f"{where}: the title is {len(title)} characters long (at most {MAX_TITLE_CHARS})")
    if len(abstract.split()) < MIN_ABSTRACT_WORDS:
        raise SourceError(f"{where}: the abstract has {len(abstract.split())} words "
                          f"(at least {MIN_ABSTRACT_WORDS})")
    return Entry(title=title, abstract=abstract, line=number, meta=_meta(paper, arxiv_id))


def _meta(paper: dict, arxiv_id: str) -> SourceMeta:
    """The optional fields: an ill-typed one is left out rather than guessed at."""
    authors = paper.get("authors") if isinstance(paper.get("authors"), list) else []
    names = tuple(n for a in authors if isinstance(a, dict) and (n := _text(a.get("name"))))
    keywords = paper.get("ai_keywords") if isinstance(paper.get("ai_keywords"), list) else []
    published = _iso_date(paper.get("publishedAt"))
    return SourceMeta(
        arxiv_id=arxiv_id, authors=names, upvotes=_count(paper.get("upvotes")),
        github_repo=_web_url(paper.get("githubRepo")), github_stars=_count(paper.get("githubStars")),
        project_page=_web_url(paper.get("projectPage")),
        ai_keywords=tuple(dict.fromkeys(k for k in map(_text, keywords) if k)),
        published=published.isoformat() if published else None)


def _text(value: Any) -> str:
    """The source wraps titles and abstracts with hard line breaks: one space between words."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _web_url(value: Any) -> str | None:
    # Only http(s): the page links to it, and any other scheme (javascript:) would be unsafe.
    text = _text(value)
    return text if re.match(r"^https?://[^\s/]+", text) else None


def _iso_date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not ISO_DAY.match(value):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
