"""Routing: 1,000 active rules matched against one item (target: median under 2 ms).

Rules: the starter pack plus rules generated from the vocabulary of real articles (free words,
"phrases" taken from the text, OR pairs, exclusions; a fifth of them title-only). Items: every
article of ../shared/data/persian-news/ (title; abstract and paragraphs as the body). Times one
``RuleSet.match`` per item (candidates, verification and the explanation of every match), the
same without explanations (``matching``), the one-off ``analyze_item``, and matching every rule
one by one for comparison. Rules are indexed with the default frequency guess and, separately,
with document frequencies counted on the corpus.

    .venv/bin/python bench/bench_matcher.py [--rules 1000] [--seed 7] [--json]
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared" / "data" / "persian-news"
sys.path.insert(0, str(REPO))

from app.rules.analysis import analyze_item  # noqa: E402
from app.rules.matcher import compile_rule, matches  # noqa: E402
from app.rules.ruleset import RuleSet  # noqa: E402
from app.rules.starter_rules import load_starter_rules  # noqa: E402
from search_index.persian import is_stopword, normalize  # noqa: E402


def load_articles() -> list[tuple[str, str]]:
    out = []
    for path in sorted(NEWS.glob("fars-news-*.json")):
        for a in json.loads(path.read_text(encoding="utf-8")):
            out.append((a["title"], "\n".join([a.get("abstract") or "", *a.get("paragraphs", [])])))
    return out


_NO_QUOTES = str.maketrans({c: " " for c in '"«»“”„-|'})


def generate_rules(articles, count: int, rng: random.Random) -> list[tuple[str, bool]]:
    """Rule texts of the kinds people write, from words that occur in the articles."""
    texts = [f"{t} {b}".translate(_NO_QUOTES).split() for t, b in articles]
    # Distinct words: rules name topics, not the commonest words of the text.
    words = sorted({w for ws in texts for w in ws
                    if len(w) > 2 and w.isalpha() and not is_stopword(normalize(w))})
    rules = []
    while len(rules) < count:
        kind = rng.random()
        if kind < 0.35:
            query = " ".join(rng.sample(words, rng.randint(1, 3)))
        elif kind < 0.65:
            ws = rng.choice(texts)
            start = rng.randrange(max(1, len(ws) - 3))
            query = "«" + " ".join(ws[start:start + rng.randint(2, 3)]) + "»"
        elif kind < 0.85:
            query = " یا ".join(rng.sample(words, rng.randint(2, 4)))
        else:
            query = f"{rng.choice(words)} {rng.choice(words)} -{rng.choice(words)}"
        if query.strip("«» "):
            rules.append((query, rng.random() < 0.2))
    return rules


def _times(fn, items) -> list[float]:
    out = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def _summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"median_ms": round(statistics.median(ms), 3), "p95_ms": round(ms[int(len(ms) * 0.95)], 3),
            "mean_ms": round(statistics.fmean(ms), 3), "max_ms": round(ms[-1], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not NEWS.exists():
        raise SystemExit(f"article data not present: {NEWS}")
    rng = random.Random(args.seed)
    articles = load_articles()
    starter = [(r.query, r.title_only) for r in load_starter_rules()]
    texts = starter + generate_rules(articles, args.rules - len(starter), rng)
    started = time.perf_counter()
    compiled = [compile_rule(q, title_only=t) for q, t in texts]
    compile_ms = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    items = [analyze_item(t, b) for t, b in articles]
    for item in items:
        _ = item.terms  # the term index is built on first use: build it here, inside the clock
    analyze_ms = (time.perf_counter() - started) * 1000 / len(items)

    df = Counter(term for item in items for term in item.terms)
    results = {"rules": len(compiled), "items": len(items), "compile_all_rules_ms": round(compile_ms, 1),
               "analyze_item_mean_ms": round(analyze_ms, 3)}
    for name, frequency in (("default", None), ("corpus_df", lambda t: df.get(t, 0))):
        started = time.perf_counter()
        ruleset = RuleSet(frequency) if frequency else RuleSet()
        for n, rule in enumerate(compiled):
            ruleset.add(n, rule)
        results[f"index_rules_{name}_ms"] = round((time.perf_counter() - started) * 1000, 1)
        for item in items[:50]:  # warm-up
            ruleset.match(item)
        results[f"match_{name}"] = _summary(_times(ruleset.match, items))
        results[f"matching_{name}"] = _summary(_times(ruleset.matching, items))
        results[f"candidates_{name}_mean"] = round(
            statistics.fmean(len(ruleset.candidates(i)) for i in items), 1)
    results["matched_rules_mean"] = round(statistics.fmean(len(ruleset.matching(i)) for i in items), 2)
    results["brute_force"] = _summary(
        _times(lambda it: [r for r in compiled if matches(r, it)], items[:300]))
    if args.json:
        print(json.dumps(results))
        return
    for key, value in results.items():
        print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
