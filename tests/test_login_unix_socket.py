"""Behind a proxy that reaches the app over a unix socket, the connection has no IP address: waitress
names every client «localhost», gunicorn «» (session 43's note). Without HAMZABAN_TRUSTED_PROXIES every
client was then one address to the login throttle («unknown»): one stranger's twenty failures made
every first login from a new browser wait, site-wide, and the session's binding to its network bound
nothing. Trusting X-Forwarded-For there by default is no cure: nginx passes a client's own header on
unless told to append to it. So a login that cannot tell its client is refused (503), naming the
setting, before anything is counted; a real waitress server on a unix socket."""
from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import TEST_PASSWORD, serving


def _login(socket_path: str, username: str, password: str, forwarded: str | None = None) -> httpx.Response:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    with httpx.Client(transport=httpx.HTTPTransport(uds=socket_path), base_url="http://hamzaban.test",
                      headers=headers, timeout=60) as browser:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', browser.get("/login").text).group(1)
        return browser.post("/login", data={"username": username, "password": password, "csrf_token": token})


@pytest.fixture(autouse=True)
def named_site(app, monkeypatch):
    """A site behind a proxy is opened by its name, which production lists (session 48: a name not listed
    is refused unless HAMZABAN_BASE_URL gives it)."""
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ("hamzaban.test",))


@pytest.fixture
def socket_path(tmp_path):
    return str(tmp_path / "hamzaban.sock")


def test_a_login_over_a_unix_socket_without_a_trusted_proxy_is_refused_naming_the_setting(app, make_user,
                                                                                      socket_path):
    user = make_user(role="staff")
    with serving(app, threads=2, unix_socket=socket_path):
        stranger = [_login(socket_path, f"guess{n}", "Wrong-pass-2019").status_code for n in range(3)]
        owner = _login(socket_path, user.username, TEST_PASSWORD)
    assert stranger == [503] * 3
    assert owner.status_code == 503 and "HAMZABAN_TRUSTED_PROXIES" in owner.text
    assert "نشانی شبکهٔ" in owner.text


def test_behind_a_trusted_proxy_on_a_unix_socket_each_client_is_its_own(app, make_user, socket_path):
    from app.web.client import AddressProxyFix

    app.config.update(TRUSTED_PROXIES=1, LOGIN_FREE_ATTEMPTS_PER_ADDRESS=3)
    app.wsgi_app = AddressProxyFix(app.wsgi_app, x_for=1)  # what create_app does with the setting
    user = make_user(role="staff")
    free = app.config["LOGIN_FREE_ATTEMPTS_PER_ADDRESS"]
    with serving(app, threads=2, unix_socket=socket_path, clear_untrusted_proxy_headers=False):
        stranger = [_login(socket_path, f"guess{n}", "Wrong-pass-2019", "198.51.100.7").status_code
                    for n in range(free + 1)]
        owner = _login(socket_path, user.username, TEST_PASSWORD, "203.0.113.9")
    assert stranger == [401] * free + [429]
    assert owner.status_code == 302


def test_gunicorn_refuses_to_start_on_a_unix_socket_without_a_trusted_proxy(tmp_path):
    """deploy/gunicorn.conf.py says so at the start, naming the setting, before any worker or login."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    env = {key: value for key, value in os.environ.items() if key != "HAMZABAN_TRUSTED_PROXIES"}
    started = subprocess.run([sys.executable, "-m", "gunicorn", "-c", str(repo / "deploy" / "gunicorn.conf.py"),
                              "--bind", f"unix:{tmp_path / 'hamzaban.sock'}"],
                             cwd=repo, env=env, capture_output=True, text=True, timeout=30)
    assert started.returncode != 0 and "HAMZABAN_TRUSTED_PROXIES" in started.stderr, started.stderr[-2000:]


def test_gunicorn_refuses_to_start_on_a_unix_socket_handed_to_it_without_a_trusted_proxy(tmp_path):
    """A unix socket gunicorn did not bind itself (``--bind fd://3``, or systemd's socket activation,
    LISTEN_FDS, which needs no --bind at all) is one too: only «--bind unix:» was refused, so gunicorn
    started and every login was refused (503) instead (session 44's attacker's review)."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    env = {key: value for key, value in os.environ.items() if key != "HAMZABAN_TRUSTED_PROXIES"}
    env["WEB_CONCURRENCY"] = "1"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(tmp_path / "hamzaban.sock"))
        listener.listen()
        fd = listener.fileno()
        started = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(repo / "deploy" / "gunicorn.conf.py"),
                                    "--bind", f"fd://{fd}"], cwd=repo, env=env, pass_fds=(fd,), text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _out, err = started.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(started.pid, signal.SIGKILL)
            started.communicate()
            pytest.fail("gunicorn served on the socket until killed")
    assert started.returncode != 0 and "HAMZABAN_TRUSTED_PROXIES" in err, err[-2000:]


def test_behind_a_trusted_proxy_on_a_unix_socket_that_sends_no_address_the_login_is_refused(app, make_user,
                                                                                          socket_path):
    """The mirror case (session 45) on a unix socket: HAMZABAN_TRUSTED_PROXIES set and a proxy that sends
    no X-Forwarded-For (nginx without «proxy_set_header X-Forwarded-For»). Its connection has no address
    («localhost» to waitress, «» to gunicorn), so every client was that one to the throttle: a stranger's
    failures made the owner's first login wait. Refused, 503, saying what the proxy must send, as on
    loopback; nothing counted."""
    from sqlalchemy import select

    from app.extensions import db
    from app.web.client import AddressProxyFix
    from models import ThrottleCounter

    app.config.update(TRUSTED_PROXIES=1)
    app.wsgi_app = AddressProxyFix(app.wsgi_app, x_for=1)  # what create_app does with the setting
    user = make_user(role="staff")
    with serving(app, threads=2, unix_socket=socket_path, clear_untrusted_proxy_headers=False):
        stranger = [_login(socket_path, f"guess{n}", "Wrong-pass-2019").status_code for n in range(3)]
        owner = _login(socket_path, user.username, TEST_PASSWORD)
        forwarded = _login(socket_path, user.username, TEST_PASSWORD, "203.0.113.9")
    assert stranger == [503] * 3
    assert owner.status_code == 503 and "X-Forwarded-For" in owner.text, owner.text[-1500:]
    assert forwarded.status_code == 302
    assert not [key for key in db.session.scalars(select(ThrottleCounter.key)) if key.startswith("login:addr:")
                and "203.0.113.9" not in key], "nothing counted on the socket's no-address"
