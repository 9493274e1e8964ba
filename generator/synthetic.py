"""A synthetic archive of any size for `archive bench`, recombined from the seed digests.

Titles keep a seed title's subject after a made-up method name ("Velora: Scaling ..."); abstracts
are a seed abstract with about a third of its sentences swapped for another's, so the tagger sees
real text; every tenth paper also names a tag's terms in turn, so every tag is used.
About 60 papers a date, each date also featuring a few papers again from earlier dates. The same
size and seed always give the same archive.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import content, store
from .config import Project
from .models import Digest, Entry, SourceMeta

PER_DATE = (45, 75)  # papers first featured on a date: about 60
REFEATURED = (0, 6)  # papers of earlier dates featured again on a date
FIRST_DATE = dt.date(2024, 1, 1)
SWAPPED = 0.3  # share of a seed abstract's sentences swapped for another seed's
TOPIC_EVERY = 10  # every tenth paper also names two strong terms of the next tag in turn
SYLLABLES = ("ka", "lo", "ve", "ra", "mi", "to", "xe", "na", "qu", "sy", "dor", "phi", "lum", "zen",
             "tri", "ox", "gen", "al", "vi", "mo", "ter", "ion", "pix", "cor")
FIRST_NAMES = ("Wei", "Anna", "Rahul", "Sofia", "Kenji", "Amara", "Lukas", "Mei", "Omar", "Elena",
               "Jun", "Priya", "Diego", "Hana", "Tomas", "Yuki", "Nadia", "Chen", "Ivan", "Leila")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True)
class Seeds:
    subjects: tuple[str, ...]  # seed titles without their method name
    abstracts: tuple[tuple[str, ...], ...]  # each seed abstract as sentences
    tag_terms: tuple[tuple[str, ...], ...]  # each tag's strong rule terms, as plain words


def read_seeds(project: Project) -> Seeds:
    entries = [e for d in content.read_digests(project, []) for e in d.entries]
    subjects = tuple(dict.fromkeys(e.title.split(": ", 1)[-1] for e in entries))
    abstracts = tuple(tuple(SENTENCE.split(e.abstract)) for e in entries)
    tags, rules = content.read_vocabulary(project, [])
    strong = {t.slug: [term.rstrip("*") for term, uses in rules.terms.items() if (t.slug, "strong") in uses]
              for t in tags}
    return Seeds(subjects, abstracts, tuple(tuple(strong[t.slug]) for t in tags if strong[t.slug]))


def make_project(source: Project, destination: Path) -> Project:
    """The source project's config, theme, vocabulary and tagger, with no digests or corrections."""
    destination.mkdir(parents=True)
    shutil.copy2(source.mkdocs_yml, destination / "mkdocs.yml")
    shutil.copytree(source.overrides, destination / "overrides")
    project = Project(destination)
    project.rules.parent.mkdir(parents=True)
    shutil.copy2(source.taxonomy, project.taxonomy)
    shutil.copy2(source.rules, project.rules)
    if source.labels.is_file():
        shutil.copy2(source.labels, project.labels)
    if source.pages.is_dir():
        shutil.copytree(source.pages, project.pages)
    project.digests.mkdir()
    return project


class Generator:
    """Makes unique papers and dates them, deterministically from one random seed."""

    def __init__(self, seeds: Seeds, seed: int = 0):
        self.seeds = seeds
        self.rng = random.Random(seed)
        self.titles: set[str] = set()
        self.count = 0

    def name(self) -> str:
        word = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3)))
        return word.capitalize() + self.rng.choice(("", "", "", "-2", "++", "-XL"))

    def title(self) -> str:
        while True:
            title = f"{self.name()}: {self.rng.choice(self.seeds.subjects)}"
            if title.casefold() not in self.titles:
                self.titles.add(title.casefold())
                return title

    def abstract(self) -> str:
        main, other = self.rng.sample(self.seeds.abstracts, 2)
        sentences = [s if self.rng.random() > SWAPPED else self.rng.choice(other) for s in main]
        if self.count % TOPIC_EVERY == 0:  # the seeds alone may leave a tag unused
            terms = self.seeds.tag_terms[self.count // TOPIC_EVERY % len(self.seeds.tag_terms)]
            sentences.append(f"We also study {' and '.join(self.rng.sample(terms, min(2, len(terms))))}.")
        return " ".join(sentences)

    def entry(self, date: dt.date) -> Entry:
        self.count += 1
        authors = tuple(f"{self.rng.choice(FIRST_NAMES)} {self.name()}" for _ in range(self.rng.randint(2, 9)))
        github = f"https://github.com/{self.name().lower()}/{self.name().lower()}" if self.rng.random() < .3 else None
        meta = SourceMeta(arxiv_id=f"{date:%y%m}.{self.count % 100000:05d}", authors=authors,
                          upvotes=self.rng.randint(0, 300), github_repo=github,
                          github_stars=self.rng.randint(0, 5000) if github else None)
        return Entry(self.title(), self.abstract(), 0, meta)

    def digests(self, papers: int, start: dt.date = FIRST_DATE) -> list[Digest]:
        """Digests on consecutive dates from `start` introducing `papers` new papers in all."""
        digests: list[Digest] = []
        earlier: list[Entry] = []
        date = start
        while self.count < papers:
            fresh = [self.entry(date) for _ in range(min(self.rng.randint(*PER_DATE), papers - self.count))]
            again = self.rng.sample(earlier, min(len(earlier), self.rng.randint(*REFEATURED)))
            digests.append(Digest(f"{date.isoformat()}.json", date, tuple(fresh + again)))
            earlier += fresh
            date += dt.timedelta(days=1)
        return digests


def write_digests(project: Project, digests: list[Digest]) -> None:
    for digest in digests:
        (project.digests / digest.source).write_text(store.to_json(digest), encoding="utf-8")


def synthetic_project(source: Project, destination: Path, papers: int) -> tuple[Project, Generator]:
    """A project of `papers` synthetic papers; the generator can go on making more (a next digest)."""
    project = make_project(source, destination)
    generator = Generator(read_seeds(source), seed=papers)
    write_digests(project, generator.digests(papers))
    return project, generator


def next_digest(project: Project, generator: Generator, papers: int) -> Digest:
    """One more digest, the day after the newest, of `papers` new papers."""
    newest = max(dt.date.fromisoformat(p.stem) for p in project.digests.glob("*.json"))
    date = newest + dt.timedelta(days=1)
    digest = Digest(f"{date.isoformat()}.json", date, tuple(generator.entry(date) for _ in range(papers)))
    write_digests(project, [digest])
    return digest
