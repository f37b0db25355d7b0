"""`user unlock` and `user reset-2fa` run again (session 47): the project's re-run rule (README, "Command
line") — a command run again whose effect is already there changes nothing, audits nothing, exits 0 and says
so with its flag false. `user unlock` run twice printed `"unlocked": true` both times and audited two
unlockings (session 46's review); its line without --json was English («user … unlocked») where every
command's plain line is Persian."""
from __future__ import annotations

import json

from sqlalchemy import select

from app.extensions import db
from models import AuditEntry, User
from tests.conftest import csrf_token


def _actions(user, action):
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry.actor_label).where(
        AuditEntry.object_type == "User", AuditEntry.object_id == user.id, AuditEntry.action == action)))


def _fail_logins(app, username, times=6):
    client = app.test_client()
    for _ in range(times):
        client.post("/login", data={"username": username, "password": "not it", "csrf_token": csrf_token(client)})


def test_unlock_run_again_says_nothing_was_locked_and_audits_once(app, make_user, clock):
    user = make_user(role="staff")
    _fail_logins(app, user.username)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["user", "unlock", user.username, "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output) == {"username": user.username, "unlocked": True}
    again = runner.invoke(args=["user", "unlock", user.username, "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output) == {"username": user.username, "unlocked": False}
    assert _actions(user, "account.unlocked") == ["cli"]


def test_unlock_speaks_persian_without_json(app, make_user, clock):
    user = make_user(role="staff")
    _fail_logins(app, user.username)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["user", "unlock", user.username])
    assert first.exit_code == 0 and first.output.strip() == f"محدودیت ورود «{user.username}» برداشته شد.", first.output
    again = runner.invoke(args=["user", "unlock", user.username])
    assert again.exit_code == 0
    assert again.output.strip() == f"«{user.username}» محدودیت ورودی نداشت؛ چیزی تغییر نکرد.", again.output


def test_reset_two_factor_run_again_changes_nothing_and_audits_once(app, make_user, clock):
    user = make_user(role="staff")
    user.totp_secret = "JBSWY3DPEHPK3PXP"
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["user", "reset-2fa", user.username, "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output) == {"username": user.username, "second_factor_was_on": True, "sessions_ended": 0}
    again = runner.invoke(args=["user", "reset-2fa", user.username, "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output) == {"username": user.username, "second_factor_was_on": False, "sessions_ended": 0}
    assert _actions(user, "user.totp_reset") == ["cli"]
    plain = runner.invoke(args=["user", "reset-2fa", user.username])
    assert plain.exit_code == 0
    assert plain.output.strip() == (f"ورود دومرحله‌ای «{user.username}» راه‌اندازی نشده بود و نشستی از آن باز نبود؛ "
                                    "چیزی تغییر نکرد."), plain.output
    assert db.session.get(User, user.id).totp_secret is None


def _verifies(username, password) -> bool:
    from argon2.exceptions import VerifyMismatchError

    from app import passwords
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.username == username))
    try:
        return passwords._hasher.verify(user.password_hash, passwords.folded(password))
    except VerifyMismatchError:
        return False


def test_a_password_piped_from_a_file_with_a_bom_is_the_password_typed(app, make_agency):
    """Session 47: a password file saved as «UTF-8 with BOM» (Notepad, PowerShell 5's Out-File) or as «Unicode»
    kept the BOM (or was read byte by byte) in the password: the account was made with one nobody can type. And
    bytes that are not UTF-8 were judged «too common», not said to be another encoding."""
    agency = make_agency()
    runner = app.test_cli_runner()
    args = ["user", "create", "--role", "viewer", "--agency", agency.slug, "--password-stdin", "--username"]
    made = runner.invoke(args=[*args, "bomuser"], input=b"\xef\xbb\xbfPassw0rd-long-long\r\n")
    assert made.exit_code == 0, made.output
    assert _verifies("bomuser", "Passw0rd-long-long")
    made = runner.invoke(args=[*args, "unicodeuser"], input="\ufeffPassw0rd-long-long\r\n".encode("utf-16-le"))
    assert made.exit_code == 0, made.output
    assert _verifies("unicodeuser", "Passw0rd-long-long")
    refused = runner.invoke(args=[*args, "cp1256user"], input="گذرواژهٔ-بلند-من\n".encode("cp1256", errors="replace")
                            .replace(b"?", b"\xe1"))
    assert refused.exit_code == 2 and "UTF-8 نیست" in refused.output, refused.output
    assert db.session.scalar(select(User).where(User.username == "cp1256user")) is None


def test_a_password_line_is_read_without_waiting_for_the_end_of_input(app, make_agency, tmp_path):
    """Review of session 47: reading the whole input for a BOM made `user create --password-stdin` wait for
    the end of input — a password typed at a terminal and Enter hung until Ctrl-D, a pipe held open hung.
    The first line is the password, as before: a real process whose standard input stays open."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO
    agency = make_agency()
    db.session.commit()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               HAMZABAN_SECRET_KEY="k" * 64)
    command = [sys.executable, "-m", "flask", "--app", "app", "user", "create", "--username", "typed", "--role",
               "viewer", "--agency", agency.slug, "--password-stdin"]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        process.stdin.write(b"Passw0rd-long-long\n")
        process.stdin.flush()  # and left open, as a terminal's is
        process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("the command waited for the end of input after the password's line") from None
    finally:
        process.stdin.close()
    assert process.returncode == 0, process.stderr.read().decode()
    assert _verifies("typed", "Passw0rd-long-long")
