"""Where a project's files live, and the few settings the generator reads from mkdocs.yml."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

from .errors import UserError


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest folder upwards holding mkdocs.yml and content/."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "mkdocs.yml").is_file() and (folder / "content").is_dir():
                return cls(folder)
        raise UserError(f"no archive project here: run inside a folder with mkdocs.yml and content/ ({here.name})")

    content = property(lambda self: self.root / "content")
    digests = property(lambda self: self.content / "digests")
    corrections = property(lambda self: self.content / "corrections")
    pages = property(lambda self: self.content / "pages")
    taxonomy = property(lambda self: self.content / "taxonomy.yml")
    rules = property(lambda self: self.content / "tagging" / "rules.yml")
    labels = property(lambda self: self.content / "tagging" / "labels.yml")
    dates_file = property(lambda self: self.digests / "dates.yml")
    mkdocs_yml = property(lambda self: self.root / "mkdocs.yml")
    overrides = property(lambda self: self.root / "overrides")
    build_dir = property(lambda self: self.root / "build")
    docs_dir = property(lambda self: self.build_dir / "docs")
    site_dir = property(lambda self: self.root / "site")

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


@dataclass(frozen=True)
class SiteSettings:
    """Settings from mkdocs.yml that pages need: a fork changes them there, in one place."""

    site_name: str
    site_url: str
    repo_url: str
    branch: str

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, e.g. '/paper-digest-archive/'."""
        path = urlparse(self.site_url).path or "/"
        return path if path.endswith("/") else path + "/"


def read_settings(mkdocs_yml_text: str) -> SiteSettings:
    config = yaml.safe_load(mkdocs_yml_text) or {}
    edit_uri = str(config.get("edit_uri", "edit/main/"))
    parts = [p for p in edit_uri.split("/") if p]
    branch = parts[1] if len(parts) > 1 and parts[0] in ("edit", "blob") else "main"
    return SiteSettings(site_name=str(config.get("site_name", "Paper Digest Archive")),
                        site_url=str(config.get("site_url", "")),
                        repo_url=str(config.get("repo_url", "")).rstrip("/"),
                        branch=branch)
