"""The login throttle under parallel guessing: a real waitress server, forty clients firing at once.

Each try is counted (one INSERT … ON CONFLICT DO UPDATE per key, in one transaction) before its
password is checked, so guesses sent together cannot all see "no wait yet": at most
LOGIN_FREE_ATTEMPTS of them are evaluated, the rest are told to wait (429), on SQLite and on
PostgreSQL alike. An unknown username answers exactly as an existing one does (this used to be
4×401 + 36×423 for an existing account and 40×401 for an unknown one: a list of who has an account).
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import select

from app.extensions import db
from models import AuditEntry, User
from tests.conftest import TEST_PASSWORD, serving

GUESSES = 40


@pytest.fixture
def live_server(app):
    """Serve the test app with waitress on an ephemeral port, with the threads of ``flask serve`` (8).

    A login holds two database connections at once: the request's session (the account's row)
    and the throttle's own short transaction. With as many threads as the pool has connections
    (5 + 10 overflow), every connection can be a request's first while all of them wait for a
    second: 16 threads did that on a loaded CI machine (30 s pool timeouts, 500s). The servers the
    project ships run 8 (waitress) and 4 per process (gunicorn)."""
    with serving(app, threads=8) as url:
        yield url


def _login_session(base_url: str) -> tuple[httpx.Client, str]:
    """A client with its own session cookie and the CSRF token of its login form."""
    client = httpx.Client(base_url=base_url, timeout=60)
    html = client.get("/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return client, token


def _guess_at_once(base_url: str, username: str) -> Counter:
    sessions = [_login_session(base_url) for _ in range(GUESSES)]
    start = threading.Barrier(GUESSES)

    def guess(n: int) -> int:
        client, token = sessions[n]
        start.wait()
        return client.post("/login", data={"username": username, "password": f"wrong guess {n:02d}",
                                           "csrf_token": token}).status_code

    try:
        with ThreadPoolExecutor(max_workers=GUESSES) as pool:
            return Counter(pool.map(guess, range(GUESSES)))
    finally:
        for client, _token in sessions:
            client.close()


def test_parallel_wrong_passwords_evaluate_at_most_the_free_attempts_and_tell_no_usernames(
        app, live_server, make_user, clock):
    # The clock stands still: the first wait (1 s) would otherwise end while forty argon2 checks
    # share two cores, and a late guess would rightly be let through.
    free = app.config["LOGIN_FREE_ATTEMPTS"]
    assert free < GUESSES and app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] >= 2 * free
    user = make_user(role="staff")
    username = user.username  # read here: the guessing threads have no app context

    existing = _guess_at_once(live_server, username)
    unknown = _guess_at_once(live_server, "nobody-by-this-name")
    assert existing == unknown == {401: free, 429: GUESSES - free}, (existing, unknown)

    db.session.expire_all()
    failed = Counter(db.session.scalars(select(AuditEntry.actor_label).where(AuditEntry.action == "login.failed")))
    [unknown_label] = set(failed) - {username}  # a name no account has is kept only as a tag
    assert failed == {username: free, unknown_label: free} and "nobody" not in unknown_label
    # The right password waits too (a wait, not a lock: it ends by itself a second later).
    client, token = _login_session(live_server)
    try:
        right = client.post("/login", data={"username": username, "password": TEST_PASSWORD, "csrf_token": token})
    finally:
        client.close()
    assert right.status_code == 429 and int(right.headers["Retry-After"]) >= 1
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is None
