"""The commands a new installation runs: init, seed-demo, user create, worker, serve."""
from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import func, select

from app.extensions import db
from models import Agency, AuditEntry, User
from tests.conftest import REPO, login


def test_seed_demo_creates_standard_agencies_and_one_user_per_role(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--json"])
    assert first.exit_code == 0, first.output
    result = json.loads(first.output)
    assert result["agencies_added"] == 20
    slugs = set(db.session.scalars(select(Agency.slug)))
    assert {"water", "power", "gas", "roads", "health", "education", "environment", "agriculture",
            "natural_resources", "heritage_tourism", "sports_youth", "welfare", "labor", "culture",
            "industry_trade", "telecom", "crisis", "economy_finance", "municipality", "governorate"} == slugs
    assert db.session.scalar(select(Agency.name_fa).where(Agency.slug == "water")) == "آب و فاضلاب"
    roles = {u["role"] for u in result["users"]}
    assert roles == {"admin", "supervisor", "manager", "staff", "viewer"}
    # The printed password works.
    staff = next(u for u in result["users"] if u["username"] == "water.staff")
    user = db.session.scalar(select(User).where(User.username == "water.staff"))
    login(client, user, staff["password"])
    # The demo's saved searches made notifications from the demo items, with the words found.
    assert result["saved_searches"] == 3  # water.manager's, power.staff's and water.staff's
    from models import Notification

    words = db.session.scalars(select(Notification.words)).all()
    assert words and any("خاموشی" in w for ws in words for w in ws)
    # The demo directory: the feeds' four outlets plus five, fifteen journalists, agencies' notes.
    from models import DirectoryNote, Journalist, JournalistPhone, Outlet

    assert result["directory"] == {"outlets": 5, "journalists": 16, "notes": 5}
    assert set(db.session.scalars(select(Outlet.scope))) == {"local", "provincial", "national"}
    assert all(e.startswith("+98") for e in db.session.scalars(select(JournalistPhone.e164)))
    assert db.session.scalar(select(func.count()).select_from(DirectoryNote)) == 5
    # The directive's register: portal history (some fresh, some stale) and evidence records.
    assert result["directive"]["evidence_records"] == 13 and result["directive"]["portal_changes"] > 50
    # Safe to run again: nothing added, no passwords shown again.
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "کاربران نمایشی از پیش هستند" in again.output  # in Persian, as every command's line (session 40's walk)
    assert db.session.scalar(select(func.count()).select_from(Notification)) == len(words)
    assert db.session.scalar(select(func.count()).select_from(User)) == len(result["users"])
    assert db.session.scalar(select(func.count()).select_from(Journalist)) == 16


def test_user_create_reads_the_password_from_stdin(app, make_agency):
    make_agency(slug="water")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["user", "create", "--username", "Reza", "--role", "staff", "--agency", "water",
                                 "--password-stdin"], input="a long enough phrase\n")
    assert result.exit_code == 0, result.output
    assert result.output == "حساب reza ساخته شد (نقش: کارشناس روابط عمومی (staff)).\n"
    user = db.session.scalar(select(User).where(User.username == "reza"))
    assert user.agency.slug == "water"
    assert db.session.scalar(select(AuditEntry.actor_label).where(AuditEntry.action == "user.created")) == "cli"


def test_user_create_refuses_bad_input_with_a_message(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["user", "create", "--username", "x", "--role", "admin", "--password-stdin"],
                         input="123456789\n")
    assert weak.exit_code == 2 and "خطا: " in weak.output and "دست‌کم" in weak.output
    no_agency = runner.invoke(args=["user", "create", "--username", "y", "--role", "staff", "--password-stdin"],
                              input="a long enough phrase\n")
    assert no_agency.exit_code == 2 and "سازمان" in no_agency.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize("option, value", [("--email", "not-an-email"), ("--email", "a@b.ir\nBcc: x@evil.ir"),
                                           ("--email", "a" * 5000 + "@b.ir"), ("--display-name", "ن" * 5000),
                                           ("--display-name", "\u200c"), ("--email", "علی@ostan.example.ir")])
def test_user_create_checks_the_profile_as_the_users_page_does(app, make_agency, option, value):
    """`user create` stored «not-an-email», an address with a line break and a header after it (the
    e-mail digests of every later user then failed on each run), 5,000 characters where the column
    holds 254, a name of a ZWNJ (a review of the commands, round 5): refused in Persian, nothing stored."""
    make_agency(slug="water")
    result = app.test_cli_runner().invoke(args=["user", "create", "--username", "reza", "--role", "staff", "--agency",
                                                "water", option, value, "--password-stdin"],
                                          input="a long enough phrase\n")
    assert result.exit_code == 2 and "خطا: " in result.output, result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    ok = app.test_cli_runner().invoke(args=["user", "create", "--username", "reza", "--role", "staff", "--agency",
                                            "water", "--email", "Reza۱۲@Ostan.example.ir", "--password-stdin"],
                                      input="a long enough phrase\n")
    assert ok.exit_code == 0, ok.output
    assert db.session.scalar(select(User.email)) == "Reza12@ostan.example.ir"


