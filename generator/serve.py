"""Live preview: MkDocs' dev server on the generated docs, regenerated whenever content/ changes.

The search index is written among the docs, so the preview's search works as the built site's does."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time

from . import search
from .config import Project
from .errors import ContentError
from .site import generate
from .writer import WriteReport

POLL_SECONDS = 1.0


def _snapshot(project: Project) -> dict[str, float]:
    watched = [project.content, project.mkdocs_yml]
    files = [p for folder in watched for p in ([folder] if folder.is_file() else folder.rglob("*")) if p.is_file()]
    return {str(p): p.stat().st_mtime for p in files}


def _preview(project: Project) -> tuple[WriteReport, int]:
    """The docs and their search index; the write report and the page count. The index being
    rewritten stays in place until its successor is complete, so the preview's search never stops."""
    index = project.docs_dir / search.OUTPUT
    kept = frozenset(p.relative_to(project.docs_dir).as_posix() for p in index.rglob("*") if p.is_file())
    report, pages, _, archive = generate(project, keep=kept)
    fresh = search.BackgroundIndex(archive, project.docs_dir, project.build_dir)  # unchanged files: hard links
    try:
        fresh.move_into(project.docs_dir)
    finally:
        fresh.discard()
    return report, pages


def _regenerate(project: Project) -> None:
    try:
        report, pages = _preview(project)
        print(f"regenerated: {report.written} of {pages} pages changed", flush=True)
    except ContentError as exc:
        print("\n".join(str(p) for p in exc.problems), file=sys.stderr, flush=True)
        print("content has errors: the preview shows the last good version", file=sys.stderr, flush=True)


def serve(project: Project, addr: str) -> None:
    _preview(project)
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(project.build_dir / "mkdocs.yml"),
               "--dev-addr", addr]
    server = subprocess.Popen(command)
    # Stopped by a signal rather than Ctrl-C, the preview still stops its server and removes its index.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    seen = _snapshot(project)
    try:
        while server.poll() is None:
            time.sleep(POLL_SECONDS)
            now = _snapshot(project)
            if now != seen:
                seen = now
                _regenerate(project)
    finally:
        server.terminate()
        server.wait()
        # `archive build` writes its own index into site/: this one would only be copied there first.
        shutil.rmtree(project.docs_dir / search.OUTPUT, ignore_errors=True)
