"""The shared Persian analysis per item (issue 16, item 4): ``tokenize`` and ``analyze_field`` over
the title and the lead routing reads (5,000 characters) of the 1,500 articles of
../shared/data/persian-news, ``text_tokens`` over each whole article (what a tantivy rebuild's
analysis processes run per document: the title and the body field, whose text is the title, a line
break and the abstract and paragraphs), and ``item_features`` (the classifier's reading of the term
index).

With ``--base DIR`` (a checkout of other code: a ``git worktree``, or ``git archive 2c57c0d | tar -x
-C DIR``) that tree's ``search_index/word_parts.py``, ``search_index/persian.py``,
``search_index/tantivy_backend/fields.py`` and ``app/rules/analysis.py`` are loaded beside the
current ones, each reading the other three of its own tree (the stemmer and its data are shared), and
timed in the same process, alternating old and new, after checking that they give the same tokens,
term indexes and token columns: CPU time (``process_time``), the minimum and the median of
``--repeat`` runs (the machine is shared: the minimum is the least disturbed run). A tree older
than session 22 has no ``fields.text_tokens``: its ``text_tokens`` runs are left out.

Warm runs first fill the word caches, as in a worker that has run a while. ``--cold N`` adds N
alternating passes of ``text_tokens`` over the 1,500 articles with every word cache emptied first
(``word_parts.WORDS``, the cached normalization of a word and the stemmer's cache): what a fresh
rebuild process pays on its first sight of each spelling (36,846 of them here). Prints ms per
article and the load average before and after.

    .venv/bin/python bench/bench_analysis.py [--base DIR] [--repeat 7] [--cold 5]
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType, SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
NEWS = REPO.parent / "shared" / "data" / "persian-news"

from app.learning.features import item_features
from app.rules import analysis
from search_index import persian, stemmer, word_parts
from search_index.lexicon import lexicon
from search_index.stems import stopwords
from search_index.tantivy_backend import fields

# (module name, path in a tree): each loaded with the ones before it standing in for its own tree's
LOADED = (("search_index.word_parts", "search_index/word_parts.py"), ("search_index.persian", "search_index/persian.py"),
          ("search_index.tantivy_backend.fields", "search_index/tantivy_backend/fields.py"),
          ("app.rules.analysis", "app/rules/analysis.py"))


def articles() -> list[tuple[str, str, str]]:
    """(title, lead, body) of every article: the lead as ``analyze_item`` cuts it, the body as
    bench_search.py writes a document's."""
    out = []
    for path in sorted(NEWS.glob("*.json")):
        for article in json.loads(path.read_text(encoding="utf-8")):
            body = "\n".join([article.get("abstract") or "", *article.get("paragraphs", [])])
            out.append((article.get("title") or "", analysis._lead(body, analysis.BODY_CHARS), body))
    return out


def load_base(base: Path) -> SimpleNamespace:
    """The older analysis modules, under other names; each reads the older modules before it in
    ``LOADED`` (the stemmer, the stems and their data are the current ones)."""
    loaded: dict[str, ModuleType] = {}
    saved = {name: sys.modules[name] for name, _path in LOADED}
    try:
        for name, path in LOADED:
            if not (base / path).exists():
                continue
            spec = importlib.util.spec_from_file_location("base_" + name.replace(".", "_"), base / path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            loaded[name] = sys.modules[name] = module
    finally:
        sys.modules.update(saved)
    old_persian = loaded["search_index.persian"]
    old_analysis = loaded["app.rules.analysis"]
    if not hasattr(old_analysis, "token_tuples"):  # an analysis of the time it read ``tokenize``
        old_analysis.tokenize = old_persian.tokenize
    return SimpleNamespace(persian=old_persian, analysis=old_analysis,
                           word_parts=loaded.get("search_index.word_parts", word_parts),
                           fields=loaded.get("search_index.tantivy_backend.fields"))


def emptied(code: SimpleNamespace) -> None:
    """Every word cache of ``code`` emptied (and the shared stemmer's): the next pass is cold."""
    code.word_parts.WORDS.clear()
    getattr(code.word_parts, "_OLDER", {}).clear()  # the older generation (session 47)
    for module in (code.word_parts, code.persian):
        term = getattr(module, "_term", None)
        if hasattr(term, "cache_clear"):
            term.cache_clear()
    stemmer.stem.cache_clear()


def timed(runs: dict, repeat: int, n: int, before=None) -> dict[str, list[float]]:
    """ms per article of each run over ``repeat`` rounds, the runs alternating (``before(name)``
    called before each, untimed)."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            if before:
                before(name)
            start = time.process_time()
            run()
            times[name].append((time.process_time() - start) / n * 1e3)
    return times


def each(function, inputs):
    """``function`` over ``inputs``, each result let go at once (kept, 600,000 tuples would time the
    garbage collector's passes, not the code)."""
    def run():
        for value in inputs:
            function(*value)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cold", type=int, default=0, help="passes with the word caches emptied first")
    args = parser.parse_args()
    texts = articles()
    lexicon()
    stopwords()
    fields_of = [(text,) for title, lead, _body in texts for text in (title, lead)]
    documents = [(title, body) for title, _lead, body in texts]
    codes = {"new": SimpleNamespace(persian=persian, analysis=analysis, word_parts=word_parts, fields=fields)}
    if args.base:
        old = load_base(args.base)
        codes = {"old": old, **codes}
        for (text,) in fields_of:  # the same output, or no figures
            assert list(old.persian.tokenize(text)) == list(persian.tokenize(text))
            old_index, new_index = old.analysis.analyze_field(text), analysis.analyze_field(text)
            assert list(old_index.items()) == list(new_index.items())
        if old.fields is not None and hasattr(old.fields, "text_tokens"):
            for title, body in documents:
                assert ([old.fields._unpacked(part) for part in old.fields.text_tokens(title, body)]
                        == [fields._unpacked(part) for part in fields.text_tokens(title, body)])
    runs = {}
    for name, code in codes.items():
        tokenize = code.persian.tokenize
        runs[f"tokenize {name}"] = each(lambda text, tokenize=tokenize: list(tokenize(text)), fields_of)
        runs[f"analyze_field {name}"] = each(code.analysis.analyze_field, fields_of)
        if code.fields is not None and hasattr(code.fields, "text_tokens"):
            runs[f"text_tokens {name}"] = each(code.fields.text_tokens, documents)
    analyzed = [analysis.analyze_item(title, lead) for title, lead, _body in texts]
    for item in analyzed:
        item.fields  # noqa: B018 (the term index built beforehand: only the features are timed)
    runs["item_features (ngrams=False)"] = each(lambda item: item_features(item, ngrams=False), [(a,) for a in analyzed])
    gc.collect()
    before = os.getloadavg()
    result = {}
    if args.cold:
        cold = {f"text_tokens {name}, cold": runs[f"text_tokens {name}"] for name in codes if f"text_tokens {name}" in runs}
        result.update(timed(cold, args.cold, len(texts), lambda name: emptied(codes[name.split()[1].rstrip(",")])))
    for run in runs.values():  # caches warm (stems, n-grams), as in a running worker
        run()
    result.update(timed(runs, args.repeat, len(texts)))
    after = os.getloadavg()
    print(f"{len(texts)} articles (title + {analysis.BODY_CHARS} characters; text_tokens: title + body), CPU ms per "
          f"article, min and median of {args.repeat} (cold: {args.cold}), load average {before[0]:.2f} → {after[0]:.2f}")
    for name, values in result.items():
        print(f"  {name:32} {min(values):7.3f} {statistics.median(values):7.3f}")


if __name__ == "__main__":
    main()
