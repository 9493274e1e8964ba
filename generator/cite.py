"""A BibTeX entry for each paper, built from what the archive knows: no network at build time."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from .config import SiteSettings
from .models import Paper

# Characters with a meaning in LaTeX, as text. Braces become commands rather than \{ \}: BibTeX counts
# every brace, escaped or not, so a lone one would end the field early.
_LATEX = str.maketrans({
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&", "%": r"\%",
    "$": r"\$", "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
})
_MINOR = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "towards", "toward"}


def latex(text: str) -> str:
    """Text as a BibTeX field value: LaTeX specials escaped, whitespace collapsed."""
    return " ".join(text.split()).translate(_LATEX)


def year(paper: Paper) -> int:
    """The year it was published where the source says, else the year it was first featured."""
    published = paper.meta.published or ""
    return int(published[:4]) if published[:4].isdigit() else paper.dates[0].year


def ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.findall(r"[a-z0-9]+", folded)


def key(paper: Paper) -> str:
    """A conventional key: dao2023flashattention (first author's last name, year, first title word),
    or flashattention2023 when the authors are not known."""
    words = ["".join(ascii_words(token)) for token in paper.title.split()]  # "FlashAttention-2:" is one
    word = next((w for w in words if w and w not in _MINOR), "paper")
    names = paper.meta.authors[0].split() if paper.meta.authors else []
    author = "".join(ascii_words(names[-1])) if names else ""
    return f"{author}{year(paper)}{word}" if author else f"{word}{year(paper)}"


def page_url(paper: Paper, settings: SiteSettings) -> str:
    return settings.site_url.rstrip("/") + "/" + paper.url


def bibtex(paper: Paper, settings: SiteSettings) -> str:
    """A @misc entry; an arXiv paper's carries its eprint and links to arXiv, any other to its archive page."""
    arxiv = paper.meta.arxiv_id
    fields = [("title", latex(paper.title))]
    if paper.meta.authors:
        fields.append(("author", " and ".join(latex(name) for name in paper.meta.authors)))
    fields.append(("year", str(year(paper))))
    if arxiv:
        fields += [("eprint", latex(arxiv)), ("archivePrefix", "arXiv")]
    fields.append(("url", f"https://arxiv.org/abs/{quote(arxiv)}" if arxiv else page_url(paper, settings)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{key(paper)},\n{body}}}\n"
