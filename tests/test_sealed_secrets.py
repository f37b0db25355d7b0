"""Second-factor secrets sealed at rest (models/sealed.py, docs/SECURITY.md): a copy of the
database alone holds no account's TOTP secret; a change of the secret key with the old one in
SECRET_KEY_PREVIOUS keeps every second factor, and ``user rekey-2fa`` seals them anew; a change
without it fails closed and says why, a recovery code still logs in, and an administrator resets."""
from __future__ import annotations

import json

import pyotp
from sqlalchemy import select, text

from app.extensions import db
from models import AuditEntry, User
from models.sealed import PREFIX, opens_with_current_key
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.test_two_factor import enrolled  # noqa: F401 - the fixture: a staff user with the second factor on

NEW_KEY = "n" * 64


def _stored(user_id: int) -> str | None:
    """The column as the database holds it (what a dump of the table would show)."""
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user_id}).scalar()


def _secret(user: User) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).totp_secret


def _log_in(app, user, code: str):
    """The password step then ``code``: the code step's response."""
    client = app.test_client()
    client.post("/login", data={"username": user.username, "password": TEST_PASSWORD, "csrf_token": csrf_token(client)})
    return client.post("/login/code", data={"code": code, "csrf_token": csrf_token(client, "/login/code")})


def _logged_in(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].split("?")[0] == "/"


def test_the_database_holds_the_secret_sealed_and_the_login_reads_it(app, enrolled, clock):  # noqa: F811
    user, _codes = enrolled
    secret, stored = _secret(user), _stored(user.id)
    assert len(secret) == 32 and stored.startswith(PREFIX) and secret not in stored
    assert opens_with_current_key(stored) == secret
    assert _logged_in(_log_in(app, user, pyotp.TOTP(secret).at(clock.now.timestamp())))


def test_a_new_secret_key_with_the_old_one_kept_logs_in_and_rekey_seals_anew(app, enrolled, clock):  # noqa: F811
    user, _codes = enrolled
    secret, old_key = _secret(user), app.config["SECRET_KEY"]
    app.config.update(SECRET_KEY=NEW_KEY, SECRET_KEY_PREVIOUS=old_key)
    assert _secret(user) == secret and opens_with_current_key(_stored(user.id)) is None  # the old key's seal
    assert _logged_in(_log_in(app, user, pyotp.TOTP(secret).at(clock.now.timestamp())))
    done = app.test_cli_runner().invoke(args=["user", "rekey-2fa", "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == {"resealed": 1, "unreadable": []}
    assert opens_with_current_key(_stored(user.id)) == secret
    app.config["SECRET_KEY_PREVIOUS"] = None  # the old key dropped: the new one alone reads it
    clock.advance(seconds=30)
    assert _secret(user) == secret
    assert _logged_in(_log_in(app, user, pyotp.TOTP(secret).at(clock.now.timestamp())))
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.totp_resealed")).one()
    assert entry.actor_label == "cli"


def test_a_new_secret_key_without_the_old_one_fails_closed_says_why_and_keeps_the_recovery_codes(
        app, enrolled, clock):  # noqa: F811
    user, codes = enrolled
    secret, stored = _secret(user), _stored(user.id)
    app.config.update(SECRET_KEY=NEW_KEY, SECRET_KEY_PREVIOUS=None)
    refused = _log_in(app, user, pyotp.TOTP(secret).at(clock.now.timestamp()))  # the right code
    page = refused.get_data(as_text=True)
    assert not _logged_in(refused) and "با کلید کنونی کارساز باز نمی‌شود" in page and "کدهای پشتیبان" in page
    failed = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.code_failed")).one()
    assert (failed.details or {}).get("secret_unreadable") is True
    assert _logged_in(_log_in(app, user, codes[0]))  # a recovery code: the login writes the account again
    assert _stored(user.id) == stored  # … and never the unreadable secret over the stored one
    runner = app.test_cli_runner()
    named = runner.invoke(args=["user", "rekey-2fa"])
    assert named.exit_code == 1 and user.username in named.output and "user reset-2fa" in named.output
    assert json.loads(runner.invoke(args=["user", "rekey-2fa", "--json"]).output) == {
        "resealed": 0, "unreadable": [user.username]}
    assert _stored(user.id) == stored
    reset = runner.invoke(args=["user", "reset-2fa", user.username])
    assert reset.exit_code == 0, reset.output
    assert _stored(user.id) is None


def test_rekey_seals_a_secret_written_before_sealing(app, make_user):
    """A plain secret (stored before migration 0031, or by hand) is read as it is, and sealed by
    ``user rekey-2fa``."""
    user = make_user(role="staff")
    plain = pyotp.random_base32()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE users SET totp_secret = :s WHERE id = :id"), {"s": plain, "id": user.id})
    assert _secret(user) == plain
    done = app.test_cli_runner().invoke(args=["user", "rekey-2fa", "--json"])
    assert json.loads(done.output) == {"resealed": 1, "unreadable": []}
    assert opens_with_current_key(_stored(user.id)) == plain and _secret(user) == plain


def test_rekey_never_writes_an_old_secret_over_one_changed_meanwhile(app, make_user):
    """A secret written by another process while ``user rekey-2fa`` runs (a set-up begun, then confirmed,
    between rekey's read and its write) is kept: rekey wrote the secret it had read over it, and the
    account's second factor no longer matched its authenticator."""
    from sqlalchemy import event

    from models.sealed import seal

    user = make_user(role="staff")
    first, meanwhile = pyotp.random_base32(), pyotp.random_base32()
    user.totp_secret = first
    db.session.commit()
    written = []

    def other_process_first(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE USERS") and not written:
            written.append(True)
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as other:
                other.execute(text("UPDATE users SET totp_secret = :s WHERE id = :id"),
                              {"s": seal(meanwhile), "id": user.id})

    event.listen(db.engine, "before_cursor_execute", other_process_first)
    try:
        done = app.test_cli_runner().invoke(args=["user", "rekey-2fa", "--json"])
    finally:
        event.remove(db.engine, "before_cursor_execute", other_process_first)
    assert written and done.exit_code == 0, done.output
    assert opens_with_current_key(_stored(user.id)) == meanwhile


def test_without_any_secret_key_sealing_says_what_to_set(app):
    """Migration 0031 run with no secret key at all (``flask db upgrade`` before ``init`` wrote one,
    HAMZABAN_SECRET_KEY unset) stopped on an AttributeError: it says what to set, and seals nothing."""
    import pytest

    from app.config import ConfigError
    from models.sealed import seal

    app.config.update(SECRET_KEY=None, SECRET_KEY_PREVIOUS=None)
    with pytest.raises(ConfigError, match="HAMZABAN_SECRET_KEY.*second-factor"):
        seal(pyotp.random_base32())
