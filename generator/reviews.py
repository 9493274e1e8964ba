"""Links that let a reader propose a tag correction as a pull request on GitHub."""
from __future__ import annotations

from urllib.parse import quote, urlencode

from .config import SiteSettings
from .models import Paper

CORRECTIONS_DIR = "content/corrections"


def correction_template(paper: Paper) -> str:
    """The text a new correction file starts with: the paper's current tags, ready to edit."""
    tags = ", ".join(paper.tags) if paper.tags else "none"
    return ("# Tag correction (format: CONTRIBUTING.md)\n"
            f"# Current tags: {tags}. All tags: content/taxonomy.yml\n"
            f"add: []\n"
            f"remove: []\n"
            f'reason: ""\n')


def correction_link(paper: Paper, settings: SiteSettings, exists: bool) -> str:
    """GitHub's editor on the paper's correction file: the new-file page, or the edit page if it exists."""
    if not settings.repo_url:
        return ""
    file = f"{paper.slug}.yml"
    if exists:
        return f"{settings.repo_url}/edit/{settings.branch}/{CORRECTIONS_DIR}/{quote(file)}"
    query = urlencode({"filename": file, "value": correction_template(paper)}, quote_via=quote)
    return f"{settings.repo_url}/new/{settings.branch}/{CORRECTIONS_DIR}?{query}"
