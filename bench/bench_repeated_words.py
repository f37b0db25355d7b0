"""A common word repeated in one query (issue 14: 32 repeats made a 3 s search): latency of the
word once, 8 and 32 times, alone and eight queries at once, through WhooshBackend.search (the
search page's path), on an index built from ../shared/data/persian-news (bench_search.make_docs).

    .venv/bin/python bench/bench_repeated_words.py [--items 30000] [--index DIR] [--rounds 5]

--index keeps the index between runs (built when the folder is empty), so the same index can be
timed with the code before and after a change (run this file from an export of each commit).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_search import articles, load_average, make_docs  # noqa: E402

from search_index.backend import SearchRequest  # noqa: E402
from search_index.whoosh_backend import WhooshBackend  # noqa: E402

WORDS = ("ایران", "استان", "مردم")  # common in the corpus; none is a stop word
REPEATS = (1, 8, 32)


def build(folder: Path, count: int) -> None:
    backend = WhooshBackend(folder, writable=True, procs=2, limitmb=64)
    started = time.perf_counter()
    backend.rebuild(make_docs(articles(), count), fresh=True, batch_size=50_000)
    backend.finish_rebuild()
    print(f"built {count} items in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def timed(backend: WhooshBackend, text: str) -> tuple[float, int]:
    started = time.perf_counter()
    results = backend.search(SearchRequest(text, sort="relevance", per_page=20))
    return (time.perf_counter() - started) * 1000, results.total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=30_000)
    parser.add_argument("--index", help="index folder to keep (built when empty)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(args.index) if args.index else Path(tempfile.mkdtemp(prefix="bench-repeat-"))
    folder.mkdir(parents=True, exist_ok=True)
    if not any(folder.iterdir()):
        build(folder, args.items)
    backend = WhooshBackend(folder)
    print(f"load {load_average()}")
    print("| word | repeats | hits | median ms | max ms | 8 at once: median ms per query |")
    print("|---|---|---|---|---|---|")
    for word in WORDS:
        timed(backend, word)  # warm the reader's caches
        for repeats in REPEATS:
            text = " ".join([word] * repeats)
            alone = [timed(backend, text) for _ in range(args.rounds)]
            with ThreadPoolExecutor(8) as pool:
                together = [ms for ms, _ in pool.map(lambda t: timed(backend, t), [text] * 8)]
            times = [ms for ms, _ in alone]
            print(f"| {word} | {repeats} | {alone[0][1]} | {statistics.median(times):.0f} | {max(times):.0f} "
                  f"| {statistics.median(together):.0f} |", flush=True)
    print(f"load {load_average()}")


if __name__ == "__main__":
    main()
