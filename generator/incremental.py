"""Incremental builds: MkDocs renders only the pages whose generated Markdown changed.

The generator rewrites only the Markdown files whose text changed (writer.write_tree), so an
unchanged page keeps its modification time, older than its HTML. An incremental build then updates
site/ in place (inplace.py): it sets aside the files the changed Markdown will replace (`rewritten`),
runs `mkdocs build --dirty` into site/ itself, which renders exactly the pages whose HTML is missing
or older than their Markdown, plus the sitemap and the 404 page, and swaps in the changed search
shards. On failure the set-aside files are put back.

MkDocs' own `--dirty` mode is only safe when nothing but Markdown changed: the theme, the
overrides, the config and the hand-written pages (their titles are the nav) must be as at the last
build, recorded as a fingerprint in build/. A search index built by an MkDocs plugin would only hold
the re-rendered pages, so a site with one always builds in full.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import posixpath
import sys
import unicodedata
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import yaml

from .config import Project
from .pages import PagePlan

STATE = "last-build.json"  # in build/: the fingerprint of the sources site/ was built from
PAGES = "pages.json"  # in build/: a signature of the inputs of each generated Markdown page
DOCS = "docs.json"  # in build/: the files of build/docs the last generator run left there
TAGS = "tags.pickle"  # in build/: the rules' decisions for each paper's text (archive.tag)
WORDS = "words.pickle"  # in build/: the words of each paper's text, for related papers (related.vectors)
PLUGIN_SEARCH = {"search", "material/search"}
KEPT_TAGGERS = 4  # trained taggers kept in the user's cache: a few checkouts or branches of labels
T = TypeVar("T")
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
    return _load_cache(project.build_dir / TAGS, _tags_version(project))


def record_tags(project: Project, known: dict[str, tuple]) -> None:
    _store_cache(project.build_dir / TAGS, _tags_version(project), known)


def trained(project: Project, train: Callable[[], T | None]) -> T | None:
    """The tagger trained from the project's labels, rules and vocabulary: from the user's cache when the
    same files were trained on before by the same code and libraries (training takes seconds, loading
    milliseconds), else trained now and kept there, unless training found errors (None). A cache that
    cannot be written is only slower."""
    version = _tags_version(project)
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "paper-digest-archive"
    path = folder / f"tagger-{version[:32]}.pickle"
    if found := _load_cache(path, version):
        with contextlib.suppress(OSError):
            path.touch()  # recently used: kept by the pruning below
        return found["tagger"]
    tagger = train()
    if tagger is None:
        return None
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        _store_cache(path, version, {"tagger": tagger})
        others = sorted((f for f in folder.glob("tagger-*.pickle") if f != path), key=lambda f: f.stat().st_mtime)
        for stale in others[:max(len(others) - (KEPT_TAGGERS - 1), 0)]:  # the oldest; never the one just kept
            stale.unlink(missing_ok=True)
    return tagger


def known_words(project: Project) -> dict[bytes, str]:
    """The words of each paper's text from the last build, if found by the same code (else empty)."""
    return _load_cache(project.build_dir / WORDS, _words_version())


def record_words(project: Project, analyzed: dict[bytes, str]) -> None:
    _store_cache(project.build_dir / WORDS, _words_version(), analyzed)


def _load_cache(path: Path, version: str) -> dict:
    try:
        with path.open("rb") as file:
            recorded, known = pickle.load(file)  # written by _store_cache below, never from elsewhere
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError, ImportError):
        return {}
    return known if recorded == version else {}


def _store_cache(path: Path, version: str, known: dict) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")  # another build may be reading it
    with partial.open("wb") as file:
        pickle.dump((version, known), file, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)


def _tags_version(project: Project) -> str:
    learning = " ".join(metadata.version(name) for name in ("scikit-learn", "scipy", "numpy"))
    return _hash_files([project.rules, project.taxonomy, project.labels, *_code()], extra=learning)


def _words_version() -> str:
    # The words of a text follow the tokenizer (scikit-learn's), the regex engine and Unicode's tables.
    return _hash_files(_code(), extra=f"{metadata.version('scikit-learn')} {sys.version} {unicodedata.unidata_version}")


def has_search_plugin(config_file: Path) -> bool:
    plugins = yaml.safe_load(config_file.read_text(encoding="utf-8")).get("plugins") or []
    names = {next(iter(p)) if isinstance(p, dict) else p for p in plugins}
    return bool(names & PLUGIN_SEARCH)


def recorded(project: Project) -> str | None:
    """The fingerprint of the last build that completed, if none has started since (see forget)."""
    state = project.build_dir / STATE
    return json.loads(state.read_text(encoding="utf-8")).get("fingerprint") if state.is_file() else None


def reusable(project: Project, last: str | None, current: str) -> bool:
    """Whether site/ can be updated in place by an incremental build."""
    return project.site_dir.is_dir() and last == current and not has_search_plugin(project.build_dir / "mkdocs.yml")


def record(project: Project, current: str) -> None:
    (project.build_dir / STATE).write_text(json.dumps({"fingerprint": current}) + "\n", encoding="utf-8")


def take_docs_listing(project: Project) -> frozenset[str] | None:
    """The files the last generator run left in build/docs, if it finished writing them. The record
    is removed as it is read and written again once the docs are, so a run that stops halfway leaves
    none: the next one then lists the folder itself (52,000 folders at 50,000 papers: 4 to 17 s)."""
    listing = project.build_dir / DOCS
    try:
        paths = frozenset(json.loads(listing.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None
    listing.unlink()
    return paths


def record_docs_listing(project: Project, paths: frozenset[str]) -> None:
    (project.build_dir / DOCS).write_text(json.dumps(sorted(paths)), encoding="utf-8")


def forget(project: Project) -> None:
    """Called before the generated docs change: until a build completes and records its fingerprint,
    no build may update site/ in place (it would not know which pages the unfinished one changed)."""
    (project.build_dir / STATE).unlink(missing_ok=True)


def page_html(paths: Iterable[str]) -> set[str]:
    """The site path of each Markdown page's HTML among `paths` (MkDocs' directory URLs)."""
    pages = set()
    for relative in paths:
        folder, name = posixpath.split(relative)
        if name == "index.md":
            pages.add(posixpath.join(folder, "index.html"))
        elif name.endswith(".md"):
            pages.add(posixpath.join(relative[:-3], "index.html"))
    return pages


def rewritten(changed: Iterable[str]) -> set[str]:
    """The files of site/ that MkDocs' dirty build writes (or, for removed pages, leaves stale):
    each changed docs file's page or copy, the 404 page and the sitemap (postbuild rewrites the
    sitemap files). Valid only while the last build's fingerprint stood: every other page of site/
    is then newer than its Markdown, and MkDocs leaves it alone."""
    copies = {relative for relative in changed if not relative.endswith(".md")}
    return page_html(changed) | copies | {"404.html", "sitemap.xml", "sitemap.xml.gz"}


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
