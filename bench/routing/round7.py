"""Round 7 of the routing review: 120 articles of ../shared/data/persian-news in no line of
labels.jsonl, drawn per category by the SHA-1 of the link (every provincial article was used by
rounds 1–3; the magazine and uncategorised pages hold the older provincial news), split dev/test
by ``select_articles.split_of``; labelled in ``labels_round7.jsonl`` (links and labels only) before
anything was routed. Prints routing and detector figures, rules alone and rules ∪ the shipped model.

    .venv/bin/python bench/routing/round7.py [--draw] [--split dev|test|all] [--errors]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent), str(HERE)]

from eval_learning import STARTER_MODEL, TUNED, with_model  # noqa: E402
from eval_routing import detector_figures, routing_figures, run  # noqa: E402
from eval_routing import load as load_labelled  # noqa: E402
from select_articles import all_articles, link_hash, split_of  # noqa: E402

from app.learning.features import item_features  # noqa: E402
from app.learning.model import TextModel  # noqa: E402
from app.rules.analysis import analyze_item  # noqa: E402

LABELS = HERE / "labels_round7.jsonl"
TAKE = {"farsplus-magazine": 34, "": 10, "culture": 14, "arts-media": 12, "scientific-academic": 12,
        "sports": 14, "politics": 12, "world": 8, "foreign-policy": 4}


def draw() -> list[dict]:
    used = {json.loads(line)["link"] for line in (HERE / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line}
    groups: dict[str, list[dict]] = {}
    for name, index, article in all_articles():
        if article["link"] not in used and article["cat"] in TAKE:
            groups.setdefault(article["cat"], []).append(
                {"file": name, "index": index, "link": article["link"], "cat": article["cat"]})
    chosen = [row for cat, n in TAKE.items() for row in sorted(groups[cat], key=lambda r: link_hash(r["link"]))[:n]]
    return [{**row, "split": split_of(row["link"])} for row in sorted(chosen, key=lambda r: link_hash(r["link"]))]


def load(split: str, labels: Path = LABELS) -> list[dict]:
    """The rows of ``split`` with their text, ``number`` their line in ``labels``."""
    lines = {json.loads(line)["link"]: n for n, line in enumerate(labels.read_text(encoding="utf-8").splitlines())}
    return [{**row, "number": lines[row["link"]]} for row in load_labelled(split, labels)]


def show(name: str, rows: list[dict], errors: bool) -> None:
    p, r, f = routing_figures(rows)["micro"]
    d = detector_figures(rows)
    print(f"{name}: routing micro P {p:.3f} R {r:.3f} F1 {f:.3f} | question P {d[0]:.2f} R {d[1]:.2f} "
          f"F1 {d[2]:.2f} (tp {d[3]} fp {d[4]} fn {d[5]})")
    for row in rows if errors else ():
        gold, pred = set(row["agencies"]), set(row["predicted"])
        if gold != pred:
            print(f"  route #{row['number']} missing={sorted(gold - pred)} extra={sorted(pred - gold)} "
                  f"| {row['title'][:60]} | {row.get('why', '')}")
        if row["detection"].is_question != row["question"]:
            print(f"  question {'missed' if row['question'] else 'false'} #{row['number']} "
                  f"| {row['title'][:60]} | {[x.code for x in getattr(row['detection'], 'reasons', [])]}")


def main(draw=draw, labels: Path = LABELS, doc: str = __doc__) -> None:
    """A round's command line (round 8 runs it with its own draw and labels)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--draw", action="store_true", help="print the draw's ids as JSON lines")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    if args.draw:
        for row in draw():
            print(json.dumps(row, ensure_ascii=False))
        return
    rows = run(load(args.split, labels))
    show(f"{args.split} rules", rows, args.errors)
    model = TextModel.from_bytes(STARTER_MODEL.read_bytes())
    for row in rows:
        row["features"] = item_features(analyze_item(row["title"], row["text"]))
    show(f"{args.split} rules+model", with_model(rows, model, TUNED["drop"]), args.errors)


if __name__ == "__main__":
    main()
