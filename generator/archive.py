"""Digests in, deduplicated and tagged papers out."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from . import slugs
from .latex import readable
from .models import Archive, Correction, Day, Digest, Entry, Paper, SourceMeta, Tag
from .classifier import Tagger, decide
from .tagging import apply_correction


@dataclass
class _Group:
    """Every appearance of one paper, in the order it was featured."""

    key: str
    first: tuple  # (date, source, line) of its first appearance
    entries: list[tuple[Digest, Entry]] = field(default_factory=list)


def merge(digests: list[Digest]) -> tuple[list[Paper], list[Day]]:
    """Deduplicate entries across digests (same arXiv id, else the same normalised title).

    Returns the papers sorted by slug, and the days in date order.
    """
    by_key: dict[str, _Group] = {}
    day_keys: dict = {}  # date -> ordered set of group keys
    day_sources: dict = {}
    alias: dict[str, str] = {}  # arXiv id or title key -> group key
    ordered = sorted(digests, key=lambda d: (d.date, d.source))
    for digest in ordered:
        for entry in digest.entries:
            tkey = "title:" + slugs.title_key(entry.title)
            akey = "arxiv:" + entry.meta.arxiv_id if entry.meta.arxiv_id else None
            key = alias.get(akey) or alias.get(tkey) or tkey
            group = by_key.setdefault(key, _Group(key, (digest.date, digest.source, entry.line)))
            group.entries.append((digest, entry))
            day_keys.setdefault(digest.date, {})[key] = None
            day_sources.setdefault(digest.date, []).append(digest.source)
            alias[tkey] = key
            if akey:
                alias.setdefault(akey, key)
    assigned = slugs.assign([(g.first, g.key, g.entries[0][1].title) for g in by_key.values()])
    papers = [_paper(assigned[g.key], g) for g in by_key.values()]
    days = [Day(date, tuple(assigned[k] for k in keys), tuple(dict.fromkeys(day_sources[date])))
            for date, keys in day_keys.items()]
    return sorted(papers, key=lambda p: p.slug), days


def _paper(slug: str, group: _Group) -> Paper:
    first = group.entries[0][1]
    meta = SourceMeta()
    for _, entry in reversed(group.entries):  # the newest record knows most (upvotes, stars)
        meta = meta.merged(entry.meta)
    dates = tuple(sorted({digest.date for digest, _ in group.entries}))
    # Titles stay as written: they make the slugs, which are permanent URLs.
    abstract, math = readable(first.abstract)
    return Paper(slug=slug, title=first.title, abstract=abstract, dates=dates, meta=meta, math=math)


def tag(papers: list[Paper], tagger: Tagger, known: dict[str, tuple] | None = None) -> list[Paper]:
    """Automatic tags, with their evidence.

    `known` maps tag_key(paper) to the decisions of the same tagger, and gains the papers not in it:
    a cache kept between builds, since tagging is most of the time of loading a large archive.
    """
    known = {} if known is None else known
    keys = [tag_key(p) for p in papers]
    new = {key: p for key, p in zip(keys, papers) if key not in known}
    known.update(zip(new, decide(tagger, [(p.title, p.abstract, p.meta.ai_keywords) for p in new.values()])))
    return [_with(p, known[key]) for key, p in zip(keys, papers)]


def tag_key(paper: Paper) -> str:
    """What the tagger reads of a paper."""
    text = "\0".join((paper.title, paper.abstract, *paper.meta.ai_keywords))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def correct(papers: list[Paper], corrections: dict[str, Correction]) -> list[Paper]:
    """Contributor corrections, applied after the automatic tags."""
    return [_with(p, apply_correction(p.evidence, corrections[p.slug])) if p.slug in corrections else p
            for p in papers]


def _with(paper: Paper, decisions: tuple) -> Paper:
    return replace(paper, tags=tuple(sorted(d.tag for d in decisions)), evidence=decisions)


def build_archive(days: list[Day], tags: list[Tag], papers: list[Paper]) -> Archive:
    return Archive(papers=tuple(papers), days=tuple(days), tags=tuple(tags))
