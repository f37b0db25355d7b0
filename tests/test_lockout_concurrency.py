"""Lock-out under parallel guessing: a real waitress server, forty clients firing at once.

The failure count used to be read, compared and written back without a lock, so guesses sent
together all saw the account unlocked: 40 wrong passwords gave 32 answers 401. The count is now
taken atomically before the password is checked, so at most LOCKOUT_THRESHOLD guesses are ever
evaluated per lock-out window, on SQLite and on PostgreSQL alike.
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
    """Serve the test app with waitress on an ephemeral port, with enough threads to overlap requests."""
    with serving(app, threads=16) as url:
        yield url


def _login_session(base_url: str) -> tuple[httpx.Client, str]:
    """A client with its own session cookie and the CSRF token of its login form."""
    client = httpx.Client(base_url=base_url, timeout=60)
    html = client.get("/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return client, token


def _audit(user) -> Counter:
    db.session.expire_all()
    return Counter(db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_type == "User", AuditEntry.object_id == user.id)))


def test_parallel_wrong_passwords_evaluate_at_most_threshold_guesses(app, live_server, make_user):
    threshold = app.config["LOCKOUT_THRESHOLD"]
    assert threshold < GUESSES
    user = make_user(role="staff")
    username = user.username  # read here: the guessing threads have no app context
    sessions = [_login_session(live_server) for _ in range(GUESSES)]
    start = threading.Barrier(GUESSES)

    def guess(n: int) -> int:
        client, token = sessions[n]
        start.wait()
        return client.post("/login", data={"username": username, "password": f"wrong guess {n:02d}",
                                           "csrf_token": token}).status_code

    try:
        with ThreadPoolExecutor(max_workers=GUESSES) as pool:
            statuses = Counter(pool.map(guess, range(GUESSES)))
        # The threshold-th failure locks the account (423, as when guesses come one by one); the
        # ones before it answer 401; every other guess is refused unseen.
        assert statuses == {401: threshold - 1, 423: GUESSES - threshold + 1}, statuses
        actions = _audit(user)
        assert actions["login.failed"] == threshold
        assert actions["account.locked"] == 1
        assert actions["login.refused_locked"] == GUESSES - threshold
        # The right password is refused too while the lock lasts.
        client, token = sessions[0]
        right = client.post("/login", data={"username": username, "password": TEST_PASSWORD,
                                            "csrf_token": token})
        assert right.status_code == 423
        assert "قفل" in right.text
    finally:
        for client, _token in sessions:
            client.close()
    db.session.expire_all()
    locked = db.session.get(User, user.id)
    assert locked.is_locked and locked.last_login_at is None
