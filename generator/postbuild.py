"""Steps on the site MkDocs built: minified HTML, and sorted sitemaps, split past 50,000 URLs.

Both are pure functions of the built files, so the site stays byte-identical between builds. Files
are replaced through a new file, never rewritten in place: an incremental build's staging folder
shares unchanged files with the live site/ (see incremental.py).
"""
from __future__ import annotations

import gzip
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import minify_html

SITEMAP_LIMIT = 50_000  # URLs per sitemap file, the sitemaps.org maximum
SITEMAP_PARTS = "sitemap-*.xml.gz"
POOL_FROM = 2_000  # fewer pages are minified in this process: starting workers would cost more
CHUNK = 500
_URL = re.compile(rb"<url>.*?</url>", re.S)
_SPACE = re.compile(rb">\s+<")
_LOC = re.compile(rb"<loc>(.*?)</loc>", re.S)
_NAMESPACE = b'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
# minify-html unescapes "<" inside <title>: browsers read it as text there, simpler parsers as markup.
_TITLE = re.compile(r"(<title>)(.*?)(</title>)", re.S)


def replace_file(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def minify_files(paths: list[str]) -> int:
    """Minify HTML files in place; returns the bytes saved.

    Closing and <html>/<head> tags are kept: browsers do not need them, but simpler HTML parsers
    (BeautifulSoup's, in the tests) nest unclosed elements wrongly.
    """
    saved = 0
    for name in paths:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        minified = minify_html.minify(text, keep_closing_tags=True, keep_html_and_head_opening_tags=True)
        data = _TITLE.sub(lambda m: m[1] + m[2].replace("<", "&lt;") + m[3], minified, count=1).encode()
        saved += len(text.encode()) - len(data)
        replace_file(path, data)
    return saved


def minify_site(site: Path, only: list[str] | None = None) -> int:
    """Minify every HTML file of `site`, or `only` these (relative paths); returns their count."""
    if only is None:
        paths = sorted(str(p) for p in site.rglob("*.html"))
    else:
        paths = [str(site / relative) for relative in only if (site / relative).is_file()]
    if len(paths) < POOL_FROM:
        minify_files(paths)
        return len(paths)
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
    # Fresh workers ("spawn"), not forks of this process: a fork would count the archive it holds twice
    # in the process tree's peak memory.
    with ProcessPoolExecutor(os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(minify_files, chunks))
    return len(paths)


def _entries(sitemap: Path) -> list[bytes]:
    """Its <url> entries, without MkDocs' indentation (30 bytes a URL, 1.6 MB at 50,000 papers)."""
    return [_SPACE.sub(b"><", e) for e in _URL.findall(sitemap.read_bytes())] if sitemap.is_file() else []


def _urlset(entries: list[bytes]) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset ' + _NAMESPACE + b">\n" + b"\n".join(entries) + b"\n</urlset>\n"


def merge_sitemap(sitemap: Path, other: Path) -> None:
    """Add the URLs of `other` to `sitemap` (two MkDocs processes each wrote one, see parallel.py)."""
    replace_file(sitemap, _urlset(_entries(sitemap) + _entries(other)))


def sitemap_part(number: int) -> str:
    return f"sitemap-{number}.xml.gz"


def write_sitemaps(site: Path, site_url: str, limit: int = SITEMAP_LIMIT) -> int:
    """Rewrite sitemap.xml with its URLs sorted, as one file or, past `limit` URLs, as a sitemap index
    of gzipped files of at most `limit` URLs each; sitemap.xml.gz follows. Returns the count of URL files.

    Sorted, so however many MkDocs processes built the site its sitemap is the same. The parts are
    only gzipped (sitemaps.org allows it): plain, they would add 100 bytes a paper to the site.
    """
    for stale in site.glob(SITEMAP_PARTS):
        stale.unlink()
    entries = sorted(_entries(site / "sitemap.xml"), key=lambda entry: _LOC.search(entry)[1])
    if not entries:
        return 0
    if len(entries) <= limit:
        parts, index = [entries], _urlset(entries)
    else:
        base = site_url if site_url.endswith("/") else site_url + "/"
        parts = [entries[i:i + limit] for i in range(0, len(entries), limit)]
        for number, part in enumerate(parts, start=1):
            replace_file(site / sitemap_part(number), gzip.compress(_urlset(part), mtime=0))
        listed = "".join(f"<sitemap><loc>{base}{sitemap_part(n)}</loc></sitemap>\n" for n in range(1, len(parts) + 1))
        index = (b'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex ' + _NAMESPACE + b">\n"
                 + listed.encode() + b"</sitemapindex>\n")
    replace_file(site / "sitemap.xml", index)
    replace_file(site / "sitemap.xml.gz", gzip.compress(index, mtime=0))
    return len(parts)
