"""Figures of a model on labelled examples: what it would route (probability at or above each
label's threshold) against the labels. Used to compare two models on the same held-back slice."""
from __future__ import annotations

from app.learning.features import Example
from app.learning.model import AGENCY_PREFIX, QUESTION, TextModel


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def evaluate(model: TextModel, examples: list[Example]) -> dict:
    """``routing``: micro precision/recall/F1 over every agency label the examples carry;
    ``question``: the same for the question label; ``labels``: how many labels were scored."""
    index = {label: i for i, label in enumerate(model.labels)}
    routing = {"tp": 0, "fp": 0, "fn": 0}
    question = {"tp": 0, "fp": 0, "fn": 0}
    scored = 0
    for example in examples:
        probability = model.scores(example.features)
        for label, truth in example.labels.items():
            i = index.get(label)
            predicted = i is not None and probability[i] >= model.route[i]
            counts = question if label == QUESTION else routing if label.startswith(AGENCY_PREFIX) else None
            if counts is None:
                continue
            scored += 1
            if predicted and truth:
                counts["tp"] += 1
            elif predicted:
                counts["fp"] += 1
            elif truth:
                counts["fn"] += 1
    return {"routing": _prf(**routing), "question": _prf(**question), "labels": scored, "examples": len(examples)}


def at_least_as_good(new: dict, old: dict) -> bool:
    """The new model's F1 is no lower than the old one's, for routing and for the question flag."""
    return new["routing"]["f1"] >= old["routing"]["f1"] and new["question"]["f1"] >= old["question"]["f1"]