def test_user_create_refuses_an_agency_for_a_role_of_every_agency(app, make_agency):
    """Found by a review of the commands: `--role supervisor --agency water` stored the agency on a
    role that works across agencies, read afterwards as a tie it does not have. Refused in
    Persian; a slug pasted from a Persian line (direction marks around it) is read."""
    make_agency(slug="water")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["user", "create", "--username", "sup", "--role", "supervisor", "--agency", "water",
                                  "--password-stdin"], input="a long enough phrase\n")
    assert refused.exit_code == 2 and "سازمانی نمی‌گیرد" in refused.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    pasted = runner.invoke(args=["user", "create", "--username", "reza", "--role", "staff", "--agency",
                                 "\u200fwater\u200e", "--password-stdin"], input="a long enough phrase\n")
    assert pasted.exit_code == 0, pasted.output


def test_worker_once_runs_each_job_and_logs_a_line(app, caplog):
    caplog.set_level("INFO", logger="hamzaban.worker")
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert any("job=heartbeat ok" in r.getMessage() for r in caplog.records)
    from app.services.dashboard import worker_status

    assert worker_status()["alive"] is True


def test_a_job_that_did_nothing_is_logged_once_then_only_at_debug(app, caplog, monkeypatch):
    """A newcomer's walk: every job was logged every tick («batches=0 items=0 …»), and the demo's
    passwords `make run` prints once scrolled away within a minute. Each job's first run is said;
    then only runs that counted something."""
    import threading

    from app.worker import did_something, run_loop

    assert not did_something("batches=0 items=0 routes=0 seconds=0.0") and did_something("feeds=2 new=0")
    assert not did_something("nothing to do") and not did_something("alive")
    answers = iter(["batches=0 items=0", "batches=0 items=0", "batches=1 items=3"])
    stop = threading.Event()

    def idle(_app):
        answer = next(answers, None)
        if answer is None or answer.startswith("batches=1"):
            stop.set()
        return answer or ""

    monkeypatch.setitem(app.extensions, "hamzaban_jobs", [("idle", 0, idle)])
    monkeypatch.setitem(app.config, "WORKER_TICK_SECONDS", 0.01)
    caplog.set_level("INFO", logger="hamzaban.worker")
    run_loop(app, stop)
    said = [r.getMessage() for r in caplog.records if "job=idle" in r.getMessage()]
    assert len(said) == 2 and said[-1].endswith("batches=1 items=3")  # the first, and the one that did something


def test_the_worker_collects_young_objects_less_often(app):
    """Ingest runs in the worker; its collector thresholds are raised (bench/README.md, issue 15)."""
    import gc

    from app.worker import GC_THRESHOLDS

    before = gc.get_threshold()
    try:
        assert app.test_cli_runner().invoke(args=["worker", "--once"]).exit_code == 0
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update({"HAMZABAN_DATA_DIR": str(tmp_path / "data"), "HAMZABAN_WORKER_TICK_SECONDS": "1"}, **extra)
    return env


def _flask(*args, env, **kwargs):
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, **kwargs)


def test_worker_stops_cleanly_on_sigterm(tmp_path):
    env = _env(tmp_path)
    assert _flask("init", env=env).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker"], cwd=REPO, env=env,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    lines = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        lines.append(line)
        if "job=heartbeat ok" in line:
            break
    proc.send_signal(signal.SIGTERM)
    rest = proc.communicate(timeout=30)[1]
    assert proc.returncode == 0
    assert "worker stopped" in rest, "".join(lines) + rest


def test_serve_starts_web_server_and_worker_and_ctrl_c_stops_both(tmp_path):
    """What `make run` does after setting up: the Persian login page, and a live worker."""
    port = _free_port()
    env = _env(tmp_path, HAMZABAN_PORT=str(port))
    assert _flask("init", env=env).returncode == 0
    assert _flask("seed-demo", env=env).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "serve"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        html = None
        for _ in range(100):
            try:
                html = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert html and 'dir="rtl"' in html and "ورود" in html
        heartbeat = None  # the worker's, in the database (read directly: a Python process a try cost 1.5 s)
        for _ in range(100):
            with contextlib.closing(sqlite3.connect(tmp_path / "data" / "hamzaban.db", timeout=10)) as conn:
                row = conn.execute("SELECT value FROM settings WHERE key = 'worker.heartbeat'").fetchone()
            heartbeat = json.loads(row[0]) if row else None
            if heartbeat:
                break
            time.sleep(0.3)
        assert heartbeat and heartbeat["pid"] != os.getpid()
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        output = proc.communicate(timeout=30)[0]
    assert proc.returncode == 0, output
    assert "worker stopped" in output


