"""Parse + clean throughput on the 200 real feeds of ../shared/data/feeds/kagi-benchmark/.

Compares ``app.monitor.parse.parse_feed`` (feedparser without its sanitizer/URI resolver, nh3
cleaning, plain text) with plain ``feedparser.parse(bytes)`` with its defaults, on the same
bytes. Each mode runs in its own subprocess so peak RSS is that mode's alone. Dedupe and
storage are not included (the ingest benchmark measures the whole pipeline).

    .venv/bin/python bench/bench_parse.py [--rounds 3] [--json]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "feeds" / "kagi-benchmark"


def _load() -> list[bytes]:
    return [p.read_bytes() for p in sorted(CORPUS.iterdir()) if p.is_file() and p.name != "LICENSE"]


def _run_mode(mode: str, rounds: int) -> dict:
    sys.path.insert(0, str(REPO))
    bodies = _load()
    if mode == "feedparser":
        import feedparser

        def one(body: bytes) -> int:
            return len(feedparser.parse(body).entries)
    else:
        from app.monitor.parse import FeedParseError, parse_feed

        def one(body: bytes) -> int:
            try:
                return len(parse_feed(body).entries)
            except FeedParseError:
                return 0

    best = float("inf")
    entries = 0
    for _ in range(rounds):
        started = time.perf_counter()
        entries = sum(one(body) for body in bodies)
        best = min(best, time.perf_counter() - started)
    return {
        "mode": mode,
        "feeds": len(bodies),
        "bytes": sum(map(len, bodies)),
        "entries": entries,
        "seconds": round(best, 3),
        "entries_per_second": round(entries / best, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="best of N passes over the corpus")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--mode", choices=("feedparser", "hamzaban"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found: {CORPUS}")
    if args.mode:
        print(json.dumps(_run_mode(args.mode, args.rounds)))
        return
    results = {}
    for mode in ("feedparser", "hamzaban"):
        out = subprocess.run(
            [sys.executable, __file__, "--mode", mode, "--rounds", str(args.rounds)],
            check=True, capture_output=True, text=True,
        ).stdout
        results[mode] = json.loads(out)
    base, ours = results["feedparser"], results["hamzaban"]
    summary = {
        "corpus": str(CORPUS),
        "feedparser_defaults": base,
        "parse_feed": ours,
        "speedup_entries_per_second": round(ours["entries_per_second"] / base["entries_per_second"], 2),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    print(f"corpus: {base['feeds']} feeds, {base['bytes'] / 1e6:.1f} MB (best of {args.rounds})")
    for label, r in (("feedparser.parse defaults", base), ("parse_feed (parse+clean+text)", ours)):
        print(f"  {label:32} {r['entries']:6} entries {r['seconds']:7.2f} s "
              f"{r['entries_per_second']:9.1f} entries/s  peak RSS {r['peak_rss_mb']:.0f} MB")
    print(f"  speed-up: {summary['speedup_entries_per_second']}x")


if __name__ == "__main__":
    main()
