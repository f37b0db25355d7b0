"""The classifier of issue 15 measured on the hand-labelled set of bench/routing/ (test split).

1. Before/after: rules alone vs rules ∪ the model's routes (at each label's routing threshold),
   and the detector alone vs the detector OR the model's ``question`` flag; the model trained on
   the DEV split only (rounds 1–3 for every label, round 4's dev rows for ``question`` only),
   exactly as scripts/train_starter_model.py trains the shipped model (and, when
   app/data/starter_model.npz is there, the shipped model itself is measured too).
2. A learning curve: the figures on test after 0, 50, 200, 500 simulated desk decisions, the
   decisions made on the DEV split in a seeded random order of articles as a desk makes them
   (``desk_decisions``) and read as labels by ``app.learning.decisions.labels_from_decisions``, the
   function the service uses; several seeds, mean and spread; and the model trained on every
   label of the dev split as the upper point.

Nothing is tuned on test: ``TUNED`` (C, the precision target of the thresholds, the feature
families) was chosen by 5-fold cross-validation over the dev split (``--tune`` runs it again and
prints every configuration tried; bench/README.md keeps the table).

    .venv/bin/python bench/eval_learning.py [--seeds 5] [--tune] [--json]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import numpy as np
from eval_routing import NEWS, detector_figures, load, routing_figures, run

from app.learning.decisions import Decision, labels_from_decisions
from app.learning.features import Features, item_features
from app.learning.model import AGENCY_PREFIX, QUESTION, TextModel, agency_label
from app.learning.training import Example, train
from app.rules.analysis import analyze_item
from app.rules.starter_rules import STANDARD_SLUGS

LABELS = [agency_label(slug) for slug in STANDARD_SLUGS] + [QUESTION]
STARTER_MODEL = REPO / "app" / "data" / "starter_model.npz"
# Chosen by cross-validation on dev (``--tune``): see bench/README.md for every configuration tried.
TUNED = {"c": 2.0, "precision": 0.90, "drop": ("c:",)}
CURVE = (0, 50, 200, 500)
GRID_C = (2.0, 8.0, 32.0)
GRID_PRECISION = (0.70, 0.80, 0.90, 0.95)
GRID_DROP = ((), ("c:",), ("p:",))  # feature families left out: character n-grams, word pairs


class Flag(NamedTuple):
    is_question: bool
    score: float = 0.0


# ---------------------------------------------------------------------------------------- data

def labelled_rows() -> list[dict]:
    """Every labelled article, routed by the starter pack and the detector, with its features."""
    rows = run(load("all"))
    for row in rows:
        row["features"] = item_features(analyze_item(row["title"], row["text"]))
    return rows


def without(features: Features, drop: tuple[str, ...]) -> Features:
    if not drop:
        return features
    kept = Features()
    for name, count in features.counts.items():
        if not name.startswith(drop):
            kept.counts[name] = count
            kept.words[name] = features.words[name]
    return kept


def full_example(row: dict, drop: tuple[str, ...] = ()) -> Example:
    """Every label the labeller gave the article (round 4: ``question`` only)."""
    labels = {QUESTION: bool(row["question"])}
    if row["agencies"] is not None:
        labels.update((agency_label(slug), slug in row["agencies"]) for slug in STANDARD_SLUGS)
    return Example(without(row["features"], drop), labels, row["link"])


def train_on(rows: list[dict], *, c: float, precision: float, drop: tuple[str, ...] = (),
             seed: int = 0) -> TextModel:
    return train([full_example(r, drop) for r in rows], LABELS, c=c, precision=precision, seed=seed, drop=drop)


def train_starter(dev: list[dict], seed: int = 0) -> TextModel:
    """The shipped model's recipe: every label of the dev split, the tuned options."""
    return train_on(dev, seed=seed, **TUNED)


# ----------------------------------------------------------------------------------- figures

def with_model(rows: list[dict], model: TextModel | None, drop: tuple[str, ...] = ()) -> list[dict]:
    """Copies of ``rows`` whose routes are the rules' ∪ the model's and whose question flag is the
    detector's OR the model's (the model at each label's routing threshold)."""
    out = []
    for row in rows:
        flag, routes = row["detection"].is_question, set(row["predicted"])
        if model is not None:
            hit = model.scores(without(row["features"], drop)) >= model.route
            for label, routed in zip(model.labels, hit.tolist()):
                if routed and label.startswith(AGENCY_PREFIX):
                    routes.add(label[len(AGENCY_PREFIX):])
                elif routed and label == QUESTION:
                    flag = True
        out.append({**row, "predicted": sorted(routes), "detection": Flag(flag)})
    return out


