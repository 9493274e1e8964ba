"""Builds the site: content -> generated Markdown -> MkDocs -> site/, replaced only on success."""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from . import content, feeds, parallel, postbuild, search, writer
from . import incremental as stages
from .config import Project, read_settings
from .errors import UserError
from .inplace import SiteUpdate
from .models import Archive
from .pages import plan_site


@dataclass(frozen=True)
class BuildReport:
    pages: int
    written: int
    unchanged: int
    removed: int
    generate_seconds: float
    mkdocs_seconds: float
    finish_seconds: float = 0.0  # minifying, sitemap index, waiting for the search index, swapping the site in
    search_seconds: float = 0.0  # the search index's own time, alongside generate, MkDocs and finish
    total_seconds: float = 0.0
    html_written: int = 0  # HTML pages rendered; an incremental build links the others unchanged
    incremental: bool = False


def generate(project: Project, on_loaded: Callable[[Archive], None] = lambda archive: None,
             last: str | None = None, keep: frozenset[str] = frozenset()) -> tuple[writer.WriteReport, int, str, Archive]:
    """Validate all content, then write build/docs and build/mkdocs.yml. Nothing is written on error.

    `on_loaded` gets the archive once all content is valid; `last` is the fingerprint the last
    completed build recorded; `keep` names files of build/docs that are not pages, to leave there.
    Returns the write report, the page count, the build's fixed timestamp and the archive.
    """
    known = stages.known_tags(project)
    cached = len(known)
    loaded = content.load(project, known)
    on_loaded(loaded.archive)
    analyzed = stages.known_words(project)
    words_before = set(analyzed)
    plans = plan_site(loaded.archive, loaded.settings, set(loaded.corrections), analyzed)
    signatures = stages.page_signatures(plans)
    current = stages.current_pages(project, signatures)
    files = writer.render_all([plan for plan in plans if plan.path not in current])
    files.update(feeds.feed_files(loaded.archive, loaded.settings))
    own = writer.hand_written(project)
    files.update(own)
    nav = [{Path(name).stem.replace("-", " ").capitalize(): name} for name in sorted(own)]
    project.build_dir.mkdir(exist_ok=True)
    config = project.build_dir / "mkdocs.yml"
    text = writer.site_config(project, nav)
    if not config.is_file() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    # The listing of build/docs is trusted only from a completed build of this same code and config:
    # another version of the generator may have written docs without keeping it.
    listed = stages.take_docs_listing(project)
    stages.forget(project)  # the docs change now: until a build completes, site/ is not updated in place
    trusted = last is not None and last == stages.fingerprint(project)
    report = writer.write_tree(project.docs_dir, files, keep=current | keep, listed=listed if trusted else None)
    stages.record_docs_listing(project, frozenset(files) | current)
    stages.record_pages(project, signatures)
    if len(known) != cached:
        stages.record_tags(project, known)
    if set(analyzed) != words_before:
        stages.record_words(project, analyzed)
    return report, len(files) + len(current), build_epoch(loaded.archive), loaded.archive


def build_epoch(archive: Archive) -> str:
    """The newest digest's date as SOURCE_DATE_EPOCH, so the same content gives identical bytes."""
    newest = archive.days[-1].date if archive.days else dt.date(1970, 1, 1)
    return str(int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.timezone.utc).timestamp()))


def run_mkdocs(project: Project, site_dir: Path, epoch: str, dirty: bool = False) -> None:
    """MkDocs into site_dir: as two processes at once for a large site (parallel.py), else one."""
    config = project.build_dir / "mkdocs.yml"
    letters = "" if dirty else parallel.initials(project.docs_dir)
    if not letters:
        process, output = _start_mkdocs(config, site_dir, epoch, dirty)
        try:
            _wait(process, output)
        finally:
            if process.poll() is None:  # interrupted: it must not go on writing into site_dir
                process.kill()
                process.wait()
        return
    second_site = site_dir.with_name(site_dir.name + "-part2")
    processes = [_start_mkdocs(part, folder, epoch, False)
                 for part, folder in zip(parallel.split_configs(config, letters), (site_dir, second_site))]
    try:
        for process, output in processes:
            _wait(process, output)
        postbuild.merge_sitemap(site_dir / "sitemap.xml", second_site / "sitemap.xml")
        parallel.move_papers(second_site, site_dir)
    finally:
        for process, _ in processes:
            if process.poll() is None:  # the other one failed
                process.kill()
                process.wait()
        shutil.rmtree(second_site, ignore_errors=True)


