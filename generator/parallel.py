"""A large site built by two MkDocs processes at once, one per half of the paper pages.

MkDocs renders one page after another on one core, and rendering is nearly all of its time. The
second process gets the paper pages whose slugs start with some letters, chosen to give it about
half the work (`exclude_docs` leaves it nothing else); the first gets everything else. Paper pages link to no generated page MkDocs
checks, so each half builds alone; the second half's pages then move into the first's site, and
postbuild.write_sitemaps merges the two sitemaps.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

SPLIT_FROM = 4_000  # pages: below this, a second MkDocs process costs more than it saves
# MkDocs' time per page is about 2.2 ms plus 0.15 ms per kilobyte of Markdown (measured on 10,000
# synthetic papers), so for balancing halves a page weighs its size plus this many bytes.
PAGE_WEIGHT = 15_000
PAPERS = "papers"


def initials(docs: Path) -> str:
    """Slug initials whose paper pages are about half of MkDocs' work, or "" for a small site."""
    sizes: dict[str, int] = {}
    total = pages = 0
    for folder, _, names in os.walk(docs):
        for name in names:
            size = os.stat(os.path.join(folder, name)).st_size + PAGE_WEIGHT
            total += size
            pages += 1
            relative = Path(folder).relative_to(docs).parts
            if len(relative) == 2 and relative[0] == PAPERS:
                sizes[relative[1][0]] = sizes.get(relative[1][0], 0) + size
    if pages < SPLIT_FROM:
        return ""
    chosen, share = [], 0
    for initial in sorted(sizes, key=lambda i: (-sizes[i], i)):  # largest first: the closest fit
        if share + sizes[initial] <= total / 2:
            chosen.append(initial)
            share += sizes[initial]
    return "".join(sorted(chosen))


def split_configs(config_file: Path, letters: str) -> tuple[Path, Path]:
    """Two configs beside `config_file`: everything but papers/[letters]*, and only those."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    own = f"/{PAPERS}/[{letters}]*/\n"
    first = dict(config, exclude_docs=own)
    second = dict(config, exclude_docs=f"/*\n!/{PAPERS}/\n/{PAPERS}/*/\n!{own}")
    paths = config_file.with_name("mkdocs-part1.yml"), config_file.with_name("mkdocs-part2.yml")
    for path, part in zip(paths, (first, second)):
        path.write_text(yaml.safe_dump(part, sort_keys=True, allow_unicode=True), encoding="utf-8")
    return paths


def move_papers(source: Path, site: Path) -> None:
    """The paper pages the second process built, into the first's site; the rest of its output is dropped."""
    (site / PAPERS).mkdir(exist_ok=True)
    for page in (source / PAPERS).iterdir():
        os.replace(page, site / PAPERS / page.name)
    shutil.rmtree(source)
