"""Incremental builds: MkDocs renders only the pages whose generated Markdown changed.

The generator rewrites only the Markdown files whose text changed (writer.write_tree), so an
unchanged page keeps its modification time. The new site is staged next to the live one:

- every page whose Markdown is not newer than its HTML is hard-linked from site/ (no copy);
- every other file of site/ except a page and the search index (rewritten whole by every build) is
  copied, because MkDocs rewrites files in place and must never write through a link into the live
  site;
- `mkdocs build --dirty` then renders the pages whose Markdown is newer (their HTML is missing),
  the sitemap and the 404 page, and the new site is swapped in as usual.

MkDocs' own `--dirty` mode is only safe when nothing but Markdown changed: the theme, the
overrides, the config and the hand-written pages (their titles are the nav) must be as at the last
build, recorded as a fingerprint in build/. A search index built by an MkDocs plugin would only hold
the re-rendered pages, so a site with one always builds in full.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import posixpath
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import yaml

from .config import Project
from .search import OUTPUT as SEARCH_OUTPUT  # written whole by every build
from .pages import PagePlan

STATE = "last-build.json"  # in build/: the fingerprint of the sources site/ was built from
PAGES = "pages.json"  # in build/: a signature of the inputs of each generated Markdown page
TAGS = "tags.pickle"  # in build/: the rules' decisions for each paper's text (archive.tag)
PLUGIN_SEARCH = {"search", "material/search"}
VERSIONED = ("mkdocs", "mkdocs-material", "minify-html")
_DIRTY_WARNING = "A 'dirty' build is being performed"


def _hash_files(paths: list[Path], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _code() -> list[Path]:
    """The generator's code and page templates: a change to them may change any page."""
    package = Path(__file__).parent
    return sorted(package.glob("*.py")) + sorted(package.glob("templates/*"))


def fingerprint(project: Project) -> str:
    """What every page depends on besides its own Markdown."""
    versions = "".join(f"{name}={metadata.version(name)}\0" for name in VERSIONED)
    return _hash_files([project.build_dir / "mkdocs.yml", *sorted(project.overrides.rglob("*")),
                        *sorted(project.pages.rglob("*")), *_code()], versions)


def page_signatures(plans: list[PagePlan]) -> dict[str, str]:
    """Markdown path -> a hash of everything its text is rendered from: its plan, the code, the templates."""
    code = _hash_files(_code())
    return {plan.path: hashlib.blake2b(f"{code}{plan!r}".encode(), digest_size=16).hexdigest() for plan in plans}


def current_pages(project: Project, signatures: dict[str, str]) -> frozenset[str]:
    """Generated pages whose Markdown was last written from the same inputs: rendering them again is wasted."""
    recorded = project.build_dir / PAGES
    if not recorded.is_file():
        return frozenset()
    previous = json.loads(recorded.read_text(encoding="utf-8"))
    return frozenset(path for path, signature in signatures.items()
                     if previous.get(path) == signature and (project.docs_dir / path).is_file())


def record_pages(project: Project, signatures: dict[str, str]) -> None:
    (project.build_dir / PAGES).write_text(json.dumps(signatures, sort_keys=True), encoding="utf-8")


def known_tags(project: Project) -> dict[str, tuple]:
    """The tagger's decisions from the last build, if made by the same rules, labels and code (else empty)."""
    try:
        with (project.build_dir / TAGS).open("rb") as file:
            version, known = pickle.load(file)  # written by record_tags below, never from elsewhere
    except (OSError, EOFError, pickle.UnpicklingError, ValueError):
        return {}
    return known if version == _tags_version(project) else {}


def record_tags(project: Project, known: dict[str, tuple]) -> None:
    with (project.build_dir / TAGS).open("wb") as file:
        pickle.dump((_tags_version(project), known), file, protocol=pickle.HIGHEST_PROTOCOL)


def _tags_version(project: Project) -> str:
    learning = " ".join(metadata.version(name) for name in ("scikit-learn", "scipy", "numpy"))
    return _hash_files([project.rules, project.taxonomy, project.labels, *_code()], extra=learning)


def has_search_plugin(config_file: Path) -> bool:
    plugins = yaml.safe_load(config_file.read_text(encoding="utf-8")).get("plugins") or []
    names = {next(iter(p)) if isinstance(p, dict) else p for p in plugins}
    return bool(names & PLUGIN_SEARCH)


def reusable(project: Project, current: str) -> bool:
    """Whether site/ can be the base of an incremental build."""
    state = project.build_dir / STATE
    if not project.site_dir.is_dir() or not state.is_file():
        return False
    recorded = json.loads(state.read_text(encoding="utf-8")).get("fingerprint")
    return recorded == current and not has_search_plugin(project.build_dir / "mkdocs.yml")


