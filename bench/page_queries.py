"""Each page's SQL with its time, and the plans of the slow ones (issue 16, item 3): what a page
costs at 1,000,000 items, before and after a fix.

    HAMZABAN_DATABASE_URL=postgresql+psycopg://… HAMZABAN_DATA_DIR=… \
    .venv/bin/python bench/page_queries.py [--users water.staff,supervisor] [--explain-ms 20] [--repeat 3]

In one process, through the app's test client: logs in as each user (passwords from
``<data>/bench-users.txt``, written by bench/make_million.py), opens dashboard, inbox, items,
search and the first case the user can see ``--repeat`` times, and prints per page the wall time
and every statement of the last round with its time; a statement slower than ``--explain-ms`` is
run again under EXPLAIN (ANALYZE, BUFFERS) and its plan printed (``--no-explain``: not).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [("dashboard", "/"), ("inbox", "/inbox/"), ("items", "/items/"), ("search", "/search/?q=آب")]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/([^/"?#]+)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="water.staff,supervisor")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--explain-ms", type=float, default=20.0)
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--pages", default="dashboard,inbox,items,search,case")
    args = parser.parse_args()
    os.environ.setdefault("HAMZABAN_MFA_REQUIRED_ROLES", "")
    os.environ.setdefault("HAMZABAN_RATE_SEARCHES_PER_MINUTE", "0")
    data_dir = Path(os.environ.get("HAMZABAN_DATA_DIR", "instance"))
    passwords = dict(line.split() for line in (data_dir / "bench-users.txt").read_text().splitlines() if line)

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from app import create_app
    from app.extensions import db

    log: list[tuple[float, str, object]] = []

    @event.listens_for(Engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("t0", []).append(time.perf_counter())

    @event.listens_for(Engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        log.append(((time.perf_counter() - conn.info["t0"].pop()) * 1000, statement, parameters))

    app = create_app()
    wanted = set(args.pages.split(","))
    for username in args.users.split(","):
        client = app.test_client()
        form = client.get("/login").get_data(as_text=True)
        answer = client.post("/login", data={"csrf_token": CSRF.search(form).group(1), "username": username,
                                             "password": passwords[username]})
        if answer.status_code != 302:
            sys.exit(f"login of {username} answered {answer.status_code}")
        pages = [p for p in PAGES if p[0] in wanted]
        if "case" in wanted:
            for listing in ("/cases/agency", "/cases/all", "/cases/mine"):
                refs = [r for r in CASE_LINK.findall(client.get(listing).get_data(as_text=True))
                        if r not in {"mine", "agency", "all", "new"}]
                if refs:
                    pages.append(("case", f"/cases/{refs[0]}"))
                    break
        for name, path in pages:
            times = []
            for _ in range(args.repeat):
                log.clear()
                t0 = time.perf_counter()
                status = client.get(path).status_code
                times.append((time.perf_counter() - t0) * 1000)
            sql_ms = sum(ms for ms, _s, _p in log)
            print(f"\n=== {username} {name} {path}: status {status}, wall {' / '.join(f'{t:.0f}' for t in times)} ms; "
                  f"last round {len(log)} statements, {sql_ms:.0f} ms in SQL")
            for ms, statement, parameters in sorted(log, key=lambda e: -e[0]):
                if ms < 1 and len(log) > 15:
                    continue
                print(f"  {ms:7.1f} ms  {' '.join(statement.split())[:300]}")
                if ms >= args.explain_ms and not args.no_explain:
                    print(f"           params {str(parameters)[:300]}")
                    with app.app_context():
                        plan = db.session.connection().exec_driver_sql(
                            "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).scalars().all()
                        db.session.rollback()
                    print("           " + "\n           ".join(plan))


if __name__ == "__main__":
    main()
