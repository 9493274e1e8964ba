"""The automatic tagger: the rules' scores, weighed by a classifier learned from hand-labelled papers.

The rules (tagging.py) know a tag's words; they cannot know when those words mislead (an agent
paper that mentions LLMs is not about LLMs; a paper benchmarked on ImageNet is not about vision).
So for each tag a logistic regression reads the paper's words (TF-IDF of the abstract and of the
title, counted three times), every tag's rule score, and the votes of its most similar labelled
papers (what share of them carry each tag), and learns from the labelled papers of
content/tagging/labels.yml whose split is `tune`. A tag applies when its probability reaches
THRESHOLD. Without labelled papers the rules decide alone, at their own threshold.

scikit-learn does the learning: well kept, already used for related papers, and deterministic.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from .models import Labelled, TagDecision
from .tagging import Rules, score

THRESHOLD = 0.6  # chosen, like C, by 5-fold cross-validation on the tune split, never on the holdout
C = 16.0
TITLE_REPEATS = 3
RULE_SCALE = 10.0  # rule scores enter as score / RULE_SCALE, capped at RULE_CAP
RULE_CAP = 3.0
EXPLAINED = 6  # the strongest signals `archive explain` shows for a tag
NEIGHBOURS = 15  # the most similar tune papers that vote, each weighed by its similarity
CHUNK = 1000  # papers compared at a time: 50,000 against 3,000 tune papers at once would take 1.2 GB


@dataclass(frozen=True)
class Classifier:
    vectorizer: TfidfVectorizer
    examples: csr_matrix  # the tune papers' words, to find a paper's most similar ones
    titles: tuple[str, ...]  # the tune papers' titles, to name them in `archive explain`
    tagged: np.ndarray  # the tune papers' tags: a row each, a column per slug (0 or 1)
    models: dict[str, LogisticRegression]  # a tag that no tune paper, or every one, has is left to the rules


@dataclass(frozen=True)
class Tagger:
    rules: Rules
    slugs: tuple[str, ...]  # vocabulary order: the rule-score features
    classifier: Classifier | None


Text = tuple[str, str, tuple[str, ...]]  # title, abstract, keywords


def train(rules: Rules, slugs: list[str], labelled: list[Labelled]) -> Tagger:
    examples = [item for item in labelled if item.split == "tune"]
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=min(2, len(examples) or 1))
    try:
        words = vectorizer.fit_transform([_words(i.title, i.abstract) for i in examples])
    except ValueError:  # no tune papers, or no word in them to learn from: the rules decide alone
        return Tagger(rules, tuple(slugs), None)
    scores = [score(rules, i.title, i.abstract, i.keywords) for i in examples]
    tagged = np.array([[slug in item.tags for slug in slugs] for item in examples], dtype=float)
    votes = _votes(words, words, tagged, themselves=True)
    features = hstack([words, _rule_features(scores, slugs), csr_matrix(votes)]).tocsr()
    models = {}
    for slug, column in zip(slugs, tagged.T):
        wanted = column.astype(bool)
        if 0 < wanted.sum() < len(wanted):  # a tag every or no tune paper has is left to the rules
            models[slug] = LogisticRegression(C=C, class_weight="balanced", solver="liblinear",
                                              random_state=0, max_iter=1000).fit(features, wanted)
    return Tagger(rules, tuple(slugs), Classifier(vectorizer, words, tuple(i.title for i in examples), tagged, models))


def decide(tagger: Tagger, texts: list[Text]) -> list[tuple[TagDecision, ...]]:
    """The automatic tags of each text, with the rules' evidence and the classifier's probability."""
    scores = [score(tagger.rules, *text) for text in texts]
    if tagger.classifier is None or not texts:
        return [tuple(d for d in found if d.score >= tagger.rules.threshold) for found in scores]
    probabilities = _probabilities(tagger, texts, scores)
    decided = []
    for found, row in zip(scores, probabilities):
        by_tag = {d.tag: d for d in found}
        learned = [replace(by_tag.get(slug, TagDecision(slug, "rules")), probability=round(p, 3))
                   for slug, p in sorted(row.items(), key=lambda kv: (-kv[1], kv[0])) if p >= THRESHOLD]
        ruled = [d for d in found if d.tag not in row and d.score >= tagger.rules.threshold]
        decided.append(tuple(learned + ruled))
    return decided


def probabilities(tagger: Tagger, text: Text) -> dict[str, float]:
    """Every tag's probability for one text (empty without a classifier)."""
    if tagger.classifier is None:
        return {}
    return _probabilities(tagger, [text], [score(tagger.rules, *text)])[0]


