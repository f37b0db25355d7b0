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

``--routing-share N`` measures instead routing's share of ingest (issue 5: < 10 %): N times, back to
back, the pipeline into a fresh database with no routing rules (``route_items`` returns at once)
and with the standard agencies and the starter pack loaded, in one process and with the parse
spread over the CPUs; in each run the time spent inside ``route_items`` is summed (a wrapper
around it, the same process and run) and divided by the run's wall time. Medians and the load
average are printed. ``--persian`` runs it on feeds made from the Persian articles of
../shared/data/persian-news (the language the rules are written in) instead of kagi-benchmark,
whose feeds are English. With routing after the ingest's commit (``FEED_ROUTING=after_commit``,
issue 16) ``import_files`` ends by draining the routing backlog: the run's routing share counts
both, and the share of the ingest's transactions alone (the run less the drain) is printed beside
it. ``--repo DIR`` measures another checkout's code with this bench (before/after);
``--feed-routing`` sets FEED_ROUTING. ``--warm-files K`` imports the corpus's last K files first,
untimed, in the same process and database, and measures the others: a worker that has been running
has its per-spelling and feature caches warm (a fresh process, as each run is, has them cold);
``--cold`` with it leaves those K files out, to measure the same files cold.

    .venv/bin/python bench/bench_ingest.py [--json]
    .venv/bin/python bench/bench_ingest.py --routing-share 3 [--persian] [--json] [--repo DIR]
        [--feed-routing after_commit|in_transaction] [--warm-files K [--cold]]
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
# --repo: the checkout whose code is measured (e.g. `git archive main` in a folder), this bench's own by default
CODE = Path(os.environ.get("BENCH_INGEST_REPO") or REPO)
CORPUS = REPO.parent / "shared" / "data" / "feeds" / "kagi-benchmark"
DEFAULT_GC = False  # --default-gc
NEWS = REPO.parent / "shared" / "data" / "persian-news"
PERSIAN_FEED_ITEMS = 50


def persian_feeds(folder: Path) -> Path:
    """RSS files made in ``folder`` from the 1,500 Persian articles of ../shared/data/persian-news
    (50 items a file; the abstract as the description, the paragraphs as content:encoded), for
    measuring routing on the language it is written for. Written to a temporary folder only:
    the articles are the publisher's and are never copied into the project."""
    from xml.sax.saxutils import escape

    articles = [a for path in sorted(NEWS.glob("fars-news-*.json"))
                for a in json.loads(path.read_text(encoding="utf-8"))]
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(0, len(articles), PERSIAN_FEED_ITEMS):
        items = []
        for a in articles[n:n + PERSIAN_FEED_ITEMS]:
            html = "".join(f"<p>{escape(p)}</p>" for p in a.get("paragraphs", []))
            items.append(f"<item><title>{escape(a['title'])}</title><link>{escape(a['link'])}</link>"
                         f"<guid>{escape(a['link'])}</guid><description>{escape(a.get('abstract') or '')}"
                         f"</description><content:encoded><![CDATA[{html}]]></content:encoded></item>")
        (folder / f"persian-{n // PERSIAN_FEED_ITEMS:03d}.xml").write_text(
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>fars</title>'
            f'<link>https://www.farsnews.ir/</link><language>fa</language>{"".join(items)}</channel></rss>',
            encoding="utf-8")
    return folder


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
        for ppid, hwm in parents.values():
            if ppid == me or parents.get(ppid, (0,))[0] == me:  # children and grandchildren
                result["peak"] = max(result.get("peak", 0), int(hwm.split()[0]) / 1024)


