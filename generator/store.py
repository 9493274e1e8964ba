"""Writes fetched and imported digests into content/digests: the only module that writes content.

A digest is written only after it serialises and reads back without a problem, through a
temporary file renamed over the old one, so content/ never holds a half-written or invalid file.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .config import Project
from .errors import UserError
from .models import Digest, Entry
from .readers import read_json_digest


@dataclass(frozen=True)
class Saved:
    """What happened to one day's digest, as reported to the user."""

    date: str
    status: str  # "written", "unchanged" or "empty"
    papers: int
    file: str

    def line(self) -> str:
        if self.status == "written":
            return f"{self.date}: {self._count()} written to {self.file}"
        if self.status == "unchanged":
            return f"{self.date}: unchanged ({self._count()} already in {self.file})"
        return f"{self.date}: no papers (nothing written)"

    def _count(self) -> str:
        return f"{self.papers} paper{'s' if self.papers != 1 else ''}"


def digest_path(project: Project, digest: Digest) -> Path:
    return project.digests / digest.source


def paper_record(entry: Entry) -> dict:
    """One paper in the archive's digest format; unknown (null or empty) fields are left out."""
    meta = entry.meta
    record = {"title": entry.title, "abstract": entry.abstract, "arxiv_id": meta.arxiv_id,
              "authors": list(meta.authors), "upvotes": meta.upvotes, "github_repo": meta.github_repo,
              "github_stars": meta.github_stars, "project_page": meta.project_page,
              "ai_keywords": list(meta.ai_keywords), "published": meta.published}
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def to_json(digest: Digest) -> str:
    data = {"date": digest.date.isoformat(), "source_url": digest.source_url,
            "retrieved_at": digest.retrieved_at, "papers": [paper_record(e) for e in digest.entries]}
    data = {key: value for key, value in data.items() if value is not None}
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def save(project: Project, digest: Digest) -> Saved:
    """Write the day's digest unless it has no papers or the file already holds the same papers."""
    path = digest_path(project, digest)
    file = project.relative(path)
    date = digest.date.isoformat()
    if not digest.entries:
        return Saved(date, "empty", 0, file)
    text = to_json(digest)
    _, problems = read_json_digest(text, file)
    if problems:  # sources.py validates first; this guards the file format itself
        raise UserError(f"{date}: the digest does not validate, nothing written: {problems[0].message}")
    if _stored_papers(path) == json.loads(text)["papers"]:
        # Same papers: keep the file, so a repeated fetch does not churn retrieved_at.
        return Saved(date, "unchanged", len(digest.entries), file)
    try:
        atomic_write(path, text)
    except OSError as exc:
        raise UserError(f"{date}: cannot write {file}: {exc.strerror or exc} (it is unchanged)") from None
    return Saved(date, "written", len(digest.entries), file)


def _stored_papers(path: Path) -> list | None:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("papers")
    except (OSError, ValueError, AttributeError):
        return None  # missing or unreadable: it is replaced


def atomic_write(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename it over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); content files are ordinary, readable files.
        os.fchmod(handle, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
