"""Machine-readable and human-readable views of papers: JSON Lines export, tag explanations."""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Iterable, Iterator

from .links import paper_urls
from .models import Paper
from .classifier import THRESHOLD, Tagger, decide, neighbours, probabilities, signals
from .tagging import score

NEAR = 0.3  # `archive explain` lists tags this probable as near misses


def paper_record(paper: Paper) -> dict:
    meta = asdict(paper.meta)
    record = {"slug": paper.slug, "title": paper.title, "abstract": paper.abstract,
              "tags": sorted(paper.tags), "dates": [d.isoformat() for d in paper.dates],
              "url": paper.url, "links": paper_urls(paper), "arxiv_id": meta.pop("arxiv_id")}
    record.update({k: list(v) if isinstance(v, tuple) else v for k, v in meta.items()})
    return record


def json_lines(papers: Iterable[Paper]) -> Iterator[str]:
    for paper in sorted(papers, key=lambda p: p.slug):
        yield json.dumps(paper_record(paper), ensure_ascii=False, sort_keys=True)


def explain(paper: Paper, tagger: Tagger) -> str:
    """Each tag with the evidence that gave it, then the near misses."""
    text = (paper.title, paper.abstract, paper.meta.ai_keywords)
    rules = tagger.rules
    learned = tagger.classifier is not None
    lines = [f"{paper.title}", f"papers/{paper.slug}/  tags: {', '.join(paper.tags) or 'none'}",
             f"a tag applies at probability {THRESHOLD:g} (classifier learned from content/tagging/labels.yml)"
             if learned else f"a tag applies at rule score {rules.threshold:g}"]
    if similar := neighbours(tagger, text):
        lines.append("most similar labelled papers (their tags count as votes):")
        lines += [f"      {share:.2f}  {title} [{', '.join(tags) or 'no tags'}]" for share, title, tags in similar]
    for decision in paper.evidence:
        if decision.source == "correction":
            lines.append(f"  + {decision.tag}: {decision.note}")
            continue
        chance = f"probability {decision.probability:.2f}, " if decision.probability is not None else ""
        lines.append(f"  + {decision.tag}: {chance}rule score {decision.score:g}")
        lines += [f"      {m.weight:>4g}  '{m.term}' in {m.field}" for m in decision.matches]
        if learned:
            lines.append("      learned signals: " + _signals(tagger, text, decision.tag))
    chances = probabilities(tagger, text)
    found = {d.tag: d for d in score(rules, *text)}
    automatic = {d.tag for d in decide(tagger, [text])[0]}
    for slug in sorted(set(found) | {s for s, p in chances.items() if p >= NEAR}, key=lambda s: (-chances.get(s, 0), s)):
        if slug in paper.tags:
            continue
        why = "removed by a correction" if slug in automatic else "below the threshold"
        chance = f"probability {chances[slug]:.2f}, " if slug in chances else ""
        terms = ", ".join(f"'{m.term}' in {m.field}" for m in found[slug].matches) if slug in found else "no rule term"
        lines.append(f"  - {slug}: {chance}rule score {found[slug].score if slug in found else 0:g}, {why} ({terms})")
    return "\n".join(lines)


def _signals(tagger: Tagger, text, slug: str) -> str:
    return ", ".join(f"{name} +{weight:g}" for name, weight in signals(tagger, text, slug)) or "none"
