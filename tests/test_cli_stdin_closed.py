"""Commands that read standard input, started with it closed («<&-»: a cron line, a service manager
that gives none). Python then opens no stream (sys.stdin is None): `directory import -`, `routing
test`, `cases move --answer-stdin` and `user create` (its --password-stdin and its prompt) ended in
an English traceback and exit 1 (a fresh round of bad input, session 41). Now: exit 2, the Persian
refusal ({"error"} under --json, «خطا: …» on standard error without), nothing stored. Real
processes: the in-process runner always gives a standard input."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from app.extensions import db
from models import AuditEntry
from tests.conftest import REPO

pytestmark = pytest.mark.one_database  # the refusal comes before the database is read

CLOSED = "ورودی استاندارد این فرمان بسته است"


def _run_without_stdin(app, tmp_path, *words: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *words], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, preexec_fn=lambda: os.close(0))


@pytest.mark.parametrize("words", [
    ("directory", "import", "-", "--json"),
    ("routing", "test", "--json"),
    ("cases", "move", "1405-000001", "--to", "drafted", "--by", "{user}", "--answer-stdin", "--json"),
], ids=lambda words: " ".join(words[:2]))
def test_a_closed_standard_input_is_refused_as_json(app, tmp_path, make_user, words):
    user = make_user(role="staff")  # `cases move` reads --by before the answer
    db.session.commit()
    words = tuple(word.format(user=user.username) for word in words)
    done = _run_without_stdin(app, tmp_path, *words)
    assert done.returncode == 2, done.stderr
    assert CLOSED in json.loads(done.stdout)["error"] and "Traceback" not in done.stderr
    text = _run_without_stdin(app, tmp_path, *(word for word in words if word != "--json"))
    assert text.returncode == 2 and text.stderr.startswith("خطا: ") and CLOSED in text.stderr, text.stderr


@pytest.mark.parametrize("stdin_option", [["--password-stdin"], []], ids=["password-stdin", "prompt"])
def test_user_create_with_a_closed_standard_input_is_refused(app, tmp_path, stdin_option):
    done = _run_without_stdin(app, tmp_path, "user", "create", "--username", "nobody.here", "--role", "admin",
                              *stdin_option)
    assert done.returncode == 2 and CLOSED in done.stderr and "Traceback" not in done.stderr, done.stderr
    db.session.expire_all()
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_a_closed_standard_output_is_refused_before_anything_is_done(app, tmp_path, make_agency):
    """Started with standard output closed («>&-»), Python opens no stream and click.echo drops every
    line: `cases open` opened the case, said nothing, and exited 0, and `cases list` printed nothing
    with exit 0 (a fresh round of bad input, session 41). Refused instead, on standard error, exit 2,
    nothing done."""
    from models import PublicQuestion

    make_agency(slug="water", name_fa="آب و فاضلاب")
    db.session.commit()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    for words in (["cases", "open", "--manual", "--title", "پرسش", "--outlet", "رادیو", "--channel", "radio",
                   "--agency", "water", "--json"], ["cases", "list", "--json"]):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *words], cwd=REPO, env=env,
                              stderr=subprocess.PIPE, text=True, timeout=120, preexec_fn=lambda: os.close(1))
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("خطا: ") and "خروجی استاندارد این فرمان بسته است" in done.stderr
    db.session.expire_all()
    assert db.session.scalar(select(func.count(PublicQuestion.id))) == 0
