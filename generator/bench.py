"""`archive bench`: build a synthetic archive of N papers and measure the real pipeline against a floor.

In one run: the full build (site.build, timed by its phases), then an incremental build after one
more 100-paper digest, then the floor, a bare mkdocs-material site of N minimal pages (a title and
one paragraph, the same theme settings, MkDocs' own search) built by a plain `mkdocs build`.

Each build runs in a fresh Python process, so its peak memory is its own. Peak RSS is the larger of
two figures: that process's maximum resident set plus the largest of its children's, from
getrusage(2) (an upper bound while one child runs at a time), and the largest sum of the resident
sets of the whole process tree, sampled from /proc every 0.2 s (which counts two MkDocs processes
running at once).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

from . import postbuild, synthetic
from .config import Project

NEXT_DIGEST = 100  # papers in the digest added before the incremental build
SAMPLE_SECONDS = 0.2
PAGE = os.sysconf("SC_PAGE_SIZE")
SEARCH_OUTPUTS = ("search-index", "search")  # the archive's search index, MkDocs' search plugin's


def peak_rss_bytes() -> int:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) * 1024  # Linux reports kilobytes


def tree_rss_bytes(root: int) -> int:
    """The resident memory of process `root` and all its descendants now, from /proc."""
    parents, rss = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid = int(stat.parent.name)
            parents[pid], rss[pid] = int(fields[1]), int(fields[21]) * PAGE
        except (OSError, IndexError, ValueError):  # the process ended meanwhile
            continue
    total = 0
    for pid in rss:
        ancestor = pid
        while ancestor not in (root, 0, 1) and ancestor in parents:
            ancestor = parents[ancestor]
        total += rss[pid] if ancestor == root else 0
    return total


class TreeSampler(threading.Thread):
    """Samples this process tree's memory: children that run at once (parallel.py) add up."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, tree_rss_bytes(os.getpid()))


def timed_build(root: str, incremental: bool) -> dict:
    """One site.build in this (fresh) process: its phases, counts and peak memory."""
    from .site import build
    sampler = TreeSampler()
    sampler.start()
    report = build(Project(Path(root)), incremental=incremental)
    sampler.done.set()
    phases = {"generate": report.generate_seconds, "mkdocs": report.mkdocs_seconds,
              "search": report.search_seconds, "finish": report.finish_seconds}
    return {"seconds": phases, "total_seconds": report.total_seconds,
            "peak_rss_bytes": max(peak_rss_bytes(), sampler.peak),
            "markdown_written": report.written, "markdown_removed": report.removed,
            "html_written": report.html_written, "incremental": report.incremental}


def timed_related(root: str) -> dict:
    """related.compute over the archive at `root`, in this (fresh) process: its time, and the resident
    memory it adds at its peak (VmHWM, first reset to the current resident set through clear_refs)."""
    from . import content, related
    papers = content.load(Project(Path(root))).archive.papers
    before = _status_bytes("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    started = time.perf_counter()
    related.compute(papers)
    return {"seconds": time.perf_counter() - started, "extra_peak_bytes": _status_bytes("VmHWM") - before}


def _status_bytes(field: str) -> int:
    """A memory figure of this process from /proc/self/status (reported in kB)."""
    line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(field + ":"))
    return int(line.split()[1]) * 1024


def timed_floor(folder: str) -> dict:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", f"{folder}/mkdocs.yml"],
                   check=True)
    return {"total_seconds": time.perf_counter() - started, "peak_rss_bytes": peak_rss_bytes()}


def in_fresh_process(function, *args) -> dict:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def write_floor(project: Project, folder: Path) -> Path:
    """A bare mkdocs-material project of one page per paper of `project`: its title and abstract."""
    docs = folder / "docs"
    (docs / "p").mkdir(parents=True)
    (docs / "index.md").write_text("# Floor\n\nA bare site.\n", encoding="utf-8")
    number = 0
    for path in sorted(project.digests.glob("*.json")):
        for paper in json.loads(path.read_text(encoding="utf-8"))["papers"]:
            number += 1
            (docs / "p" / f"{number}.md").write_text(f"# {paper['title']}\n\n{paper['abstract']}\n", encoding="utf-8")
    ours = yaml.safe_load(project.mkdocs_yml.read_text(encoding="utf-8"))
    theme = {key: value for key, value in ours["theme"].items() if key != "custom_dir"}
    config = {"site_name": ours["site_name"], "site_url": ours.get("site_url"), "theme": theme,
              "plugins": ["search"], "nav": [{"Home": "index.md"}]}
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder / "site"


