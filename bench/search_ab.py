"""Search A/B on this machine: two checkouts of Hamzaban (a baseline, e.g. a git worktree of an
earlier commit, and this one) index the same N items built from the 1,500 real articles
(``bench_search.make_docs`` of each checkout, same seed), one after the other; then their query
rounds alternate (baseline, this, this, baseline, …), each round a fresh process running the
search bench's 49 queries × 4 modes ``--passes`` times (2, as ``bench_search.py`` does in its
one process; 1 makes every text's first search a larger share), so both sides see the same
minutes of a shared machine and pay the same first-search costs. Reported: rebuild items/s and items per CPU second
of each side, and query p50/p95/max over all rounds pooled, per side and per class, with the
load average around each phase.

Why: a figure measured on another day is no yardstick on a machine whose speed drifts (the
same FTS5 queries measured 1.3–2.3 times slower on different days, bench/README.md).

    git worktree add /tmp/base 4d88370
    .venv/bin/python bench/search_ab.py --baseline /tmp/base --items 200000 --rounds 4 --json out.json
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLASSES = ("word", "words", "phrase", "syntax")


def child(args) -> None:
    """In a checkout's own modules: build the index, or run one timed round; prints JSON."""
    tree = Path(args.tree).resolve()
    sys.path[:0] = [str(tree), str(tree / "bench")]
    import random

    import bench_search as bench

    from search_index.backend import SearchRequest
    from search_index.whoosh_backend import WhooshBackend

    source = bench.articles()
    folder = Path(args.folder)
    if args.child == "build":
        result = bench.run_whoosh(bench.make_docs(source, args.items), args.items, args.procs, folder, source,
                                  args.limitmb)
        print(json.dumps(result))
        return
    reader = WhooshBackend(folder)
    reader.search(SearchRequest("آب"))  # open the index (and load what the analysis reads)
    reader.search(SearchRequest("تانکرها"))
    rng = random.Random(5)
    timings: dict[str, list[float]] = {}
    for _ in range(args.passes):
        for cls, text in bench.QUERIES:
            for mode in bench.MODES:
                request = bench.request_for(mode, text, rng)
                c0, t0 = time.process_time(), time.perf_counter()
                reader.search(request)
                c1, t1 = time.process_time(), time.perf_counter()
                timings.setdefault(cls, []).append((t1 - t0) * 1000)
                timings.setdefault("all", []).append((t1 - t0) * 1000)
                timings.setdefault("all-cpu", []).append((c1 - c0) * 1000)
    print(json.dumps(timings))


def run_child(python: str, mode: str, tree: str, folder: Path, args) -> dict:
    command = [python, str(Path(__file__).resolve()), "--child", mode, "--tree", tree, "--folder", str(folder),
               "--items", str(args.items), "--procs", str(args.procs), "--limitmb", str(args.limitmb),
               "--passes", str(args.passes)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", help="the baseline checkout (a directory)")
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--limitmb", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=4, help="query rounds per side (alternating)")
    parser.add_argument("--passes", type=int, default=2, help="passes over the query set in one round's process")
    parser.add_argument("--keep", help="build the indexes in this folder and keep them (reused when there)")
    parser.add_argument("--json", dest="json_path")
    parser.add_argument("--child", choices=("build", "time"), help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if not args.baseline:
        parser.error("--baseline is required")
    # This checkout's helpers; imported here, not at the top: a child imports its own checkout's.
    from bench_search import load_average, percentiles
    sides = {"baseline": str(Path(args.baseline).resolve()), "current": str(HERE.parent)}
    python = sys.executable
    out: dict = {"items": args.items, "procs": args.procs, "rounds": args.rounds, "passes": args.passes,
                 "sides": sides, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        folders = {name: base / name for name in sides}
        for name, tree in sides.items():
            if folders[name].exists() and any(folders[name].iterdir()):
                out.setdefault("build", {})[name] = json.loads((base / f"{name}.json").read_text())
                continue
            before = load_average()
            out.setdefault("build", {})[name] = {**run_child(python, "build", tree, folders[name], args),
                                                 "load_average": [before, load_average()]}
            (base / f"{name}.json").write_text(json.dumps(out["build"][name]))
            print(f"built {name}: {out['build'][name]['items_per_second']} items/s", file=sys.stderr, flush=True)
        pooled: dict[str, dict[str, list[float]]] = {name: {} for name in sides}
        loads = []
        for k in range(args.rounds):
            order = list(sides) if k % 2 == 0 else list(reversed(sides))
            for name in order:
                before = load_average()
                timings = run_child(python, "time", sides[name], folders[name], args)
                loads.append({"round": k, "side": name, "load_average": [before, load_average()]})
                for key, values in timings.items():
                    pooled[name].setdefault(key, []).extend(values)
                print(f"round {k} {name}: p95 {percentiles(timings['all'])['p95']} ms", file=sys.stderr, flush=True)
        out["search_load_average"] = loads
        out["latency_ms"] = {name: {key: percentiles(values) for key, values in timings.items()}
                             for name, timings in pooled.items()}
        base, cur = out["latency_ms"]["baseline"], out["latency_ms"]["current"]
        out["ratio_current_to_baseline"] = {key: {q: round(cur[key][q] / base[key][q], 2) for q in ("p50", "p95")}
                                            for key in base if key in cur and base[key]["p95"]}
        b, c = out["build"]["baseline"], out["build"]["current"]
        out["ratio_current_to_baseline"]["rebuild_items_per_second"] = round(
            c["items_per_second"] / b["items_per_second"], 2)
        out["ratio_current_to_baseline"]["rebuild_items_per_cpu_second"] = round(
            c["items_per_cpu_second"] / b["items_per_cpu_second"], 2)
    text = json.dumps(out, ensure_ascii=False, indent=1)
    print(text)
    if args.json_path:
        Path(args.json_path).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
