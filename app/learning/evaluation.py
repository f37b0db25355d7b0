"""Figures of a model on labelled examples: what it would route (probability at or above each
label's threshold) against the labels. Used to compare two models on the same held-back slice."""
from __future__ import annotations

from collections.abc import Iterable

from app.learning.features import Example
from app.learning.model import AGENCY_PREFIX, QUESTION, TextModel


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def evaluate(model: TextModel, examples: Iterable[Example]) -> dict:
    """``routing``: micro precision/recall/F1 over every agency label the examples carry;
    ``question``: the same for the question label; ``labels``: how many labels were scored."""
    return evaluate_many([model], examples)[0]


def evaluate_many(models: list[TextModel], examples: Iterable[Example]) -> list[dict]:
    """``evaluate`` of several models in one pass over ``examples`` (which may be a generator:
    each item's features are read once, for every model)."""
    counts = [({"tp": 0, "fp": 0, "fn": 0}, {"tp": 0, "fp": 0, "fn": 0}, [0]) for _ in models]
    n = 0
    for example in examples:
        n += 1
        for model, (routing, question, scored) in zip(models, counts):
            index = {label: i for i, label in enumerate(model.labels)}
            probability = model.scores(example.features)
            for label, truth in example.labels.items():
                tally = question if label == QUESTION else routing if label.startswith(AGENCY_PREFIX) else None
                if tally is None:
                    continue
                i = index.get(label)
                predicted = i is not None and probability[i] >= model.route[i]
                scored[0] += 1
                if predicted and truth:
                    tally["tp"] += 1
                elif predicted:
                    tally["fp"] += 1
                elif truth:
                    tally["fn"] += 1
    return [{"routing": _prf(**routing), "question": _prf(**question), "labels": scored[0], "examples": n}
            for routing, question, scored in counts]


def at_least_as_good(new: dict, old: dict) -> bool:
    """The new model's F1 is no lower than the old one's, for routing and for the question flag."""
    return new["routing"]["f1"] >= old["routing"]["f1"] and new["question"]["f1"] >= old["question"]["f1"]
