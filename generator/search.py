"""The site's search index: Pagefind, built from the archive's papers into <site>/pagefind/.

The browser then loads only what a query needs: Pagefind's page list, the index chunks of the
query's words and the fragments of the results shown, never an index of the whole archive.

Each paper becomes a small HTML record that Pagefind indexes: the abstract first (so the browser
can tell where it ends and build the excerpt from it alone), then the title, weighted far above
the abstract, the arXiv id and the tag names. Records are written to a temporary folder and
indexed by the Pagefind binary: Pagefind's Python client answers about ten requests a second, so
one `add_custom_record` per paper would take over an hour at 50,000 papers.

The index is split into shards of consecutive digest dates, each a Pagefind index of its own under
pagefind/shards/N/, which the browser merges (Pagefind's mergeIndex: one WebAssembly module, each
shard's page list and the chunks of the query's words). The Pagefind process holds about 150 KB
a paper (8 GB at 50,000 in one index, more than a CI runner has at 100,000), so a shard caps its
memory; and a shard whose records did not change is copied from the previous site instead of being
indexed again, so adding a digest re-indexes only the newest shard. The price is in the browser:
each shard adds its chunks of the query's words (at 50,000 papers, 5 shards: 711 KB to the first
results instead of 489 KB; README, Search).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from html import escape
from pathlib import Path

import deflate

from .errors import UserError
from .inplace import SiteUpdate
from .models import Archive, Paper

OUTPUT = "pagefind"
SHARDS = "shards"  # pagefind/shards/0/ is the primary index, with Pagefind's script and WebAssembly
SHARD_PAPERS = 10_000  # at most, unless one date has more: Pagefind peaked at 1.5 GB on 10,000
PAGEFIND_OPTIONS = ("--force-language", "en", "--silent")
META_LEVEL = 12  # libdeflate's strongest gzip for each shard's page list (below)
STAMP = "pda-records.sha256"  # in each shard: what it was indexed from, to reuse it while unchanged
FACETS = "pda-facets.json"  # tag names and years offered as filters, with their paper counts
DATES = "pda-dates.json"  # each result id's date first featured, loaded only to sort by it
TITLE_WEIGHT = 10  # an abstract word weighs 1
ARXIV_WEIGHT = 10
TAG_WEIGHT = 2
# Pagefind's own search UIs: the site has its own, in overrides/assets/javascripts/search.js.
SHARED = ("pagefind.js", "pagefind-worker.js", "wasm.en.pagefind", "wasm.unknown.pagefind")  # primary only
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


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
    words = len(paper.abstract.split())
    tags = " · ".join(f'<span data-pagefind-filter="tag">{escape(tag_names[t])}</span>' for t in paper.tags)
    year = f'<span data-pagefind-filter="year:{paper.dates[0].year}"></span>'  # first featured, like the date
    arxiv = paper.meta.arxiv_id
    return "".join([
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>paper</title></head>',
        f'<body data-pagefind-body><span data-pagefind-meta="date:{date}"></span><span data-pagefind-meta="words:{words}"></span>',
        f"<p>{escape(paper.abstract)}</p>",
        f'<h1 data-pagefind-meta="title" data-pagefind-weight="{TITLE_WEIGHT}">{escape(paper.title)}</h1>',
        f'<p data-pagefind-weight="{ARXIV_WEIGHT}" data-pagefind-meta="arxiv">{escape(arxiv)}</p>' if arxiv else "",
        f'<p data-pagefind-weight="{TAG_WEIGHT}" data-pagefind-meta="tags">{tags}</p>' if tags else "",
        year, "</body></html>\n"])


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
    count, reused = write_changed_shards(archive, output, previous, limit, cancelled)
    link_shards(previous, output, reused)
    files = [p for p in output.rglob("*") if p.is_file()]
    return SearchIndexReport(len(archive.papers), len(files), sum(p.stat().st_size for p in files),
                             time.perf_counter() - started, count, len(reused))


def write_changed_shards(archive: Archive, output: Path, previous: Path | None = None, limit: int = SHARD_PAPERS,
                         cancelled: threading.Event | None = None) -> tuple[int, tuple[int, ...]]:
    """Index into `output` the shards whose records differ from those of `previous` (a site), and the
    facets and dates files; returns the count of shards and the numbers of those left unwritten."""
    names = {t.slug: t.name for t in archive.tags}
    groups = shards(archive, limit)
    old = previous / OUTPUT / SHARDS if previous else None
    folders, reused = [], []
    for number, group in enumerate(groups):
        new = output / SHARDS / str(number)
        if _index_shard({p.url: record(p, names) for p in group}, new, old / str(number) if old else None,
                        number == 0, cancelled):
            reused.append(number)
            new = old / str(number)
        folders.append(new)
    if not (folders[0] / "pagefind.js").is_file():
        raise UserError("cannot build the search index: Pagefind wrote no pagefind.js")
    output.mkdir(parents=True, exist_ok=True)
    write_json(output / FACETS, {**facets(archive), "shards": [f"{SHARDS}/{n}/" for n in range(len(groups))]})
    write_json(output / DATES, dates_by_result_id(archive, folders))
    return len(groups), tuple(reused)


def link_shards(previous: Path | None, output: Path, numbers: tuple[int, ...]) -> None:
    """Hard-link the shards `numbers` of the previous site into `output` (a copy where links fail)."""
    for number in numbers:
        shutil.copytree(previous / OUTPUT / SHARDS / str(number), output / SHARDS / str(number),
                        copy_function=_link_or_copy)


def _index_shard(records: dict[str, str], target: Path, old: Path | None, primary: bool,
                 cancelled: threading.Event | None) -> bool:
    """Index one shard into `target`, unless `old` was made from the same records: then True."""
    if cancelled is not None and cancelled.is_set():
        raise Cancelled()
    stamp = _stamp(records)
    if old and (old / STAMP).is_file() and (old / STAMP).read_text(encoding="utf-8") == stamp \
            and (not primary or (old / "pagefind.js").is_file()):
        return True
    with tempfile.TemporaryDirectory(prefix="search-records-") as folder:
        write_records(records, Path(folder))
        run_pagefind(Path(folder), target.resolve(), cancelled)
    for name in UNUSED if primary else UNUSED + SHARED:
        (target / name).unlink(missing_ok=True)
    for meta in target.glob("*.pf_meta"):
        recompress(meta)
    (target / STAMP).write_text(stamp, encoding="utf-8")
    return False


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
        started = time.perf_counter()
        try:
            count, self._reused = write_changed_shards(archive, self._folder / OUTPUT, self._previous,
                                                       cancelled=self._cancelled)
            written = [p for p in (self._folder / OUTPUT).rglob("*") if p.is_file()]
            self._outcome = SearchIndexReport(len(archive.papers), len(written), sum(p.stat().st_size for p in written),
                                              time.perf_counter() - started, count, len(self._reused))
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


def _stamp(records: dict[str, str]) -> str:
    """The records, the Pagefind that indexes them and how: a shard is reused only if all are the same."""
    try:
        version = metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        raise UserError("cannot build the search index: Pagefind is not installed (pip install 'pagefind[bin]')") from None
    digest = hashlib.sha256(" ".join([version, *PAGEFIND_OPTIONS, *UNUSED, *SHARED, f"meta-{META_LEVEL}"]).encode())
    for url in sorted(records):
        digest.update(url.encode() + b"\0" + records[url].encode() + b"\0")
    return digest.hexdigest()


def recompress(path: Path) -> None:
    """Gzip a Pagefind file again, smaller: every search downloads every shard's page list (its
    .pf_meta, 7 bytes a paper as Pagefind writes it), which libdeflate's level 12 makes 14 % smaller
    in a twentieth of a second per 10,000 papers. The index chunks gain 4 % for 60 times the time."""
    data = gzip.decompress(path.read_bytes())
    path.write_bytes(deflate.gzip_compress(data, META_LEVEL))


def write_records(records: dict[str, str], folder: Path) -> None:
    for url, html in records.items():
        path = folder / url / "index.html"
        path.parent.mkdir(parents=True)
        path.write_text(html, encoding="utf-8")


def run_pagefind(records: Path, output: Path, cancelled: threading.Event | None = None) -> None:
    # The Pagefind binary from PyPI's pagefind[bin], run as `python -m pagefind` (which execs it): it
    # exits only once every file is written (the Python API's service can stop with files half-written).
    command = [sys.executable, "-m", "pagefind", "--site", str(records), "--output-path", str(output),
               *PAGEFIND_OPTIONS]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        raise UserError(f"cannot build the search index: {exc.strerror}") from None
    with process:
        while True:
            try:
                out, err = process.communicate(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if cancelled is not None and cancelled.is_set():  # the build failed elsewhere
                    process.kill()
                    raise Cancelled() from None
    if process.returncode:
        detail = (err or out).strip().splitlines()
        raise UserError("cannot build the search index: Pagefind failed: "
                        f"{detail[-1] if detail else 'no output'} (is pagefind[bin] installed?)")


class Cancelled(Exception):
    """The build failed elsewhere while its search index was being built."""


def facets(archive: Archive) -> dict:
    tags = {t.slug: 0 for t in archive.tags}
    years: dict[int, int] = {}
    for paper in archive.papers:
        for slug in paper.tags:
            tags[slug] += 1
        years[paper.dates[0].year] = years.get(paper.dates[0].year, 0) + 1
    return {"tags": [[t.name, tags[t.slug]] for t in archive.tags if tags[t.slug]],
            "years": [[str(y), years[y]] for y in sorted(years, reverse=True)]}


def dates_by_result_id(archive: Archive, shard_folders: list[Path]) -> dict[str, list[str]]:
    """Result ids (Pagefind's fragment names) by date first featured, newest first.

    Pagefind's own sort index is part of the page list every search loads (100 KB more at 50,000
    papers); this table is loaded only when a visitor sorts by date.
    """
    featured = {f"/{p.url}": p.dates[0].isoformat() for p in archive.papers}
    by_date: dict[str, list[str]] = {}
    # By name (a hash), not by folder: reused shards are read where they stand, in the previous site.
    for path in sorted((p for folder in shard_folders for p in folder.glob("fragment/*.pf_fragment")), key=lambda p: p.name):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])  # after Pagefind's "pagefind_dcd" signature
        by_date.setdefault(featured[fragment["url"]], []).append(path.stem)
    return {date: by_date[date] for date in sorted(by_date, reverse=True)}


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