def _pipeline(bodies: list[tuple[str, bytes]], workers: int, rules: bool = False) -> dict:
    """`feeds import-file` over the corpus into a fresh database (the files are read from the
    corpus folder, as the command does). With ``rules`` the standard agencies and the starter
    pack are loaded first (so every new item is routed, as in a real install) and the time spent
    inside ``route_items`` is accumulated in the same run."""
    sys.path.insert(0, str(CODE))
    from app import create_app
    from app.extensions import db
    from app.monitor import dedupe
    from app.services import feed_pipeline, learning
    from app.services import routing as routing_service
    from app.services.feeds import import_files
    from models import Item, ItemRoute, StoryCluster

    routing = {"seconds": 0.0, "calls": 0, "items": 0, "cpu": 0.0}
    route_items = feed_pipeline.route_items

    def timed_route_items(session, items, *args, **kwargs):
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return route_items(session, items, *args, **kwargs)
        finally:
            routing["seconds"] += time.perf_counter() - started
            routing["cpu"] += time.process_time() - cpu
            routing["calls"] += 1
            routing["items"] += len(items)

    feed_pipeline.route_items = timed_route_items  # the pipeline (ingest_entries) calls it by this name
    # Routing after the ingest's commit (FEED_ROUTING=after_commit, issue 16): the backlog's drain
    # calls route_items by its own name, and import_files drains at its end; both timed apart.
    drain = {"seconds": 0.0, "routing_seconds": 0.0}
    try:
        from app.services import feeds as feeds_service
        from app.services import routing_backlog
    except ImportError:  # the code before the backlog
        routing_backlog = None
    if routing_backlog is not None:
        drain_route_items, drain_backlog = routing_backlog.route_items, feeds_service.drain_backlog

        def timed_drain_route_items(session, items, *args, **kwargs):
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return drain_route_items(session, items, *args, **kwargs)
            finally:
                drain["routing_seconds"] += time.perf_counter() - started
                routing["cpu"] += time.process_time() - cpu
                routing["items"] += len(items)

        def timed_drain(*args, **kwargs):
            started = time.perf_counter()
            try:
                return drain_backlog(*args, **kwargs)
            finally:
                drain["seconds"] += time.perf_counter() - started

        routing_backlog.route_items = timed_drain_route_items
        feeds_service.drain_backlog = timed_drain

    data_dir = tempfile.mkdtemp(prefix="bench-ingest-")
    config = {"SECRET_KEY": "bench", "DATA_DIR": data_dir, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir}/bench.db"}
    if os.environ.get("BENCH_FEED_ROUTING"):
        config["FEED_ROUTING"] = os.environ["BENCH_FEED_ROUTING"]
    app = create_app(config)
    with app.app_context():
        db.create_all()
        if rules:
            from app.services.agencies import ensure_standard_agencies

            ensure_standard_agencies(actor_label="bench")
            routing_service.load_starter_rules("bench")
            routing_service.active_rules()  # compiled once, before the clock (as in a running worker)
            learning.active_model()  # the classifier (issue 15) loaded once, likewise
        dedupe.signature("یک دو سه چهار پنج شش هفت هشت", "")  # library imports happen before the clock
        paths = [str(CORPUS / name) for name, _ in bodies]
        warm_files = int(os.environ.get("BENCH_WARM_FILES") or 0)
        if warm_files:  # --warm-files: the last K files imported before the clock, or left out
            paths, warm = paths[:-warm_files], paths[-warm_files:]
            if os.environ.get("BENCH_WARM_MODE") != "cold":
                import_files(warm, workers=workers)  # a worker that has run a while: its caches warm
                routing.update(seconds=0.0, calls=0, items=0, cpu=0.0)
                drain.update(seconds=0.0, routing_seconds=0.0)
        before = db.session.scalar(db.select(db.func.count()).select_from(Item)) if warm_files else 0
        before_routes = db.session.scalar(db.select(db.func.count()).select_from(ItemRoute)) if warm_files else 0
        stop, workers_rss = threading.Event(), {}
        sampler = threading.Thread(target=_descendant_peak_rss_mb, args=(stop, workers_rss), daemon=True)
        sampler.start()
        started, cpu = time.perf_counter(), time.process_time()
        result = import_files(paths, workers=workers)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        stop.set()
        sampler.join()
        stored = db.session.scalar(db.select(db.func.count()).select_from(Item)) - before
        clusters = db.session.scalar(db.select(db.func.count()).select_from(StoryCluster))
        routes = db.session.scalar(db.select(db.func.count()).select_from(ItemRoute)) - before_routes
        if rules and os.environ.get("BENCH_ROUTES_DUMP"):
            _dump_routes(db, Path(os.environ["BENCH_ROUTES_DUMP"]))
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(data_dir, ignore_errors=True)
    return {"entries": result["items_new"] + result["items_duplicate"] + result["items_updated"],
            "items_stored": stored, "duplicates": result["items_duplicate"], "clusters": clusters,
            "files_refused": len(result["errors"]), "workers": workers, "seconds": seconds,
            "worker_peak_rss_mb": round(workers_rss.get("peak", 0), 1),
            "main_process_cpu_seconds": round(cpu, 2), "rules": rules, "routes": routes,
            "routing_seconds": round(routing["seconds"] + drain["routing_seconds"], 3),
            "routed_items": routing["items"],
            # CPU time of this process inside route_items: comparable across runs on a shared machine, where the
            # wall time is not (session 45: load 13 on the 2 CPUs made route_items' wall time ~15x a quiet run's)
            "routing_cpu_seconds": round(routing["cpu"], 3),
            "routing_share": round((routing["seconds"] + drain["routing_seconds"]) / seconds, 4),
            # the ingest's transactions alone (the run without the backlog's drain) and routing in them
            "drain_seconds": round(drain["seconds"], 3), "ingest_seconds": round(seconds - drain["seconds"], 3),
            "ingest_routing_seconds": round(routing["seconds"], 3),
            "ingest_routing_share": round(routing["seconds"] / (seconds - drain["seconds"]), 4)}


