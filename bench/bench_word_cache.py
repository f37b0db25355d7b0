"""The per-spelling word cache (``word_parts.WORDS``) when an archive has more spellings than it
holds: ``fields.text_tokens`` over the 1,500 articles with ``WORDS_MAX`` set below their 36,846
spellings (``--words-max``, e.g. 8,000: about the ratio of ~900,000 spellings to 200,000 that an
analysis process of a 1,000,000-article archive would see, by Heaps' law), against the cache
unbounded. The stemmer's and normalization's own caches are warmed first by an unbounded pass
(they hold every spelling here), so the figures are the word cache's alone.

Printed: ms of CPU per article (min / median of ``--repeat`` passes, the cache emptied before
each), and the reads of a spelling (``_term`` calls) per pass. Run it in two trees to compare
policies:

    .venv/bin/python bench/bench_word_cache.py [--words-max 8000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from analysis_digest import NEWS, documents  # noqa: E402

from search_index import word_parts  # noqa: E402
from search_index.tantivy_backend.fields import text_tokens  # noqa: E402


def emptied() -> None:
    word_parts.WORDS.clear()
    getattr(word_parts, "_OLDER", {}).clear()


def one_pass(docs: list[tuple[str, str]]) -> tuple[float, int]:
    emptied()
    reads = word_parts._term.cache_info()
    started = time.process_time()
    for title, body in docs:
        text_tokens(title, body)
    spent = time.process_time() - started
    after = word_parts._term.cache_info()
    return spent * 1000 / len(docs), after.hits + after.misses - reads.hits - reads.misses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words-max", type=int, default=8000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not NEWS.is_dir():
        sys.exit(f"no articles at {NEWS}")
    docs = documents()
    gc.disable()  # as in a rebuild's analysis processes
    one_pass(docs)  # the stemmer's and normalization's caches warm
    out = {"tree": str(REPO), "articles": len(docs)}
    saved = word_parts.WORDS_MAX
    for name, limit in (("unbounded", 10**9), (f"words_max_{args.words_max}", args.words_max)):
        word_parts.WORDS_MAX = limit
        runs = [one_pass(docs) for _ in range(args.repeat)]
        times = sorted(ms for ms, _reads in runs)
        out[name] = {"ms_per_article_min": round(times[0], 4), "ms_per_article_median": round(statistics.median(times), 4),
                     "spelling_reads_per_pass": runs[-1][1]}
    word_parts.WORDS_MAX = saved
    print(json.dumps(out))


if __name__ == "__main__":
    main()
