"""The classifier's cost (issue 15): training on 20,000 labelled items, classifying one item.

Items: made from the 1,500 real articles of ../shared/data/persian-news as bench/bench_search.py's
``make_docs`` makes them (same seed; each article ~13 times). Labels: an article of the labelled
set (bench/routing/labels.jsonl) carries its labels; the others carry what the starter pack routes
and what the detector flags, each label flipped with probability ``NOISE`` (a desk that
disagrees with the rules now and then). Every item carries all 20 agency labels and
``question``: the worst case, every label trained on every item.

Measured: the worker's reading of the items (analysis, features, interning: ``FeatureTable``),
``train`` wall time, peak RSS of the process (targets: < 2 min and < 500 MB for training);
classifying one item (features + ``TextModel.predict`` with its explanation, the analysis being
shared with routing) median/p95 over the 1,500 articles with the shipped starter model and with
the 20,000-item model (target < 2 ms). The load average is printed: the machine is shared.

    .venv/bin/python bench/bench_learning.py [--items 20000] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_search import NEWS, articles, make_docs
from eval_routing import LABELS as LABELLED

from app.learning.features import item_features
from app.learning.model import QUESTION, TextModel, agency_label
from app.learning.training import Example, FeatureTable, train
from app.rules import detector
from app.rules.analysis import analyze_item
from app.rules.starter_rules import STANDARD_SLUGS, starter_ruleset

NOISE = 0.05
STARTER_MODEL = REPO / "app" / "data" / "starter_model.npz"


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def article_labels(source: list[dict]) -> dict[str, dict[str, bool]]:
    """Labels per article link: the hand labels where there are some, else rules and detector."""
    hand = {}
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        hand[row["link"]] = row
    ruleset, rng, out = starter_ruleset(), random.Random(15), {}
    for a in source:
        row = hand.get(a["link"])
        if row is not None and row["agencies"] is not None:
            gold, question = set(row["agencies"]), bool(row["question"])
        else:
            text = "\n".join([a.get("abstract") or "", *a.get("paragraphs", [])])
            item = analyze_item(a["title"], text)
            gold = {rule.agency for rule, _ in ruleset.match(item)}
            question = detector.detect_public_question(a["title"], text, item=item).is_question
            if row is not None:
                question = bool(row["question"])
        labels = {agency_label(s): (s in gold) != (rng.random() < NOISE) for s in STANDARD_SLUGS}
        labels[QUESTION] = question != (rng.random() < NOISE)
        out[a["link"]] = labels
    return out


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def classify_times(model: TextModel, items: list) -> dict:
    times = []
    for item in items:
        t = time.perf_counter()
        model.predict(item_features(item, ngrams=model.uses_ngrams))
        times.append((time.perf_counter() - t) * 1000)
    return {"median_ms": round(statistics.median(times), 3), "p95_ms": round(percentile(times, 0.95), 3),
            "features": len(model.vocabulary)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not NEWS.exists():
        raise SystemExit(f"article data not present: {NEWS}")
    say = (lambda *a, **k: None) if args.json else print
    result: dict = {"items": args.items, "load_average_start": [round(x, 2) for x in os.getloadavg()]}
    source = articles()
    by_title = {}
    for a in source:
        by_title.setdefault((a["title"], "\n".join([a.get("abstract", "")] + a["paragraphs"])), a["link"])
    labels = article_labels(source)
    result["rss_before_mb"] = rss_mb()

    t = time.perf_counter()
    table, examples = FeatureTable(), []
    for doc in make_docs(source, args.items):  # the worker reads each item: analysis + features
        link = by_title[(doc.title, doc.body)]
        features = item_features(analyze_item(doc.title, doc.body), ngrams="c:" not in table.drop)
        examples.append(Example(table.row(features), labels[link], doc.key))
    reading = time.perf_counter() - t
    result["reading_s"] = round(reading, 1)
    result["reading_ms_per_item"] = round(reading / args.items * 1000, 2)
    result["rss_after_reading_mb"] = rss_mb()
    say(f"RSS before reading {result['rss_before_mb']} MB; {args.items} items read (analysis + features + interning): {reading:.1f} s "
        f"({result['reading_ms_per_item']} ms/item), RSS {result['rss_after_reading_mb']} MB, "
        f"{len(table.ids)} distinct features")

    label_names = [agency_label(s) for s in STANDARD_SLUGS] + [QUESTION]
    t, cpu = time.perf_counter(), time.process_time()
    model = train(examples, label_names, table=table)
    result["train_s"] = round(time.perf_counter() - t, 1)
    result["train_cpu_s"] = round(time.process_time() - cpu, 1)
    result["peak_rss_mb"] = peak_rss_mb()
    result["model_features"] = model.meta["features"]
    result["model_bytes"] = len(model.to_bytes())
    result["labels_learnt"] = sum(1 for v in model.meta["label_counts"].values()
                                  if min(v["positive"], v["negative"]) >= 3)
    say(f"train: {result['train_s']} s wall ({result['train_cpu_s']} s CPU), {result['labels_learnt']} labels, "
        f"{result['model_features']} features; peak RSS of the process {result['peak_rss_mb']} MB "
        f"(targets < 120 s, < 500 MB); model {result['model_bytes'] / 1e6:.1f} MB")
    result["load_average_after_training"] = [round(x, 2) for x in os.getloadavg()]

    items = []
    for a in source:
        item = analyze_item(a["title"], "\n".join([a.get("abstract") or "", *a.get("paragraphs", [])]))
        _ = item.fields  # the analysis is routing's: built before, not counted
        items.append(item)
    models = {"20,000-item model": model}
    if STARTER_MODEL.exists():
        models["starter model"] = TextModel.from_bytes(STARTER_MODEL.read_bytes())
    for name, m in models.items():
        classify_times(m, items[:200])  # warm the caches
        result[f"classify {name}"] = figures = classify_times(m, items)
        say(f"classify one item, {name} ({figures['features']} features): features + predict median "
            f"{figures['median_ms']} ms, p95 {figures['p95_ms']} ms (target < 2 ms)")
    result["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    say(f"load average: start {result['load_average_start']}, after training "
        f"{result['load_average_after_training']}, end {result['load_average_end']}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