def _dump_routes(db, path: Path) -> None:
    """--dump-routes: every route and suggestion the run made, by the item's link, as sorted JSON lines
    (the agency, the rules and the words they matched, the model's probability and words, the question
    and its reasons): two checkouts' dumps compare with ``cmp`` (the same routes, byte for byte)."""
    text = db.text
    routes = db.session.execute(text(
        "SELECT i.link, a.slug, r.rule_ids, r.matched, r.is_question, r.question_reasons, r.model_probability, "
        "r.model_words FROM item_routes r JOIN items i ON i.id = r.item_id LEFT JOIN agencies a ON a.id = r.agency_id"))
    suggested = db.session.execute(text(
        "SELECT i.link, a.slug, s.probability, s.words FROM route_suggestions s JOIN items i ON i.id = s.item_id "
        "JOIN agencies a ON a.id = s.agency_id"))
    lines = sorted(json.dumps(["route", *row], ensure_ascii=False) for row in routes) + \
        sorted(json.dumps(["suggestion", *row], ensure_ascii=False) for row in suggested)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _child(mode: str) -> None:
    if os.environ.get("BENCH_INGEST_GC") != "default":
        sys.path.insert(0, str(CODE))
        from app.worker import tune_gc

        tune_gc()  # the worker's collector thresholds: ingest runs in the worker
    bodies = _load()
    if mode == "feedparser":
        result = _feedparser(bodies)
    else:
        result = _pipeline(bodies, workers=1 if mode.startswith("pipeline-1") else (os.cpu_count() or 1),
                           rules=mode.endswith("-rules"))
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
SHARE_MODES = {  # --routing-share: no rules (route_items returns at once) vs the starter pack
    "pipeline-1-norules": "one process, no routing rules",
    "pipeline-1-rules": "one process, starter pack",
    "pipeline-norules": "parse in one process per CPU, no routing rules",
    "pipeline-rules": "parse in one process per CPU, starter pack",
}


