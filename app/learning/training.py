"""Training a ``TextModel`` from labelled items (scikit-learn; only the worker and the benches
import this module).

Method, written down for every model version in its ``meta["method"]``:

1. Features (app/learning/features.py) but the families of ``DROP`` (character n-grams), kept
   when at least ``MIN_DF`` training items have them
   (at most ``MAX_FEATURES``, the most frequent); TF-IDF with sublinear term frequency and smooth
   idf, rows L2-normalized.
2. One logistic regression per label (one-vs-rest), L2, ``class_weight="balanced"`` (an agency's
   items are a few per cent of the news), trained on the items that carry that label: a decision
   about one agency says nothing about another (the caller decides which implicit negatives to
   give).
3. Calibration: the scores of a stratified k-fold cross-validation over the training items give
   the Platt scaling (a logistic fit of label on score) and the routing threshold: the lowest
   calibrated probability at which the cross-validated predictions reach ``precision`` with at
   least ``MIN_ROUTED`` true positives (5 folds; 3 from ``LARGE`` items). A label that never reaches it routes nothing (``inf``):
   it only suggests. The final model is fitted on all its training items.
4. A label with fewer than ``MIN_POSITIVES`` positives or negatives is not learnt (probability 0).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import sparse, special
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from app.learning.features import Example, Features
from app.learning.model import TextModel

MIN_DF = 2
MAX_FEATURES = 300_000
MIN_POSITIVES = 3
MIN_ROUTED = 3
C = 2.0
PRECISION = 0.90
# Feature families left out of the model: character n-grams cost most of the training time, the
# memory and the model's size, and gave nothing on dev (bench/eval_learning.py --tune).
DROP = ("c:",)
SUGGEST = 0.35
ROUTE_FLOOR = 0.5
LARGE = 5_000


class Row(NamedTuple):
    """An item's features interned by a ``FeatureTable``: feature ids and counts."""
    ids: np.ndarray  # int32
    counts: np.ndarray  # float32


class FeatureTable:
    """Feature names interned to ids as the items are read, each item kept as two small arrays."""

    def __init__(self, drop: tuple[str, ...] = DROP) -> None:
        self.ids: dict[str, int] = {}
        self.drop = tuple(drop)

    def row(self, features: Features) -> Row:
        ids, drop = self.ids, self.drop
        counts = features.counts
        if drop:
            counts = {name: n for name, n in counts.items() if not name.startswith(drop)}
        return Row(np.fromiter((ids.setdefault(name, len(ids)) for name in counts), np.int32, len(counts)),
                   np.fromiter(counts.values(), np.float32, len(counts)))


def train(examples: list[Example], labels: list[str], *, precision: float = PRECISION, c: float = C,
          seed: int = 0, table: FeatureTable | None = None, drop: tuple[str, ...] = DROP,
          consume: bool = False) -> TextModel:
    """A model of ``labels`` trained on ``examples`` (see the module's method); ``table``: the one
    that interned the examples' features (None: they are ``Features``, read leaving out the
    feature families ``drop``); ``consume``: the examples' features are let go (set to None) once
    the matrix is built — the worker's training at 20,000 items peaks ~60 MB lower."""
    if table is None:
        table = FeatureTable(drop)
        rows = [table.row(e.features) for e in examples]
    else:
        rows = [e.features for e in examples]
    vocabulary, idf, column = _vocabulary(rows, table)
    matrix = _matrix(rows, column, idf)
    del rows
    if consume:
        for example in examples:
            example.features = None
    n_features = len(vocabulary)
    coef = np.zeros((len(labels), n_features), np.float32)
    intercept = np.zeros(len(labels), np.float32)
    platt = np.tile(np.array([0.0, -30.0], np.float32), (len(labels), 1))  # unlearnt: probability 0
    route = np.full(len(labels), np.inf, np.float32)
    counts, cv_figures = {}, {}
    for i, label in enumerate(labels):
        rows_of = [r for r, e in enumerate(examples) if label in e.labels]
        y = np.array([examples[r].labels[label] for r in rows_of], bool)
        positives, negatives = int(y.sum()), int((~y).sum())
        counts[label] = {"positive": positives, "negative": negatives}
        if positives < MIN_POSITIVES or negatives < MIN_POSITIVES:
            continue
        x = matrix if len(rows_of) == len(examples) else matrix[rows_of]  # no copy when all carry it
        cv_scores = _cross_validated_scores(x, y, c, seed)
        a, b = _platt(cv_scores, y)
        calibrated = special.expit(a * cv_scores + b)  # the logistic, without exp's overflow warning
        route[i], cv_figures[label] = _threshold(calibrated, y, precision)
        model = _classifier(c, seed).fit(x, y)
        coef[i], intercept[i], platt[i] = model.coef_[0], model.intercept_[0], (a, b)
    meta = {
        "examples": len(examples), "features": n_features, "label_counts": counts, "cross_validated": cv_figures,
        "method": {"features": "stems, word pairs, character 3-4-grams of the shared Persian analysis; "
                               "title counted twice", "left_out": list(table.drop), "min_df": MIN_DF,
                   "max_features": MAX_FEATURES,
                   "model": "one-vs-rest logistic regression (L2, balanced classes)", "C": c,
                   "calibration": "Platt scaling on stratified k-fold scores", "precision": precision,
                   "min_routed": MIN_ROUTED, "route_floor": ROUTE_FLOOR, "suggest": SUGGEST},
    }
    return TextModel(labels=list(labels), vocabulary=vocabulary, idf=idf, coef=coef, intercept=intercept,
                     platt=platt, route=route, suggest=SUGGEST, meta=meta)


