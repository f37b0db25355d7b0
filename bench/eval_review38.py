"""The round-38 judged set (bench/relevance/review38.jsonl): recall, precision and nDCG@10 of both engines.

Relevant: an article whose text (read as grading.py reads it) matches the query's `topic` patterns
(and no `exclude_lenient`); a hit is right when it matches `topic` or `accept` (and no `exclude`);
grades for nDCG are grading.py's. Also says whether Whoosh and tantivy return the same hits.

    .venv/bin/python bench/eval_review38.py [--split dev|test] [--show N] [--json OUT]
"""
import argparse
import json
import math
import os
import re
import shutil
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [REPO, REPO + "/bench"]
from relevance.grading import grade, reading_text
from relevance.systems import body_of, load_articles

from search_index.backend import MAX_PER_PAGE, IndexDoc, SearchRequest
from search_index.tantivy_backend import TantivyBackend
from search_index.whoosh_backend import WhooshBackend

ap = argparse.ArgumentParser()
ap.add_argument("--queries", default=os.path.join(REPO, "bench", "relevance", "review38.jsonl"))
ap.add_argument("--split", default="all")
ap.add_argument("--json")
ap.add_argument("--show", type=int, default=0, help="list up to N misses / false hits per query")
args = ap.parse_args()

arts = load_articles()
text = {a["key"]: reading_text(a["title"] + "\n" + a.get("abstract", "") + "\n" + "\n".join(a["paragraphs"])) for a in arts}
by_key = {a["key"]: a for a in arts}
docs = [IndexDoc(key=f"item:{n}", doc_type="item", title=a["title"], body=body_of(a)) for n, a in enumerate(arts, 1)]
keys = {f"item:{n}": a["key"] for n, a in enumerate(arts, 1)}
tmp = tempfile.mkdtemp(prefix="r38-")
engines = {"whoosh": WhooshBackend(tmp + "/w", writable=True), "tantivy": TantivyBackend(tmp + "/t", writable=True)}
for e in engines.values():
    e.rebuild(docs, fresh=True)
    if hasattr(e, "finish_rebuild"):
        e.finish_rebuild()

def rx(ps): return re.compile("|".join(f"(?:{p})" for p in ps))

def run(engine, q):
    out, page = [], 1
    while True:
        r = engine.search(SearchRequest(q, per_page=MAX_PER_PAGE, page=page))
        out += [keys[h.key] for h in r.hits]
        if len(r.hits) < MAX_PER_PAGE or len(out) >= r.total:
            return out, r.warnings
        page += 1

with open(args.queries, encoding="utf-8") as lines:
    rows = [json.loads(line) for line in lines]
if args.split != "all":
    rows = [r for r in rows if r["split"] == args.split]
res = {}
for r in rows:
    top, acc = rx(r["topic"]), rx(r.get("accept", []) + r["topic"])
    exs = rx(r["exclude"]) if "exclude" in r else None
    exl = rx(r["exclude_lenient"]) if "exclude_lenient" in r else None
    relevant = {k for k, t in text.items() if top.search(t) and not (exl and exl.search(t))}
    ok = {k for k, t in text.items() if acc.search(t) and not (exs and exs.search(t))}
    grades = {}
    for k in relevant:
        g, _ = grade(r["topic"], by_key[k])
        grades[k] = g
    ideal = sorted(grades.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    per = {}
    for name, e in engines.items():
        hits, warns = run(e, r["query"])
        hs = set(hits)
        rec = len(hs & relevant) / len(relevant) if relevant else None
        prec = len(hs & ok) / len(hs) if hs else None
        dcg = sum((2**grades.get(k, 0) - 1) / math.log2(i + 2) for i, k in enumerate(hits[:10]))
        per[name] = {"n": len(hits), "recall": rec, "precision": prec, "ndcg": dcg / idcg if idcg else None,
                     "missed": sorted(relevant - hs), "false": [k for k in hits if k not in ok], "hits": hits,
                     "warnings": warns}
    res[r["id"]] = dict(query=r["query"], kind=r["kind"], split=r["split"], relevant=len(relevant), **per)
    w, t = per["whoosh"], per["tantivy"]
    same = set(w["hits"]) == set(t["hits"])
    f = lambda x: "  -  " if x is None else f"{x:.3f}"
    print(f"{r['id']} {r['split']:4} {r['query'][:22]:22} rel {len(relevant):3} | W n {w['n']:4} R {f(w['recall'])} P {f(w['precision'])} nDCG {f(w['ndcg'])}"
          f" | T nDCG {f(t['ndcg'])} {'same hits' if same else 'DIFFERENT ' + str(len(set(w['hits']) ^ set(t['hits'])))}")
    if args.show:
        for k in w["missed"][:args.show]:
            print("     miss", k, by_key[k]["title"][:60])
        for k in w["false"][:args.show]:
            print("     false", k, by_key[k]["title"][:60])
for name in engines:
    for sp in ("dev", "test", "all"):
        sel = [v[name] for v in res.values() if sp == "all" or v["split"] == sp]
        if not sel: continue
        m = lambda key, sel=sel: sum(x[key] for x in sel if x[key] is not None) / max(1, sum(x[key] is not None for x in sel))
        mr = sum(len(set(x["hits"])) - len(x["false"]) for x in sel)
        print(f"{name:8} {sp:4} queries {len(sel)}  recall(macro) {m('recall'):.3f}  precision(macro) {m('precision'):.3f}  nDCG@10 {m('ndcg'):.3f}"
              f"  misses {sum(len(x['missed']) for x in sel)}  false hits {sum(len(x['false']) for x in sel)}")
if args.json:
    with open(args.json, "w", encoding="utf-8") as out:
        json.dump(res, out, ensure_ascii=False, indent=1)
shutil.rmtree(tmp, ignore_errors=True)
