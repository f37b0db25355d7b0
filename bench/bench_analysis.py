"""The shared Persian analysis per item (issue 16, item 4): ``tokenize`` and ``analyze_field`` over
the title and the lead routing reads (5,000 characters) of the 1,500 articles of
../shared/data/persian-news, and ``item_features`` (the classifier's reading of the term index).

With ``--base DIR`` (a checkout of older code, e.g. ``git archive 2c57c0d | tar -x -C DIR``) the
older ``search_index/persian.py`` and ``app/rules/analysis.py`` are loaded beside the current ones
and timed in the same process, alternating old and new, after checking that they give the same
tokens and term indexes: CPU time (``process_time``), the minimum of ``--repeat`` runs (the
machine is shared: the minimum is the least disturbed run). Prints ms per article and the load
average before and after.

    .venv/bin/python bench/bench_analysis.py [--base DIR] [--repeat 7]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
NEWS = REPO.parent / "shared" / "data" / "persian-news"

from app.learning.features import item_features
from app.rules import analysis
from search_index import persian


def articles() -> list[tuple[str, str]]:
    """(title, lead) of every article, as ``analyze_item`` cuts them."""
    out = []
    for path in sorted(NEWS.glob("*.json")):
        for article in json.loads(path.read_text(encoding="utf-8")):
            body = "\n".join([article.get("abstract") or "", *article.get("paragraphs", [])])
            out.append((article.get("title") or "", analysis._lead(body, analysis.BODY_CHARS)))
    return out


def load_base(base: Path):
    """The older persian and analysis modules, under other names; the older analysis reads the
    older tokenizer (the stemmer and its data are shared)."""
    def load(name: str, path: Path):
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    old_persian = load("base_persian", base / "search_index" / "persian.py")
    old_analysis = load("base_analysis", base / "app" / "rules" / "analysis.py")
    old_analysis.tokenize = old_persian.tokenize
    return old_persian, old_analysis


def timed(runs: dict, repeat: int, n: int) -> dict[str, float]:
    """ms per article of each run, the minimum over ``repeat`` rounds, the runs alternating."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.process_time()
            run()
            times[name].append(time.process_time() - start)
    return {name: min(values) / n * 1e3 for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    texts = articles()
    fields = [text for pair in texts for text in pair]
    codes = {"new": (persian, analysis)}
    if args.base:
        codes = {"old": load_base(args.base), **codes}
        old_persian, old_analysis = codes["old"]
        for text in fields:  # the same output, or no figures
            assert list(old_persian.tokenize(text)) == list(persian.tokenize(text))
            old, new = old_analysis.analyze_field(text), analysis.analyze_field(text)
            assert list(old.items()) == list(new.items())
    def each(function, inputs):
        """``function`` over ``inputs``, each result let go at once (kept, 600,000 tuples would
        time the garbage collector's passes, not the code)."""
        def run():
            for value in inputs:
                function(value)
        return run

    runs = {}
    for name, (tok_module, analysis_module) in codes.items():
        tokenize = tok_module.tokenize
        runs[f"tokenize {name}"] = each(lambda text, tokenize=tokenize: list(tokenize(text)), fields)
        runs[f"analyze_field {name}"] = each(analysis_module.analyze_field, fields)
    analyzed = [analysis.analyze_item(title, lead) for title, lead in texts]
    for item in analyzed:
        item.fields  # noqa: B018 (the term index built beforehand: only the features are timed)
    runs["item_features (ngrams=False)"] = each(lambda item: item_features(item, ngrams=False), analyzed)
    for run in runs.values():  # caches warm (stems, n-grams), as in a running worker
        run()
    before = os.getloadavg()
    result = timed(runs, args.repeat, len(texts))
    after = os.getloadavg()
    print(f"{len(texts)} articles (title + {analysis.BODY_CHARS} characters), CPU ms per article, "
          f"min of {args.repeat}, load average {before[0]:.2f} → {after[0]:.2f}")
    for name, ms in result.items():
        print(f"  {name:32} {ms:7.3f}")


if __name__ == "__main__":
    main()
