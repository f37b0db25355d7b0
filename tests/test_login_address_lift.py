"""An administrator lifting a user's login wait lifts the network address's wait that refused that
user too (a review of the login, session 38: a stranger spraying guesses from the office's address
kept a colleague out of every new browser there, the users page showed no wait beside the
colleague, and «برداشتن محدودیت ورود» changed nothing: the address's wait was not the user's)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from models import AuditEntry
from tests.conftest import TEST_PASSWORD, csrf_token, login

OFFICE = "10.4.4.4"


def _post_login(client, username, password):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token(client)})


def _at(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _spray(app, clock, address, tries=12):
    """A stranger at ``address`` guessing at many names, waiting out each wait, until it is long."""
    stranger = _at(app, address)
    for n in range(tries):
        response = _post_login(stranger, f"sprayed{n}", "Password2024!")
        if response.status_code == 429:
            clock.advance(seconds=int(response.headers["Retry-After"]))
    response = _post_login(stranger, "sprayed-last", "Password2024!")
    assert response.status_code in (401, 429)
    return stranger


def test_lifting_a_users_wait_lifts_the_address_wait_that_kept_them_out(app, client, make_user, clock):
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 3
    admin, colleague = make_user(role="admin"), make_user(role="staff")
    stranger = _spray(app, clock, OFFICE)
    refused = _post_login(_at(app, OFFICE), colleague.username, TEST_PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 30
    assert "از این نشانی شبکه" in refused.get_data(as_text=True)

    login(client, admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{colleague.id}/unlock" in page  # the wait is shown beside the colleague
    assert client.post(f"/admin/users/{colleague.id}/unlock",
                       data={"csrf_token": csrf_token(client, "/admin/users")}).status_code == 302

    assert _post_login(_at(app, OFFICE), colleague.username, TEST_PASSWORD).status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.unlocked"))
    assert entry.details["addresses"] == [OFFICE]
    # The stranger's own name tries are counted again from the address's start, not forgotten for ever.
    assert _post_login(stranger, "sprayed-after", "Password2024!").status_code == 401


def test_an_address_wait_no_user_of_it_met_is_left_alone(app, client, make_user, clock):
    """Lifting a user's wait lifts only the waits of addresses that refused that user's name."""
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 3
    admin, colleague, other = make_user(role="admin"), make_user(role="staff"), make_user(role="staff")
    _spray(app, clock, OFFICE)
    _spray(app, clock, "10.5.5.5")
    assert _post_login(_at(app, OFFICE), colleague.username, TEST_PASSWORD).status_code == 429
    login(client, admin)
    assert f"/admin/users/{other.id}/unlock" not in client.get("/admin/users").get_data(as_text=True)
    client.post(f"/admin/users/{colleague.id}/unlock", data={"csrf_token": csrf_token(client, "/admin/users")})
    assert _post_login(_at(app, "10.5.5.5"), other.username, TEST_PASSWORD).status_code == 429


def test_the_audit_says_from_which_address_each_login_try_came(app, client, make_user, clock):
    """A review of the login, session 38: a failed login, a right password waiting for its code, a
    wrong code and a login were audited with no address, so credential stuffing left no trace of
    where it came from (only the address's wait, once)."""
    admin, user = make_user(role="admin"), make_user(role="staff")
    assert _post_login(_at(app, "203.0.113.7"), user.username, "not the password").status_code == 401
    assert _post_login(_at(app, "203.0.113.8"), "no-such-name", "not the password").status_code == 401
    assert _post_login(_at(app, "203.0.113.9"), user.username, TEST_PASSWORD).status_code == 302
    rows = db.session.execute(select(AuditEntry.action, AuditEntry.details).where(
        AuditEntry.action.in_(("login.failed", "login.succeeded"))).order_by(AuditEntry.id)).all()
    assert [(action, details.get("address")) for action, details in rows] == [
        ("login.failed", "203.0.113.7"), ("login.failed", "203.0.113.8"), ("login.succeeded", "203.0.113.9")]
    login(client, admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert all(f'<bdi dir="ltr">203.0.113.{n}</bdi>' in page for n in (7, 8, 9))


def test_the_audit_page_shows_the_address_a_lift_freed_and_a_strangers_name_in_english(app, client, make_user,
                                                                                        clock):
    """A browser walk, session 38: the lift's entry said «کاربر #۴» alone (the address whose wait it
    lifted was stored, never shown), and in English a name no account has stayed «نام ناشناخته …»."""
    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 3
    admin, colleague = make_user(role="admin"), make_user(role="staff")
    _spray(app, clock, OFFICE)
    assert _post_login(_at(app, OFFICE), colleague.username, TEST_PASSWORD).status_code == 429
    login(client, admin)
    client.post(f"/admin/users/{colleague.id}/unlock", data={"csrf_token": csrf_token(client, "/admin/users")})
    page = client.get("/admin/audit").get_data(as_text=True)
    assert f'و انتظار نشانی <bdi dir="ltr">{OFFICE}</bdi>' in page
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/admin/audit")})
    english = client.get("/admin/audit").get_data(as_text=True)
    assert f'and the wait of <bdi dir="ltr">{OFFICE}</bdi>' in english
    assert "Unknown name " in english and "نام ناشناخته" not in english


def test_a_flood_of_refused_tries_at_one_name_notes_it_once(app, make_user, clock):
    """Each refused try at a real name looked the account up and wrote its note: a flood during one
    wait is one lookup and one write, not one per try."""
    from sqlalchemy import event

    app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"] = 3
    colleague = make_user(role="staff")
    _spray(app, clock, OFFICE)
    writes = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if "throttle_counters" in statement and "login:addr-refused:" in str(parameters):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        office = _at(app, OFFICE)
        assert all(_post_login(office, colleague.username, "wrong").status_code == 429 for _ in range(20))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(writes) == 1
