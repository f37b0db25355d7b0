"""Password guessing meets waits that double, never a lock-out: per username (existing or not),
per remembered browser and per client address, counted in the database that every process shares.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.login_throttle import _network
from models import AuditEntry
from tests.conftest import REPO, TEST_PASSWORD, csrf_token, login, spray_address_to_its_longest_wait


def _post_login(client, username, password):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token(client)})


def _actions(user):
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "User", AuditEntry.object_id == user.id).order_by(AuditEntry.id)))


def test_after_five_failures_each_try_waits_twice_as_long_up_to_the_cap(app, client, make_user, clock):
    app.config["LOGIN_MAX_DELAY_SECONDS"] = 8
    user = make_user(role="manager")
    assert [_post_login(client, user.username, "not it").status_code for _ in range(5)] == [401] * 5
    for wait in (1, 2, 4, 8, 8):
        refused = _post_login(client, user.username, TEST_PASSWORD)  # even the right password waits
        assert refused.status_code == 429 and refused.headers["Retry-After"] == str(wait)
        assert f"{wait} ثانیه دیگر" in refused.get_data(as_text=True).replace("۱", "1").replace(
            "۲", "2").replace("۴", "4").replace("۸", "8")
        clock.advance(seconds=wait)
        assert _post_login(client, user.username, "still not it").status_code == 401
    # Each wait that refused a try is in the trail once, before the failure that followed it.
    assert _actions(user) == ["login.failed"] * 5 + ["login.throttled", "login.failed"] * 5


def test_the_right_password_after_the_wait_logs_in_and_forgets_the_failures(app, client, make_user, clock):
    user = make_user(role="staff")
    for _ in range(5):
        _post_login(client, user.username, "not it")
    clock.advance(seconds=1)
    assert _post_login(client, user.username, TEST_PASSWORD).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    # The count starts over: five more tries before any wait.
    assert [_post_login(client, user.username, "not it").status_code for _ in range(5)] == [401] * 5
    assert _post_login(client, user.username, "not it").status_code == 429


def test_failures_are_forgotten_an_hour_after_the_last_one(app, client, make_user, clock):
    user = make_user(role="staff")
    for _ in range(5):
        _post_login(client, user.username, "not it")
    clock.advance(minutes=61)
    assert [_post_login(client, user.username, "not it").status_code for _ in range(5)] == [401] * 5


def test_free_attempts_are_a_setting(app, client, make_user, clock):
    app.config["LOGIN_FREE_ATTEMPTS"] = 2
    user = make_user(role="staff")
    assert [_post_login(client, user.username, "nope nope").status_code for _ in range(3)] == [401, 401, 429]


def test_one_address_trying_many_usernames_waits_too(app, client, make_user, clock):
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 6
    user = make_user(role="staff")
    statuses = [_post_login(client, f"sprayed{n}", "Password2024!").status_code for n in range(6)]
    assert statuses == [401] * 6
    assert _post_login(client, user.username, TEST_PASSWORD).status_code == 429  # this address waits
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert _post_login(other, user.username, TEST_PASSWORD).status_code == 302  # the user elsewhere does not


def test_a_strangers_guesses_do_not_make_the_signed_in_owner_wait(app, make_user, clock):
    """The change-password form and setting up the second factor counted on the typed username's
    key, which anyone fills from the login page: a stranger's guesses made the signed-in owner wait
    up to five minutes there, again and again (an administrator who must set up a second factor
    could then use nothing). Those re-checks count on the user's own key; the owner's own wrong
    guesses there still wait, and still do not make the login wait."""
    admin = make_user(role="admin")  # must set up a second factor (the default setting)
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "10.20.30.40"
    login(owner, admin)
    stranger = app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = "192.0.2.66"
    assert [_post_login(stranger, admin.username, f"guess {n}").status_code for n in range(7)][-1] == 429
    token = csrf_token(owner, "/account/two-factor")
    started = owner.post("/account/two-factor/start", data={"csrf_token": token, "password": TEST_PASSWORD},
                         follow_redirects=True)
    assert started.status_code == 200 and "ثانیه دیگر" not in started.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.totp_secret  # the set-up went on
    staff = make_user(role="staff")
    theirs = app.test_client()
    theirs.environ_base["REMOTE_ADDR"] = "10.20.30.41"
    login(theirs, staff)
    for n in range(7):
        _post_login(stranger, staff.username, f"guess {n}")
    changed = theirs.post("/account/password", data={"current": TEST_PASSWORD, "new": "a brand new phrase 1", "confirm": "a brand new phrase 1",
                                                    "csrf_token": csrf_token(theirs, "/account/password")})
    assert changed.status_code == 302, changed.get_data(as_text=True)[:300]
    # Wrong guesses there (the owner's, or a session thief's) wait, on that key only: not the login.
    other = make_user(role="staff")
    thief = app.test_client()
    thief.environ_base["REMOTE_ADDR"] = "10.20.30.42"
    login(thief, other)
    token = csrf_token(thief, "/account/password")
    statuses = [thief.post("/account/password", data={"current": f"wrong {n}", "new": "another phrase 22", "confirm": "another phrase 22",
                                                      "csrf_token": token}).status_code for n in range(7)]
    assert statuses[-1] == 429, statuses
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert _post_login(elsewhere, other.username, TEST_PASSWORD).status_code == 302


def test_a_stranger_spraying_from_the_same_address_does_not_keep_out_its_known_browsers(app, make_user, clock):
    """An office behind one address (NAT, a proxy): a stranger there spraying guesses made the
    address wait, and with it a colleague logging in from the browser they had used before, and a
    signed-in colleague changing their password. Those tries have shown a right secret before (a
    cookie signed at a finished login, a session): they count on their own keys, not the address."""
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 4
    office = "10.1.1.1"
    known, signed_in = make_user(role="staff"), make_user(role="staff")
    colleague = app.test_client()
    colleague.environ_base["REMOTE_ADDR"] = office
    login(colleague, known)  # this browser is remembered for that username
    colleague.post("/logout", data={"csrf_token": csrf_token(colleague, "/")})
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = office
    login(other, signed_in)
    stranger = app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = office
    statuses = [_post_login(stranger, f"sprayed{n}", "Password2024!").status_code for n in range(6)]
    assert statuses[-1] == 429  # the address waits for strangers
    newcomer = app.test_client()
    newcomer.environ_base["REMOTE_ADDR"] = office
    assert _post_login(newcomer, known.username, TEST_PASSWORD).status_code == 429  # a browser never used: waits
    assert _post_login(colleague, known.username, TEST_PASSWORD).status_code == 302  # the remembered one: in
    changed = other.post("/account/password", data={"current": TEST_PASSWORD, "new": "a brand new phrase 1", "confirm": "a brand new phrase 1",
                                                   "csrf_token": csrf_token(other, "/account/password")})
    assert changed.status_code == 302, changed.get_data(as_text=True)[:300]


def test_a_browser_remembered_before_a_password_change_is_a_stranger_after_it(app, make_user, clock):
    """Found by probing a running server: every login wrote a new remembered-browser cookie, and a
    try from one counted on that cookie alone, not on the username nor the address. Someone who
    knew the password once (phished, a colleague's) logged in six times, kept the six cookies, and
    after the owner changed the password had five free guesses at the new one per cookie, thirty in
    all, none of them counted on the username or the address. A browser is remembered for the
    password it logged in with: after a change its tries count as a stranger's."""
    user = make_user(role="staff")
    office = "10.1.1.7"
    kept = []
    for _ in range(3):
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = office
        login(browser, user)
        browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
        kept.append(browser)
    owner = app.test_client()
    login(owner, user)
    changed = owner.post("/account/password", data={"current": TEST_PASSWORD, "new": "a brand new phrase 1", "confirm": "a brand new phrase 1",
                                                    "csrf_token": csrf_token(owner, "/account/password")})
    assert changed.status_code == 302
    statuses = [_post_login(browser, user.username, f"guess {n} at the new one").status_code
                for browser in kept for n in range(3)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}, statuses  # the username's five, no more
    assert any(key.startswith("login:addr:10.1.1.7") for key in _counter_keys())  # and the address counts them
    # Logging in with the new password remembers the browser again, for that password.
    clock.advance(seconds=app.config["LOGIN_MAX_DELAY_SECONDS"] + 1)
    assert _post_login(kept[0], user.username, "a brand new phrase 1").status_code == 302
    kept[0].post("/logout", data={"csrf_token": csrf_token(kept[0], "/")})
    stranger = app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = office
    assert [_post_login(stranger, user.username, f"guess {n}").status_code for n in range(6)][-1] == 429
    assert _post_login(kept[0], user.username, "a brand new phrase 1").status_code == 302  # remembered: in


def _counter_keys() -> list[str]:
    from models import ThrottleCounter
    return list(db.session.scalars(select(ThrottleCounter.key)))


def test_successful_logins_do_not_use_up_the_address(app, make_user, clock):
    """An office behind one address: forty people logging in are not forty failures."""
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 3
    for _ in range(6):
        client = app.test_client()
        login(client, make_user(role="staff"))


def test_an_admin_lifts_the_wait_and_it_is_audited(app, client, make_user, clock):
    admin = make_user(role="admin")
    user = make_user(role="staff")
    other = app.test_client()
    for _ in range(6):
        _post_login(other, user.username, "not it")
    login(client, admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "برداشتن محدودیت ورود" in page
    response = client.post(f"/admin/users/{user.id}/unlock", data={"csrf_token": csrf_token(client, "/admin/users")})
    assert response.status_code == 302
    assert _actions(user)[-1] == "account.unlocked"
    assert _post_login(other, user.username, TEST_PASSWORD).status_code == 302


def test_a_wait_at_the_code_step_shows_on_the_users_page(app, client, make_user, clock):
    """The review of this session's change: the code step of a browser not remembered counts on the
    account's own key; a wait there was not shown on the users page, which offered no way to lift it."""
    from app.services.login_keys import normalize_username
    from app.services.login_throttle import TooManyAttempts, take_attempt
    from app.services.login_waits import waiting_usernames
    from app.services.sessions import Client

    admin, user = make_user(role="admin"), make_user(role="staff")
    assert waiting_usernames([user]) == {}
    with pytest.raises(TooManyAttempts):
        for _ in range(30):  # the code step's tries of one browser, none finishing the login
            take_attempt(normalize_username(user.username), Client(address="192.0.2.9"), code_step=user.id)
    assert user.username in waiting_usernames([user])
    login(client, admin)
    assert "برداشتن محدودیت ورود" in client.get("/admin/users").get_data(as_text=True)


@pytest.mark.parametrize("address, network", [
    ("192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff::9", "2001:db8:1:2::/64"),  # one host's /64 is one address to the throttle
    ("::ffff:192.0.2.7", "192.0.2.7"),
    ("", "unknown"),
])
def test_addresses_are_counted_by_host_or_ipv6_64(address, network):
    assert _network(address) == network


# --- two processes, one count --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Each server's clock stands still at the same instant: the first wait is one second, less than
# two processes may take to answer on a busy machine.
SERVER = """
import sys
from datetime import datetime
from waitress import serve
from app import clock, create_app
frozen = datetime.fromisoformat(sys.argv[2])
clock.utcnow = lambda: frozen
serve(create_app({"MFA_REQUIRED_ROLES": ()}), host="127.0.0.1", port=int(sys.argv[1]), threads=2)
"""


@pytest.fixture
def two_servers(app, tmp_path):
    env = {**os.environ, "HAMZABAN_SECRET_KEY": app.config["SECRET_KEY"], "HAMZABAN_DATA_DIR": str(tmp_path),
           "HAMZABAN_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "PYTHONPATH": str(REPO)}
    ports = [_free_port(), _free_port()]
    frozen = datetime.now(UTC).isoformat()
    servers = [subprocess.Popen([sys.executable, "-c", SERVER, str(port), frozen], cwd=REPO, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for port in ports]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 60
        for url, server in zip(urls, servers):
            while True:
                try:
                    httpx.get(f"{url}/login", timeout=2)
                    break
                except httpx.TransportError:
                    assert server.poll() is None, server.stderr.read().decode()
                    assert time.monotonic() < deadline, "server did not start"
                    time.sleep(0.2)
        yield urls
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def test_the_count_is_shared_by_two_web_processes(app, make_user, two_servers):
    user = make_user(role="staff")
    username = user.username
    statuses = []
    for n in range(7):
        with httpx.Client(base_url=two_servers[n % 2], timeout=30) as client:
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text).group(1)
            statuses.append(client.post("/login", data={"username": username, "password": f"guess {n}",
                                                        "csrf_token": token}).status_code)
    # Five failures in all (three on one process, two on the other), then both make the sixth wait.
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429], statuses


def test_waits_grow_to_the_cap_and_no_further(app, client, make_user, clock):
    user = make_user(role="staff")
    cap = app.config["LOGIN_MAX_DELAY_SECONDS"]
    waits = []
    for _ in range(40):
        response = _post_login(client, user.username, "not it")
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
            clock.advance(seconds=waits[-1])
    assert max(waits) == cap and waits[-3:] == [cap] * 3, waits


def test_a_wait_that_refuses_tries_is_audited_once_however_many_it_refuses(app, client, make_user, clock):
    """A refused try (429) left no trace; a flood of them must not flood the trail either: one
    entry when a wait first refuses a try, none for the next refusals of that wait."""
    user = make_user(role="staff")
    for _ in range(5):
        _post_login(client, user.username, "not it")
    assert _actions(user) == ["login.failed"] * 5  # the fifth failure set a wait: nothing refused yet
    assert [_post_login(client, user.username, TEST_PASSWORD).status_code for _ in range(30)] == [429] * 30
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.throttled")).all()
    assert len(entries) == 1
    assert entries[0].object_id == user.id and entries[0].actor_label == user.username
    assert entries[0].details["on"] == "account" and entries[0].details["seconds"] == 1
    clock.advance(seconds=1)
    assert _post_login(client, user.username, "not it").status_code == 401  # a new wait of 2 s
    assert [_post_login(client, user.username, "x").status_code for _ in range(10)] == [429] * 10
    assert _actions(user)[-3:] == ["login.throttled", "login.failed", "login.throttled"]
    admin = app.test_client()
    login(admin, make_user(role="admin"))
    assert "آغاز انتظار ورود پس از تلاش‌های ناموفق پیاپی" in admin.get("/admin/audit").get_data(as_text=True)


def test_a_sprayed_address_is_audited_once_per_wait_not_once_per_username(app, client, make_user, clock):
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 3
    for n in range(3):
        _post_login(client, f"sprayed{n}", "Password2024!")
    statuses = [_post_login(client, f"other{n}", "Password2024!").status_code for n in range(20)]
    assert statuses == [429] * 20
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.throttled")).all()
    assert [(entry.details["on"], entry.details["address"]) for entry in entries] == [("address", "127.0.0.1")]


def test_the_browser_that_changed_the_password_is_remembered_for_the_new_one(app, make_user, clock):
    """The review of the login (session 26): a browser is remembered for the password it logged in
    with, so after a change every one of the owner's browsers was a stranger's, and a stranger
    typing the username kept the owner out with the right new password (one try per wait)."""
    user = make_user(role="staff")
    owner = app.test_client()
    login(owner, user)
    changed = owner.post("/account/password", data={"current": TEST_PASSWORD, "new": "a brand new phrase 1", "confirm": "a brand new phrase 1",
                                                    "csrf_token": csrf_token(owner, "/account/password")})
    assert changed.status_code == 302
    owner.post("/logout", data={"csrf_token": csrf_token(owner, "/")})
    stranger = app.test_client()
    assert [_post_login(stranger, user.username, f"guess {n}").status_code for n in range(7)][-1] == 429
    assert _post_login(owner, user.username, "a brand new phrase 1").status_code == 302  # remembered: in
    elsewhere = app.test_client()
    assert _post_login(elsewhere, user.username, "a brand new phrase 1").status_code == 429  # a new browser waits


def test_an_address_wait_says_it_is_the_networks_not_the_users(app, make_user, clock):
    """The review of the login (session 26): a colleague refused because a stranger in the same
    office sprayed guesses read «too many failed attempts in a row», which they never made."""
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 4
    user = make_user(role="staff")
    stranger = app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = "10.1.1.9"
    for n in range(5):
        _post_login(stranger, f"sprayed{n}", "Password2024!")
    colleague = app.test_client()
    colleague.environ_base["REMOTE_ADDR"] = "10.1.1.9"
    refused = _post_login(colleague, user.username, TEST_PASSWORD)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "از این نشانی شبکه" in html and "پیاپی" not in html
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 100
    guessed = app.test_client()
    for n in range(7):
        last = _post_login(guessed, user.username, f"guess {n}")
    assert last.status_code == 429 and "تلاش‌های ناموفق پیاپی" in last.get_data(as_text=True)  # the user's own wait


def test_a_wait_on_a_name_no_account_has_is_audited_as_a_tag(app, client, make_user, clock):
    """The audit's «login.failed» kept an unknown name only as a tag, but «login.throttled» still
    wrote it as typed (a password typed into the name box reached the audit: the review of this
    change)."""
    for _ in range(5):
        _post_login(client, "My-Secret-Pass-1405", "not it")
    assert _post_login(client, "My-Secret-Pass-1405", "x").status_code == 429
    labels = list(db.session.scalars(select(AuditEntry.actor_label).where(
        AuditEntry.action.in_(("login.failed", "login.throttled")))))
    assert len(labels) == 6 and len(set(labels)) == 1 and labels[0].startswith("نام ناشناخته ")
    # nor do the throttle's counters keep it (they did, for a day, and into the backups: round 4)
    keys = " ".join(_counter_keys())
    assert "login:user:" in keys and "secret" not in keys.lower() and "1405" not in keys


def test_a_right_password_leaves_no_wait_of_its_own_on_the_address(app, make_user, clock):
    """At an address a stranger's guesses pushed to the longest wait, and then stopped, a colleague's
    right password was counted at that count and left the address a 300 s wait of its own making:
    the next colleague there was refused for five minutes. The stranger's next guess still waits."""
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 4
    office = "10.3.3.3"
    stranger = spray_address_to_its_longest_wait(app, clock, office)
    for user in (make_user(role="staff"), make_user(role="staff")):
        colleague = app.test_client()
        colleague.environ_base["REMOTE_ADDR"] = office
        assert _post_login(colleague, user.username, TEST_PASSWORD).status_code == 302
    assert _post_login(stranger, "sprayed-again", "Password2024!").status_code == 401  # counted: sets the wait
    assert _post_login(stranger, "sprayed-once-more", "Password2024!").status_code == 429
