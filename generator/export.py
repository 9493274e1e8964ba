"""Machine-readable and human-readable views of papers: JSON Lines export, tag explanations."""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Iterable, Iterator

from .links import urls
from .models import Paper
from .tagging import Rules, score


def paper_record(paper: Paper) -> dict:
    meta = asdict(paper.meta)
    record = {"slug": paper.slug, "title": paper.title, "abstract": paper.abstract,
              "tags": sorted(paper.tags), "dates": [d.isoformat() for d in paper.dates],
              "url": paper.url, "links": urls(paper.abstract), "arxiv_id": meta.pop("arxiv_id")}
    record.update({k: list(v) if isinstance(v, tuple) else v for k, v in meta.items()})
    return record


def json_lines(papers: Iterable[Paper]) -> Iterator[str]:
    for paper in sorted(papers, key=lambda p: p.slug):
        yield json.dumps(paper_record(paper), ensure_ascii=False, sort_keys=True)


def explain(paper: Paper, rules: Rules) -> str:
    """Each tag with the evidence that gave it, then the near misses."""
    lines = [f"{paper.title}", f"papers/{paper.slug}/  tags: {', '.join(paper.tags) or 'none'}",
             f"rule threshold: {rules.threshold:g}"]
    for decision in paper.evidence:
        if decision.source == "correction":
            lines.append(f"  + {decision.tag}: {decision.note}")
        else:
            lines.append(f"  + {decision.tag}: score {decision.score:g} from rules")
            lines += [f"      {m.weight:>4g}  '{m.term}' in {m.field}" for m in decision.matches]
    for decision in score(rules, paper.title, paper.abstract, paper.meta.ai_keywords):
        if decision.tag in paper.tags:
            continue
        terms = ", ".join(f"'{m.term}' in {m.field}" for m in decision.matches)
        why = "removed by a correction" if decision.score >= rules.threshold else "below the threshold"
        lines.append(f"  - {decision.tag}: score {decision.score:g}, {why} ({terms})")
    return "\n".join(lines)
