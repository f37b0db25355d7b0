"""One polling pass over 2,000 feeds served by a local HTTP server, 90 % of them answering 304.

The server (tests/monitor/feed_farm.py) serves generated Persian feeds of 50 items with ETags.
1,800 feeds already hold the server's ETag (their conditional GET gets 304 Not Modified); 200
have none and get the full feed, whose 10,000 items go through parse → clean → dedupe → store
into a fresh SQLite database. The pass is `app.services.feed_pipeline.poll_feeds`, exactly what the
worker and `flask feeds poll` run: leases, the thread pool, feed health, one transaction per feed.

Every feed lives on 127.0.0.1, so the per-host limit (FEED_PER_HOST_LIMIT, default 2) makes this
the worst case of one host serving all 2,000 feeds; `--per-host 16` shows many hosts.
Target (issue 3): under 60 s.

    .venv/bin/python bench/bench_poll.py [--feeds 2000] [--per-host 2] [--json]
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def run(feeds: int, per_host: int, concurrency: int, changed_share: float = 0.1) -> dict:
    from app import create_app
    from app.extensions import db
    from app.monitor import dedupe
    from app.services.feed_pipeline import poll_feeds
    from models import Feed, Item
    from tests.monitor.feed_farm import FeedFarm

    farm = FeedFarm(items=50).start()
    data_dir = tempfile.mkdtemp(prefix="bench-poll-")
    app = create_app({"SECRET_KEY": "bench", "DATA_DIR": data_dir,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir}/bench.db",
                      "FEED_ALLOW_PRIVATE": "127.0.0.1/32", "FEED_PER_HOST_LIMIT": per_host,
                      "FEED_POLL_CONCURRENCY": concurrency})
    changed = int(feeds * changed_share)
    try:
        with app.app_context():
            db.create_all()
            db.session.add_all(Feed(url=farm.url(n), etag=None if n < changed else farm.etag(n))
                               for n in range(feeds))
            db.session.commit()
            dedupe.signature("یک دو سه چهار پنج شش هفت هشت", "")  # library imports before the clock
            started = time.perf_counter()
            summary = poll_feeds(app.config)
            seconds = time.perf_counter() - started
            stored = db.session.scalar(db.select(db.func.count()).select_from(Item))
            db.session.remove()
            db.engine.dispose()
    finally:
        farm.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    return {"feeds": feeds, "per_host_limit": per_host, "concurrency": concurrency, "seconds": round(seconds, 2),
            "not_modified": summary.not_modified, "ok": summary.ok, "failed": summary.failed,
            "items_new": summary.items_new, "items_stored": stored, "requests": farm.requests,
            "feeds_per_second": round(feeds / seconds, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "target_met": seconds < 60 and summary.failed == 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--per-host", type=int, default=2, help="FEED_PER_HOST_LIMIT (default 2, as configured)")
    parser.add_argument("--concurrency", type=int, default=16, help="FEED_POLL_CONCURRENCY (default 16)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = run(args.feeds, args.per_host, args.concurrency)
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['feeds']} feeds ({result['not_modified']} × 304, {result['ok']} × 200, {result['failed']} failed), "
          f"per-host limit {result['per_host_limit']}, {result['concurrency']} threads: {result['seconds']} s "
          f"({result['feeds_per_second']} feeds/s), {result['items_new']} new items, "
          f"peak RSS {result['peak_rss_mb']:.0f} MB; target < 60 s: {'met' if result['target_met'] else 'NOT met'}")


if __name__ == "__main__":
    main()