@pytest.mark.parametrize("proxies", [1, 0])
def test_serve_behind_trusted_proxies_reads_the_forwarded_address(tmp_path, proxies):
    """`serve` (waitress) dropped X-Forwarded-For before the app could read it, so behind a reverse
    proxy every login counted against the proxy's address: a stranger's guesses made every user
    wait. With HAMZABAN_TRUSTED_PROXIES=1 a failed login counts against the forwarded address;
    with 0 the proxy on loopback is not trusted and the login is refused, 503, naming the setting,
    nothing counted (every client was 127.0.0.1 before: session 45; tests/test_login_loopback_proxy.py)."""
    port = _free_port()
    env = _env(tmp_path, HAMZABAN_PORT=str(port), HAMZABAN_TRUSTED_PROXIES=str(proxies))
    assert _flask("init", env=env).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "serve", "--no-worker"], cwd=REPO,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        html = None
        for _ in range(100):
            try:
                html = opener.open(f"http://127.0.0.1:{port}/login", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({"username": "nobody", "password": "wrong-password", "csrf_token": token})
        request = urllib.request.Request(f"http://127.0.0.1:{port}/login", data=body.encode(),
                                         headers={"X-Forwarded-For": "203.0.113.9"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(request, timeout=10)
        assert refused.value.code == (401 if proxies else 503)
        if not proxies:
            assert "HAMZABAN_TRUSTED_PROXIES" in refused.value.read().decode()
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=30)
    check = subprocess.run(
        [sys.executable, "-c",
         "from app import create_app; from app.extensions import db; from models import ThrottleCounter;"
         "a=create_app();\nwith a.app_context(): print(sorted(db.session.scalars(db.select(ThrottleCounter.key))))"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    if proxies:
        assert "login:addr:203.0.113.9" in check.stdout, check.stdout + check.stderr
    else:
        assert "login:addr:" not in check.stdout, check.stdout + check.stderr


def test_seed_demo_shows_a_case_in_every_status_some_overdue(app):
    """`make run`'s demo: cases in every workflow status, made through the real workflow, and
    overdue ones on the lists (the dashboards' waiting work)."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    listed = runner.invoke(args=["cases", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    cases = [json.loads(line) for line in listed.output.splitlines() if line.strip()]
    assert {c["status"] for c in cases} >= {"new", "accepted", "assigned", "drafted", "approved", "published",
                                             "closed", "rejected", "merged"}
    overdue = runner.invoke(args=["cases", "list", "--overdue", "--json"])
    assert len([line for line in overdue.output.splitlines() if line.strip()]) >= 2
    # Every case has a timeline written by the demo users, not by a shortcut.
    from models import CaseEvent

    actors = set(db.session.scalars(select(User.username).join(CaseEvent, CaseEvent.actor_id == User.id)))
    assert {"water.staff", "water.manager"} <= actors
    # The worker's notices went out for them: a breach notice to the manager, an escalation to
    # the governorate's supervisors.
    from models import CaseNotification

    kinds = set(db.session.scalars(select(CaseNotification.kind)))
    assert {"breach", "escalation"} <= kinds
    # Again: nothing added.
    runner.invoke(args=["seed-demo"])
    again = runner.invoke(args=["cases", "list", "--json"])
    assert len(again.output.splitlines()) == len(listed.output.splitlines())


def test_serve_on_an_ipv6_address_prints_an_address_a_browser_opens(tmp_path):
    """HAMZABAN_HOST=::1 printed «http://::1:5000/», which no browser opens (an IPv6 host is written in
    brackets: «http://[::1]:5000/»; session 47's review). The printed address answers."""
    import socket

    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    port = _free_port()
    env = _env(tmp_path, HAMZABAN_PORT=str(port), HAMZABAN_HOST="::1")
    assert _flask("init", env=env).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "serve", "--no-worker"], cwd=REPO,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        line = proc.stdout.readline()
        address = re.search(r"http://\S+/", line).group(0)
        assert address == f"http://[::1]:{port}/", line
        for _ in range(100):
            try:
                assert urllib.request.urlopen(address + "login", timeout=2).status == 200
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"{address} did not answer")
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=30)
