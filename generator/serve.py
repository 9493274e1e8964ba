"""Live preview: MkDocs' dev server on the generated docs, regenerated whenever content/ changes."""
from __future__ import annotations

import subprocess
import sys
import time

from .config import Project
from .errors import ContentError
from .site import generate

POLL_SECONDS = 1.0


def _snapshot(project: Project) -> dict[str, float]:
    watched = [project.content, project.mkdocs_yml]
    files = [p for folder in watched for p in ([folder] if folder.is_file() else folder.rglob("*")) if p.is_file()]
    return {str(p): p.stat().st_mtime for p in files}


def _regenerate(project: Project) -> None:
    try:
        report, pages, *_ = generate(project)
        print(f"regenerated: {report.written} of {pages} pages changed", flush=True)
    except ContentError as exc:
        print("\n".join(str(p) for p in exc.problems), file=sys.stderr, flush=True)
        print("content has errors: the preview shows the last good version", file=sys.stderr, flush=True)


def serve(project: Project, addr: str) -> None:
    generate(project)
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(project.build_dir / "mkdocs.yml"),
               "--dev-addr", addr]
    server = subprocess.Popen(command)
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
