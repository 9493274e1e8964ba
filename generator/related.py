"""Related papers: the k papers of highest TF-IDF cosine similarity over title and abstract.

An all-pairs product of TF-IDF vectors is nearly dense (common words link almost every pair of
abstracts) and its cost grows with the square of the archive. While it is cheap it is computed
exactly; past EXACT_BUDGET each paper's strongest terms find its candidates instead. Either way the
candidates are ranked by their exact cosine over the full vectors, a block of rows at a time, so
memory stays bounded by the block size: no N x N matrix is ever held.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .models import Paper

K = 5
EXACT_BUDGET = 2 * 10**8  # multiply-adds of an all-pairs product: a second or two
TERMS = 32  # past the budget, a paper's most weighted terms find its candidates
CANDIDATES = 50  # per paper, ranked by exact cosine
BLOCK = 512  # rows per sparse product, which holds up to BLOCK x papers scores
DECIMALS = 5  # scores are rounded so that near-equal floats tie, and ties go by slug on any machine
SCORE_BITS, INDEX_BITS = 17, 24  # sort-key fields: rounded scores < 2**17, papers or terms < 2**24


def vectors(papers: Sequence[Paper], analyzed: dict[bytes, str] | None = None) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows; the title is counted twice, as it says most about the subject.

    `analyzed` keeps each text's words between builds (a third of this module's time at 50,000
    papers): it is filled with the new texts' and emptied of those no longer in the archive."""
    texts = [f"{p.title}. {p.title}. {p.abstract}" for p in papers]
    analyzed = {} if analyzed is None else analyzed
    keys = [hashlib.blake2b(text.encode(), digest_size=16).digest() for text in texts]
    words = TfidfVectorizer(stop_words="english").build_analyzer()
    for key in set(analyzed) - set(keys):
        del analyzed[key]
    for key, text in zip(keys, texts):
        if key not in analyzed:
            analyzed[key] = " ".join(words(text))  # a word never holds a space
    # The same words, so the same vocabulary, weights and rows as analysing the texts here.
    vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, dtype=np.float32)
    return vectorizer.fit_transform([analyzed[key] for key in keys]).tocsr()


def best_per_row(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of each row's k best positive pairs, best first; equal rounded scores go to the lower col."""
    quantized = np.rint(scores.astype(np.float64) * 10**DECIMALS).astype(np.int64)
    positions = np.flatnonzero(quantized > 0)
    # One integer key per pair sorts by row, then score descending, then col: far faster than lexsort.
    key = (rows[positions].astype(np.int64) << SCORE_BITS | (2**SCORE_BITS - 1 - quantized[positions]))
    positions = positions[np.argsort(key << INDEX_BITS | cols[positions])]
    ranked = rows[positions]
    return positions[np.arange(len(positions)) - np.searchsorted(ranked, ranked) < k]


def row_ids(matrix: sp.csr_matrix) -> np.ndarray:
    return np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))


def candidate_vectors(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """The full vectors while an all-pairs product is cheap, else each row's TERMS strongest terms."""
    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.int64)
    if int(frequency @ frequency) <= EXACT_BUDGET:
        return matrix
    rows = row_ids(matrix)
    kept = best_per_row(rows, matrix.indices, matrix.data, TERMS)
    return sp.csr_matrix((matrix.data[kept], (rows[kept], matrix.indices[kept])), shape=matrix.shape)


def candidates(shared: sp.csr_matrix, start: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) pairs: each row's CANDIDATES highest-scoring columns but itself."""
    rows, cols = [], []
    for local in range(shared.shape[0]):
        lo, hi = shared.indptr[local], shared.indptr[local + 1]
        found, scores = shared.indices[lo:hi], shared.data[lo:hi]
        other = found != start + local  # a paper is not related to itself
        found, scores = found[other], scores[other]
        if len(found) > CANDIDATES:  # a partial sort per row: far faster than sorting the block
            found = found[np.argpartition(scores, len(found) - CANDIDATES)[-CANDIDATES:]]
        rows.append(np.full(len(found), start + local))
        cols.append(found)
    return np.concatenate(rows), np.concatenate(cols)


def block_related(matrix: sp.csr_matrix, finder: sp.csr_matrix, finder_t: sp.csr_matrix,
                  start: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, related) index pairs for the rows of one block, best first within each row."""
    rows, cols = candidates((finder[start:start + BLOCK] @ finder_t).tocsr(), start)
    best = best_per_row(rows, cols, np.asarray(matrix[rows].multiply(matrix[cols]).sum(axis=1)).ravel(), k)
    return rows[best], cols[best]


def compute(papers: Sequence[Paper], k: int = K, analyzed: dict[bytes, str] | None = None) -> dict[str, tuple[str, ...]]:
    """Each paper's slug -> the slugs of its k most similar papers, most similar first.

    Deterministic: papers are numbered in slug order, so equal scores go to the smaller slug.
    """
    by_slug = {p.slug: p for p in papers}
    ordered = sorted(by_slug)
    related: dict[str, list[str]] = {slug: [] for slug in ordered}
    try:
        matrix = vectors([by_slug[slug] for slug in ordered], analyzed)
    except ValueError:  # no paper has a word that is not a stop word: nothing is related
        return {slug: () for slug in ordered}
    finder = candidate_vectors(matrix)
    finder_t = finder.T.tocsr()
    # SciPy's sparse products release Python's lock, so blocks run on two cores; map keeps their order.
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        blocks = pool.map(lambda start: block_related(matrix, finder, finder_t, start, k), range(0, len(ordered), BLOCK))
        for rows, cols in blocks:
            for row, col in zip(rows, cols):
                related[ordered[row]].append(ordered[col])
    return {slug: tuple(found) for slug, found in related.items()}
