"""Automatic tags from transparent rules (content/tagging/rules.yml), then contributor corrections.

A rule term is a phrase matched case-insensitively on word boundaries; a trailing `*` matches any
word ending (`quantiz*` matches "quantization") and a leading one any beginning of a single word
(`*bench` matches "MMBench", the suffix benchmarks are named with). Hyphens count as spaces. Each tag has `strong`
and `weak` terms; a paper's score for a tag adds the weight of every term found, times the weight
of the field it was found in, counting up to `max_count` occurrences. A tag applies when its score
reaches `threshold`. Where terms overlap in the text, the longest one is counted.

Matching works on word tokens with a dictionary from first word to terms (one regex alternation
of hundreds of terms was 500x slower), caching the candidates of each distinct word.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .errors import Problem
from .models import Correction, Match, TagDecision
from .safeyaml import LineDict, load

FIELDS = ("title", "abstract", "keywords")
KINDS = ("strong", "weak")


class TermMatcher:
    """Finds rule terms in text: longest match first, no overlaps."""

    def __init__(self, terms: list[str]):
        self._exact: dict[str, list[tuple[tuple[str, ...], bool, str]]] = defaultdict(list)
        self._prefix: dict[str, list[tuple[tuple[str, ...], bool, str]]] = defaultdict(list)
        self._suffixes = [(term[1:], ((term[1:],), False, term)) for term in terms if term.startswith("*")]
        for term in terms:
            if term.startswith("*"):
                continue
            words, is_prefix = tuple(term.rstrip("*").split()), term.endswith("*")
            target = self._prefix if is_prefix and len(words) == 1 else self._exact
            target[words[0]].append((words, is_prefix, term))
        self._lengths = sorted({len(k) for k in self._prefix})
        self._cache: dict[str, list[tuple[tuple[str, ...], bool, str]]] = {}

    def _candidates(self, word: str) -> list[tuple[tuple[str, ...], bool, str]]:
        found = self._cache.get(word)
        if found is None:
            found = list(self._exact.get(word, ()))
            found += [c for n in self._lengths if n <= len(word) for c in self._prefix.get(word[:n], ())]
            found += [c for suffix, c in self._suffixes if word.endswith(suffix)]
            found.sort(key=lambda c: (-len(c[0]), -len(c[2])))
            self._cache[word] = found
        return found

    def find(self, text: str) -> list[str]:
        tokens = re.findall(r"\w+", normalise(text))
        found, i = [], 0
        while i < len(tokens):
            candidates = self._cache.get(tokens[i])  # most words are cached: no call (an archive has millions)
            for words, is_prefix, term in self._candidates(tokens[i]) if candidates is None else candidates:
                # A one-word candidate matches by construction: it is the word, or a prefix of it.
                if len(words) == 1 or _matches(tokens, i, words, is_prefix):
                    found.append(term)
                    i += len(words)
                    break
            else:
                i += 1
        return found


def _matches(tokens: list[str], i: int, words: tuple[str, ...], is_prefix: bool) -> bool:
    last = i + len(words) - 1
    if last >= len(tokens):
        return False
    if not is_prefix:
        return tuple(tokens[i:last + 1]) == words  # compared in C: this runs for every candidate
    return tuple(tokens[i:last]) == words[:-1] and tokens[last].startswith(words[-1])


@dataclass(frozen=True)
class Rules:
    threshold: float
    kind_weights: dict[str, float]
    field_weights: dict[str, float]
    max_count: int
    terms: dict[str, tuple[tuple[str, str], ...]]  # term -> ((tag, kind), ...)
    matcher: TermMatcher


def normalise(text: str) -> str:
    return re.sub(r"[-_/]+", " ", text.casefold())


def read_rules(text: str, file: str, tag_slugs: set[str]) -> tuple[Rules | None, list[Problem]]:
    data, problems = load(text, file)
    if not isinstance(data, LineDict) or not isinstance(data.get("tags"), LineDict):
        shape = [] if problems else [Problem(file, 1, "expected 'threshold', weights and a 'tags' mapping")]
        return None, problems + shape  # a YAML error already says what is wrong
    terms: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for tag, spec in data["tags"].items():
        line = data["tags"].lines[tag]
        if tag not in tag_slugs:
            problems.append(Problem(file, line, f"unknown tag '{tag}': rules may only use tags of content/taxonomy.yml"))
            continue
        if not isinstance(spec, LineDict) or not set(spec) <= set(KINDS):
            problems.append(Problem(file, line, f"tag '{tag}' needs lists named {' and '.join(KINDS)}"))
            continue
        for kind, words in spec.items():
            for word in words or ():
                if not isinstance(word, str) or not normalise(word.strip("*")).split():
                    problems.append(Problem(file, spec.lines[kind], f"term {word!r} of '{tag}' must be a phrase"))
                elif word.startswith("*") and (word.endswith("*") or len(word.split()) > 1):
                    problems.append(Problem(file, spec.lines[kind],
                                            f"term {word!r} of '{tag}': a leading * is for one word with no trailing *"))
                else:
                    terms[" ".join(normalise(word).split())].append((tag, kind))
    try:
        rules = Rules(
            threshold=float(data["threshold"]),
            kind_weights={k: float(data["kind_weights"][k]) for k in KINDS},
            field_weights={f: float(data["field_weights"][f]) for f in FIELDS},
            max_count=int(data["max_count"]),
            terms={t: tuple(v) for t, v in terms.items()},
            matcher=TermMatcher(list(terms)))
    except (KeyError, TypeError, ValueError) as exc:
        return None, problems + [Problem(file, 1, f"rules settings are incomplete or not numbers: {exc}")]
    return (None if problems else rules), problems


def score(rules: Rules, title: str, abstract: str, keywords: tuple[str, ...]) -> list[TagDecision]:
    """Every tag with a non-zero score, with its evidence, best first."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for field, text in zip(FIELDS, (title, abstract, " ; ".join(keywords))):
        for term in rules.matcher.find(text):
            counts[(term, field)] += 1
    matches: dict[str, list[Match]] = defaultdict(list)
    for (term, field), count in sorted(counts.items()):
        for tag, kind in rules.terms[term]:
            weight = rules.kind_weights[kind] * rules.field_weights[field] * min(count, rules.max_count)
            matches[tag].append(Match(term=term, field=field, weight=weight))
    decisions = [TagDecision(tag, "rules", sum(m.weight for m in found), tuple(found))
                 for tag, found in matches.items()]
    return sorted(decisions, key=lambda d: (-d.score, d.tag))


def apply_correction(decisions: tuple[TagDecision, ...], correction: Correction | None) -> tuple[TagDecision, ...]:
    """Corrections apply after the rules and always win."""
    if correction is None:
        return decisions
    kept = [d for d in decisions if d.tag not in correction.remove]
    have = {d.tag for d in kept}
    note = f"added by {correction.file}" + (f": {correction.reason}" if correction.reason else "")
    kept += [TagDecision(tag, "correction", note=note) for tag in correction.add if tag not in have]
    return tuple(kept)
