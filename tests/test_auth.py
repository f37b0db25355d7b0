"""Logging in, lock-out and its audit trail, CSRF, password rules, session safety."""
from __future__ import annotations

import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.passwords import PasswordRejected, check_password_rules
from models import AuditEntry
from tests.conftest import REPO, TEST_PASSWORD, csrf_token, login


def _post_login(client, username, password):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token(client)})


def _actions(user=None):
    query = select(AuditEntry.action).order_by(AuditEntry.id)
    if user is not None:
        query = query.where(AuditEntry.object_id == user.id, AuditEntry.object_type == "User")
    return list(db.session.scalars(query))


def test_login_page_is_persian_and_rtl(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert "ورود به همزبان" in html


def test_staff_user_logs_in_and_sees_dashboard(client, make_user):
    user = make_user(role="staff")
    response = _post_login(client, user.username, TEST_PASSWORD)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "پیشخوان" in page and user.display_name in page
    assert _actions(user)[-1] == "login.succeeded"


def test_username_is_case_insensitive_and_persian_normalized(client, make_user):
    make_user(role="staff", username="ali")
    assert _post_login(client, "  ALI ", TEST_PASSWORD).status_code == 302


def test_wrong_password_says_so_in_persian_and_keeps_username(client, make_user):
    user = make_user(role="staff")
    response = _post_login(client, user.username, "wrong password 123")
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "نام کاربری یا گذرواژه درست نیست" in html
    assert f'value="{user.username}"' in html


def test_unknown_user_gets_the_same_message_and_is_audited(client):
    response = _post_login(client, "nobody", "whatever password")
    assert response.status_code == 401
    assert "نام کاربری یا گذرواژه درست نیست" in response.get_data(as_text=True)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.failed")).one()
    assert entry.actor_label.startswith("نام ناشناخته ") and "nobody" not in entry.actor_label


def test_importing_the_password_module_runs_no_hash():
    """Every CLI command imports app.passwords (through the services); the timing hash for unknown
    usernames used to be made then, an argon2 run for nothing. It is made on first use now."""
    script = ("import argon2\n"
              "calls = []\n"
              "real = argon2.PasswordHasher.hash\n"
              "argon2.PasswordHasher.hash = lambda self, *a, **k: calls.append(1) or real(self, *a, **k)\n"
              "import app.passwords, app.services.login\n"
              "print(len(calls))\n")
    done = subprocess.run([sys.executable, "-c", script], check=False, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "0"


def test_an_unknown_username_costs_a_real_password_check_from_the_first_login_on(app, client, make_user,
                                                                                monkeypatch):
    """The timing hash is made at the first login whoever it names, and an unknown username is
    checked against it (a full argon2id verification, as for a real account)."""
    from app import passwords
    from app.services import login as login_service

    passwords.dummy_hash.cache_clear()
    login(client, make_user(role="staff"))  # an existing user first: the hash is made here too
    assert passwords.dummy_hash.cache_info().currsize == 1
    checked = []
    real_verify = login_service.verify_password
    monkeypatch.setattr(login_service, "verify_password",
                        lambda stored, typed: checked.append(stored) or real_verify(stored, typed))
    other = app.test_client()
    assert _post_login(other, "nobody-at-all", "whatever password").status_code == 401
    assert checked == [passwords.dummy_hash()] and checked[0].startswith("$argon2id$")
    assert not passwords.needs_rehash(checked[0])  # the parameters of every real hash


def test_a_name_no_account_has_is_audited_as_a_tag_not_as_typed(app, client, make_user):
    """People type their password into the name box; the audit, read by supervisors, showed it as
    typed (a review of the login, round 3). An account's name is kept; another name only as a keyed
    tag, the same for the same name."""
    make_user(role="staff", username="ali")
    for name in ("My-Secret-Pass-1405", "My-Secret-Pass-1405", "another-name", "ali"):
        assert _post_login(client, name, "wrong password 123").status_code == 401
    labels = list(db.session.scalars(select(AuditEntry.actor_label).where(AuditEntry.action == "login.failed")
                                     .order_by(AuditEntry.id)))
    assert labels[0] == labels[1] != labels[2] and labels[3] == "ali"
    assert all(label.startswith("نام ناشناخته ") for label in labels[:3])
    assert not any("secret" in label.lower() or "another" in label for label in labels)
    admin_client = app.test_client()
    login(admin_client, make_user(role="admin"))
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "secret" not in page.lower() and "نام ناشناخته" in page
    # what an entry is about, in the reader's words: «کاربر #۲», not «User #2» (a newcomer's walk)
    assert "User #" not in page and "کاربر #" in page


def test_a_nul_byte_in_the_username_is_dropped_not_an_error(client, make_user):
    """PostgreSQL cannot store a NUL: a username carrying one answered 500 there (the throttle's
    key and the audit entry); it is dropped like the bidi controls are."""
    make_user(role="staff", username="ali")
    wrong = _post_login(client, "al\x00i", "wrong password 123")
    assert wrong.status_code == 401
    assert "نام کاربری یا گذرواژه درست نیست" in wrong.get_data(as_text=True)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.failed")).one()
    assert entry.actor_label == "ali"
    assert _post_login(client, "ali\x00", TEST_PASSWORD).status_code == 302


def test_a_username_too_long_to_be_anyones_is_not_sent_back(client):
    """A review of the login, round 5: 1.9 MB typed as a username came back whole in the refusal
    page, to anyone. A name within the bound is kept in the field, as typed."""
    token = csrf_token(client)
    long = client.post("/login", data={"username": "ب" * 100_000, "password": "x", "csrf_token": token})
    assert long.status_code == 400 and len(long.get_data()) < 40_000
    short = client.post("/login", data={"username": "water.staff", "password": "x", "csrf_token": token})
    assert 'value="water.staff"' in short.get_data(as_text=True)


def test_login_without_csrf_token_is_refused_in_persian(client, make_user):
    user = make_user(role="staff")
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "نشست فرم منقضی شده است" in response.get_data(as_text=True)


def test_state_changes_need_csrf_even_when_logged_in(client, make_user):
    admin = make_user(role="admin")
    other = make_user(role="staff")
    login(client, admin)
    response = client.post(f"/admin/users/{other.id}/sessions/end")
    assert response.status_code == 400
    assert "session.ended_by_admin" not in _actions(other)


def test_session_is_renewed_at_login(client, make_user):
    user = make_user(role="staff")
    client.get("/login")
    with client.session_transaction() as sess:
        sess["planted"] = "by-attacker"
    login(client, user)
    with client.session_transaction() as sess:
        assert "planted" not in sess


def test_next_parameter_cannot_redirect_off_site(client, make_user):
    user = make_user(role="staff")
    token = csrf_token(client)
    response = client.post("/login?next=//evil.example/x", data={
        "username": user.username, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/\r\n", "/\n", "/\r", "/\t/evil.example", "/\\evil.example", "/\x7f"])
def test_a_next_with_a_control_character_or_a_backslash_goes_home(client, make_user, target):
    """The review of the login (session 26): «/\n» passed the check and the redirect raised (a
    500 page after the session was open; any logged-in user following «/login?next=%0A» got it);
    «/\\evil.example» is «//evil.example» to a browser."""
    user = make_user(role="staff")
    response = client.post("/login", query_string={"next": target}, data={
        "username": user.username, "password": TEST_PASSWORD, "csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    again = client.get("/login", query_string={"next": target})  # logged in: sent on at once
    assert again.status_code == 302 and again.headers["Location"] == "/"


def test_logout_is_a_post_and_ends_the_session(client, make_user):
    user = make_user(role="staff")
    login(client, user)
    assert client.get("/logout").status_code == 405
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/").status_code == 302


def test_deactivated_user_is_logged_out_and_cannot_log_in(client, make_user):
    user = make_user(role="staff")
    login(client, user)
    user.is_active_account = False
    db.session.commit()
    assert client.get("/").status_code == 302
    assert _post_login(client, user.username, TEST_PASSWORD).status_code == 401


# app/passwords.py's rules read no database (0 SQL statements, bench/pytest_cputimes.py): SQLite alone, as
# tests/test_password_rules.py's (session 46); the user made with such a password stays on both.
@pytest.mark.one_database
@pytest.mark.parametrize("password,fragment", [
    ("short1", "دست‌کم"),
    ("x" * 129, "بیش از"),
    ("password123", "رایج"),
    ("1234567890", "رایج"),
    ("qwertyuiop", "رایج"),
    (" " * 12, "فقط فاصله"),
    ("۱۲۳۴۵۶۷۸۹۰", "رایج"),  # Persian digits: hashed as «1234567890»
    ("١٢٣٤٥٦٧٨٩٠", "رایج"),  # Arabic-Indic digits
    ("\u00a0\t " * 5, "فقط فاصله"),
    ("\u200b" * 10, "نادیدنی"),  # zero-width spaces
    ("\u064a\u0654" * 5, "دست‌کم"),  # ten code points, five letters once folded («ئ»)
    ("a" * 128, "تکرار"), ("Zx9!Zx9!Zx", "تکرار"),  # one short unit again and again (NIST SP 800-63B 5.1.1.2)
])
def test_password_rules_refuse(password, fragment, app):
    with app.test_request_context(), pytest.raises(PasswordRejected) as excinfo:
        check_password_rules(password)
    assert fragment in str(excinfo.value)


@pytest.mark.one_database
def test_password_equal_to_username_is_refused(app):
    with app.test_request_context(), pytest.raises(PasswordRejected):
        check_password_rules("ali.rezaei.1", "ALI.REZAEI.1")
    with app.test_request_context(), pytest.raises(PasswordRejected):  # a digits-only username, Persian digits typed
        check_password_rules("۰۹۱۲۳۴۵۶۷۸۹۰۹۱۲۳۴۵۶۷۸۹", "09123456789")


@pytest.mark.one_database
@pytest.mark.parametrize("password", ["کتاب‌خانهٔ مرکزی شهر", "tall green ferns!", ("the quick brown fox jumps over the lazy dog 1405 " * 3)[:128], "Zx9!Qw7#Er"])
def test_password_rules_accept_long_or_unusual(password, app):
    with app.test_request_context():
        check_password_rules(password)


def test_passwords_are_stored_as_argon2id(make_user, app, client):
    from app.services.accounts import UserInput, create_user

    make_user(role="admin")
    user = create_user(UserInput(username="newbie", role="supervisor", password="a long enough phrase"))
    assert user.password_hash.startswith("$argon2id$")


def test_security_headers_and_cookie_flags(client, make_user):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    user = make_user(role="staff")
    cookie = login(client, user).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookie_when_https(tmp_path, monkeypatch):
    from app import create_app

    monkeypatch.setenv("HAMZABAN_HTTPS", "1")
    app = create_app({"SECRET_KEY": "k", "DATA_DIR": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    from app import create_app

    monkeypatch.delenv("HAMZABAN_SECRET_KEY", raising=False)
    monkeypatch.setenv("HAMZABAN_DATA_DIR", str(tmp_path / "empty"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    for command in (["serve"], ["worker", "--once"]):
        result = app.test_cli_runner().invoke(args=command)
        assert result.exit_code != 0 and "HAMZABAN_SECRET_KEY" in result.output
    response = app.test_client().get("/login")
    assert response.status_code == 503 and "HAMZABAN_SECRET_KEY" in response.get_data(as_text=True)
    # with a (crafted) remember cookie too: the agency scope, set first, read the user without a key: a 500
    client = app.test_client()
    client.set_cookie("remember_token", "1|abc")
    response = client.get("/login")
    assert response.status_code == 503 and "HAMZABAN_SECRET_KEY" in response.get_data(as_text=True)


def test_english_switch(client, make_user):
    token = csrf_token(client)
    client.post("/language/en", data={"csrf_token": token, "next": "/login"})
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "Log in" in html


PERSIAN_KEYBOARD = "کتابخانه‌ی مرکزی ۱۴۰۵"   # «ی» and «ک» (U+06CC, U+06A9), Persian digits
ARABIC_KEYBOARD = "كتابخانه‌ي مركزي ١٤٠٥"    # «ي» and «ك» (U+064A, U+0643), Arabic-Indic digits
NUMPAD = "كتابخانه‌ي مرکزی 1405"             # mixed letters, Latin digits


@pytest.mark.parametrize("set_as, typed", [(PERSIAN_KEYBOARD, ARABIC_KEYBOARD), (ARABIC_KEYBOARD, PERSIAN_KEYBOARD),
                                           (PERSIAN_KEYBOARD, NUMPAD), (NUMPAD, PERSIAN_KEYBOARD)])
def test_a_password_works_from_a_persian_an_arabic_keyboard_or_the_numpad(client, make_user, set_as, typed):
    """The same password typed on the Persian layout, the Arabic layout (Windows offers both) or with
    the numpad's digits: the letters «ی/ي», «ک/ك» and the digits are one here."""
    from app.passwords import hash_password

    user = make_user(role="staff", password_hash=hash_password(set_as))
    assert _post_login(client, user.username, typed).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert _post_login(client, user.username, "كتابخانه‌ي مركزي ١٤٠٦").status_code == 401  # another digit
    assert _post_login(client, user.username, "کتابخانهی مرکزی ۱۴۰۵").status_code == 401  # no ZWNJ: another password


def test_a_hash_of_the_password_as_typed_still_logs_in_and_is_made_again_folded(app, client, make_user):
    """Hashes made before passwords were folded hold the password as typed on the Arabic layout: it
    still logs in, and that login hashes it again in the folded form, after which the Persian
    layout's spelling logs in too."""
    from app import passwords

    legacy = passwords._hasher.hash(ARABIC_KEYBOARD)
    user = make_user(role="staff", password_hash=legacy)
    assert _post_login(client, user.username, PERSIAN_KEYBOARD).status_code == 401  # the old hash knows one form
    assert _post_login(client, user.username, ARABIC_KEYBOARD).status_code == 302
    db.session.refresh(user)
    assert user.password_hash != legacy and passwords._hasher.verify(user.password_hash, passwords.folded(PERSIAN_KEYBOARD))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert _post_login(client, user.username, PERSIAN_KEYBOARD).status_code == 302


def test_a_form_sent_after_the_session_ended_goes_to_the_login_without_coming_back(app, client, make_user):
    """«خروج» pressed after the session ended (or any form sent then): the login used to come back
    to the form's address with GET, a 405 page for a POST-only address. A page asked for with GET
    still comes back after the login."""
    from app.services.sessions import log_out_everywhere

    user = make_user(role="staff")
    login(client, user)
    token = csrf_token(client, "/")
    log_out_everywhere(user)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/cases/mine")
    assert page.status_code == 302 and page.headers["Location"] == "/login?next=%2Fcases%2Fmine"


def test_numbers_in_the_login_pages_messages_are_persian_digits(app, client, make_user, clock):
    """WTForms' own Persian messages printed their bounds with %d («طول فیلد حداکثر باید 64 حرف
    باشد»), the wait «32 ثانیه دیگر», the password rules «دست‌کم 10 نویسه»: Persian digits now,
    ASCII in English."""
    too_long = client.post("/login", data={"username": "a" * 65, "password": "x", "csrf_token": csrf_token(client)})
    page = too_long.get_data(as_text=True)
    assert too_long.status_code == 400 and "حداکثر ۶۴ نویسه" in page
    user = make_user(role="staff")
    for _ in range(6):
        waited = client.post("/login", data={"username": user.username, "password": "wrong",
                                             "csrf_token": csrf_token(client)})
    assert waited.status_code == 429 and "۱ ثانیه دیگر" in waited.get_data(as_text=True)
    with app.test_request_context(), pytest.raises(PasswordRejected) as short:
        check_password_rules("کوتاه")
    assert "دست‌کم ۱۰ نویسه" in str(short.value)
    english = app.test_client()
    english.post("/language/en", data={"csrf_token": csrf_token(english), "next": "/login"})
    refused = english.post("/login", data={"username": "a" * 65, "password": "x", "csrf_token": csrf_token(english)})
    assert "64" in refused.get_data(as_text=True).split('id="username-feedback"')[1][:200]


def test_the_audit_log_names_the_commands_and_keeps_a_users_name(app, client, make_user):
    """What a command or job did is said («خط فرمان», not «cli»: a walk through the pages), and a
    user whose name is such a word keeps it (the code review)."""
    from app.extensions import db
    from app.services.audit import record

    user = make_user(role="staff", username="cli")
    record("settings.changed", actor_label="cli")
    record("settings.changed", actor=user, actor_label="cli")
    db.session.commit()
    login(client, make_user(role="admin"))
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "<bdi>خط فرمان</bdi>" in page and "<bdi>cli</bdi>" in page


@pytest.mark.parametrize("referrer, back", [
    ("http://localhost/contacts/new?x=1", "/contacts/new?x=1"),  # this site's page: the form's
    ("http://evil.example/contacts/new", "/contacts/new"),  # another site's: the path sent to
    ("http://localhost//evil.example/x", "/contacts/new"),  # «//host» is another site
    ("javascript://localhost/%0aalert(1)", "/%0aalert(1)"),  # only ever a path of this site
    ("http://localhost@evil.example/x", "/contacts/new"),
])
def test_an_expired_forms_back_link_is_this_sites_page(client, make_user, referrer, back):
    """The refusal's «بازگشت به فرم» goes to the referrer only when it is a page of this site."""
    login(client, make_user(role="staff"))
    response = client.post("/contacts/new", data={"csrf_token": "stale"}, headers={"Referer": referrer})
    assert response.status_code == 400
    assert f'data-form-lost href="{back}"' in response.get_data(as_text=True).replace("&amp;", "&")


@pytest.mark.parametrize("referrer, following", [
    ("http://localhost/contacts/new?x=1", "/contacts/new?x=1"),  # the form's page: back to it after the login
    ("http://localhost/directory/outlets/1/notes", None),  # a refused note's answer: POST only, a 405 after the login
    ("http://evil.example/contacts/new", None),
    ("http://localhost//evil.example/x", None),
    ("http://localhost/\\evil.example/x", None),
    ("javascript://localhost/%0aalert(1)", "/%0aalert(1)"),  # a path of this site (a 404), escaped
])
def test_a_form_sent_after_the_session_ended_goes_to_the_login_with_its_page(client, referrer, following):
    """The login's ``next`` after a form sent logged out: the referrer's page when it is one of this
    site's that opens (GET), else none (the login goes home; forms.js sends it to the kept form's page)."""
    response = client.post("/contacts/new", data={"csrf_token": "stale"}, headers={"Referer": referrer})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query).get("next") == ([following] if following else None)
