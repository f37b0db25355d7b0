"""Routing and public-question detection measured on the hand-labelled set of bench/routing/.

Routes every labelled article of ../shared/data/persian-news/ with the starter pack and the
detector (title = the article's title; text = its abstract and paragraphs, as an item's summary
and body) and prints, for the test half and the dev half: per-agency precision/recall, micro and
macro averages, the detector's precision/recall/F1 (rounds 1–3, round 4 and all), and the errors
for inspection. Round 4's articles are labelled for the detector only (``agencies`` null): the
routing figures leave them out.

    .venv/bin/python bench/eval_routing.py [--split test|dev|all] [--errors] [--sweep] [--json]

``--sweep`` prints the detector's F1 at other thresholds on dev (how THRESHOLD was chosen).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench" / "routing"))

from select_articles import NEWS  # noqa: E402

from app.rules import detector  # noqa: E402
from app.rules.analysis import analyze_item  # noqa: E402
from app.rules.starter_rules import STANDARD_SLUGS, starter_ruleset  # noqa: E402

LABELS = REPO / "bench" / "routing" / "labels.jsonl"


def load(split: str, labels: Path = LABELS) -> list[dict]:
    """Labelled rows of ``split`` with the article text attached (``title``, ``text``)."""
    rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line]
    files: dict[str, list] = {}
    out = []
    for row in rows:
        if split != "all" and row["split"] != split:
            continue
        if row["file"] not in files:
            files[row["file"]] = json.loads((NEWS / row["file"]).read_text(encoding="utf-8"))
        article = files[row["file"]][row["index"]]
        if article["link"] != row["link"]:
            raise SystemExit(f"{row['file']}[{row['index']}]: link changed, labels are stale")
        text = "\n".join([article.get("abstract") or "", *article.get("paragraphs", [])])
        out.append({**row, "title": article["title"], "text": text})
    return out


def run(rows: list[dict]) -> list[dict]:
    ruleset = starter_ruleset()
    for row in rows:
        item = analyze_item(row["title"], row["text"])
        matched = ruleset.route(item).routes  # as routing at ingest: a foreign title's title-only matches held
        row["predicted"] = sorted({rule.agency for rule, _ in matched})
        row["why"] = {rule.agency + ":" + rule.name: m.words[:4] for rule, m in matched}
        row["detection"] = detector.detect_public_question(row["title"], row["text"], item=item)
    return rows


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def routing_figures(rows: list[dict]) -> dict:
    counts = {slug: Counter() for slug in STANDARD_SLUGS}
    for row in rows:
        if row["agencies"] is None:  # round 4: labelled for the detector only
            continue
        gold, pred = set(row["agencies"]), set(row["predicted"])
        for slug in STANDARD_SLUGS:
            key = "tp" if slug in gold and slug in pred else "fp" if slug in pred else (
                "fn" if slug in gold else None)
            if key:
                counts[slug][key] += 1
    per = {s: (*_prf(c["tp"], c["fp"], c["fn"]), c["tp"] + c["fn"], c["tp"] + c["fp"])
           for s, c in counts.items()}
    total = sum(counts.values(), Counter())
    scored = [v for v in per.values() if v[3]]  # agencies present in the gold labels
    macro = tuple(sum(v[i] for v in scored) / len(scored) for i in range(3)) if scored else (0, 0, 0)
    return {"per_agency": per, "micro": _prf(total["tp"], total["fp"], total["fn"]),
            "macro": macro}


def detector_figures(rows: list[dict], threshold: float | None = None) -> tuple:
    tp = fp = fn = 0
    for row in rows:
        d = row["detection"]
        flagged = d.is_question if threshold is None else d.raised and d.score >= threshold
        tp += flagged and row["question"]
        fp += flagged and not row["question"]
        fn += row["question"] and not flagged
    return (*_prf(tp, fp, fn), tp, fp, fn)


def by_round(rows: list[dict]) -> dict[str, list[dict]]:
    """The rows of rounds 1–3, of round 4, and all of them."""
    return {"rounds 1-3": [r for r in rows if r.get("round", 1) < 4],
            "round 4": [r for r in rows if r.get("round", 1) == 4], "all": rows}


def report(name: str, rows: list[dict], errors: bool) -> dict:
    fig = routing_figures(rows)
    det = detector_figures(rows)
    routed = [r for r in rows if r["agencies"] is not None]
    print(f"\n== {name}: {len(rows)} articles ({len(routed)} labelled for routing, "
          f"{sum(bool(r['agencies']) for r in routed)} with an agency), "
          f"{sum(r['question'] for r in rows)} raising a public question ==")
    print(f"{'agency':18} {'gold':>4} {'pred':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for slug, (p, r, f, gold, pred) in fig["per_agency"].items():
        if gold or pred:
            print(f"{slug:18} {gold:4d} {pred:4d} {p:6.2f} {r:6.2f} {f:6.2f}")
    for label in ("micro", "macro"):
        p, r, f = fig[label]
        print(f"{label:18} {'':4} {'':4} {p:6.2f} {r:6.2f} {f:6.2f}")
    for part, part_rows in by_round(rows).items():
        d = detector_figures(part_rows)
        print(f"detector (threshold {detector.THRESHOLD}), {part:10} ({len(part_rows):3d} articles, "
              f"{sum(r['question'] for r in part_rows):2d} positives): P {d[0]:.2f}  R {d[1]:.2f}  "
              f"F1 {d[2]:.2f}  (tp {d[3]}, fp {d[4]}, fn {d[5]})")
    if errors:
        for row in routed:
            gold, pred = set(row["agencies"]), set(row["predicted"])
            if gold != pred:
                print(f"  route {row['file']}[{row['index']}] gold={sorted(gold)} "
                      f"pred={sorted(pred)} missing={sorted(gold - pred)} extra={sorted(pred - gold)}"
                      f" | {row['title'][:70]} | {row['why']}")
        for row in rows:
            d = row["detection"]
            if d.is_question != row["question"]:
                kind = "missed" if row["question"] else "false"
                print(f"  question {kind} {row['file']}[{row['index']}] score={d.score} "
                      f"| {row['title'][:70]} | {[r.code for r in d.reasons]}")
    return {"articles": len(rows), "routing": fig, "detector": det}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--errors", action="store_true", help="list every routing/detector error")
    parser.add_argument("--sweep", action="store_true", help="detector F1 by threshold on dev")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not NEWS.exists():
        raise SystemExit(f"article data not present: {NEWS}")
    splits = ["test", "dev"] if args.split == "test" else [args.split]
    results = {}
    for split in splits:
        rows = run(load(split))
        if args.json:
            fig, det = routing_figures(rows), detector_figures(rows)
            keys = ("precision", "recall", "f1", "gold", "predicted")
            results[split] = {
                "per_agency": {s: dict(zip(keys, v)) for s, v in fig["per_agency"].items()},
                "micro": dict(zip(keys, fig["micro"])), "macro": dict(zip(keys, fig["macro"])),
                "detector": dict(zip((*keys[:3], "tp", "fp", "fn"), det)),
                "detector_by_round": {part: dict(zip((*keys[:3], "tp", "fp", "fn"), detector_figures(part_rows)))
                                      for part, part_rows in by_round(rows).items()}}
        else:
            results[split] = report(split, rows, args.errors)
        if args.sweep and split == "dev":
            for t in [x / 4 for x in range(4, 25)]:
                p, r, f, *_ = detector_figures(rows, t)
                p4, r4, f4, *_ = detector_figures(by_round(rows)["round 4"], t)
                print(f"  threshold {t:5.2f}: P {p:.2f} R {r:.2f} F1 {f:.2f}   round 4: P {p4:.2f} R {r4:.2f} F1 {f4:.2f}")
    if args.json:
        print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