def _start_mkdocs(config: Path, site_dir: Path, epoch: str, dirty: bool) -> tuple[subprocess.Popen, IO[bytes]]:
    runner = ["generator.incremental"] if dirty else ["mkdocs", "build"]
    command = [sys.executable, "-m", *runner, "--strict", "--quiet", "--config-file", str(config),
               "--site-dir", str(site_dir)]
    output = tempfile.TemporaryFile()  # a file, not a pipe: two processes at once never block on output
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch)
    return subprocess.Popen(command, env=env, stdout=output, stderr=output), output


def _wait(process: subprocess.Popen, output: IO[bytes]) -> None:
    process.wait()
    output.seek(0)
    detail = output.read().decode("utf-8", "replace").strip().splitlines()
    output.close()
    if process.returncode:
        raise UserError(f"mkdocs build failed: {detail[-1] if detail else 'no output'} "
                        f"(site/ left unchanged; run 'archive build -v' for MkDocs' full output)")


def replace_site(project: Project, new_site: Path) -> None:
    """Swap the new site in with renames, so site/ is never half-written."""
    old = project.root / f"site.old-{os.getpid()}"
    if project.site_dir.exists():
        project.site_dir.rename(old)
    new_site.rename(project.site_dir)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _collector_paused():
    """The generator allocates millions of objects and leaves almost no garbage in cycles: Python's
    collector would walk them all, again and again, for a tenth of the generator's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(project: Project, incremental: bool = False) -> BuildReport:
    """Build site/; `incremental` re-renders only changed pages, in place, when site/ allows it (incremental.py)."""
    started = time.perf_counter()
    last = stages.recorded(project)  # read before generate() forgets it
    indexing: list[search.BackgroundIndex] = []
    try:
        with _collector_paused():
            report, pages, epoch, archive = generate(project, on_loaded=lambda archive: indexing.append(
                search.BackgroundIndex(archive, project.site_dir, project.root)), last=last)
        generated = time.perf_counter()
        current = stages.fingerprint(project)
        dirty = incremental and stages.reusable(project, last, current)
        update = _update_in_place if dirty else _build_and_swap
        built, html_written, index = update(project, report, epoch, indexing[0])
    finally:
        for background in indexing:
            background.discard()
    stages.record(project, current)
    finished = time.perf_counter()
    return BuildReport(pages, report.written, report.unchanged, report.removed, generated - started,
                       built - generated, finished - built, search_seconds=index.seconds,
                       total_seconds=finished - started, html_written=html_written, incremental=dirty)


def _build_and_swap(project: Project, report: writer.WriteReport, epoch: str,
                    index: search.BackgroundIndex) -> tuple[float, int, search.SearchIndexReport]:
    """The whole site, built into a staging folder and swapped in: site/ is never half-written."""
    staging = Path(tempfile.mkdtemp(prefix="site.new-", dir=project.root))
    try:
        run_mkdocs(project, staging, epoch)
        built = time.perf_counter()
        html_written = postbuild.minify_site(staging)
        postbuild.write_sitemaps(staging, _site_url(project))
        searched = index.move_into(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_site(project, staging)
    return built, html_written, searched


def _update_in_place(project: Project, report: writer.WriteReport, epoch: str,
                     index: search.BackgroundIndex) -> tuple[float, int, search.SearchIndexReport]:
    """Only the pages whose Markdown changed, rendered into site/ itself; undone on failure (inplace.py)."""
    # Beside site/ itself (renames never cross filesystems), even where site/ is a link elsewhere.
    update = SiteUpdate(project.site_dir, Path(tempfile.mkdtemp(prefix="site.undo-", dir=project.site_dir.resolve().parent)))
    try:
        targets = sorted(stages.rewritten(report.changed)
                         | {p.name for p in project.site_dir.glob(postbuild.SITEMAP_PARTS)})
        for relative in targets:
            update.set_aside(relative)
        run_mkdocs(project, project.site_dir, epoch, dirty=True)
        built = time.perf_counter()
        html_written = postbuild.minify_site(project.site_dir, only=[t for t in targets if t.endswith(".html")])
        for number in range(1, postbuild.write_sitemaps(project.site_dir, _site_url(project)) + 1):
            update.track(postbuild.sitemap_part(number))  # a new one, if the archive crossed a file's limit
        searched = index.swap_into(update)
    except BaseException:
        update.undo()
        raise
    update.done()
    return built, html_written, searched


def _site_url(project: Project) -> str:
    return read_settings(project.mkdocs_yml.read_text(encoding="utf-8")).site_url
