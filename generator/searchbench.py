"""`archive bench-search`: what one search costs a visitor, measured in headless Chromium.

Three sites, the same queries, each typed character by character into the header search box of the
home page in a fresh browser (empty cache), served from 127.0.0.1 with gzip for text files as
GitHub Pages does:
  old   the seed archive with mkdocs-material's built-in search (MkDocs' search plugin);
  seed  the seed archive with this site's search (searchindex.py);
  N     the seed site's pages with a search index of N synthetic papers (synthetic.py): the cost of
        a search depends on the index, not on how many HTML pages the site has.
Bytes are every response's transferred size (Chromium's encodedDataLength, headers included) from
focusing the search box, which starts loading the search code, to the results being shown (for the
built-in search, also its index and worker, which every page view downloads before any search);
time is from the last keystroke to the results being shown.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import io
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import yaml

from . import content, search, synthetic
from .config import Project
from .site import build, generate, run_mkdocs

QUERIES = ("FlashAttention", "KV cache", "speculative decoding", "mixture of experts", "gaussian splatting")
TYPING_DELAY_MS = 80  # between keystrokes: a quick typist
BUDGET_BYTES = 500_000
BUDGET_MS = 1000
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text ones gzipped on request like GitHub Pages; the index's files are gzip already."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class _Server:
    def __init__(self, folder: Path):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# Shown results, per search box: ours records which query its list shows; the theme's lists results.
OURS_SHOWN = "q => { const l = document.querySelector('.pda-search .md-search-result__list');" \
             " return l && l.dataset.query === q && l.children.length > 0; }"
THEIRS_SHOWN = "q => document.querySelector('.md-search__input').value === q" \
               " && document.querySelectorAll('.md-search-result__item').length > 0"


def measure(browser, site: Path, queries, shown: str, preloaded: bool = False) -> list[dict]:
    server = _Server(site)
    results = []
    try:
        for query in queries:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            urls, received = {}, []
            cdp.on("Network.requestWillBeSent", lambda event: urls.update({event["requestId"]: event["request"]["url"]}))
            cdp.on("Network.loadingFinished",
                   lambda event: received.append((urls.get(event["requestId"], ""), event["encodedDataLength"])))
            page.goto(server.url)
            page.wait_for_load_state("networkidle")
            # The built-in search downloads its index and worker on every page view, before any search.
            received[:] = [(url, size) for url, size in received if preloaded and "/search/" in url
                           or preloaded and "/workers/search" in url]
            page.locator(".md-search__input").click()
            for character in query:
                page.keyboard.type(character)
                last_key = time.perf_counter()
                page.wait_for_timeout(TYPING_DELAY_MS)
            page.wait_for_function(shown, arg=query, polling=10, timeout=60_000)
            visible = time.perf_counter()
            results.append({"query": query, "bytes": int(sum(size for _, size in received)), "ms": round((visible - last_key) * 1000)})
            context.close()
    finally:
        server.close()
    return results


def summary(runs: list[dict]) -> dict:
    return {"bytes_median": statistics.median(r["bytes"] for r in runs), "bytes_max": max(r["bytes"] for r in runs),
            "ms_median": statistics.median(r["ms"] for r in runs), "ms_max": max(r["ms"] for r in runs), "runs": runs}


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def old_site(source: Project, folder: Path) -> Path:
    """The seed archive as it was built before: MkDocs' search plugin and the theme's search box."""
    project = synthetic.make_project(source, folder / "old")
    shutil.rmtree(project.digests)
    shutil.copytree(source.digests, project.digests)
    for name in ("partials/header.html", "partials/search.html"):
        (project.overrides / name).unlink(missing_ok=True)
    config = yaml.safe_load(project.mkdocs_yml.read_text(encoding="utf-8"))
    config["plugins"] = ["search"]
    config["theme"]["features"].append("search.highlight")
    config.pop("extra_javascript", None)
    project.mkdocs_yml.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    _, _, epoch, _ = generate(project)
    run_mkdocs(project, project.site_dir, epoch)
    return project.site_dir


def run(source: Project, papers: int, queries=QUERIES) -> dict:
    from playwright.sync_api import sync_playwright
    chromium = shutil.which("chromium")
    if not chromium:
        raise SystemExit("bench-search needs Debian's chromium (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="bench-search-") as work:
        work = Path(work)
        old = old_site(source, work)
        seed = synthetic.make_project(source, work / "seed")
        shutil.rmtree(seed.digests)
        shutil.copytree(source.digests, seed.digests)
        report = build(seed)
        many, _ = synthetic.synthetic_project(source, work / "many", papers)
        archive = content.load(many).archive
        site = work / "many-site"
        shutil.copytree(seed.site_dir, site, ignore=shutil.ignore_patterns(search.OUTPUT))
        index = search.write_index(archive, site)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
            result = {
                "old": {"papers": 262, "index_bytes": (old / "search" / "search_index.json").stat().st_size,
                        **summary(measure(browser, old, queries, THEIRS_SHOWN, preloaded=True))},
                "seed": {"papers": 262, "index_seconds": report.search_seconds,
                         "index_bytes": folder_bytes(seed.site_dir / search.OUTPUT),
                         **summary(measure(browser, seed.site_dir, queries, OURS_SHOWN))},
                "many": {"papers": len(archive.papers), "index_seconds": index.seconds, "index_bytes": index.bytes,
                         "index_files": index.files, **summary(measure(browser, site, queries, OURS_SHOWN))},
            }
            browser.close()
    return result


def table(result: dict) -> str:
    rows = [("", "built-in search (seed)", "this search (seed)", f"this search ({result['many']['papers']:,} papers)")]
    sites = [result["old"], result["seed"], result["many"]]
    kb = lambda n: f"{n / 1000:,.0f} KB"  # noqa: E731
    rows.append(("index on disk", *(kb(s["index_bytes"]) for s in sites)))
    rows.append(("index build", "(part of mkdocs)", *(f"{s['index_seconds']:.1f} s" for s in sites[1:])))
    rows.append(("bytes to first results, median / max", *(f"{kb(s['bytes_median'])} / {kb(s['bytes_max'])}" for s in sites)))
    rows.append(("ms after last keystroke, median / max", *(f"{s['ms_median']:.0f} / {s['ms_max']:.0f} ms" for s in sites)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    many = result["many"]
    verdict = "within" if many["bytes_max"] <= BUDGET_BYTES and many["ms_max"] <= BUDGET_MS else "OVER"
    lines.append(f"budget at {many['papers']:,} papers: <= {BUDGET_BYTES // 1000} KB and <= {BUDGET_MS} ms "
                 f"per search: {verdict}")
    for name, site in (("old", result["old"]), ("seed", result["seed"]), ("many", many)):
        lines.append(f"{name}: " + ", ".join(f"{r['query']} {kb(r['bytes'])} {r['ms']} ms" for r in site["runs"]))
    return "\n".join(lines)
