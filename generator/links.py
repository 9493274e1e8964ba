"""URLs found in abstracts, and abstract text turned into escaped HTML with those URLs as links."""
from __future__ import annotations

import re
from html import escape

from .latex import pieces
from .models import Paper

# Abstracts write URLs with and without a scheme ("github.com/org/repo", "{https://...}"), and project
# pages on GitHub Pages often bare ("name.github.io/project").
_REST = r"[^\s<>\"'{}|\\^`\[\]]"
_URL = re.compile(
    r"(?:https?://|www\.|\b(?:github\.com|huggingface\.co|gitlab\.com|arxiv\.org|gitee\.com)/)" + _REST + "+"
    r"|(?<![\w@./-])(?-i:[A-Za-z0-9-]+)\.github\.io(?![\w-])(?:/" + _REST + "*)?", re.IGNORECASE)
_TRAILING = ".,;:!?*"


def _trim(url: str) -> str:
    opened, closed = url.count("("), url.count(")")  # counted once: a URL may end in many ")"
    end = len(url)
    while end and (url[end - 1] in _TRAILING or (url[end - 1] == ")" and opened < closed)):
        closed -= url[end - 1] == ")"
        end -= 1
    return url[:end]


def _href(text: str) -> str:
    return text if re.match(r"https?://", text, re.IGNORECASE) else "https://" + text


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, href) of each URL in the text, in order."""
    found = []
    for match in _URL.finditer(text):
        url = _trim(match.group())
        if "." in url.split("/")[0] or url.lower().startswith("http"):
            found.append((match.start(), match.start() + len(url), _href(url)))
    return found


def urls(text: str) -> list[str]:
    return [href for _, _, href in find_urls(text)]


def paper_urls(paper: Paper) -> list[str]:
    """The URLs of a paper's abstract, outside its math (which is typeset, never linked)."""
    return urls(" ".join(piece for math, piece in pieces(paper.abstract, paper.math) if not math))


def linkify(text: str) -> str:
    """Escaped HTML of the text, with each URL a link; the visible text is the text unchanged."""
    parts, last = [], 0
    for start, end, href in find_urls(text):
        parts.append(escape(text[last:start], quote=False))
        parts.append(f'<a href="{escape(href)}" rel="nofollow noopener">{escape(text[start:end], quote=False)}</a>')
        last = end
    parts.append(escape(text[last:], quote=False))
    return "".join(parts)
