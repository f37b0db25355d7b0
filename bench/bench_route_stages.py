"""Where ``route_items``' CPU goes, stage by stage, in one cold process (as an ingest's first batch):
the 1,491 Persian articles of ../shared/data/persian-news analysed as routing analyses an item (title;
abstract and paragraphs as the body), then the starter pack's rules, the starter model's features and
predictions, and the question detector on the items a rule or the model routes (no database: the
stages' own code, as ``route_items`` calls them). Process CPU seconds per stage; the analysis also
split into the first sight of each spelling (``word_parts.read_word``) and the rest, from a second,
warm pass. ``--repo DIR`` measures another checkout's code (before/after, alternating runs).

    .venv/bin/python bench/bench_route_stages.py [--repo DIR] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared" / "data" / "persian-news"


def articles() -> list[tuple[str, str]]:
    return [(a.get("title") or "", "\n".join([a.get("abstract") or "", *a.get("paragraphs", [])]))
            for path in sorted(NEWS.glob("*.json")) for a in json.loads(path.read_text(encoding="utf-8"))]


def measure(code: Path) -> dict:
    sys.path.insert(0, str(code))
    from app.worker import tune_gc

    tune_gc()  # the worker's collector thresholds: ingest runs in the worker
    from app.learning.features import item_features
    from app.learning.model import AGENCY_PREFIX
    from app.rules.analysis import analyze_item
    from app.rules.detector import detect_public_question
    from app.rules.matcher import compile_rule
    from app.rules.ruleset import RuleSet
    from app.rules.starter_rules import load_starter_rules
    from app.services.learning import ActiveModel, classify_all, starter_model
    from search_index import word_parts

    texts = articles()
    ruleset = RuleSet()
    for n, rule in enumerate(load_starter_rules()):
        ruleset.add(n, compile_rule(rule.query, title_only=rule.title_only, lead=rule.lead))
    active = ActiveModel(None, starter_model())
    slugs = {label[len(AGENCY_PREFIX):]: 0 for label in active.model.labels if label.startswith(AGENCY_PREFIX)}
    model = active.model
    _ = model.keep  # made with the model (``active_model``), before the clock in bench_ingest too
    cpu: dict[str, float] = {}

    def timed(name: str, work):
        started = time.process_time()
        result = work()
        cpu[name] = round(time.process_time() - started, 3)
        return result

    def analysed():
        items = [analyze_item(title, body) for title, body in texts]
        for item in items:
            item.analyze()
        return items

    items = timed("analysis_cold", analysed)
    spellings = len(word_parts.WORDS)
    timed("analysis_warm", analysed)
    ruled = timed("rules", lambda: [ruleset.route(item).routes for item in items])
    features = timed("features", lambda: [item_features(item, ngrams=model.uses_ngrams, keep=model.keep)
                                          for item in items])
    timed("predictions", lambda: [model.predict(f) for f in features])
    read = classify_all(items, slugs, active)
    routed = [i for i, (found, classified) in enumerate(zip(ruled, read)) if found or classified.routes]
    timed("detector", lambda: [detect_public_question(*texts[i], item=items[i]) for i in routed])
    return {"items": len(items), "spellings": spellings, "routed": len(routed), "cpu_seconds": cpu,
            "route_items_estimate": round(sum(cpu[k] for k in ("analysis_cold", "rules", "features", "predictions",
                                                                 "detector")), 3),
            "load_average_1min": round(os.getloadavg()[0], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", help="the checkout whose code is measured (default: this one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not NEWS.is_dir():
        sys.exit(f"articles not found: {NEWS}")
    report = measure(Path(args.repo).resolve() if args.repo else REPO)
    if args.json:
        print(json.dumps(report))
        return
    print(f"{report['items']} items, {report['spellings']} spellings, {report['routed']} routed; "
          f"load {report['load_average_1min']}")
    for name, seconds in report["cpu_seconds"].items():
        print(f"  {name:14} {seconds:6.3f} s CPU")
    print(f"  route_items' stages (cold analysis) {report['route_items_estimate']:.3f} s")


if __name__ == "__main__":
    main()
