"""A worker killed with SIGKILL in the middle of ingesting, then restarted, ends with exactly
the items of an uninterrupted run: nothing lost, nothing doubled (real processes, real SQLite,
a real local HTTP server with 30 feeds × 50 items)."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

from .feed_farm import FeedFarm

FEEDS, ITEMS = 30, 50
LEASE = 2


@pytest.fixture(scope="module")
def farm():
    server = FeedFarm(items=ITEMS, delay=0.1).start()  # slow enough to be caught half-way
    yield server
    server.stop()


def _env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(data_dir), HAMZABAN_SECRET_KEY="kill-test-" + "k" * 32,
               HAMZABAN_FEED_ALLOW_PRIVATE="127.0.0.1/32", HAMZABAN_FEED_LEASE_SECONDS=str(LEASE),
               HAMZABAN_FEED_POLL_CONCURRENCY="2", HAMZABAN_FEED_POLL_EVERY_SECONDS="1",
               HAMZABAN_WORKER_TICK_SECONDS="1")
    return env


def _flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _installation(tmp_path: Path, name: str, farm: FeedFarm) -> tuple[dict, Path]:
    data_dir = tmp_path / name
    env = _env(data_dir)
    _flask(env, "init")
    opml = tmp_path / f"{name}.opml"
    outlines = "".join(f'<outline text="farm {n}" xmlUrl="{farm.url(n)}"/>' for n in range(FEEDS))
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>', "utf-8")
    _flask(env, "feeds", "import-opml", str(opml))
    return env, data_dir / "hamzaban.db"


def _query(db_path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _items(db_path: Path) -> int:
    try:
        return _query(db_path, "SELECT count(*) FROM items")[0][0]
    except sqlite3.OperationalError:
        return 0


def _kill_when(proc: subprocess.Popen, db_path: Path, at_least: int) -> int:
    """SIGKILL `proc` as soon as the database holds `at_least` items; returns the count then."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the process ended before it could be killed: {proc.communicate()}")
        count = _items(db_path)
        if count >= at_least:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            return _items(db_path)
        time.sleep(0.005)
    proc.kill()
    pytest.fail("no progress within two minutes")


def _state(db_path: Path) -> dict:
    guids = [row[0] for row in _query(db_path, "SELECT guid FROM items ORDER BY guid")]
    return {
        "guids": guids,
        "sightings": _query(db_path, "SELECT count(*) FROM item_sightings")[0][0],
        "outbox": _query(db_path, "SELECT count(*), count(DISTINCT doc_id) FROM search_outbox")[0],
        "bands": _query(db_path, "SELECT count(*) FROM minhash_bands")[0][0],
        "feeds": _query(db_path, "SELECT sum(item_count), count(*), sum(consecutive_failures), "
                                 "count(lease_owner), count(last_success_at) FROM feeds")[0],
    }


def _reference(app, farm: FeedFarm) -> dict:
    """An uninterrupted pass over the same feeds (in this process, on the test database)."""
    from app.extensions import db
    from app.services.feed_pipeline import poll_feeds
    from models import Feed

    db.session.add_all(Feed(url=farm.url(n)) for n in range(FEEDS))
    db.session.commit()
    app.config.update(FEED_ALLOW_PRIVATE="127.0.0.1/32", FEED_POLL_CONCURRENCY=8)
    summary = poll_feeds(app.config)
    assert summary.items_new == FEEDS * ITEMS and summary.failed == 0
    db.session.remove()
    return _state(Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")))


def test_sigkill_in_the_middle_loses_nothing_and_duplicates_nothing(app, tmp_path, farm):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the processes under test use their own SQLite data folders")
    reference = _reference(app, farm)
    env, db_path = _installation(tmp_path, "killed", farm)
    command = [sys.executable, "-m", "flask", "--app", "app"]
    # 1. `feeds poll` killed once the first feeds are stored.
    poll = subprocess.Popen([*command, "feeds", "poll"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = _kill_when(poll, db_path, 1)
    # 2. The worker, started at once (the killed pass's leases still hold), killed again later on.
    worker = subprocess.Popen([*command, "worker"], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    second = _kill_when(worker, db_path, first + 3 * ITEMS)
    assert 0 < first < second < FEEDS * ITEMS, (first, second)
    # 3. Restart until every feed is done; the dead processes' leases expire after LEASE seconds.
    for _ in range(10):
        time.sleep(LEASE)
        _flask(env, "feeds", "poll", "--json")
        if _state(db_path)["feeds"][4] == FEEDS:
            break
    final = _state(db_path)
    assert final["guids"] == reference["guids"]
    assert len(final["guids"]) == len(set(final["guids"])) == FEEDS * ITEMS
    assert final["sightings"] == FEEDS * ITEMS
    assert final["outbox"] == (FEEDS * ITEMS, FEEDS * ITEMS)  # one outbox row per item, none lost
    assert final["bands"] == reference["bands"]
    assert final["feeds"] == (FEEDS * ITEMS, FEEDS, 0, 0, FEEDS)  # counts right, no lease left


def test_two_workers_at_once_poll_each_feed_once(tmp_path, farm):
    """Leases: two passes started together split the feeds; no feed is fetched twice."""
    env, db_path = _installation(tmp_path, "pair", farm)
    before = farm.requests
    command = [sys.executable, "-m", "flask", "--app", "app", "feeds", "poll", "--json"]
    procs = [subprocess.Popen(command, cwd=REPO, env={**env, "HAMZABAN_FEED_LEASE_SECONDS": "120"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    summaries = [json.loads(p.communicate(timeout=180)[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(s["feeds"] for s in summaries) == FEEDS and farm.requests - before == FEEDS
    assert all(s["feeds"] > 0 for s in summaries), summaries  # both took part
    state = _state(db_path)
    assert len(state["guids"]) == len(set(state["guids"])) == FEEDS * ITEMS
