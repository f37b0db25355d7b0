"""What session 41's round on the login noticed and left (session 42): a password typed with a
control character, an over-long ``next``, an administrator facing an unreadable pending set-up,
and migration 0031 run without any secret key."""
from __future__ import annotations

from sqlalchemy import func, select, text

from app.extensions import db
from models import AuditEntry
from tests.conftest import TEST_PASSWORD, csrf_token, login

CONTROL = "نویسهٔ کنترلی"


def _feedback(response) -> str:
    return response.get_data(as_text=True)


def _hash(user_id: int) -> str:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT password_hash FROM users WHERE id = :id"), {"id": user_id}).scalar()


def test_a_password_typed_with_a_nul_is_answered_alike_at_the_login_and_the_password_change(app, client, make_user):
    """A NUL (a paste from a tool, a form filler) at the end of the password: the login said «wrong
    username or password» and the password change «the current password is wrong», neither why. No
    password can hold a control character (the rules refuse it): both now say so, 400, and nothing
    changes (the try counts and is audited, as any wrong password)."""
    user = make_user(role="staff")
    refused = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD + "\x00",
                                          "csrf_token": csrf_token(client)})
    assert refused.status_code == 400 and CONTROL in _feedback(refused)
    stranger = client.post("/login", data={"username": "nobody.here", "password": TEST_PASSWORD + "\x00",
                                           "csrf_token": csrf_token(client)})  # the same for a name no one has
    assert stranger.status_code == 400 and CONTROL in _feedback(stranger)
    login(client, user)
    before = _hash(user.id)
    changed = client.post("/account/password", data={
        "current": TEST_PASSWORD + "\x00", "new": "a brand new Phrase 1405", "confirm": "a brand new Phrase 1405",
        "csrf_token": csrf_token(client, "/account/password")})
    assert changed.status_code == 400 and CONTROL in _feedback(changed)
    assert _hash(user.id) == before
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "user.password_change_failed")) == 1
    assert client.get("/").status_code == 200  # still logged in


def test_a_next_longer_than_any_address_of_the_site_goes_home(client, make_user):
    """A 10,000-character ``next`` was followed, and sent back in the login page's language switch
    and the code page's address: past NEXT_MAX (8,192, what a proxy's request line holds by
    default) no address is the site's own."""
    from app.web.navigation import NEXT_MAX

    user = make_user(role="staff")
    longest, past = "/items/?q=" + "a" * (NEXT_MAX - 10), "/items/?q=" + "a" * 10_000
    page = client.get("/login", query_string={"next": past})
    assert page.status_code == 200 and "a" * 9_000 not in page.get_data(as_text=True)
    response = client.post("/login", query_string={"next": past}, data={
        "username": user.username, "password": TEST_PASSWORD, "csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/login", query_string={"next": longest}).headers["Location"] == longest


def test_an_admin_resets_a_pending_set_up_whose_secret_no_key_opens(app, client, make_user):
    """A set-up begun (not confirmed) before the secret key changed: its secret reads as UNREADABLE,
    an empty string, and the users page hid the reset («user reset-2fa» on the server only)."""
    from cryptography.fernet import MultiFernet

    from models.sealed import _fernet, seal

    user = make_user(role="staff")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE users SET totp_secret = :s WHERE id = :id"),
                     {"s": seal("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", MultiFernet([_fernet("o" * 64)])), "id": user.id})
    login(client, make_user(role="admin"))
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "بازنشانی ورود دومرحله‌ای" in page
    response = client.post(f"/admin/users/{user.id}/two-factor/reset",
                           data={"csrf_token": csrf_token(client, f"/admin/users/{user.id}")})
    assert response.status_code == 302
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id}).scalar() is None


def test_the_built_in_servers_own_refusals_are_in_persian(app):
    """What waitress answers itself, before the app sees a request (a broken Content-Length here;
    headers past its bound, a body too large, an unknown Transfer-Encoding alike), was English
    alone: Persian first now, waitress's English after it (``app/server_errors.py``)."""
    import socket
    from urllib.parse import urlsplit

    from tests.conftest import serving

    with serving(app, threads=1) as base:
        address = urlsplit(base)
        with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
            conn.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n")
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ") and b"charset=utf-8" in head
    text_ = body.decode("utf-8")
    assert "درخواست" in text_ and text_.index("درخواست") < text_.index("Bad Request")


def test_a_tab_left_open_after_logging_out_in_another_goes_to_the_login(app, client, make_user):
    """Two tabs of one browser: «خروج» in one, then «خروج» or any form in the other (its page's token
    was the logged-out session's) answered «the form's session expired, open the page again and send
    it again» (400), as if still logged in; a form sent after the session ended elsewhere goes to the
    login (``access``), and now this one too, saying so. A forged post to an anonymous browser changes
    nothing either way."""
    user = make_user(role="staff")
    login(client, user)
    other_tab, this_tab = csrf_token(client, "/"), csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": this_tab}).status_code == 302
    again = client.post("/logout", data={"csrf_token": other_tab})
    assert again.status_code == 302 and again.headers["Location"] == "/login"
    form = client.post("/account/password", data={"csrf_token": other_tab, "current": TEST_PASSWORD,
                                                   "new": "a brand new Phrase 1405", "confirm": "a brand new Phrase 1405"})
    assert form.status_code == 302 and form.headers["Location"] == "/login"
    assert "ذخیره نشد" in client.get("/login").get_data(as_text=True)
    assert client.post("/language/en", data={"csrf_token": "forged"}).status_code == 400  # a public form: as before


def test_a_second_login_tab_sent_after_the_first_logged_in_goes_on(app, client, make_user):
    """Two tabs on the login form (a session ended with several pages open): after logging in in one,
    the other's form answered «the form's session expired» (400; its token was the anonymous
    session's). The login form of a logged-in browser already sends it on to ``next``: now also when
    its token is stale. Nothing is checked or changed (the name and password sent are not read)."""
    user = make_user(role="staff")
    other_tab, this_tab = csrf_token(client), csrf_token(client)
    data = {"username": user.username, "password": TEST_PASSWORD}
    assert client.post("/login", data={**data, "csrf_token": this_tab}).status_code == 302
    again = client.post("/login", query_string={"next": "/items/"}, data={**data, "csrf_token": other_tab})
    assert again.status_code == 302 and again.headers["Location"] == "/items/"
    assert app.test_client().post("/login", data={**data, "csrf_token": other_tab}).status_code == 400


def test_logging_out_everywhere_from_a_tab_left_open_says_nothing_was_ended(app, client, make_user):
    """«خروج از همه‌جا» sent from a tab left open after logging out in another ends no session (its
    token was the ended session's): it answered «this browser had logged out already» alone, as the
    plain «خروج» does, which reads as done while the user's other browsers stayed logged in. It says
    that nothing sent was done and to log in again (a review of session 42's merged work)."""
    user = make_user(role="staff")
    elsewhere = app.test_client()
    login(client, user)
    login(elsewhere, user)
    this_tab, other_tab = csrf_token(client, "/"), csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": this_tab}).status_code == 302
    answer = client.post("/logout/everywhere", data={"csrf_token": other_tab})
    assert answer.status_code == 302 and answer.headers["Location"] == "/login"
    assert "ذخیره نشد" in client.get("/login").get_data(as_text=True)
    assert elsewhere.get("/").status_code == 200  # still logged in: nothing was ended
