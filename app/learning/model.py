"""A trained text classifier: one linear model per label over TF-IDF features, with calibrated
probabilities, a routing threshold per label and the words that weighed most.

Labels are ``agency:<slug>`` (the item belongs to that agency) and ``question`` (it carries a
public question). A label's probability is Platt-scaled: ``p = 1 / (1 + exp(-(a·s + b)))`` where
``s = w·x + c`` is the linear model's score and ``a``, ``b`` were fitted on cross-validated
scores of the training data (app/learning/training.py). ``route`` holds, per label, the lowest
probability at which the held-back data showed the precision asked for (``inf``: none reached
it, the label only suggests).

Classifying needs numpy only (no scikit-learn in the web process). A model is stored as one
``.npz`` archive of plain arrays (no pickle: loading a stored model runs no code).
"""
from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, repeat
from typing import TYPE_CHECKING

from app.learning.features import Features, Keep

if TYPE_CHECKING:  # numpy is imported where a model is used: a `flask` start need not load it (0.08 s of CPU)
    import numpy as np

QUESTION = "question"
AGENCY_PREFIX = "agency:"
EXPLAIN_WORDS = 4


def agency_label(slug: str) -> str:
    return AGENCY_PREFIX + slug


@dataclass(frozen=True)
class Prediction:
    label: str
    probability: float
    words: tuple[str, ...]  # as the item writes them, the heaviest first
    routes: bool  # at or above the label's routing threshold


@dataclass
class TextModel:
    labels: list[str]
    vocabulary: dict[str, int]
    idf: np.ndarray  # (features,) float32
    coef: np.ndarray  # (labels, features) float32
    intercept: np.ndarray  # (labels,)
    platt: np.ndarray  # (labels, 2): a, b
    route: np.ndarray  # (labels,) probability from which the label routes; inf = never
    suggest: float = 0.35  # a probability from which a label is worth a suggestion
    meta: dict = field(default_factory=dict)  # method, label counts, figures (JSON)

    @cached_property
    def unlearnt(self) -> frozenset[str]:
        """The labels training had too few examples of (their probability is 0: ``training.train``)."""
        return frozenset(label for label, (a, _b) in zip(self.labels, self.platt.tolist()) if a == 0.0)

    @cached_property
    def uses_ngrams(self) -> bool:
        """False when no feature of the model is a character n-gram: ``item_features(item,
        ngrams=False)`` then gives it all it reads, faster (computed once per model)."""
        return any(name.startswith("c:") for name in self.vocabulary)

    @cached_property
    def keep(self) -> Keep:
        """The word and pair features this model knows (``item_features(…, keep=model.keep)``)."""
        return Keep(self.vocabulary)

    def vector(self, features: Features) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Column indices, TF-IDF values (L2-normalized) and the features known to the model."""
        import numpy as np

        counts = features.counts
        names = list(counts)
        n = len(names)
        # C-level maps instead of a loop per feature (issue 16): the same logarithms (math.log), the
        # same float64 sums rounded to float32 as before, so the same values to the last bit.
        cols = np.fromiter(map(self.vocabulary.get, names, repeat(-1, n)), np.int64, n)
        values = 1.0 + np.fromiter(map(math.log, counts.values()), np.float64, n)
        known = cols >= 0
        if not known.all():
            cols, values, names = cols[known], values[known], list(compress(names, known.tolist()))
        if not len(cols):
            return np.empty(0, np.int64), np.empty(0, np.float32), []
        x = values.astype(np.float32) * self.idf[cols]
        norm = float(np.sqrt(np.dot(x, x)))
        return cols, (x / norm if norm else x), names

    def scores(self, features: Features) -> np.ndarray:
        """The calibrated probability of every label."""
        cols, x, _ = self.vector(features)
        raw = self.coef[:, cols] @ x + self.intercept if len(cols) else self.intercept.copy()
        return _sigmoid(self.platt[:, 0] * raw + self.platt[:, 1])

    def predict(self, features: Features, *, floor: float | None = None) -> dict[str, Prediction]:
        """Labels whose probability reaches ``floor`` (default: ``suggest``), with their words."""
        import numpy as np

        cols, x, names = self.vector(features)
        raw = self.coef[:, cols] @ x + self.intercept if len(cols) else self.intercept.copy()
        probability = _sigmoid(self.platt[:, 0] * raw + self.platt[:, 1])
        floor = self.suggest if floor is None else floor
        out = {}
        for i in np.flatnonzero(probability >= floor):
            label = self.labels[i]
            contributions = self.coef[i, cols] * x if len(cols) else np.empty(0)
            out[label] = Prediction(label, float(probability[i]), explain(contributions, names, features),
                                    bool(probability[i] >= self.route[i]))
        return out

    def to_bytes(self) -> bytes:
        import numpy as np

        buffer = io.BytesIO()
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            buffer, labels=np.array(self.labels), vocabulary=np.array(names), idf=self.idf, coef=self.coef,
            intercept=self.intercept, platt=self.platt, route=self.route, suggest=np.array([self.suggest]),
            meta=np.array([json.dumps(self.meta, ensure_ascii=False)]))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> TextModel:
        import numpy as np

        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            names = archive["vocabulary"].tolist()
            return cls(labels=archive["labels"].tolist(), vocabulary={n: j for j, n in enumerate(names)},
                       idf=archive["idf"], coef=archive["coef"], intercept=archive["intercept"],
                       platt=archive["platt"], route=archive["route"], suggest=float(archive["suggest"][0]),
                       meta=json.loads(str(archive["meta"][0])))


def explain(contributions: np.ndarray, names: list[str], features: Features) -> tuple[str, ...]:
    """The item's words whose features pushed the label up the most (n-grams summed into their
    word, a word pair shown as the two words)."""
    by_word: dict[str, float] = {}
    for value, name in zip(contributions.tolist(), names):
        if value > 0:
            word = features.words[name]
            by_word[word] = by_word.get(word, 0.0) + value
    ranked = sorted(by_word.items(), key=lambda kv: -kv[1])
    return tuple(word for word, _ in ranked[:EXPLAIN_WORDS])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
