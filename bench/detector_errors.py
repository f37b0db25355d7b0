"""The public-question detector's errors on the labelled **dev** halves of bench/routing (rounds 1–4 of
labels.jsonl and rounds 7–12), with the score and every cue that fired (its snippet), and its tp / fp / fn
per round and half. Test halves are printed as figures only (``--test-figures``); their errors only with
``--test-errors`` (session 45 studied them: the test halves are no longer blind).

    .venv/bin/python bench/detector_errors.py [--test-figures] [--scores OUT.json] [--cpu]

``--scores OUT.json`` writes every article's [score, flag] (by link) over the whole corpus, to compare two
versions of the detector (``--compare OLD.json`` prints the articles whose flag moved, dev and unlabelled
only: a test article is neither named nor counted). ``--cpu`` times ``detect_public_question`` over all articles
of the corpus in CPU time (analysis done first, untimed; best of 4 passes).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench"), str(REPO / "bench" / "routing")]

from eval_routing import LABELS, load  # noqa: E402
from select_articles import all_articles  # noqa: E402

from app.rules import detector  # noqa: E402
from app.rules.analysis import analyze_item  # noqa: E402

ROUND_LABELS = {"1-4": LABELS, **{str(n): REPO / "bench" / "routing" / f"labels_round{n}.jsonl"
                                  for n in range(7, 13)}}


def labelled(split: str) -> dict[str, list[dict]]:
    return {name: load(split, path) for name, path in ROUND_LABELS.items()}


def figures(rows: list[dict]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for row in rows:
        flagged = row["detection"].is_question
        tp += flagged and row["question"]
        fp += flagged and not row["question"]
        fn += row["question"] and not flagged
    return tp, fp, fn


def detect(rows: list[dict]) -> None:
    for row in rows:
        row["detection"] = detector.detect_public_question(row["title"], row["text"])


def show_errors(rounds: dict[str, list[dict]]) -> None:
    for name, rows in rounds.items():
        for row in rows:
            d = row["detection"]
            if d.is_question == row["question"]:
                continue
            kind = "MISSED" if row["question"] else "FALSE"
            print(f"\n[{kind}] round {name} {row['file']}[{row['index']}] score {d.score} | {row['title']}")
            print(f"   note: {row.get('note', '')}")
            for r in d.reasons:
                print(f"   {r.code:16} {r.snippet}")


def article_text(article: dict) -> str:
    return "\n".join([article.get("abstract") or "", *article.get("paragraphs", [])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test-figures", action="store_true", help="also the test halves' tp / fp / fn")
    parser.add_argument("--scores", type=Path, help="write every article's score and flag (JSON)")
    parser.add_argument("--compare", type=Path, help="flags moved since a --scores file (no test article named)")
    parser.add_argument("--cpu", action="store_true", help="the detector's CPU time over the corpus")
    parser.add_argument("--quiet", action="store_true", help="figures only, no error list")
    parser.add_argument("--test-errors", action="store_true",
                        help="also the test halves' errors: they are then seen, no longer blind (session 45)")
    args = parser.parse_args()
    dev = labelled("dev")
    for rows in dev.values():
        detect(rows)
    if not args.quiet:
        show_errors(dev)
    print()
    total = [0, 0, 0]
    for name, rows in dev.items():
        f = figures(rows)
        total = [a + b for a, b in zip(total, f)]
        print(f"dev round {name:4}: tp {f[0]:2d} fp {f[1]:2d} fn {f[2]:2d}")
    print(f"dev pooled    : tp {total[0]:2d} fp {total[1]:2d} fn {total[2]:2d}  errors {total[1] + total[2]}")
    if args.test_figures:
        total = [0, 0, 0]
        for name, rows in labelled("test").items():
            detect(rows)
            f = figures(rows)
            total = [a + b for a, b in zip(total, f)]
            print(f"test round {name:4}: tp {f[0]:2d} fp {f[1]:2d} fn {f[2]:2d}")
        print(f"test pooled    : tp {total[0]:2d} fp {total[1]:2d} fn {total[2]:2d}")
    if args.test_errors:
        test = labelled("test")
        for rows in test.values():
            detect(rows)
        print("\nTHE TEST HALVES' ERRORS (seen from session 45 on: no longer blind)")
        show_errors(test)
    if args.scores or args.compare or args.cpu:
        articles = [(a["link"], a["title"], article_text(a)) for _, _, a in all_articles()]
    if args.scores or args.compare:
        found = ((link, detector.detect_public_question(title, text)) for link, title, text in articles)
        scores = {link: [d.score, d.is_question] for link, d in found}
        if args.scores:
            args.scores.write_text(json.dumps(scores, ensure_ascii=False), encoding="utf-8")
        if args.compare:
            old = json.loads(args.compare.read_text(encoding="utf-8"))
            test = {row["link"] for rows in labelled("test").values() for row in rows}
            gold = {row["link"]: row["question"] for rows in dev.values() for row in rows}
            titles = {link: title for link, title, _ in articles}
            moved = [link for link in scores if scores[link][1] != old[link][1]]
            moved = [link for link in moved if link not in test]  # not even counted
            print(f"flags moved outside the test halves: {len(moved)}")
            for link in moved:
                print(f"  {old[link][0]} -> {scores[link][0]} gold={gold.get(link, 'unlabelled')} | {titles[link][:80]}")
    if args.cpu:
        analysed = [(title, text, analyze_item(title, text)) for _, title, text in articles]
        for _, _, item in analysed:  # the term index and the lead built, as routing leaves them
            item.terms  # noqa: B018
        best = []
        for _ in range(4):
            start = time.process_time()
            for title, text, item in analysed:
                detector.detect_public_question(title, text, item=item)
            best.append(time.process_time() - start)
        print(f"detector CPU over {len(analysed)} articles: best {min(best):.3f} s, passes "
              + ", ".join(f"{t:.3f}" for t in best))


if __name__ == "__main__":
    main()