def figures(rows: list[dict]) -> dict:
    fig, det = routing_figures(rows), detector_figures(rows)
    keys = ("precision", "recall", "f1", "gold", "predicted")
    r3 = lambda values: [round(v, 3) for v in values]
    return {"micro": r3(fig["micro"]), "macro": r3(fig["macro"]),
            "per_agency": {s: dict(zip(keys, (*r3(v[:3]), *v[3:]))) for s, v in fig["per_agency"].items()},
            "question": r3(det[:3]), "question_counts": dict(zip(("tp", "fp", "fn"), det[3:]))}


def accepted(fig: dict) -> dict:
    p, r, _ = fig["micro"]
    return {"routing": bool(r >= 0.85 and p >= 0.80), "question": bool(fig["question"][2] >= 0.70)}


# ------------------------------------------------------------------------------ desk simulation

def desk_decisions(row: dict) -> list[Decision]:
    """The decisions a desk makes on one article, as the service reads them from the database
    (app/learning/decisions.py): each rule route accepted (gold) or dismissed; a gold agency the
    rules missed is a reassignment from a wrong route while there is one (the sender's route
    reassigned, the receiver's received), else received (a supervisor sends the unrouted item);
    the detector's wrong flag unmarked, a missed question marked, a right flag on a handled
    route kept."""
    decisions: list[Decision] = []
    if row["agencies"] is not None:
        gold, routed = set(row["agencies"]), list(row["predicted"])
        wrong = [slug for slug in routed if slug not in gold]
        decisions += [Decision("accepted", slug) for slug in routed if slug in gold]
        for slug in sorted(gold - set(routed)):
            if wrong:
                decisions.append(Decision("reassigned", wrong.pop(0)))
            decisions.append(Decision("received", slug))
        decisions += [Decision("dismissed", slug) for slug in wrong]
    handled = bool(decisions)
    flagged = row["detection"].is_question
    if flagged and not row["question"]:
        decisions.append(Decision("question_unmarked"))
    elif row["question"] and not flagged:
        decisions.append(Decision("question_marked"))
    elif handled:
        decisions.append(Decision("flag_kept", flag=flagged))
    return decisions


def desk_examples(dev: list[dict], budget: int, seed: int) -> tuple[list[Example], int]:
    """Examples from the first ``budget`` decisions of a desk working through ``dev`` in a seeded
    order (whole articles: the last one may take the count a little past ``budget``)."""
    order = list(range(len(dev)))
    random.Random(seed).shuffle(order)
    examples, made = [], 0
    for i in order:
        if made >= budget:
            break
        row = dev[i]
        decisions = desk_decisions(row)
        if not decisions:
            continue
        made += sum(d.kind != "flag_kept" for d in decisions)  # leaving a flag as it is is no act
        # round 4 is not labelled for routing: no agency decision was simulated, none is implied
        agencies = STANDARD_SLUGS if row["agencies"] is not None else ()
        labels = labels_from_decisions(decisions, agencies)
        examples.append(Example(row["features"], labels, row["link"]))
    return examples, made


def learning_curve(dev: list[dict], test: list[dict], seeds: int) -> dict:
    points = []
    for budget in CURVE:
        runs = []
        for seed in range(seeds):
            examples, made = desk_examples(dev, budget, seed)
            model = train(examples, LABELS, c=TUNED["c"], precision=TUNED["precision"], drop=TUNED["drop"],
                          seed=seed) if examples else None
            fig = figures(with_model(test, model, TUNED["drop"]))
            runs.append({"decisions": made, "articles": len(examples), "micro": fig["micro"],
                         "macro": fig["macro"], "question": fig["question"]})
        points.append({"budget": budget, "runs": runs, "mean": _mean_sd(runs)})
    return {"points": points,
            "decisions_available": sum(sum(d.kind != "flag_kept" for d in desk_decisions(r)) for r in dev)}


def _half(link: str) -> str:
    """Which half of dev an article is in for the product simulation (by a hash of its link)."""
    return "starter" if hashlib.sha1(f"half:{link}".encode()).digest()[0] % 2 == 0 else "desk"


def _held(link: str) -> bool:
    """The product's held-back slice (one in five), here by the article's link."""
    return hashlib.sha1(f"item:{link}".encode()).digest()[0] % 5 == 0