def measure_site(site: Path, papers: int) -> dict:
    """Sizes of a built site: all files, HTML pages, paper pages, search index."""
    files = [p for p in site.rglob("*") if p.is_file()]
    sizes = {p: p.stat().st_size for p in files}
    html = {p: size for p, size in sizes.items() if p.suffix == ".html"}
    largest = max(html, key=html.get)
    paper_pages = [size for p, size in html.items() if p.parent.parent.name in ("papers", "p")]
    total = sum(sizes.values())
    return {"site_bytes": total, "bytes_per_paper": total / papers, "files": len(files),
            "largest_html": largest.relative_to(site).as_posix(), "largest_html_bytes": html[largest],
            "median_paper_page_bytes": statistics.median(paper_pages),
            "search_index_bytes": sum(size for p, size in sizes.items()
                                      if p.relative_to(site).parts[0] in SEARCH_OUTPUTS),
            "sitemaps": len(list(site.glob("sitemap*.xml"))) + len(list(site.glob(postbuild.SITEMAP_PARTS)))}


def run(source: Project, papers: int) -> dict:
    """The whole benchmark in a temporary folder; returns the results."""
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as temporary:
        folder = Path(temporary)
        started = time.perf_counter()
        project, generator = synthetic.synthetic_project(source, folder / "archive", papers)
        synthetic_seconds = time.perf_counter() - started
        full = in_fresh_process(timed_build, str(project.root), False)
        full.update(measure_site(project.site_dir, papers))
        similar = in_fresh_process(timed_related, str(project.root))
        synthetic.next_digest(project, generator, NEXT_DIGEST)
        incremental = in_fresh_process(timed_build, str(project.root), True)
        floor_site = write_floor(project, folder / "floor")
        floor = in_fresh_process(timed_floor, str(folder / "floor"))
        floor.update(measure_site(floor_site, papers))
        dates = len(list(project.digests.glob("*.json"))) - 1
    return {"papers": papers, "dates": dates, "cpus": _cpus(), "synthetic_seconds": synthetic_seconds,
            "full": full, "incremental": incremental, "floor": floor, "related": similar,
            "ratio_to_floor": full["total_seconds"] / floor["total_seconds"],
            "incremental_share": incremental["total_seconds"] / full["total_seconds"]}


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


def table(result: dict) -> str:
    """The results as a readable table."""
    full, incremental, floor = result["full"], result["incremental"], result["floor"]
    seconds = full["seconds"]
    mb = 1024 * 1024
    rows = [
        ("papers / dates / CPUs", f"{result['papers']} / {result['dates']} / {result['cpus']}"),
        ("generate / MkDocs / search / finish", " / ".join(f"{seconds[k]:.1f} s" for k in seconds)),
        ("full build total", f"{full['total_seconds']:.1f} s"),
        ("floor (bare mkdocs-material) total", f"{floor['total_seconds']:.1f} s"),
        ("full build / floor", f"{result['ratio_to_floor']:.2f}"),
        ("peak RSS (ours / floor)", f"{full['peak_rss_bytes'] / mb:.0f} MB / {floor['peak_rss_bytes'] / mb:.0f} MB"),
        ("site size (ours / floor)", f"{full['site_bytes'] / mb:.1f} MB / {floor['site_bytes'] / mb:.1f} MB"),
        ("bytes per paper (ours / floor)", f"{full['bytes_per_paper'] / 1024:.1f} KB / {floor['bytes_per_paper'] / 1024:.1f} KB"),
        ("search index", f"{full['search_index_bytes'] / mb:.1f} MB"),
        ("related papers (top 5 of each)",
         f"{result['related']['seconds']:.1f} s, +{result['related']['extra_peak_bytes'] / mb:.0f} MB at peak"),
        ("files / sitemap files", f"{full['files']} / {full['sitemaps']}"),
        ("largest HTML page", f"{full['largest_html_bytes'] / 1024:.1f} KB ({full['largest_html']})"),
        ("median paper page (ours / floor)",
         f"{full['median_paper_page_bytes'] / 1024:.1f} KB / {floor['median_paper_page_bytes'] / 1024:.1f} KB"),
        (f"incremental (+{NEXT_DIGEST} papers)",
         f"{incremental['total_seconds']:.1f} s = {result['incremental_share']:.0%} of full; "
         f"{incremental['markdown_written'] + incremental['markdown_removed']} Markdown and "
         f"{incremental['html_written']} HTML files rewritten"),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)