def _vocabulary(rows: list[Row], table: FeatureTable) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """The kept features (by name), their idf, and the column of every table id (-1: not kept)."""
    names = list(table.ids)  # in id order
    df = np.zeros(len(names), np.int64)
    for start in range(0, len(rows), 1000):  # in chunks: no copy of every row's ids at once
        df += np.bincount(np.concatenate([r.ids for r in rows[start:start + 1000]]), minlength=len(names))
    frequent = [j for j in np.flatnonzero(df >= MIN_DF).tolist()]
    frequent.sort(key=lambda j: (-df[j], names[j]))
    kept = sorted(frequent[:MAX_FEATURES], key=names.__getitem__)
    n = len(rows)
    idf = np.array([math.log((1 + n) / (1 + int(df[j]))) + 1.0 for j in kept], np.float32)
    column = np.full(len(names), -1, np.int32)  # int32: the matrix's indices, no int64 copy of them
    column[np.asarray(kept, np.int64)] = np.arange(len(kept), dtype=np.int32)
    return {names[j]: k for k, j in enumerate(kept)}, idf, column


def _matrix(rows: list[Row], column: np.ndarray, idf: np.ndarray) -> sparse.csr_matrix:
    indptr, indices, data = [0], [], []
    for row in rows:
        cols = column[row.ids]
        known = cols >= 0
        cols = cols[known]
        values = (1.0 + np.log(row.counts[known].astype(np.float64))) * idf[cols]
        norm = math.sqrt(float(values @ values)) or 1.0
        indices.append(cols)
        data.append((values / norm).astype(np.float32))
        indptr.append(indptr[-1] + len(cols))
    return sparse.csr_matrix((np.concatenate(data) if data else np.zeros(0, np.float32),
                              np.concatenate(indices) if indices else np.zeros(0, np.int32),
                              np.asarray(indptr, np.int64)),
                             shape=(len(rows), len(idf)))


def _classifier(c: float, seed: int) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", solver="liblinear", random_state=seed)


def _cross_validated_scores(x, y: np.ndarray, c: float, seed: int) -> np.ndarray:
    # 5 folds; 3 from LARGE items on (scores for calibration are plenty, the time is 4 fits, not 6)
    folds = max(2, min(5 if len(y) < LARGE else 3, int(y.sum()), int((~y).sum())))
    scores = np.zeros(len(y), np.float64)
    for train_rows, test_rows in StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        model = _classifier(c, seed).fit(x[train_rows], y[train_rows])
        scores[test_rows] = model.decision_function(x[test_rows])
    return scores


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    fit = LogisticRegression(C=1e6, solver="lbfgs").fit(scores.reshape(-1, 1), y)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def _threshold(probability: np.ndarray, y: np.ndarray, precision: float) -> tuple[float, dict]:
    """The lowest probability whose predictions reach ``precision`` with ``MIN_ROUTED`` hits, and
    never below ``ROUTE_FLOOR``: on data the cross-validation separates cleanly the cut can fall
    to a trace of probability (3.6e-06 seen on a small desk), which would route anything with a
    word in common; a route needs the model to find it more likely than not."""
    order = np.argsort(-probability, kind="stable")
    hits = np.cumsum(y[order])
    taken = np.arange(1, len(y) + 1)
    best = math.inf
    for k in range(len(y) - 1, -1, -1):  # from the widest cut down: the first that holds is the lowest
        if hits[k] >= MIN_ROUTED and hits[k] / taken[k] >= precision:
            if k + 1 < len(y) and probability[order[k + 1]] == probability[order[k]]:
                continue  # ties cut together
            best = float(probability[order[k]])
            break
    figures = {"positives": int(y.sum())}
    if math.isfinite(best):
        best = max(best, ROUTE_FLOOR)
        chosen = probability >= best
        tp = int((chosen & y).sum())
        figures.update(threshold=round(best, 4), precision=round(tp / int(chosen.sum()), 3),
                       recall=round(tp / int(y.sum()), 3))
    return best, figures
