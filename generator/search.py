"""The site's search index: Pagefind, built from the archive's papers into <site>/pagefind/.

The browser then loads only what a query needs: Pagefind's page list, the index chunks of the
query's words and the fragments of the results shown, never an index of the whole archive.

Each paper becomes a small HTML record that Pagefind indexes: the abstract first (so the browser
can tell where it ends and build the excerpt from it alone), then the title, weighted far above
the abstract, the arXiv id, the tag names and the authors (the first 30). The indexer process
(indexer.py) writes the records to a temporary folder and runs the Pagefind binary on them:
Pagefind's Python client answers about ten requests a second, so one `add_custom_record` per paper
would take over an hour at 50,000 papers.

The index is split into shards of consecutive digest dates, each a Pagefind index of its own under
pagefind/shards/N/, which the browser merges (Pagefind's mergeIndex: one WebAssembly module, each
shard's page list and the chunks of the query's words). The Pagefind process holds about 150 KB
a paper (8 GB at 50,000 in one index, more than a CI runner has at 100,000), so a shard caps its
memory; and a shard whose records did not change is kept from the previous site instead of being
indexed again, so adding a digest re-indexes only the newest shard. The price is in the browser:
each shard adds its chunks of the query's words (README, Search).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path

from . import indexer
from .indexer import DATES, SHARDS, write_json
from .inplace import SiteUpdate
from .models import Archive, Paper

OUTPUT = "pagefind"
SHARD_PAPERS = 10_000  # at most, unless one date has more: Pagefind peaked at 1.5 GB on 10,000
FACETS = "pda-facets.json"  # tag names and years offered as filters, with their paper counts
TITLE_WEIGHT = 10  # an abstract word weighs 1
ARXIV_WEIGHT = 10
TAG_WEIGHT = 2
AUTHORS = 30  # searchable by name; a paper of hundreds of authors would weigh on every chunk of theirs


@dataclass(frozen=True)
class SearchIndexReport:
    papers: int
    files: int  # files written under <site>/pagefind
    bytes: int  # their total size on disk
    seconds: float
    shards: int = 1
    reused: int = 0  # shards not indexed again: unchanged since the previous site


def record(paper: Paper, tag_names: dict[str, str]) -> str:
    """The HTML Pagefind indexes for one paper; every text is escaped, so it stays text."""
    date = paper.dates[0].isoformat()  # first featured: a paper featured again keeps its record and its shard
    words = len(_words(paper.abstract).split())  # as Pagefind splits it: the excerpt ends there
    tags = " · ".join(f'<span data-pagefind-filter="tag">{escape(tag_names[t])}</span>' for t in paper.tags)
    year = f'<span data-pagefind-filter="year:{paper.dates[0].year}"></span>'  # first featured, like the date
    arxiv = paper.meta.arxiv_id
    return "".join([
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>paper</title></head>',
        f'<body data-pagefind-body><span data-pagefind-meta="date:{date}"></span><span data-pagefind-meta="words:{words}"></span>',
        f"<p>{escape(_words(paper.abstract))}</p>",
        f'<h1 data-pagefind-meta="title" data-pagefind-weight="{TITLE_WEIGHT}">{escape(_words(paper.title))}</h1>',
        f'<p data-pagefind-weight="{ARXIV_WEIGHT}" data-pagefind-meta="arxiv">{escape(arxiv)}</p>' if arxiv else "",
        # Shown in a result from its filters: no metadata copy of the names in every fragment
        f'<p data-pagefind-weight="{TAG_WEIGHT}">{tags}</p>' if tags else "",
        f'<p data-pagefind-meta="authors">{escape(", ".join(paper.meta.authors[:AUTHORS]))}</p>' if paper.meta.authors else "",
        year, "</body></html>\n"])


def _words(text: str) -> str:
    # A LaTeX non-breaking space (abstracts keep them as written: "Adapters~(LoRA)") separates words:
    # Pagefind would index "adapterslora" and never find LoRA. A thin space after it splits the words
    # and keeps the tilde on screen ("10~20X" is not "10 20X").
    return text.replace("~", "~\u2009")


def shards(archive: Archive, limit: int = SHARD_PAPERS) -> list[list[Paper]]:
    """Papers by first date featured, cut into runs of whole dates of at most `limit` papers.

    New digests only fill the newest shard and open new ones; a digest backfilled before the newest
    date moves the cuts after it (those shards are indexed again, once).
    """
    by_date: dict = {}
    for paper in archive.papers:
        by_date.setdefault(paper.dates[0], []).append(paper)
    groups: list[list[Paper]] = []
    for date in sorted(by_date):
        if not groups or len(groups[-1]) + len(by_date[date]) > limit:
            groups.append([])
        groups[-1].extend(by_date[date])
    return groups


def write_index(archive: Archive, site_dir: Path, previous: Path | None = None,
                limit: int = SHARD_PAPERS, cancelled: threading.Event | None = None) -> SearchIndexReport:
    """Index every paper of `archive` into site_dir/pagefind/, replacing what was there.

    `previous` is the site built before, whose unchanged shards are linked rather than indexed.
    """
    started = time.perf_counter()
    output = site_dir / OUTPUT
    shutil.rmtree(output, ignore_errors=True)
    written, reused = write_changed_shards(archive, output, previous, limit, cancelled)
    link_shards(previous, output, reused)
    files = [p for p in output.rglob("*") if p.is_file()]
    return replace(written, files=len(files), bytes=sum(p.stat().st_size for p in files),
                   seconds=time.perf_counter() - started)


def write_changed_shards(archive: Archive, output: Path, previous: Path | None = None, limit: int = SHARD_PAPERS,
                         cancelled: threading.Event | None = None) -> tuple[SearchIndexReport, tuple[int, ...]]:
    """Index into `output` the shards whose records differ from those of `previous` (a site), and
    write the facets and dates files; returns what was written and the numbers of the shards left out.

    The records are made here; the indexer process (indexer.py) writes the index."""
    started = time.perf_counter()
    names = {t.slug: t.name for t in archive.tags}
    groups = shards(archive, limit)
    with tempfile.TemporaryDirectory(prefix="search-jobs-") as work:
        jobs = Path(work) / "shards.jsonl"
        with jobs.open("w", encoding="utf-8") as file:
            file.write(json.dumps({"output": str(output.resolve()), "options": list(indexer.PAGEFIND_OPTIONS),
                                   "previous": str((previous / OUTPUT / SHARDS).resolve()) if previous else None,
                                   "featured": {f"/{p.url}": p.dates[0].isoformat() for p in archive.papers}}) + "\n")
            for group in groups:
                file.write(json.dumps({p.url: record(p, names) for p in group}) + "\n")
        done = indexer.run(jobs, cancelled)
    write_json(output / FACETS, {**facets(archive), "shards": [f"{SHARDS}/{n}/" for n in range(len(groups))]})
    report = SearchIndexReport(len(archive.papers), done["files"] + 1, done["bytes"] + (output / FACETS).stat().st_size,
                               time.perf_counter() - started, len(groups), len(done["reused"]))
    return report, tuple(done["reused"])


def link_shards(previous: Path | None, output: Path, numbers: tuple[int, ...]) -> None:
    """Hard-link the shards `numbers` of the previous site into `output` (a copy where links fail)."""
    for number in numbers:
        shutil.copytree(previous / OUTPUT / SHARDS / str(number), output / SHARDS / str(number),
                        copy_function=_link_or_copy)


class BackgroundIndex:
    """The changed shards of the index, built in a thread while the pages are rendered and built:
    the index needs only the archive, and Pagefind's process uses the core that the generator's
    single thread leaves idle. Shards whose records did not change are left where they are."""

    def __init__(self, archive: Archive, previous: Path | None, work_dir: Path):
        self._folder = Path(tempfile.mkdtemp(prefix="site.search-", dir=work_dir))
        self._previous = previous
        self._outcome: SearchIndexReport | BaseException | None = None
        self._reused: tuple[int, ...] = ()
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(archive,), daemon=True)
        self._thread.start()

    def _run(self, archive: Archive) -> None:
        try:
            self._outcome, self._reused = write_changed_shards(archive, self._folder / OUTPUT, self._previous,
                                                               cancelled=self._cancelled)
        except BaseException as exc:  # handed to the main thread by move_into or swap_into
            self._outcome = exc

    def _wait(self) -> SearchIndexReport:
        self._thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome

    def move_into(self, site_dir: Path) -> SearchIndexReport:
        """Wait for the index, then move it into site_dir/pagefind/, with the unchanged shards linked
        from the previous site (discard() still cleans up after)."""
        report = self._wait()
        link_shards(self._previous, self._folder / OUTPUT, self._reused)
        shutil.rmtree(site_dir / OUTPUT, ignore_errors=True)
        (self._folder / OUTPUT).rename(site_dir / OUTPUT)
        return report

    def swap_into(self, update: SiteUpdate) -> SearchIndexReport:
        """Wait for the index, then replace the changed shards and files of the live site's index."""
        report = self._wait()
        new = self._folder / OUTPUT
        shards_dir = update.site / OUTPUT / SHARDS
        shards_dir.mkdir(parents=True, exist_ok=True)
        for shard in sorted((new / SHARDS).iterdir()) if (new / SHARDS).is_dir() else []:
            update.replace(f"{OUTPUT}/{SHARDS}/{shard.name}", shard)
        for stale in sorted(shards_dir.iterdir()):
            if int(stale.name) >= report.shards:  # the archive has fewer shards than before
                update.set_aside(f"{OUTPUT}/{SHARDS}/{stale.name}")
        for name in (FACETS, DATES):
            update.replace(f"{OUTPUT}/{name}", new / name)
        return report

    def discard(self) -> None:
        """Stop the index if it is still being built (the build failed), and remove its folder."""
        self._cancelled.set()
        self._thread.join()
        shutil.rmtree(self._folder, ignore_errors=True)


def _link_or_copy(source: str, target: str) -> None:
    """Files of a built shard are never written in place, so a hard link is safe; else a copy."""
    try:
        os.link(source, target)
    except OSError:  # another filesystem, or none with hard links
        shutil.copy2(source, target)


def facets(archive: Archive) -> dict:
    tags = {t.slug: 0 for t in archive.tags}
    years: dict[int, int] = {}
    for paper in archive.papers:
        for slug in paper.tags:
            tags[slug] += 1
        years[paper.dates[0].year] = years.get(paper.dates[0].year, 0) + 1
    return {"tags": [[t.name, tags[t.slug]] for t in archive.tags if tags[t.slug]],
            "years": [[str(y), years[y]] for y in sorted(years, reverse=True)]}
