"""The four findings of issue 14 in this scope, each as an attacker met it (written before the fix)."""
from __future__ import annotations

import re

from app.extensions import db
from app.passwords import verify_password
from tests.conftest import TEST_PASSWORD, csrf_token, login


def _post_login(client, username, password, **kwargs):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token(client)}, **kwargs)


def test_a_copied_session_cookie_is_refused_after_logout(app, client, make_user):
    user = make_user(role="staff")
    login(client, user)
    stolen = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    thief = app.test_client()  # same address, same User-Agent
    thief.set_cookie("session", stolen)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _page(response, name: str) -> str:
    return re.sub(r'(name="csrf[-_]token"[^>]*(?:value|content)=)"[^"]+"', r"\1", response.get_data(as_text=True)
                  ).replace(name, "NAME")


def test_existing_and_unknown_usernames_get_the_same_answers(app, make_user, clock):
    user = make_user(role="staff")
    answers = {}
    for name in (user.username, "no-such-user"):
        client = app.test_client()
        answers[name] = [(r.status_code, _page(r, name))
                         for r in (_post_login(client, name, f"wrong {n}") for n in range(12))]
    statuses = [status for status, _ in answers[user.username]]
    assert statuses == [status for status, _ in answers["no-such-user"]], statuses
    assert 423 not in statuses
    assert [b for _, b in answers[user.username]] == [b for _, b in answers["no-such-user"]]


def test_guessing_from_one_address_does_not_lock_the_owner_out(app, make_user):
    user = make_user(role="staff")
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "10.20.30.40"
    assert _post_login(owner, user.username, TEST_PASSWORD).status_code == 302  # the owner's browser, once
    owner.post("/logout", data={"csrf_token": csrf_token(owner, "/")})
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "192.0.2.66"
    for n in range(30):
        _post_login(attacker, user.username, f"guess {n}")
    assert _post_login(owner, user.username, TEST_PASSWORD).status_code == 302


def test_the_change_password_form_does_not_allow_brute_force(app, client, make_user, clock):
    # The clock stands still: on a loaded machine twelve argon2 checks can outlast a 2 s wait, and
    # the right password, sent after it ended, would rightly be let through (302, seen in CI).
    user = make_user(role="staff")
    login(client, user)
    token = csrf_token(client, "/account/password")
    statuses = [client.post("/account/password", data={"current": f"wrong guess {n}", "new": "a brand new phrase 1", "confirm": "a brand new phrase 1",
                                                       "csrf_token": token}).status_code for n in range(12)]
    assert 429 in statuses, statuses
    right = client.post("/account/password", data={"current": TEST_PASSWORD, "new": "a brand new phrase 1", "confirm": "a brand new phrase 1",
                                                   "csrf_token": token})
    assert right.status_code == 429
    assert "دوباره" in right.get_data(as_text=True)
    db.session.refresh(user)
    assert verify_password(user.password_hash, TEST_PASSWORD)


def test_search_is_rate_limited_per_user(app, client, make_user):
    app.config["RATE_SEARCHES_PER_MINUTE"] = 3
    viewer = make_user(role="viewer")
    login(client, viewer)
    statuses = [client.get("/search/", query_string={"q": "آب " * 32}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429], statuses
    refused = client.get("/search/", query_string={"q": "آب"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "جست‌وجو" in refused.get_data(as_text=True)
