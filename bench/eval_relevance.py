"""Relevance on the 1,500 real articles: nDCG@10 of ours vs two baselines, and spelling-variant
recall. The judged set and how it was made: ``bench/relevance/README.md``.

    .venv/bin/python bench/eval_relevance.py            # the figures, from judgments.jsonl
    .venv/bin/python bench/eval_relevance.py --judge    # grade pooled articles not judged yet
    .venv/bin/python bench/eval_relevance.py --json out.json

``--judge`` pools the top 10 of every system for every query and appends a grade (by the rules of
``relevance/grading.py``) for each pooled article that has none; existing grades never change.
Without it, an article a system ranks in its top 10 that was never judged counts as 0 and is
reported as "unjudged".
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from relevance.grading import grade  # noqa: E402
from relevance.systems import build_systems, load_articles, variants  # noqa: E402

QUERIES = HERE / "relevance" / "queries.jsonl"
JUDGMENTS = HERE / "relevance" / "judgments.jsonl"
K = 10


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def judge(queries, systems, by_key) -> int:
    """Grade the pooled top-K articles that have no grade yet; returns how many were added."""
    known = {(j["query"], j["file"], j["index"]) for j in read_jsonl(JUDGMENTS)}
    added = []
    for q in queries:
        pool: dict[str, list[str]] = {}
        for system in systems:
            for key in system.search(q["query"], K):
                pool.setdefault(key, []).append(system.name)
        for key, names in sorted(pool.items()):
            article = by_key[key]
            if (q["id"], article["file"], article["index"]) in known:
                continue
            value, reason = grade(q["topic"], article)
            added.append({"query": q["id"], "file": article["file"], "index": article["index"], "grade": value,
                          "reason": reason, "pooled_by": names})
    with JUDGMENTS.open("a", encoding="utf-8") as fh:
        for row in added:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(added)


def dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def evaluate(queries, systems) -> dict:
    grades: dict[str, dict[str, int]] = {}
    for j in read_jsonl(JUDGMENTS):
        grades.setdefault(j["query"], {})[f"{j['file']}#{j['index']}"] = j["grade"]
    per_system = {s.name: [] for s in systems}
    unjudged = {s.name: 0 for s in systems}
    used = []
    for q in queries:
        judged = grades.get(q["id"], {})
        ideal = dcg(sorted(judged.values(), reverse=True)[:K])
        if ideal == 0:
            continue  # no relevant article in the pool: nDCG is undefined
        used.append(q["id"])
        for system in systems:
            ranked = system.search(q["query"], K)
            unjudged[system.name] += sum(1 for key in ranked if key not in judged)
            per_system[system.name].append(dcg([judged.get(key, 0) for key in ranked]) / ideal)
    return {"queries_used": len(used), "queries_without_relevant": [q["id"] for q in queries if q["id"] not in used],
            "ndcg@10": {name: round(statistics.mean(v), 3) for name, v in per_system.items()},
            "unjudged_in_top10": unjudged,
            "per_query": {name: dict(zip(used, (round(x, 3) for x in v))) for name, v in per_system.items()}}


def variant_recall(queries, systems) -> dict:
    """Mean share of the canonical query's results that each spelling variant also returns."""
    out = {}
    for system in systems:
        by_kind: dict[str, list[float]] = {}
        for q in queries:
            canonical = set(system.search(q["query"], None))
            if not canonical:
                continue
            for kind, text in variants(q["query"], q.get("compound", False)).items():
                got = set(system.search(text, None))
                by_kind.setdefault(kind, []).append(len(canonical & got) / len(canonical))
        flat = [x for v in by_kind.values() for x in v]
        out[system.name] = {"all": round(statistics.mean(flat), 3), "pairs": len(flat),
                            **{k: round(statistics.mean(v), 3) for k, v in sorted(by_kind.items())}}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--judge", action="store_true", help="grade pooled articles without a grade first")
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args()
    articles = load_articles()
    by_key = {a["key"]: a for a in articles}
    queries = read_jsonl(QUERIES)
    systems = build_systems(articles)
    if args.judge:
        print(f"judged {judge(queries, systems, by_key)} new pooled articles", file=sys.stderr)
    result = {"articles": len(articles), "queries": len(queries), **evaluate(queries, systems),
              "variant_recall": variant_recall(queries, systems)}
    print(json.dumps({k: v for k, v in result.items() if k != "per_query"}, ensure_ascii=False, indent=1))
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
