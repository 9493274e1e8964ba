"""Reads everything under content/ (the only place that does), validates it all, builds the Archive."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import archive as archiving
from . import incremental as stages
from .config import Project, SiteSettings, read_settings
from .corrections import check_papers, read_correction
from .errors import ContentError, Problem, UserError, errors_only
from .models import Archive, Correction, Digest, Tag
from .readers import decode, read_dates, read_json_digest, read_labels, read_taxonomy, read_text_digest
from .classifier import Tagger, train
from .tagging import Rules, read_rules

DIGEST_SUFFIXES = (".txt", ".json")


@dataclass(frozen=True)
class Loaded:
    archive: Archive
    tagger: Tagger
    corrections: dict[str, Correction]
    settings: SiteSettings
    problems: tuple[Problem, ...]  # warnings only; errors raise ContentError


def _text(project: Project, path: Path, problems: list[Problem]) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(project.relative(path), 0, f"cannot read: {exc.strerror}"))
        return None
    text, found = decode(data, project.relative(path))
    problems += found
    return text


def read_vocabulary(project: Project, problems: list[Problem]) -> tuple[list[Tag], Rules | None]:
    tags: list[Tag] = []
    if (text := _text(project, project.taxonomy, problems)) is not None:
        tags, found = read_taxonomy(text, project.relative(project.taxonomy))
        problems += found
    rules = None
    if (text := _text(project, project.rules, problems)) is not None:
        rules, found = read_rules(text, project.relative(project.rules), {t.slug for t in tags})
        problems += found
    return tags, rules


def read_tagger(project: Project, problems: list[Problem]) -> tuple[list[Tag], Tagger | None]:
    """The vocabulary, and the tagger: the rules, trained on the labelled papers if there are any.
    Labels that a cached tagger was trained on are not read again (incremental.trained)."""
    tags, rules = read_vocabulary(project, problems)
    if rules is None or errors_only(problems):
        return tags, None

    def learn() -> Tagger | None:
        labelled = []
        if project.labels.exists() and (text := _text(project, project.labels, problems)) is not None:
            labelled, found = read_labels(text, project.relative(project.labels), {t.slug for t in tags})
            problems.extend(found)
        return None if errors_only(problems) else train(rules, [t.slug for t in tags], labelled)
    return tags, stages.trained(project, learn)


def read_digests(project: Project, problems: list[Problem]) -> list[Digest]:
    dates = {}
    if project.dates_file.exists() and (text := _text(project, project.dates_file, problems)) is not None:
        dates, found = read_dates(text, project.relative(project.dates_file))
        problems += found
    digests = []
    files = sorted(p for p in project.digests.iterdir() if p.suffix in DIGEST_SUFFIXES)
    for name in sorted(set(dates) - {p.name for p in files}):
        problems.append(Problem(project.relative(project.dates_file), 0,
                                f"'{name}' is listed but content/digests/{name} does not exist: remove the line"))
    for path in files:
        if (text := _text(project, path, problems)) is None:
            continue
        file = project.relative(path)
        if path.suffix == ".txt":
            digest, found = read_text_digest(text, file, dates.get(path.name))
        else:
            digest, found = read_json_digest(text, file)
        problems += found
        if digest:
            digests.append(digest)
    return digests


def read_corrections(project: Project, tag_slugs: list[str], problems: list[Problem]) -> dict[str, Correction]:
    corrections = {}
    if not project.corrections.is_dir():
        return corrections
    for path in sorted(project.corrections.iterdir()):
        file = project.relative(path)
        if path.suffix not in (".yml", ".yaml"):
            if path.name != "README.md":
                problems.append(Problem(file, 0, "corrections are YAML files named <paper-slug>.yml"))
            continue
        correction, found = read_correction(path.read_bytes(), file, path.stem, tag_slugs)
        problems += found
        if correction:
            corrections[correction.slug] = correction
    return corrections


def load(project: Project, known_tags: dict[str, tuple] | None = None) -> Loaded:
    """Read and validate all content; raise ContentError listing every error found.

    `known_tags` is a cache of the tagger's decisions for archive.tag, kept by the caller.
    """
    problems: list[Problem] = []
    tags, tagger = read_tagger(project, problems)
    digests = read_digests(project, problems)
    corrections = read_corrections(project, [t.slug for t in tags], problems)
    settings = read_settings(project.mkdocs_yml.read_text(encoding="utf-8"))
    if errors_only(problems) or tagger is None:
        raise ContentError(problems)
    merged, days = archiving.merge(digests)
    papers = archiving.tag(merged, tagger, known_tags)
    problems += check_papers(list(corrections.values()), {p.slug: p for p in papers})
    if errors_only(problems):
        raise ContentError(problems)
    built = archiving.build_archive(days, tags, archiving.correct(papers, corrections))
    return Loaded(built, tagger, corrections, settings, tuple(sorted(problems)))


def read_text_file(path: Path) -> str:
    """A UTF-8 file named on the command line, or a one-line error naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None
    text, problems = decode(data, str(path))
    if text is None:
        raise ContentError(problems)
    return text