def product_curve(dev: list[dict], test: list[dict], seeds: int) -> dict:
    """What an installation runs, with its promotion guard: dev split in two halves by link hash;
    a starter model trained on the first half's labels is active at 0 decisions; the desk works
    through the second half; at each budget a candidate is trained on the decisions outside the
    held-back slice — ``desk``: on them alone (an installation without the starter corpus),
    ``starter+desk``: with the first half's labels too (LEARNING_STARTER_CORPUS set) — and
    replaces the active model only when it is at least as good on the held-back decisions
    (app/learning/evaluation.py, ≥ MIN_HELD_BACK_LABELS labels). Figures: rules ∪ the active
    model on test."""
    from app.learning.evaluation import at_least_as_good, evaluate
    from app.services.learning_training import MIN_HELD_BACK_LABELS

    first = [r for r in dev if _half(r["link"]) == "starter"]
    pool = [r for r in dev if _half(r["link"]) == "desk"]
    starter = train_on(first, seed=0, **TUNED)
    starter_examples = [full_example(r, TUNED["drop"]) for r in first]
    out = {"starter_articles": len(first), "desk_articles": len(pool),
           "decisions_available": sum(sum(d.kind != "flag_kept" for d in desk_decisions(r)) for r in pool),
           "modes": {}}
    for mode in ("desk", "starter+desk"):
        points = []
        for budget in CURVE:
            runs = []
            for seed in range(seeds):
                examples, made = desk_examples(pool, budget, seed)
                examples = [Example(without(e.features, TUNED["drop"]), e.labels, e.key) for e in examples]
                held = [e for e in examples if _held(e.key)]
                training = [e for e in examples if not _held(e.key)]
                if mode == "starter+desk":
                    training = starter_examples + training
                active, promoted = starter, False
                if budget and training:
                    candidate = train(training, LABELS, c=TUNED["c"], precision=TUNED["precision"],
                                      drop=TUNED["drop"], seed=seed)
                    new, old = evaluate(candidate, held), evaluate(starter, held)
                    if new["labels"] >= MIN_HELD_BACK_LABELS and at_least_as_good(new, old):
                        active, promoted = candidate, True
                fig = figures(with_model(test, active, TUNED["drop"]))
                runs.append({"decisions": made, "articles": len(examples), "promoted": promoted,
                             "micro": fig["micro"], "macro": fig["macro"], "question": fig["question"]})
            mean = _mean_sd(runs)
            mean["promoted"] = sum(r["promoted"] for r in runs)
            points.append({"budget": budget, "runs": runs, "mean": mean})
        out["modes"][mode] = points
    return out


def _mean_sd(runs: list[dict]) -> dict:
    out = {"decisions": statistics.mean(r["decisions"] for r in runs)}
    for key in ("micro", "macro", "question"):
        for i, name in enumerate(("P", "R", "F1")):
            values = [r[key][i] for r in runs]
            out[f"{key}_{name}"] = (round(statistics.mean(values), 3),
                                    round(statistics.pstdev(values), 3) if len(values) > 1 else 0.0)
    return out


# ------------------------------------------------------------------------------------- tuning

def cross_validate(dev: list[dict], *, c: float, precision: float, drop: tuple[str, ...],
                   folds: int = 5, seed: int = 0) -> dict:
    """Rules ∪ model on each fold of dev, the model trained on the other folds; pooled figures."""
    order = list(range(len(dev)))
    random.Random(seed).shuffle(order)
    held: list[dict] = []
    for k in range(folds):
        out = {order[j] for j in range(k, len(order), folds)}
        model = train_on([r for j, r in enumerate(dev) if j not in out], c=c, precision=precision,
                         drop=drop, seed=seed)
        held += with_model([dev[j] for j in sorted(out)], model, drop)
    fig = figures(held)
    return {"c": c, "precision": precision, "drop": list(drop), "micro": fig["micro"],
            "macro": fig["macro"], "question": fig["question"],
            "score": round(fig["micro"][2] + fig["question"][2], 3)}


def tune(dev: list[dict]) -> list[dict]:
    """C × precision target with every feature family, then each family left out at the best;
    chosen: the highest routing micro F1 + question F1 of rules ∪ model, pooled over the folds."""
    tried = [cross_validate(dev, c=c, precision=p, drop=()) for c in GRID_C for p in GRID_PRECISION]
    best = max(tried, key=lambda t: t["score"])
    tried += [cross_validate(dev, c=best["c"], precision=best["precision"], drop=drop)
              for drop in GRID_DROP if drop]
    return tried