def signals(tagger: Tagger, text: Text, slug: str) -> list[tuple[str, float]]:
    """What pushed `slug`'s probability up most for this text: words and rule scores, by weight."""
    classifier = tagger.classifier
    if classifier is None or slug not in classifier.models:
        return []
    row = _features(tagger, [text], [score(tagger.rules, *text)]).getrow(0).tocoo()
    names = [f"word '{w}'" for w in classifier.vectorizer.get_feature_names_out()]
    names += [f"rule score of {s}" for s in tagger.slugs]
    names += [f"similar labelled papers tagged {s}" for s in tagger.slugs]
    weights = classifier.models[slug].coef_[0]
    pushed = sorted(((names[i], value * weights[i]) for i, value in zip(row.col, row.data)),
                    key=lambda kv: (-kv[1], kv[0]))
    return [(name, round(float(w), 2)) for name, w in pushed[:EXPLAINED] if w > 0]


def neighbours(tagger: Tagger, text: Text, count: int = 3) -> list[tuple[float, str, tuple[str, ...]]]:
    """The labelled papers most similar to a text, whose tags vote for its own: similarity, title, tags."""
    classifier = tagger.classifier
    if classifier is None:
        return []
    words = classifier.vectorizer.transform([_words(text[0], text[1])])
    similar = (words @ classifier.examples.T).toarray()[0]
    nearest = sorted(range(len(similar)), key=lambda i: (-similar[i], i))[:count]
    return [(round(float(similar[i]), 2), classifier.titles[i],
             tuple(s for s, has in zip(tagger.slugs, classifier.tagged[i]) if has)) for i in nearest if similar[i] > 0]


def _probabilities(tagger: Tagger, texts: list[Text], scores: list[list[TagDecision]]) -> list[dict[str, float]]:
    features = _features(tagger, texts, scores)
    columns = {slug: model.predict_proba(features)[:, 1] for slug, model in tagger.classifier.models.items()}
    return [{slug: float(values[i]) for slug, values in columns.items()} for i in range(len(texts))]


def _features(tagger: Tagger, texts: list[Text], scores: list[list[TagDecision]]) -> csr_matrix:
    classifier = tagger.classifier
    words = classifier.vectorizer.transform([_words(title, abstract) for title, abstract, _ in texts])
    votes = _votes(words, classifier.examples, classifier.tagged)
    return hstack([words, _rule_features(scores, tagger.slugs), csr_matrix(votes)]).tocsr()


def _votes(words: csr_matrix, examples: csr_matrix, tagged: np.ndarray, themselves: bool = False) -> np.ndarray:
    """For each paper, the share of its NEIGHBOURS most similar tune papers that carry each tag,
    weighed by cosine similarity. A tune paper learning from its own votes must not count itself."""
    votes = np.zeros((words.shape[0], tagged.shape[1]))
    count = min(NEIGHBOURS, examples.shape[0] - themselves)
    if count < 1:
        return votes
    for start in range(0, words.shape[0], CHUNK):
        similar = (words[start:start + CHUNK] @ examples.T).toarray()
        if themselves:
            rows = np.arange(similar.shape[0])
            similar[rows, start + rows] = -1.0
        nearest = np.argpartition(-similar, count - 1, axis=1)[:, :count]  # unordered: only their sum counts
        weights = np.clip(np.take_along_axis(similar, nearest, axis=1), 0.0, None)
        totals = weights.sum(axis=1, keepdims=True)
        shares = np.einsum("pk,pkt->pt", weights, tagged[nearest])
        votes[start:start + CHUNK] = shares / np.where(totals > 0, totals, 1.0)
    return votes


def _rule_features(scores: list[list[TagDecision]], slugs) -> csr_matrix:
    column = {slug: i for i, slug in enumerate(slugs)}
    matrix = np.zeros((len(scores), len(slugs)))
    for row, found in enumerate(scores):
        for decision in found:
            matrix[row, column[decision.tag]] = min(decision.score / RULE_SCALE, RULE_CAP)
    return csr_matrix(matrix)


def _words(title: str, abstract: str) -> str:
    return f"{title} " * TITLE_REPEATS + abstract
