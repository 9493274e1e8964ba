"""The archive's records: small frozen dataclasses, no I/O."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class SourceMeta:
    """What a live source (the Daily Papers site) knows about a paper beyond title and abstract."""

    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    upvotes: int | None = None
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    ai_keywords: tuple[str, ...] = ()
    published: str | None = None  # ISO date the paper was published

    def merged(self, other: SourceMeta) -> SourceMeta:
        """Fill this record's gaps from `other`; what this record knows wins."""
        values = {}
        for name in self.__dataclass_fields__:
            mine = getattr(self, name)
            values[name] = mine if mine not in (None, ()) else getattr(other, name)
        return SourceMeta(**values)


@dataclass(frozen=True)
class Entry:
    """One paper as it appears in one digest."""

    title: str
    abstract: str
    line: int
    meta: SourceMeta = field(default_factory=SourceMeta)


@dataclass(frozen=True)
class Digest:
    source: str  # file name inside content/digests
    date: dt.date
    entries: tuple[Entry, ...]
    source_url: str | None = None
    retrieved_at: str | None = None


@dataclass(frozen=True)
class Match:
    """One piece of evidence for a tag: a rule term found in a field of the paper."""

    term: str
    field: str  # "title", "abstract", "keywords"
    weight: float


@dataclass(frozen=True)
class TagDecision:
    tag: str
    source: str  # "rules" or "correction"
    score: float = 0.0  # the rules' score
    matches: tuple[Match, ...] = ()
    note: str = ""
    probability: float | None = None  # the classifier's, where one was trained (classifier.py)


@dataclass(frozen=True)
class Labelled:
    """A paper tagged by hand, to learn from (split "tune") or to measure the tagger on ("holdout")."""

    title: str
    abstract: str
    tags: frozenset[str]
    split: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Paper:
    slug: str
    title: str
    abstract: str  # LaTeX text markup resolved (latex.py), math kept as written
    dates: tuple[dt.date, ...]  # every date it was featured on, ascending
    meta: SourceMeta = SourceMeta()
    tags: tuple[str, ...] = ()  # sorted slugs
    evidence: tuple[TagDecision, ...] = ()
    math: tuple[tuple[int, int], ...] = ()  # where the abstract's math is, for the page to typeset

    @property
    def last_featured(self) -> dt.date:
        return self.dates[-1]

    @property
    def url(self) -> str:
        return f"papers/{self.slug}/"


@dataclass(frozen=True)
class Correction:
    """A contributor's change to one paper's tags, from content/corrections/<slug>.yml."""

    slug: str
    file: str
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    reason: str = ""
    lines: tuple[tuple[str, int], ...] = ()  # ("add:<tag>", line) for error messages

    def line(self, item: str) -> int:
        return dict(self.lines).get(item, 1)


@dataclass(frozen=True)
class Day:
    """Everything featured on one date: its digests merged, each paper once, in digest order."""

    date: dt.date
    slugs: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Archive:
    papers: tuple[Paper, ...]  # sorted by slug
    days: tuple[Day, ...]  # oldest first
    tags: tuple[Tag, ...]  # vocabulary order
