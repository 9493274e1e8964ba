"""A BibTeX entry for each paper, built from what the archive knows: no network at build time."""
from __future__ import annotations

import itertools
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
_KEEP_CASE = re.compile(r"\w[^\s]*[A-Z]")
_MINOR = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "towards", "toward"}


def latex(text: str) -> str:
    """Text as a BibTeX field value: LaTeX specials escaped, whitespace collapsed."""
    return " ".join(text.split()).translate(_LATEX)


def title_case_kept(title: str) -> str:
    """The title as a field value, each word with a capital after its first letter (FlashAttention,
    LLMs, KV) in braces: bibliography styles lowercase titles, and would print "Flashattention"."""
    return " ".join(f"{{{latex(word)}}}" if _KEEP_CASE.search(word) else latex(word) for word in title.split())


# YYMM.NNNNN since 2007, archive/YYMMNNN before (hep-th/9901001), either with a version (v2)
_ARXIV_YEAR = re.compile(r"(?:(\d\d)\d\d\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/(\d\d)\d{5})(?:v\d+)?")


def year(paper: Paper) -> int | None:
    """The year it was published where the source says, else its arXiv id's; else not known (the
    year it was featured can be years later, and a wrong year in a citation is worse than none)."""
    published = paper.meta.published or ""
    if published[:4].isdigit() and int(published[:4]) > 0:
        return int(published[:4])
    found = _ARXIV_YEAR.fullmatch(paper.meta.arxiv_id or "")
    if not found:
        return None
    two_digits = int(found[1] or found[2])
    return (1900 if two_digits >= 91 else 2000) + two_digits  # arXiv opened in 1991


def ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.findall(r"[a-z0-9]+", folded)


def base_key(paper: Paper) -> str:
    """A conventional key: dao2023flashattention (first author's last name, year, first title word),
    or, when the authors are not known, the first two title words and the year if known."""
    words = ["".join(ascii_words(token)) for token in paper.title.split()]  # "FlashAttention-2:" is one
    significant = [w for w in words if w and w not in _MINOR] or ["paper"]
    names = paper.meta.authors[0].split() if paper.meta.authors else []
    author = "".join(ascii_words(names[-1])) if names else ""
    published = str(year(paper) or "")
    return f"{author}{published}{significant[0]}" if author else "".join(significant[:2]) + published


def keys(papers) -> dict[str, str]:
    """Each paper's key by slug, unique in the archive: where a key is taken, the paper featured
    later gets the next free letter (wang2024efficient, wang2024efficientb, …). Papers added after
    the others keep every earlier key; a digest backfilled before them can shift letters."""
    taken: set[str] = set()
    found = {}
    for paper in sorted(papers, key=lambda p: (p.dates[0], p.slug)):
        base = base_key(paper)
        key = next(k for k in _candidates(base) if k not in taken)
        taken.add(key)
        found[paper.slug] = key
    return found


def _candidates(base: str):
    yield base
    yield from (base + chr(letter) for letter in range(ord("b"), ord("z") + 1))
    yield from (f"{base}-{n}" for n in itertools.count(27))


def page_url(paper: Paper, settings: SiteSettings) -> str:
    return settings.site_url.rstrip("/") + "/" + paper.url


def bibtex(paper: Paper, settings: SiteSettings, key: str) -> str:
    """A @misc entry under `key` (keys); an arXiv paper's carries its eprint and links to arXiv, any
    other to its archive page."""
    arxiv = paper.meta.arxiv_id
    fields = [("title", title_case_kept(paper.title))]
    if paper.meta.authors:
        fields.append(("author", " and ".join(latex(name) for name in paper.meta.authors)))
    if published := year(paper):
        fields.append(("year", str(published)))
    if arxiv:
        fields += [("eprint", latex(arxiv)), ("archivePrefix", "arXiv")]
    fields.append(("url", f"https://arxiv.org/abs/{quote(arxiv)}" if arxiv else page_url(paper, settings)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{key},\n{body}}}\n"
