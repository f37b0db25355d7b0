"""Whole-pipeline ingest throughput on the 200 real feeds of ../shared/data/feeds/kagi-benchmark/.

Our pipeline is `feeds import-file` (app.services.feeds.import_files) over the 200 files into a
fresh SQLite database: parse (feedparser without its sanitizer) → clean (nh3) → dedupe (keys,
canonical links, MinHash signatures and story clusters) → store (items, sightings, LSH bands,
search outbox, feed health), one transaction per feed. Parsing runs in one process per CPU
while the main process stores (as the command does); the same in one process is measured too.
Indexing is excluded (the search indexer drains the outbox later). In the same run, plain
`feedparser.parse(bytes)` with its defaults on the same bytes. Each mode runs in its own
subprocess, so peak RSS (resource.getrusage) is that mode's alone; the parse workers' peak RSS
is sampled from /proc.

Targets (issue 3): our pipeline ≥ 1.5× faster than plain feedparser, peak RSS < 400 MB.

    .venv/bin/python bench/bench_ingest.py [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "feeds" / "kagi-benchmark"


def _load() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(CORPUS.iterdir()) if p.is_file() and p.name != "LICENSE"]


def _feedparser(bodies: list[tuple[str, bytes]], workers: int = 1) -> dict:
    import feedparser

    started, cpu = time.perf_counter(), time.process_time()
    entries = sum(len(feedparser.parse(body).entries) for _, body in bodies)
    return {"entries": entries, "seconds": time.perf_counter() - started,
            "main_process_cpu_seconds": round(time.process_time() - cpu, 2)}


def _descendant_peak_rss_mb(stop: threading.Event, result: dict) -> None:
    """Largest peak RSS (VmHWM) of any process below this one, sampled until `stop` (Linux)."""
    me = os.getpid()
    while not stop.wait(0.2):
        parents = {}
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            except OSError:
                continue
            parents[int(status.parent.name)] = (int(fields["PPid"]), fields.get("VmHWM", "0 kB"))
        for pid, (ppid, hwm) in parents.items():
            if ppid == me or parents.get(ppid, (0,))[0] == me:  # children and grandchildren
                result["peak"] = max(result.get("peak", 0), int(hwm.split()[0]) / 1024)


def _pipeline(bodies: list[tuple[str, bytes]], workers: int) -> dict:
    """`feeds import-file` over the corpus into a fresh database (the files are read from the
    corpus folder, as the command does)."""
    sys.path.insert(0, str(REPO))
    from app import create_app
    from app.extensions import db
    from app.monitor import dedupe
    from app.services.feeds import import_files
    from models import Item, StoryCluster

    data_dir = tempfile.mkdtemp(prefix="bench-ingest-")
    app = create_app({"SECRET_KEY": "bench", "DATA_DIR": data_dir,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir}/bench.db"})
    with app.app_context():
        db.create_all()
        dedupe.signature("یک دو سه چهار پنج شش هفت هشت", "")  # library imports happen before the clock
        paths = [str(CORPUS / name) for name, _ in bodies]
        stop, workers_rss = threading.Event(), {}
        sampler = threading.Thread(target=_descendant_peak_rss_mb, args=(stop, workers_rss), daemon=True)
        sampler.start()
        started, cpu = time.perf_counter(), time.process_time()
        result = import_files(paths, workers=workers)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        stop.set()
        sampler.join()
        stored = db.session.scalar(db.select(db.func.count()).select_from(Item))
        clusters = db.session.scalar(db.select(db.func.count()).select_from(StoryCluster))
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(data_dir, ignore_errors=True)
    return {"entries": result["items_new"] + result["items_duplicate"] + result["items_updated"],
            "items_stored": stored, "duplicates": result["items_duplicate"], "clusters": clusters,
            "files_refused": len(result["errors"]), "workers": workers, "seconds": seconds,
            "worker_peak_rss_mb": round(workers_rss.get("peak", 0), 1),
            "main_process_cpu_seconds": round(cpu, 2)}


def _child(mode: str) -> None:
    bodies = _load()
    if mode == "feedparser":
        result = _feedparser(bodies)
    else:
        result = _pipeline(bodies, workers=1 if mode == "pipeline-1" else (os.cpu_count() or 1))
    result.update(mode=mode, feeds=len(bodies), bytes=sum(len(b) for _, b in bodies),
                  seconds=round(result["seconds"], 2),
                  entries_per_second=round(result["entries"] / result["seconds"], 1),
                  peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
    print(json.dumps(result))


MODES = {
    "pipeline": "our pipeline, import-file (parse in one process per CPU)",
    "pipeline-1": "our pipeline, import-file, one process",
    "feedparser": "feedparser.parse, defaults",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--child", choices=tuple(MODES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args.child)
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found: {CORPUS}")
    runs = {}
    for mode in MODES:
        out = subprocess.run([sys.executable, __file__, "--child", mode], check=True, capture_output=True,
                             text=True, cwd=REPO).stdout
        runs[mode] = json.loads(out.strip().splitlines()[-1])
    base = runs["feedparser"]["entries_per_second"]
    report = {"cpus": os.cpu_count(), "runs": runs,
              "speedup": round(runs["pipeline"]["entries_per_second"] / base, 2),
              "speedup_one_process": round(runs["pipeline-1"]["entries_per_second"] / base, 2)}
    rss = max(runs["pipeline"]["peak_rss_mb"], runs["pipeline"].get("worker_peak_rss_mb", 0))
    report["targets_met"] = report["speedup"] >= 1.5 and rss < 400
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return
    print(f"corpus: {runs['feedparser']['feeds']} feeds, {runs['feedparser']['bytes'] / 1e6:.1f} MB, "
          f"{os.cpu_count()} CPUs")
    for mode, label in MODES.items():
        run = runs[mode]
        rss = f"peak RSS {run['peak_rss_mb']:.0f} MB" + (
            f" (each parse worker ≤ {run['worker_peak_rss_mb']:.0f} MB)" if mode == "pipeline" else "")
        print(f"  {label:58} {run['entries']:6} entries {run['seconds']:7.2f} s "
              f"{run['entries_per_second']:8.1f} entries/s  {rss}")
    print(f"  speed-up over feedparser: {report['speedup']}× ({report['speedup_one_process']}× in one process); "
          f"target ≥ 1.5× and < 400 MB: {'met' if report['targets_met'] else 'NOT met'}")


if __name__ == "__main__":
    main()