def record(project: Project, current: str) -> None:
    (project.build_dir / STATE).write_text(json.dumps({"fingerprint": current}) + "\n", encoding="utf-8")


def forget(project: Project) -> None:
    """Called before site/ changes: until the new fingerprint is recorded, no build may reuse it."""
    (project.build_dir / STATE).unlink(missing_ok=True)


def page_sources(docs: Path, paths: Iterable[str]) -> dict[str, Path]:
    """Site path of each page's HTML -> its Markdown (MkDocs' directory URLs), from the docs' file list."""
    pages = {}
    for relative in paths:
        folder, name = posixpath.split(relative)
        if name == "index.md":
            pages[posixpath.join(folder, "index.html")] = docs / relative
        elif name.endswith(".md"):
            pages[posixpath.join(relative[:-3], "index.html")] = docs / relative
    return pages


@dataclass(frozen=True)
class Staged:
    linked: frozenset[str]  # pages hard-linked unchanged from site/ (relative paths)
    pages: frozenset[str]  # every page's HTML, linked or to be rendered by MkDocs
    other_html: frozenset[str]  # HTML files that are not pages (404.html), copied and rendered again

    def rendered(self) -> list[str]:
        """The HTML files MkDocs writes into the staged site: every page not linked, and 404.html."""
        return sorted((self.pages - self.linked) | self.other_html)


def clone_site(site: Path, docs: Path, staging: Path, docs_paths: Iterable[str]) -> Staged:
    """Stage `site` for a dirty build into `staging`.

    A page whose folder holds nothing else (a paper's, most of the site) is handled from the page
    list alone: walking the 52,000 folders of site/ took longer than linking their pages.
    """
    pages = page_sources(docs, docs_paths)
    alone = _alone(pages, docs_paths)
    linked: set[str] = set()
    for html, markdown in pages.items():
        if posixpath.dirname(html) in alone:
            (staging / html).parent.mkdir(parents=True, exist_ok=True)
            _link_if_current(site, staging, html, markdown, linked)
    other_html = set()
    for folder, folders, names in os.walk(site):
        relative_folder = os.path.relpath(folder, site).replace(os.sep, "/")
        prefix = "" if relative_folder == "." else relative_folder + "/"
        folders[:] = [name for name in folders if prefix + name not in alone
                      and (prefix or name != SEARCH_OUTPUT)]
        os.makedirs(staging / relative_folder, exist_ok=True)
        for name in names:
            relative = prefix + name
            if relative in pages:
                _link_if_current(site, staging, relative, pages[relative], linked)
            elif name != "index.html":  # an index.html without Markdown is a removed page
                shutil.copy2(os.path.join(folder, name), staging / relative)
                other_html.update([relative] if name.endswith(".html") else [])
    return Staged(frozenset(linked), frozenset(pages), frozenset(other_html))


def _alone(pages: dict[str, Path], docs_paths: Iterable[str]) -> set[str]:
    """The site folders that will hold one page's index.html and nothing else."""
    landing: dict[str, int] = {}  # site folder -> how many files of docs/ land in it (not below)
    for relative in docs_paths:
        folder = posixpath.dirname(relative)
        if relative.endswith(".md") and posixpath.basename(relative) != "index.md":
            folder = relative[:-3]
        landing[folder] = landing.get(folder, 0) + 1
    above = set()
    for folder in landing:
        while folder and (folder := posixpath.dirname(folder)) not in above:
            above.add(folder)
    return {folder for folder in map(posixpath.dirname, pages) if landing[folder] == 1 and folder not in above}


def _link_if_current(site: Path, staging: Path, html: str, markdown: Path, linked: set[str]) -> None:
    """Link the page's HTML into staging if it was built after its Markdown last changed."""
    try:
        current = os.stat(site / html).st_mtime >= markdown.stat().st_mtime
    except FileNotFoundError:  # a new page, or its Markdown was removed
        return
    if current:
        os.link(site / html, staging / html)
        linked.add(html)


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build, which --strict would turn into a failure."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


def dirty_build(argv: list[str]) -> None:
    """`mkdocs build --dirty ARGV`, strict about every warning but the one about dirty builds."""
    from mkdocs.__main__ import cli
    logging.getLogger("mkdocs.commands.build").addFilter(_NoDirtyWarning())
    cli(["build", "--dirty", *argv], prog_name="mkdocs")


if __name__ == "__main__":
    dirty_build(sys.argv[1:])
