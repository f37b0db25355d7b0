"""The two-node rehearsal, reduced (bench/rehearsal.py; the full run's figures are in bench/README.md):
two gunicorn servers of one process each and two workers over one PostgreSQL database, a client
alternating between the two ports with one server-side session, triaging while the workers ingest
12 feeds × 10 items of the local feed farm, three of which gain an item half-way. Nothing lost,
nothing duplicated, no feed fetched twice, the session valid on both servers, `search verify` clean.
PostgreSQL only (HAMZABAN_TEST_DATABASE_URL): the rehearsal is about several processes over it."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from app.extensions import db

pytestmark = pytest.mark.slow
BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_two_web_servers_and_two_workers_lose_nothing_and_duplicate_nothing(app, monkeypatch):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("the rehearsal runs over PostgreSQL (HAMZABAN_TEST_DATABASE_URL)")
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("gunicorn is not installed in this environment (requirements.txt)")
    db.session.remove()
    db.engine.dispose()  # the rehearsal drops and re-creates the schema: no connection of ours may hold a lock
    monkeypatch.syspath_prepend(str(BENCH))
    from rehearsal import run

    result = run(url, feeds=12, items=10, changed_count=3, web_processes=1)
    summary = {k: result[k] for k in ("items_expected", "items_stored", "lost", "duplicated", "unexpected",
                                      "routes_duplicated", "triage_lost", "feed_fetches", "feed_leases_left",
                                      "outbox_left", "client_refused", "search_verify_exit", "workers")}
    assert result["items_expected"] == 12 * 10 + 3, summary
    assert (result["lost"], result["duplicated"], result["unexpected"]) == (0, 0, 0), summary
    assert result["sightings"] == result["feeds_item_count"] == result["items_expected"], summary
    assert result["routes"] > 0 and result["routes_duplicated"] == 0, summary
    assert result["feed_fetches"] == 12 + 3, summary  # each feed fetched once per time it was due
    assert result["feed_leases_left"] == 0 and result["outbox_left"] == 0, summary
    assert sum(result["client_requests"].values()) > 0 and not any(result["client_refused"].values()), summary
    assert result["sessions"] == {"opened": 1, "open": 1}, summary  # one login, valid on both servers
    assert result["triage_lost"] == 0, summary
    assert result["search_verify_exit"] == 0 and result["search_verify"]["ok"], summary
    assert sum(w["items_new"] for w in result["workers"].values()) == result["items_expected"], summary
    assert all(code == 0 for code in result["exit_codes"].values()), summary
