"""Two copies of one code page sent at once, for real: a waitress server, two threads, two
connections, the database's own locks (SQLite's write lock, PostgreSQL's row locks). The tests of
tests/test_two_factor.py place the other copy's login in the window with a monkeypatch; here the
requests race as a double click or a copied cookie does, round after round, and every round must
end in one login, one used code and an audit entry for each of the two tries."""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func, select

from app.extensions import db
from models import AuditEntry, RecoveryCode, UserSession
from tests.conftest import TEST_PASSWORD, serving
from tests.test_two_factor import enrolled  # noqa: F401 - the fixture

ROUNDS = 3


def _token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _code_page(url: str, username: str) -> tuple[dict, str]:
    """A browser past the password step: its cookies and the code form's token."""
    with httpx.Client(base_url=url, timeout=60) as browser:
        browser.post("/login", data={"username": username, "password": TEST_PASSWORD,
                                     "csrf_token": _token(browser.get("/login").text)})
        page = browser.get("/login/code")
        assert page.status_code == 200, page.status_code
        return dict(browser.cookies), _token(page.text)


def _at_once(url: str, cookies: dict, token: str, codes: list[str]) -> list[httpx.Response]:
    start = threading.Barrier(len(codes))

    def send(code: str) -> httpx.Response:
        with httpx.Client(base_url=url, timeout=60, cookies=cookies) as copy:
            start.wait()
            return copy.post("/login/code", data={"code": code, "csrf_token": token})

    with ThreadPoolExecutor(max_workers=len(codes)) as pool:
        return list(pool.map(send, codes))


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_two_recovery_codes_sent_at_once_from_one_code_page_log_in_once_and_both_are_audited(app, enrolled, clock):
    user, codes = enrolled
    with serving(app, threads=4) as url:
        for n in range(ROUNDS):
            clock.advance(seconds=1)  # each round's login its own stamp (the test clock stands still)
            before = {action: _count(AuditEntry, AuditEntry.action == action)
                      for action in ("login.succeeded", "login.code_late", "login.code_failed")}
            sessions = _count(UserSession, UserSession.user_id == user.id)
            cookies, token = _code_page(url, user.username)
            answers = _at_once(url, cookies, token, codes[2 * n:2 * n + 2])
            assert sorted(answer.status_code for answer in answers) == [302, 302], [a.text[:300] for a in answers]
            assert _count(UserSession, UserSession.user_id == user.id) == sessions + 1  # one login
            after = {action: _count(AuditEntry, AuditEntry.action == action) for action in before}
            assert after["login.succeeded"] == before["login.succeeded"] + 1
            # the other try is in the trail, as a try on a spent step (never as a wrong code)
            assert after["login.code_late"] == before["login.code_late"] + 1, (n, before, after)
            assert after["login.code_failed"] == before["login.code_failed"]
    # the losing copy's recovery code was not used up: one used per round
    assert _count(RecoveryCode, RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_not(None)) == ROUNDS


def test_one_code_sent_twice_at_once_logs_in_once_and_is_no_wrong_code(app, enrolled, clock):
    """A double click on the code form, for real: the same TOTP code from two copies of the page."""
    from tests.test_two_factor import _code

    user, _codes = enrolled
    with serving(app, threads=4) as url:
        for _ in range(ROUNDS):
            clock.advance(seconds=30)  # a code of a step not used yet
            sessions = _count(UserSession, UserSession.user_id == user.id)
            late = _count(AuditEntry, AuditEntry.action == "login.code_late")
            cookies, token = _code_page(url, user.username)
            code = _code(user, clock)
            answers = _at_once(url, cookies, token, [code, code])
            assert sorted(answer.status_code for answer in answers) == [302, 302]
            assert _count(UserSession, UserSession.user_id == user.id) == sessions + 1
            assert _count(AuditEntry, AuditEntry.action == "login.code_late") == late + 1
    assert _count(AuditEntry, AuditEntry.action == "login.code_failed") == 0