# --------------------------------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--tune", action="store_true", help="cross-validate the options on dev first")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not NEWS.exists():
        raise SystemExit(f"article data not present: {NEWS}")
    say = (lambda *a, **k: None) if args.json else print
    started = time.time()
    rows = labelled_rows()
    dev = [r for r in rows if r["split"] == "dev"]
    test = [r for r in rows if r["split"] == "test"]
    result: dict = {"date": date.today().isoformat(), "tuned": {**TUNED, "drop": list(TUNED["drop"])},
                    "dev_articles": len(dev), "test_articles": len(test),
                    "test_routing_articles": sum(r["agencies"] is not None for r in test)}
    if args.tune:
        result["tuning"] = tune(dev)
        say("cross-validation on dev (5 folds; rules ∪ model; score = routing micro F1 + question F1):")
        for t in result["tuning"]:
            say(f"  C {t['c']:5.1f} precision {t['precision']:.2f} drop {t['drop'] or '-'}: routing micro "
                f"P/R/F1 {_prf(t['micro'])}, question {_prf(t['question'])}, score {t['score']:.3f}")
    before = figures(with_model(test, None))
    model = train_starter(dev)
    after = figures(with_model(test, model, TUNED["drop"]))
    result.update(before=before, after=after, acceptance=accepted(after),
                  model={"features": model.meta["features"], "examples": model.meta["examples"],
                         "routing_labels": [label for label, t in zip(model.labels, model.route.tolist())
                                            if np.isfinite(t)]})
    if STARTER_MODEL.exists():
        shipped = TextModel.from_bytes(STARTER_MODEL.read_bytes())
        result["shipped"] = figures(with_model(test, shipped, TUNED["drop"]))
        result["shipped_meta"] = {k: shipped.meta.get(k) for k in ("trained", "training_set", "pruned")}
    say(f"test split: {len(test)} articles ({result['test_routing_articles']} labelled for routing); "
        f"model trained on the {len(dev)} dev articles ({model.meta['features']} features)")
    say(f"{'agency':18} {'gold':>4}  rules P/R   +model P/R")
    for slug in STANDARD_SLUGS:
        b, a = before["per_agency"][slug], after["per_agency"][slug]
        if b["gold"] or a["predicted"]:
            say(f"{slug:18} {b['gold']:4d}  {b['precision']:.2f}/{b['recall']:.2f}   {a['precision']:.2f}/{a['recall']:.2f}")
    for key in ("micro", "macro"):
        say(f"routing {key:5}: rules P/R/F1 {_prf(before[key])} → rules ∪ model {_prf(after[key])}")
    say(f"question: detector P/R/F1 {_prf(before['question'])} {before['question_counts']} → detector OR model "
        f"{_prf(after['question'])} {after['question_counts']}")
    if "shipped" in result:
        s = result["shipped"]
        say(f"shipped model (app/data/starter_model.npz): routing micro {_prf(s['micro'])}, question {_prf(s['question'])}")
    ok = result["acceptance"]
    say(f"acceptance (routing R ≥ 0.85 at P ≥ 0.80: {'reached' if ok['routing'] else 'NOT reached'}; "
        f"question F1 ≥ 0.70: {'reached' if ok['question'] else 'NOT reached'})")
    curve = learning_curve(dev, test, args.seeds)
    curve["upper"] = {"decisions": "every label of dev", "micro": after["micro"], "macro": after["macro"],
                      "question": after["question"]}
    result["learning_curve"] = curve
    say(f"\nlearning curve on test ({args.seeds} seeds, mean ± sd; desk decisions simulated on dev, "
        f"{curve['decisions_available']} available in all):")
    say(f"{'decisions':>10} {'routing micro P':>16} {'R':>12} {'F1':>12} {'question P':>12} {'R':>12} {'F1':>12}")
    for point in curve["points"]:
        m = point["mean"]
        cells = [f"{m[k][0]:.2f} ± {m[k][1]:.2f}" for k in
                 ("micro_P", "micro_R", "micro_F1", "question_P", "question_R", "question_F1")]
        say(f"{point['budget']:>4} ({m['decisions']:5.0f}) " + " ".join(f"{c:>12}" for c in cells))
    say(f"{'all dev labels':>16} {after['micro'][0]:>12.2f} {after['micro'][1]:>12.2f} {after['micro'][2]:>12.2f} "
        f"{after['question'][0]:>12.2f} {after['question'][1]:>12.2f} {after['question'][2]:>12.2f}")
    product = product_curve(dev, test, args.seeds)
    result["product_curve"] = product
    say(f"\nas an installation runs it ({args.seeds} seeds): a starter model from half of dev "
        f"({product['starter_articles']} articles), the desk working through the other half "
        f"({product['desk_articles']} articles, {product['decisions_available']} decisions), a candidate "
        f"kept only when at least as good on the held-back decisions; rules ∪ active model on test:")
    for mode, points in product["modes"].items():
        say(f"  trained on {mode}:")
        for point in points:
            m = point["mean"]
            say(f"    {point['budget']:>4} ({m['decisions']:5.0f}) routing P/R/F1 "
                f"{m['micro_P'][0]:.2f}/{m['micro_R'][0]:.2f}/{m['micro_F1'][0]:.2f}  question F1 "
                f"{m['question_F1'][0]:.2f}  kept in {m['promoted']} of {args.seeds} runs")
    result["seconds"] = round(time.time() - started, 1)
    result["load_average"] = [round(x, 2) for x in _load()]
    say(f"\n{result['seconds']} s, load average {result['load_average']}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


def _prf(values) -> str:
    return "/".join(f"{v:.2f}" for v in values[:3])


def _load() -> tuple[float, float, float]:
    import os
    return os.getloadavg()


if __name__ == "__main__":
    main()
