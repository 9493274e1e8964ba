"""Contributor tag corrections: one small YAML file per paper, content/corrections/<slug>.yml."""
from __future__ import annotations

import difflib

from .errors import Problem
from .models import Correction, Paper
from .readers import decode
from .safeyaml import LineDict, LineList, load

MAX_BYTES = 64 * 1024
KEYS = ("add", "remove", "reason")


def read_correction(data: bytes, file: str, slug: str, tag_slugs: list[str]) -> tuple[Correction | None, list[Problem]]:
    """Parse and validate one correction file on its own (the paper is checked by `check_papers`)."""
    if len(data) > MAX_BYTES:
        return None, [Problem(file, 0, f"file is {len(data)} bytes, over the {MAX_BYTES} byte limit: "
                                       "a correction only needs 'add', 'remove' and a short 'reason'")]
    text, problems = decode(data, file)
    if text is None:
        return None, problems
    parsed, problems = load(text, file)
    if parsed is None and not problems:
        return None, [Problem(file, 1, "empty correction: add 'add: [tag]' and/or 'remove: [tag]'")]
    if parsed is None:
        return None, problems
    if not isinstance(parsed, LineDict):
        return None, problems + [Problem(file, 1, "expected a mapping with 'add', 'remove' and 'reason'")]
    for key in parsed:
        if key not in KEYS:
            problems.append(Problem(file, parsed.lines[key], f"unknown key '{key}': use {', '.join(KEYS)}"))
    add = _tag_list(parsed, "add", file, tag_slugs, problems)
    remove = _tag_list(parsed, "remove", file, tag_slugs, problems)
    reason = parsed.get("reason", "")
    if reason is None or not isinstance(reason, str):
        problems.append(Problem(file, parsed.lines["reason"], "'reason' must be text: put it in quotes"))
    for tag in sorted(set(add) & set(remove)):
        problems.append(Problem(file, parsed.lines["remove"], f"tag '{tag}' is both added and removed: keep one"))
    if not add and not remove and not problems:
        problems.append(Problem(file, 1, "the correction changes nothing: list tags under 'add' or 'remove'"))
    if any(p.level == "error" for p in problems):
        return None, problems
    lines = tuple((f"{key}:{tag}", line) for key in ("add", "remove") if key in parsed
                  for tag, line in zip(parsed[key], parsed[key].lines))
    return Correction(slug=slug, file=file, add=tuple(add), remove=tuple(remove), reason=reason,
                      lines=lines), problems


def _tag_list(parsed: LineDict, key: str, file: str, tag_slugs: list[str], problems: list[Problem]) -> list[str]:
    if key not in parsed:
        return []
    value = parsed[key]
    if not isinstance(value, LineList) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(file, parsed.lines[key], f"'{key}' must be a list of tag slugs, "
                                                         f"like '{key}: [inference]'"))
        return []
    tags = []
    for tag, line in zip(value, value.lines):
        if tag not in tag_slugs:
            problems.append(Problem(file, line, f"unknown tag '{tag}'{_closest(tag, tag_slugs)}: "
                                                "tags are listed in content/taxonomy.yml"))
        elif tag in tags:
            problems.append(Problem(file, line, f"tag '{tag}' is listed twice under '{key}'"))
        else:
            tags.append(tag)
    return tags


def _closest(word: str, choices: list[str]) -> str:
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f" (did you mean '{found[0]}'?)" if found else ""


def check_papers(corrections: list[Correction], papers: dict[str, Paper]) -> list[Problem]:
    """Corrections must name an existing paper; a change that changes nothing is a warning."""
    problems = []
    for c in corrections:
        paper = papers.get(c.slug)
        if paper is None:
            problems.append(Problem(c.file, 1, f"unknown paper slug '{c.slug}'{_closest(c.slug, list(papers))}: "
                                               "name the file after the paper's URL, papers/<slug>/"))
            continue
        for tag in c.add:
            if tag in paper.tags:
                problems.append(Problem(c.file, c.line(f"add:{tag}"), f"'{c.slug}' already has tag '{tag}': remove it from 'add'",
                                        "warning"))
        for tag in c.remove:
            if tag not in paper.tags:
                problems.append(Problem(c.file, c.line(f"remove:{tag}"), f"'{c.slug}' does not have tag '{tag}': remove it from "
                                                   "'remove'", "warning"))
    return problems
