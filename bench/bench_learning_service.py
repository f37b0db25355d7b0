"""The classifier's training as the worker runs it (issue 15: 20,000 labelled items under 2 minutes
and 500 MB), through the service: ``learning_training.train_model`` reading the desk's decisions
from a database, the items in batches, compacting their features as it reads, training, then
scoring the new and the active model on the held-back slice and storing the version.

Setup (not timed): a fresh SQLite database with the standard agencies and N items made from the
1,500 articles as ``bench_search.make_docs`` makes them; each item carries its article's labels
(bench_learning.article_labels: the hand labels, else the starter pack's routes and the
detector's flag, 5 % flipped) as desk decisions: a route accepted for each of its agencies, one
wrong agency's route dismissed, the question flag left on the handled route (``flag_kept``).
The training runs in a fresh process (``flask``-like: the app, the models, the service), whose
peak RSS (VmHWM) is the figure; the load average is printed.

    .venv/bin/python bench/bench_learning_service.py [--items 20000] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))


def _app(data_dir: str):
    from app import create_app

    return create_app({"SECRET_KEY": "bench", "DATA_DIR": data_dir,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir}/bench.db"})


def setup(data_dir: str, items: int) -> dict:
    from bench_learning import article_labels
    from bench_search import articles, make_docs
    from sqlalchemy import insert, select

    from app.extensions import db
    from app.services.agencies import ensure_standard_agencies
    from models import Agency, Feed, Item, ItemRoute, Outlet

    source = articles()
    labels = article_labels(source)
    link_of = {(a["title"], "\n".join([a.get("abstract", "")] + a["paragraphs"])): a["link"] for a in source}
    app = _app(data_dir)
    with app.app_context():
        db.create_all()
        ensure_standard_agencies(actor_label="bench")
        agencies = dict(db.session.execute(select(Agency.slug, Agency.id)).all())
        outlet = Outlet(name="bench", scope="provincial")
        db.session.add(outlet)
        db.session.flush()
        feed = Feed(url="https://bench.test/rss", outlet_id=outlet.id)
        db.session.add(feed)
        db.session.commit()
        rng, when = random.Random(15), datetime(2026, 11, 1, tzinfo=UTC)
        rows, routes = [], []
        for n, doc in enumerate(make_docs(source, items), 1):
            rows.append({"id": n, "feed_id": feed.id, "outlet_id": outlet.id, "title": doc.title, "text": doc.body,
                         "link": f"https://bench.test/{n}", "guid": str(n), "content_hash": f"{n:040d}",
                         "published_at": when})
            item_labels = labels[link_of[(doc.title, doc.body)]]
            gold = [slug for slug in agencies if item_labels.get(f"agency:{slug}")]
            wrong = rng.choice([slug for slug in agencies if slug not in gold])
            for slug, status in [*((g, "accepted") for g in gold), (wrong, "dismissed")]:
                routes.append({"item_id": n, "agency_id": agencies[slug], "rule_ids": [], "matched": [],
                               "is_question": item_labels["question"], "question_reasons": [], "status": status,
                               "status_changed_at": when, "created_at": when, "model_words": []})
        for start in range(0, len(rows), 2000):
            db.session.execute(insert(Item.__table__), rows[start:start + 2000])
        for start in range(0, len(routes), 5000):
            db.session.execute(insert(ItemRoute.__table__), routes[start:start + 5000])
        db.session.commit()
        return {"items": len(rows), "routes": len(routes)}


def _vm(key: str) -> float:
    """VmHWM (peak) or VmRSS of this process in MB: getrusage's ru_maxrss survives exec, so a child
    forked from the large setup process would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def child(data_dir: str) -> None:
    app = _app(data_dir)
    with app.app_context():
        from app.services.learning_training import train_model

        before = _vm("VmRSS")
        started, cpu = time.perf_counter(), time.process_time()
        result = train_model(actor_label="bench")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(json.dumps({"status": result.status, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
                          "rss_before_mb": round(before, 1),
                          "peak_rss_mb": _vm("VmHWM"),
                          "figures": result.figures, "compared_with": result.compared_with,
                          "labels": len(result.label_counts)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    data_dir = tempfile.mkdtemp(prefix="bench-learning-service-")
    try:
        started = time.perf_counter()
        made = setup(data_dir, args.items)
        made["setup_seconds"] = round(time.perf_counter() - started, 1)
        load_before = os.getloadavg()
        out = subprocess.run([sys.executable, __file__, "--child", data_dir], check=True, capture_output=True,
                             text=True, cwd=REPO).stdout
        result = {**made, **json.loads(out.strip().splitlines()[-1]),
                  "load_average": [round(x, 2) for x in load_before],
                  "load_average_after": [round(x, 2) for x in os.getloadavg()]}
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(f"{result['items']} items, {result['routes']} decided routes (setup {result['setup_seconds']} s); "
          f"train_model: {result['status']} in {result['seconds']} s wall ({result['cpu_seconds']} s CPU), "
          f"peak RSS {result['peak_rss_mb']} MB (the process before training: {result['rss_before_mb']} MB); "
          f"targets < 120 s, < 500 MB; load average {result['load_average']} → {result['load_average_after']}")
    print(f"held back: {json.dumps(result['figures'])}\nstarter on the same slice: "
          f"{json.dumps(result['compared_with'])}")


if __name__ == "__main__":
    main()
