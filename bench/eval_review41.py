"""The round-41 judged set (bench/relevance/review41.jsonl): nDCG@10, P@10 and recall of the judged
relevant for Whoosh, tantivy and a Lucene-like baseline, by split; says whether the two engines
return the same hits.

    .venv/bin/python bench/eval_review41.py [--round 41|42|43|44|45|46|47|48] [--split dev|test|all] [--judge] [--show] [--json OUT]

``--round 42``, ``--round 43``, ``--round 44``: the round-42, 43 and 44 sets (``review42.jsonl``,
``review42_judgments.jsonl``…), same rules.

The judged pool is the top 10 of the three systems for each query. ``--judge`` grades pooled
articles that have no grade yet (written rules: ``grading.py``'s 0-2 on the query's ``topic``
patterns; an article holding a pattern of the query's ``exclude`` gets 0, as the user asked to
leave it out) and appends them to ``review41_judgments.jsonl``; existing grades never change.
Without it, an unjudged article in a top 10 counts as 0 and is reported. Recall = the judged
relevant (grade ≥ 1) that a system returns anywhere in its results, over all the judged relevant.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from eval_relevance import dcg, read_jsonl  # noqa: E402
from relevance.grading import grade, occurrences  # noqa: E402
from relevance.systems import WhooshBaseline, _scratch, body_of, load_articles, lucene_analyzer  # noqa: E402

from search_index.backend import MAX_PER_PAGE, IndexDoc, SearchRequest  # noqa: E402
from search_index.tantivy_backend import TantivyBackend  # noqa: E402
from search_index.whoosh_backend import WhooshBackend  # noqa: E402

ROUNDS = {r: (HERE / "relevance" / f"review{r}.jsonl", HERE / "relevance" / f"review{r}_judgments.jsonl")
          for r in ("41", "42", "43", "44", "45", "46", "47", "48")}
K = 10


class Engine:
    """A production backend over the articles; ``search`` returns every hit, best first."""

    def __init__(self, name: str, cls, articles: list[dict]):
        self.name = name
        self.backend = cls(_scratch(f"r41-{name}-"), writable=True)
        self.keys = {f"item:{n}": a["key"] for n, a in enumerate(articles, 1)}
        self.backend.rebuild([IndexDoc(key=f"item:{n}", doc_type="item", title=a["title"], body=body_of(a))
                              for n, a in enumerate(articles, 1)], fresh=True)
        if hasattr(self.backend, "finish_rebuild"):
            self.backend.finish_rebuild()

    def search(self, text: str) -> list[str]:
        out, page = [], 1
        while True:
            result = self.backend.search(SearchRequest(text, per_page=MAX_PER_PAGE, page=page))
            out += [self.keys[h.key] for h in result.hits]
            if len(result.hits) < MAX_PER_PAGE or len(out) >= result.total:
                return out
            page += 1


class Baseline(WhooshBaseline):
    """The Lucene approximation of systems.py, with the query syntax a Lucene user types:
    «یا» as OR, a leading ``-`` as NOT, «…» as quotes."""

    def __init__(self, articles: list[dict]):
        super().__init__("lucene", lucene_analyzer(), articles)

    def search(self, text: str) -> list[str]:  # type: ignore[override]
        text = text.replace("«", '"').replace("»", '"').replace(" یا ", " OR ")
        text = re.sub(r"(^|\s)-(\S)", r"\1NOT \2", text)
        return super().search(text, None)


def grade_of(q: dict, article: dict) -> tuple[int, str]:
    if q.get("exclude"):
        text = "\n".join([article["title"], article.get("abstract", "")] + article["paragraphs"])
        if occurrences(q["exclude"], text):
            return 0, "holds an excluded word"
    return grade(q["topic"], article)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--round", default="41", choices=sorted(ROUNDS))
    ap.add_argument("--split", default="all", choices=("dev", "test", "all"))
    ap.add_argument("--judge", action="store_true")
    ap.add_argument("--show", action="store_true", help="per query: each system's top 10 with grades")
    ap.add_argument("--json")
    args = ap.parse_args()
    queries_path, judgments_path = ROUNDS[args.round]
    articles = load_articles()
    if not articles:
        sys.exit("no articles: ../shared/data/persian-news is absent (see bench/relevance/README.md)")
    by_key = {a["key"]: a for a in articles}
    systems = [Engine("whoosh", WhooshBackend, articles), Engine("tantivy", TantivyBackend, articles),
               Baseline(articles)]
    queries = [q for q in read_jsonl(queries_path) if args.split in ("all", q["split"])]
    results = {q["id"]: {s.name: s.search(q["query"]) for s in systems} for q in queries}
    known: dict[str, dict[str, int]] = {}
    for j in read_jsonl(judgments_path) if judgments_path.exists() else ():
        known.setdefault(j["query"], {})[f"{j['file']}#{j['index']}"] = j["grade"]
    if args.judge:
        added = []
        for q in queries:
            pool: dict[str, list[str]] = {}
            for name, hits in results[q["id"]].items():
                for key in hits[:K]:
                    pool.setdefault(key, []).append(name)
            for key, names in sorted(pool.items()):
                if key not in known.get(q["id"], {}):
                    value, reason = grade_of(q, by_key[key])
                    known.setdefault(q["id"], {})[key] = value
                    added.append({"query": q["id"], "file": by_key[key]["file"], "index": by_key[key]["index"],
                                  "grade": value, "reason": reason, "pooled_by": names})
        with judgments_path.open("a", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in added)
        print(f"judged {len(added)} new pooled articles", file=sys.stderr)
    per: dict[str, dict[str, dict]] = {}
    for q in queries:
        judged = known.get(q["id"], {})
        relevant = {k for k, g in judged.items() if g >= 1}
        ideal = dcg(sorted(judged.values(), reverse=True)[:K])
        row = per[q["id"]] = {}
        for name, hits in results[q["id"]].items():
            top = hits[:K]
            row[name] = {"n": len(hits), "unjudged": sum(k not in judged for k in top),
                         "ndcg": dcg([judged.get(k, 0) for k in top]) / ideal if ideal else None,
                         "p10": sum(judged.get(k, 0) >= 1 for k in top) / K,
                         "recall": len(relevant & set(hits)) / len(relevant) if relevant else None}
        w, t = results[q["id"]]["whoosh"], results[q["id"]]["tantivy"]
        row["same_hits"] = set(w) == set(t)
        f = lambda x: "  -  " if x is None else f"{x:.3f}"  # noqa: E731
        print(f"{q['id']} {q['split']:4} {q['kind'][:9]:9} {q['query'][:20]:20} rel {len(relevant):2} | "
              + " | ".join(f"{n[0].upper()} n {row[n]['n']:4} nDCG {f(row[n]['ndcg'])} P {row[n]['p10']:.1f}"
                           f" R {f(row[n]['recall'])}" for n in results[q["id"]])
              + ("" if row["same_hits"] else f" | DIFFERENT {len(set(w) ^ set(t))}"))
        if args.show:
            for name, hits in results[q["id"]].items():
                print(f"   {name}:", " ".join(f"{k}={judged.get(k, '?')}" for k in hits[:K]))
    summary = {}
    for name in (s.name for s in systems):
        for sp in ("dev", "test", "all") if args.split == "all" else (args.split,):
            sel = [per[q["id"]][name] for q in queries if sp in ("all", q["split"])]
            if not sel:
                continue
            def mean(key: str, sel=sel) -> float:
                values = [x[key] for x in sel if x[key] is not None]
                return sum(values) / len(values) if values else float("nan")

            summary[f"{name} {sp}"] = s = {"queries": len(sel), "ndcg@10": round(mean("ndcg"), 3),
                                          "p@10": round(mean("p10"), 3), "recall": round(mean("recall"), 3),
                                          "unjudged_in_top10": sum(x["unjudged"] for x in sel)}
            print(f"{name:8} {sp:4} queries {s['queries']:2}  nDCG@10 {s['ndcg@10']:.3f}  P@10 {s['p@10']:.3f}"
                  f"  recall {s['recall']:.3f}  unjudged in top 10 {s['unjudged_in_top10']}")
    print("whoosh and tantivy: same hits on", sum(per[q["id"]]["same_hits"] for q in queries), "of", len(queries))
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "per_query": per}, ensure_ascii=False, indent=1),
                                   encoding="utf-8")


if __name__ == "__main__":
    main()
