"""Precision, recall and F1 of the automatic tagger against hand labels."""
from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import Problem


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(gold: list[frozenset[str]], predicted: list[frozenset[str]],
             tags: list[str]) -> tuple[dict[str, Score], Score]:
    """Per-tag scores and the micro-average over all tags."""
    per_tag = {}
    for tag in tags:
        tp = sum(1 for g, p in zip(gold, predicted) if tag in g and tag in p)
        fp = sum(1 for g, p in zip(gold, predicted) if tag not in g and tag in p)
        fn = sum(1 for g, p in zip(gold, predicted) if tag in g and tag not in p)
        per_tag[tag] = Score(tp, fp, fn)
    micro = Score(*(sum(getattr(s, f) for s in per_tag.values()) for f in ("tp", "fp", "fn")))
    return per_tag, micro


def format_report(name: str, per_tag: dict[str, Score], micro: Score, papers: int, note: str = "") -> str:
    lines = [f"{name}: {papers} papers{note}",
             f"{'tag':<24}{'support':>8}{'precision':>11}{'recall':>8}{'F1':>7}"]
    for tag, s in per_tag.items():
        lines.append(f"{tag:<24}{s.support:>8}{s.precision:>11.3f}{s.recall:>8.3f}{s.f1:>7.3f}")
    lines.append(f"{'micro-average':<24}{micro.support:>8}{micro.precision:>11.3f}"
                 f"{micro.recall:>8.3f}{micro.f1:>7.3f}")
    return "\n".join(lines)


def run_eval(project, labels_path, split: str | None, rules_only: bool = False) -> str:
    """Score the project's tagger on a labels file; one report per split, then all."""
    from .classifier import decide
    from .content import read_tagger, read_text_file
    from .errors import ContentError, UserError
    from .readers import read_labels
    problems: list[Problem] = []
    tags, tagger = read_tagger(project, problems)
    labelled, found = read_labels(read_text_file(labels_path), str(labels_path), {t.slug for t in tags})
    problems += found
    if tagger is None or [p for p in problems if p.level == "error"]:
        raise ContentError(problems)
    if rules_only:
        tagger = replace(tagger, classifier=None)
    learned = tagger.classifier is not None and labels_path.resolve() == project.labels.resolve()
    splits = [split] if split else sorted({item.split for item in labelled}) + ["all"]
    reports = []
    for name in splits:
        chosen = [item for item in labelled if name in ("all", item.split)]
        if not chosen:
            raise UserError(f"no labelled papers in split '{name}' of {labels_path}")
        decided = decide(tagger, [(i.title, i.abstract, i.keywords) for i in chosen])
        per_tag, micro = evaluate([i.tags for i in chosen], [frozenset(d.tag for d in ds) for ds in decided],
                                  [t.slug for t in tags])
        seen = learned and name != "holdout"
        note = " (the classifier learned from the tune papers: optimistic)" if seen else ""
        reports.append(format_report(name, per_tag, micro, len(chosen), note))
    return "\n\n".join(reports)
