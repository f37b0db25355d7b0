"""Routing and question figures of every labelled round of bench/routing (rounds 1–4 of labels.jsonl and
rounds 7–12), per round and pooled, for one split: micro P / R / F1 of the rules' routes (round 4 has no
routing labels) and the detector's tp / fp / fn with P / R / F1.

    .venv/bin/python bench/routing/pooled.py [--split dev|test] [--json] [--dump OUT.json]

``--dump OUT.json`` writes each article's routes and flag (by link), to list what a change moved
(``--compare OLD.json``, dev split only: test articles are neither named nor counted).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent), str(HERE)]

from detector_errors import ROUND_LABELS  # noqa: E402
from eval_routing import _prf, load, routing_figures, run  # noqa: E402


def counts(rows: list[dict]) -> dict[str, int]:
    """tp / fp / fn of routes (summed over agencies) and of question flags."""
    out = dict.fromkeys(("rtp", "rfp", "rfn", "qtp", "qfp", "qfn"), 0)
    for row in rows:
        if row["agencies"] is not None:
            gold, pred = set(row["agencies"]), set(row["predicted"])
            out["rtp"] += len(gold & pred)
            out["rfp"] += len(pred - gold)
            out["rfn"] += len(gold - pred)
        flagged = row["detection"].is_question
        out["qtp"] += flagged and row["question"]
        out["qfp"] += flagged and not row["question"]
        out["qfn"] += row["question"] and not flagged
    return out


def line(name: str, c: dict[str, int]) -> str:
    rp = _prf(c["rtp"], c["rfp"], c["rfn"])
    qp = _prf(c["qtp"], c["qfp"], c["qfn"])
    return (f"{name:10} routes P {rp[0]:.3f} R {rp[1]:.3f} F1 {rp[2]:.3f} (tp {c['rtp']} fp {c['rfp']} fn {c['rfn']})"
            f" | question P {qp[0]:.2f} R {qp[1]:.2f} F1 {qp[2]:.2f} (tp {c['qtp']} fp {c['qfp']} fn {c['qfn']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    rounds = {name: run(load(args.split, path)) for name, path in ROUND_LABELS.items()}
    total = dict.fromkeys(("rtp", "rfp", "rfn", "qtp", "qfp", "qfn"), 0)
    result = {}
    for name, rows in rounds.items():
        c = counts(rows)
        assert routing_figures(rows)["micro"] == _prf(c["rtp"], c["rfp"], c["rfn"])
        total = {k: total[k] + c[k] for k in total}
        result[name] = c
        if not args.json:
            print(line(f"round {name}", c))
    result["pooled"] = total
    print(json.dumps(result) if args.json else line("pooled", total))
    state = {row["link"]: [row["predicted"], row["detection"].is_question, row["title"], row["agencies"],
                           row["question"]] for rows in rounds.values() for row in rows}
    if args.dump:
        args.dump.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    if args.compare and args.split == "dev":
        old = json.loads(args.compare.read_text(encoding="utf-8"))
        for link, (pred, flag, title, gold, question) in state.items():
            if [pred, flag] != old[link][:2]:
                print(f"  moved {old[link][:2]} -> {[pred, flag]} gold={gold}/{question} | {title[:70]}")


if __name__ == "__main__":
    main()
