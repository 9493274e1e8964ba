"""The site's search index, built from the archive's papers into <site>/search-index/ (not search/,
which is MkDocs' search plugin's, should a fork turn it on).

The browser loads only what a query needs: a small manifest, the index bucket of each word typed
and the papers of the results shown, never an index of the whole archive (searchindex.py writes
the format, overrides/assets/javascripts/search-index.js reads it).

Each paper becomes a record of what is searched and shown: its title, weighted far above the
abstract, the abstract, the arXiv id, the tag names and the authors (the first 30). The indexer
process (indexer.py) turns the records into the index's files, away from the build's busy thread.
"""
from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from . import indexer
from .inplace import SiteUpdate
from .models import Archive, Paper
from .searchindex import Record, ordered

OUTPUT = "search-index"
AUTHORS = 30  # searchable by name; a paper of hundreds of authors would weigh on every bucket of theirs


@dataclass(frozen=True)
class SearchIndexReport:
    papers: int
    files: int  # files under <site>/search-index
    bytes: int  # their total size on disk
    seconds: float
    kept: int = 0  # files the same as the previous site's, linked rather than written


def record(paper: Paper, tag_names: dict[str, str]) -> Record:
    """What the index holds of one paper; the date is the first featured, as the year filter's."""
    return Record(paper.url, paper.title, paper.abstract, paper.dates[0].isoformat(), paper.meta.arxiv_id or "",
                  tuple(tag_names[t] for t in paper.tags), tuple(paper.meta.authors[:AUTHORS]))


def write_index(archive: Archive, site_dir: Path, previous: Path | None = None,
                cancelled: threading.Event | None = None) -> SearchIndexReport:
    """Index every paper of `archive` into site_dir/search-index/, replacing what was there; a file the
    same as in `previous` (a site) is a hard link to it, so an unchanged file keeps its inode."""
    started = time.perf_counter()
    output = site_dir / OUTPUT
    shutil.rmtree(output, ignore_errors=True)
    names = {t.slug: t.name for t in archive.tags}
    with tempfile.TemporaryDirectory(prefix="search-jobs-") as work:
        jobs = Path(work) / "records.jsonl"
        with jobs.open("w", encoding="utf-8") as file:
            file.write(json.dumps({"output": str(output.resolve()), "tags": [t.name for t in archive.tags],
                                   "previous": str((previous / OUTPUT).resolve()) if previous else None}) + "\n")
            for paper_record in ordered([record(p, names) for p in archive.papers]):
                file.write(json.dumps(asdict(paper_record), ensure_ascii=False) + "\n")
        done = indexer.run(jobs, cancelled)
    return SearchIndexReport(len(archive.papers), done["files"], done["bytes"], time.perf_counter() - started,
                             done["kept"])


class BackgroundIndex:
    """The index, built in a thread while the pages are rendered and built: it needs only the
    archive, and the indexer's process uses the core that the generator's single thread leaves idle."""

    def __init__(self, archive: Archive, previous: Path | None, work_dir: Path):
        self._folder = Path(tempfile.mkdtemp(prefix="site.search-", dir=work_dir))
        self._previous = previous
        self._outcome: SearchIndexReport | BaseException | None = None
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(archive,), daemon=True)
        self._thread.start()

    def _run(self, archive: Archive) -> None:
        try:
            self._outcome = write_index(archive, self._folder, self._previous, self._cancelled)
        except BaseException as exc:  # handed to the main thread by move_into or swap_into
            self._outcome = exc

    def _wait(self) -> SearchIndexReport:
        self._thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome

    def move_into(self, site_dir: Path) -> SearchIndexReport:
        """Wait for the index, then move it into site_dir/search-index/ (discard() still cleans up after)."""
        report = self._wait()
        shutil.rmtree(site_dir / OUTPUT, ignore_errors=True)
        (self._folder / OUTPUT).rename(site_dir / OUTPUT)
        return report

    def swap_into(self, update: SiteUpdate) -> SearchIndexReport:
        """Wait for the index, then put it in place of the live site's, undoably."""
        report = self._wait()
        update.replace(OUTPUT, self._folder / OUTPUT)
        return report

    def discard(self) -> None:
        """Stop the index if it is still being built (the build failed), and remove its folder."""
        self._cancelled.set()
        self._thread.join()
        shutil.rmtree(self._folder, ignore_errors=True)
