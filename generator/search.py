"""The site's search index: Pagefind, built from the archive's papers into <site>/pagefind/.

The browser then loads only what a query needs: Pagefind's page list, the index chunks of the
query's words and the fragments of the results shown, never an index of the whole archive.

Each paper becomes a small HTML record that Pagefind indexes: the abstract first (so the browser
can tell where it ends and build the excerpt from it alone), then the title, weighted far above
the abstract, the arXiv id and the tag names. Records are written to a temporary folder and
indexed by the Pagefind binary in one run: Pagefind's Python client answers about ten requests a
second, so one `add_custom_record` per paper would take over an hour at 50,000 papers.
"""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .errors import UserError
from .models import Archive, Paper

OUTPUT = "pagefind"
FACETS = "pda-facets.json"  # tag names and years offered as filters, with their paper counts
DATES = "pda-dates.json"  # each result id's date featured, loaded only to sort by it
TITLE_WEIGHT = 10  # an abstract word weighs 1
ARXIV_WEIGHT = 10
TAG_WEIGHT = 2
# Pagefind's own search UIs: the site has its own, in overrides/assets/javascripts/search.js.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


@dataclass(frozen=True)
class SearchIndexReport:
    papers: int
    files: int  # files written under <site>/pagefind
    bytes: int  # their total size on disk
    seconds: float


def record(paper: Paper, tag_names: dict[str, str]) -> str:
    """The HTML Pagefind indexes for one paper; every text is escaped, so it stays text."""
    date = paper.last_featured.isoformat()
    words = len(paper.abstract.split())
    tags = " · ".join(f'<span data-pagefind-filter="tag">{escape(tag_names[t])}</span>' for t in paper.tags)
    years = "".join(f'<span data-pagefind-filter="year:{year}"></span>' for year in sorted({d.year for d in paper.dates}))
    arxiv = paper.meta.arxiv_id
    return "".join([
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>paper</title></head>',
        f'<body data-pagefind-body><span data-pagefind-meta="date:{date}"></span><span data-pagefind-meta="words:{words}"></span>',
        f"<p>{escape(paper.abstract)}</p>",
        f'<h1 data-pagefind-meta="title" data-pagefind-weight="{TITLE_WEIGHT}">{escape(paper.title)}</h1>',
        f'<p data-pagefind-weight="{ARXIV_WEIGHT}" data-pagefind-meta="arxiv">{escape(arxiv)}</p>' if arxiv else "",
        f'<p data-pagefind-weight="{TAG_WEIGHT}" data-pagefind-meta="tags">{tags}</p>' if tags else "",
        years, "</body></html>\n"])


def write_records(archive: Archive, folder: Path) -> None:
    names = {t.slug: t.name for t in archive.tags}
    for paper in archive.papers:
        path = folder / paper.url / "index.html"
        path.parent.mkdir(parents=True)
        path.write_text(record(paper, names), encoding="utf-8")


def run_pagefind(records: Path, output: Path) -> None:
    # The Pagefind binary from PyPI's pagefind[bin], run as `python -m pagefind`: it exits only once
    # every file is written (the Python API's service can be stopped with files half-written).
    command = [sys.executable, "-m", "pagefind", "--site", str(records), "--output-path", str(output),
               "--force-language", "en", "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except OSError as exc:
        raise UserError(f"cannot build the search index: {exc.strerror}") from None
    if result.returncode:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise UserError("cannot build the search index: Pagefind failed: "
                        f"{detail[-1] if detail else 'no output'} (is pagefind[bin] installed?)")


def write_index(archive: Archive, site_dir: Path) -> SearchIndexReport:
    """Index every paper of `archive` into site_dir/pagefind/, replacing what was there."""
    started = time.perf_counter()
    output = site_dir / OUTPUT
    shutil.rmtree(output, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="search-records-") as folder:
        write_records(archive, Path(folder))
        run_pagefind(Path(folder), output.resolve())
    for name in UNUSED:
        (output / name).unlink(missing_ok=True)
    write_json(output / FACETS, facets(archive))
    write_json(output / DATES, dates_by_result_id(archive, output))
    files = [p for p in output.rglob("*") if p.is_file()]
    if not (output / "pagefind.js").is_file():
        raise UserError("cannot build the search index: Pagefind wrote no pagefind.js")
    return SearchIndexReport(len(archive.papers), len(files), sum(p.stat().st_size for p in files),
                             time.perf_counter() - started)


def facets(archive: Archive) -> dict:
    tags = {t.slug: 0 for t in archive.tags}
    years: dict[int, int] = {}
    for paper in archive.papers:
        for slug in paper.tags:
            tags[slug] += 1
        for year in {d.year for d in paper.dates}:
            years[year] = years.get(year, 0) + 1
    return {"tags": [[t.name, tags[t.slug]] for t in archive.tags if tags[t.slug]],
            "years": [[str(y), years[y]] for y in sorted(years, reverse=True)]}


def dates_by_result_id(archive: Archive, output: Path) -> dict[str, list[str]]:
    """Result ids (Pagefind's fragment names) by date featured, newest first.

    Pagefind's own sort index is part of the page list every search loads (100 KB more at 50,000
    papers); this table is loaded only when a visitor sorts by date.
    """
    featured = {f"/{p.url}": p.last_featured.isoformat() for p in archive.papers}
    by_date: dict[str, list[str]] = {}
    for path in sorted((output / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])  # after Pagefind's "pagefind_dcd" signature
        by_date.setdefault(featured[fragment["url"]], []).append(path.stem)
    return {date: by_date[date] for date in sorted(by_date, reverse=True)}


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