def _run_child(mode: str) -> dict:
    env = {**os.environ, "BENCH_INGEST_GC": "default" if DEFAULT_GC else "worker"}
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--corpus", str(CORPUS)], check=True,
                         capture_output=True, text=True, cwd=REPO, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def routing_share(repetitions: int, as_json: bool) -> None:
    """Routing's share of ingest: each repetition runs the four SHARE_MODES back to back (fresh
    database each); the share is the time inside route_items over the pipeline's wall time of
    the same run, and, as a cross-check, the wall time with rules over the time without."""
    import statistics

    runs: dict[str, list[dict]] = {mode: [] for mode in SHARE_MODES}
    loads = [os.getloadavg()[0]]
    for _ in range(repetitions):
        for mode in SHARE_MODES:
            runs[mode].append(_run_child(mode))
            loads.append(os.getloadavg()[0])
    med = statistics.median
    report = {"repetitions": repetitions, "cpus": os.cpu_count(),
              "load_average_1min": [round(x, 2) for x in loads], "modes": {}}
    for mode, label in SHARE_MODES.items():
        rs = runs[mode]
        report["modes"][mode] = {
            "label": label, "seconds": [r["seconds"] for r in rs],
            "median_seconds": med(r["seconds"] for r in rs),
            "median_routing_seconds": med(r["routing_seconds"] for r in rs),
            "median_routing_cpu_seconds": med(r["routing_cpu_seconds"] for r in rs),
            "median_routing_share": round(med(r["routing_share"] for r in rs), 4),
            "routing_shares": [r["routing_share"] for r in rs],
            "median_ingest_seconds": med(r["ingest_seconds"] for r in rs),
            "median_drain_seconds": med(r["drain_seconds"] for r in rs),
            "median_ingest_routing_share": round(med(r["ingest_routing_share"] for r in rs), 4),
            "ingest_routing_shares": [r["ingest_routing_share"] for r in rs],
            "routes": rs[0]["routes"], "routed_items": rs[0]["routed_items"], "entries": rs[0]["entries"]}
    for prefix in ("pipeline-1", "pipeline"):
        on, off = report["modes"][prefix + "-rules"], report["modes"][prefix + "-norules"]
        on["median_added_vs_norules"] = round(on["median_seconds"] / off["median_seconds"] - 1, 4)
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
        return
    print(f"routing's share of ingest, {repetitions} repetitions, {os.cpu_count()} CPUs, "
          f"load average (1 min) during the runs {min(loads):.2f}–{max(loads):.2f}")
    for mode, m in report["modes"].items():
        extra = (f"  inside route_items {m['median_routing_seconds']:.2f} s (CPU {m['median_routing_cpu_seconds']:.2f} s) = "
                 f"{100 * m['median_routing_share']:.1f} % of the run; wall time vs no rules "
                 f"{100 * m['median_added_vs_norules']:+.1f} %; the ingest's transactions "
                 f"{m['median_ingest_seconds']:.2f} s, routing {100 * m['median_ingest_routing_share']:.1f} % of them, "
                 f"the backlog's drain {m['median_drain_seconds']:.2f} s" if mode.endswith("-rules") else "")
        print(f"  {m['label']:48} median {m['median_seconds']:6.2f} s {m['seconds']}"
              f"  {m['routed_items']} items, {m['routes']} routes{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--default-gc", action="store_true",
                        help="keep CPython's default collector thresholds (the worker raises them: app.worker.tune_gc)")
    parser.add_argument("--routing-share", type=int, metavar="N", default=0,
                        help="measure routing's share of ingest instead, N repetitions")
    parser.add_argument("--persian", action="store_true",
                        help="with --routing-share: feeds made from the Persian articles instead")
    parser.add_argument("--repo", help="measure the code of this checkout (e.g. main, `git archive`d) "
                        "with this bench")
    parser.add_argument("--feed-routing", choices=("after_commit", "in_transaction"),
                        help="FEED_ROUTING for the runs (default: the code's default)")
    parser.add_argument("--warm-files", type=int, metavar="K", default=0,
                        help="with --routing-share: import the corpus's last K files first, untimed (a worker "
                        "whose caches are warm), and measure the others")
    parser.add_argument("--cold", action="store_true",
                        help="with --warm-files: leave those K files out instead (the same files measured, cold)")
    parser.add_argument("--dump-routes", metavar="FILE", help="write the routes and suggestions of the (last) run "
                        "with rules to FILE as sorted JSON lines, to compare two checkouts' routes")
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=(*MODES, *SHARE_MODES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    global CORPUS, DEFAULT_GC
    DEFAULT_GC = args.default_gc
    if args.corpus:
        CORPUS = Path(args.corpus)
    if args.repo:
        os.environ["BENCH_INGEST_REPO"] = str(Path(args.repo).resolve())
    if args.feed_routing:
        os.environ["BENCH_FEED_ROUTING"] = args.feed_routing
    if args.warm_files:
        os.environ["BENCH_WARM_FILES"] = str(args.warm_files)
        os.environ["BENCH_WARM_MODE"] = "cold" if args.cold else "warm"
    if args.dump_routes:
        os.environ["BENCH_ROUTES_DUMP"] = str(Path(args.dump_routes).resolve())
    if args.child:
        return _child(args.child)
    if args.persian:
        CORPUS = persian_feeds(Path(tempfile.mkdtemp(prefix="bench-persian-feeds-")))
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found: {CORPUS}")
    if args.routing_share:
        try:
            return routing_share(args.routing_share, args.json)
        finally:
            if args.persian:
                shutil.rmtree(CORPUS, ignore_errors=True)
    runs = {}
    for mode in MODES:
        out = subprocess.run([sys.executable, __file__, "--child", mode], check=True, capture_output=True,
                             text=True, cwd=REPO,
                             env={**os.environ, "BENCH_INGEST_GC": "default" if DEFAULT_GC else "worker"}).stdout
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
