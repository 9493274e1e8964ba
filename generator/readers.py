"""Readers: source text in, records and problems out. No I/O here; content.py reads the files."""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from .errors import Problem
from .latex import readable
from .models import Digest, Entry, Labelled, SourceMeta, Tag
from .safeyaml import LineDict, LineList, load

HEADER = ("new", "Get trending papers in your email inbox!", "Subscribe",
          "byAK and the research community")
MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
DATE_LINE = re.compile(r"^(?P<month>[A-Z][a-z]{2}) (?P<day>\d{1,2})$")
MIN_ABSTRACT_WORDS = 20  # the shortest real abstract in the seeds has 60; titles have under 30
MAX_TITLE_CHARS = 300
SPLITS = ("tune", "holdout")  # the tagger learns from "tune" only
TAG_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text, or a problem naming the line of the first invalid byte."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(file, line, f"invalid UTF-8 (byte 0x{data[exc.start]:02x}): "
                                          "save the file as UTF-8")]


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each blank-line-separated paragraph, lines joined by spaces."""
    paragraphs: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line == "":
            if current:
                paragraphs.append((start, " ".join(current)))
            current = []
            continue
        if not current:
            start = number
        current.append(line.strip())
    if current:
        paragraphs.append((start, " ".join(current)))
    return paragraphs


def read_text_digest(text: str, file: str, date: dt.date | None) -> tuple[Digest | None, list[Problem]]:
    """Parse a digest in the Daily Papers text format: five header lines, then title/abstract pairs."""
    paragraphs = _paragraphs(text)
    problems = _check_header(paragraphs, file)
    if problems:
        return None, problems
    date_line, date_text = paragraphs[4]
    problems = _check_date(date_text, date_line, date, file)
    if problems:
        return None, problems
    body = paragraphs[5:]
    if not body:
        problems.append(Problem(file, date_line, "digest has no papers after the date line"))
    if len(body) % 2:
        problems.append(Problem(file, body[-1][0], f"odd number of paragraphs after the header "
                                f"({len(body)}): every title needs an abstract, separated by one blank line"))
    entries = []
    for (t_line, title), (a_line, abstract) in zip(body[::2], body[1::2]):
        problems += _check_entry(title, t_line, abstract, a_line, file)
        entries.append(Entry(title=title, abstract=abstract, line=t_line))
    if problems:
        return None, problems
    return Digest(source=file, date=date, entries=tuple(entries)), []


def _check_header(paragraphs: list[tuple[int, str]], file: str) -> list[Problem]:
    for index, expected in enumerate(HEADER):
        if index >= len(paragraphs) or paragraphs[index][1] != expected:
            line = paragraphs[index][0] if index < len(paragraphs) else paragraphs[-1][0] + 1 if paragraphs else 1
            return [Problem(file, line, f"expected header line {expected!r}: "
                                        "a digest starts with the five header lines of the Daily Papers page")]
    if len(paragraphs) < 5:
        return [Problem(file, paragraphs[-1][0], "missing date line after the header: expected a month and "
                                                 "day like 'Mar 11'")]
    return []


def _check_date(text: str, line: int, date: dt.date | None, file: str) -> list[Problem]:
    match = DATE_LINE.match(text)
    if not match:
        return [Problem(file, line, f"missing date line after the header: expected a month and day like "
                                    f"'Mar 11', found {text[:40]!r}")]
    if match["month"] not in MONTHS:
        return [Problem(file, line, f"unknown month {match['month']!r} in date line {text!r}: "
                                    f"use one of {', '.join(MONTHS)}")]
    if date is None:
        return [Problem(file, line, f"the year of {text!r} cannot be resolved: record the full date "
                                    f"as '{file}: YYYY-MM-DD' in content/digests/dates.yml")]
    if (MONTHS[match["month"]], int(match["day"])) != (date.month, date.day):
        return [Problem(file, line, f"date line {text!r} disagrees with the recorded date {date.isoformat()} "
                                    "in content/digests/dates.yml: correct one of them")]
    return []


def _check_entry(title: str, t_line: int, abstract: str, a_line: int, file: str) -> list[Problem]:
    problems = []
    if not title.strip():
        problems.append(Problem(file, t_line, "empty title: remove the blank-looking line or add the title"))
    elif len(title) > MAX_TITLE_CHARS:
        problems.append(Problem(file, t_line, f"title is {len(title)} characters long: it looks like an "
                                "abstract, so a title or abstract is probably missing above it"))
    if len(abstract.split()) < MIN_ABSTRACT_WORDS:
        problems.append(Problem(file, a_line, f"abstract has {len(abstract.split())} words: it looks like a "
                                "title, so an abstract is probably missing above it"))
    return problems


def read_dates(text: str, file: str) -> tuple[dict[str, dt.date], list[Problem]]:
    """The manifest recording the full date of each text digest (their date lines have no year)."""
    data, problems = load(text, file)
    if data is None:
        return {}, problems
    if not isinstance(data, LineDict):
        return {}, problems + [Problem(file, 1, "expected a mapping 'digest-file.txt: YYYY-MM-DD'")]
    dates = {}
    for name, value in data.items():
        try:
            dates[name] = dt.date.fromisoformat(str(value))
        except ValueError:
            problems.append(Problem(file, data.lines[name], f"'{name}': {value!r} is not a date: use YYYY-MM-DD"))
    return dates, problems


def read_taxonomy(text: str, file: str) -> tuple[list[Tag], list[Problem]]:
    data, problems = load(text, file)
    if not isinstance(data, LineList):
        return [], problems + [Problem(file, 1, "expected a list of tags with slug, name and description")]
    tags: list[Tag] = []
    for item, line in zip(data, data.lines):
        if not isinstance(item, LineDict) or set(item) != {"slug", "name", "description"} \
                or not all(isinstance(v, str) and v.strip() for v in item.values()):
            problems.append(Problem(file, line, "each tag needs exactly: slug, name, description (non-empty text)"))
        elif not TAG_SLUG.match(item["slug"]):
            problems.append(Problem(file, line, f"tag slug {item['slug']!r} must be lowercase words joined by '-'"))
        elif any(t.slug == item["slug"] for t in tags):
            problems.append(Problem(file, line, f"duplicate tag slug {item['slug']!r}"))
        else:
            tags.append(Tag(item["slug"], item["name"], item["description"]))
    return tags, problems


def read_labels(text: str, file: str, tag_slugs: set[str]) -> tuple[list[Labelled], list[Problem]]:
    """Hand-labelled papers (content/tagging/labels.yml or a file given to eval-tags)."""
    data, problems = load(text, file)
    if not isinstance(data, LineList):
        return [], problems + [Problem(file, 1, "expected a list of papers with title, abstract, tags, split")]
    labelled = []
    for item, line in zip(data, data.lines):
        if not isinstance(item, LineDict) or not {"title", "abstract", "tags"} <= set(item) \
                or not isinstance(item["tags"], list):
            problems.append(Problem(file, line, "each labelled paper needs title, abstract and a list of tags"))
            continue
        if unknown := sorted(set(item["tags"]) - tag_slugs, key=str):
            problems.append(Problem(file, line, f"unknown tag {unknown[0]!r}: use a slug of content/taxonomy.yml"))
            continue
        if item.get("split", "holdout") not in SPLITS:
            problems.append(Problem(file, line, f"split must be {' or '.join(SPLITS)}"))
            continue
        # The abstract as the site shows it and the tagger reads it there (archive.merge), LaTeX resolved.
        labelled.append(Labelled(item["title"], readable(item["abstract"])[0], frozenset(item["tags"]),
                                 item.get("split", "holdout"), tuple(item.get("keywords") or ())))
    return labelled, problems


def read_json_digest(text: str, file: str) -> tuple[Digest | None, list[Problem]]:
    """A digest in the archive's own JSON format, as written by `archive fetch` and `archive import`."""
    try:
        data = json.loads(text)
        date = dt.date.fromisoformat(data["date"])
        entries = tuple(_json_entry(item, number) for number, item in enumerate(data["papers"], start=1))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return None, [Problem(file, 1, f"not a valid archive digest ({type(exc).__name__}: {exc}): "
                                       "re-create it with 'archive import' or 'archive fetch'")]
    problems = []
    for entry in entries:
        problems += _check_entry(entry.title, 1, entry.abstract, 1, file)
    if problems:
        return None, problems
    return Digest(source=file, date=date, entries=entries,
                  source_url=data.get("source_url"), retrieved_at=data.get("retrieved_at")), []


def _json_entry(item: dict[str, Any], number: int) -> Entry:
    meta = SourceMeta(
        arxiv_id=item.get("arxiv_id"), authors=tuple(item.get("authors", ())), upvotes=item.get("upvotes"),
        github_repo=item.get("github_repo"), github_stars=item.get("github_stars"),
        project_page=item.get("project_page"), ai_keywords=tuple(item.get("ai_keywords", ())),
        published=item.get("published"))
    return Entry(title=str(item["title"]), abstract=str(item["abstract"]), line=number, meta=meta)
