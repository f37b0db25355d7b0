"""With HAMZABAN_TRUSTED_HOSTS empty (the default, and `make run`'s) the site answers IP addresses and
localhost only (app/web/hosts.py, session 48). Before, any Host was answered: an attacker's page whose
DNS rebinds its name to the desk's address (127.0.0.1 under `make run`) is same-origin with the desk in
the victim's browser, so its forms passed the Origin check and its scripts read the answers. Real HTTP
against a real waitress server, the Host header as a browser sends it for each address."""
from __future__ import annotations

import socket

import httpx
import pytest

from tests.conftest import TEST_PASSWORD, serving

REFUSED = "این نشانی (میزبان) برای این سامانه تعریف نشده است"


@pytest.fixture
def desk(app, monkeypatch):
    monkeypatch.delenv("HAMZABAN_TRUSTED_HOSTS", raising=False)
    with serving(app) as url:
        yield url


def _get(url: str, host: str, path: str = "/login") -> httpx.Response:
    with httpx.Client(base_url=url, timeout=60) as browser:
        return browser.get(path, headers={"Host": host})


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "[::1]:{port}",
                                  "192.168.1.10:{port}", "10.0.0.7", "[2001:db8::5]",
                                  "localhost.:{port}"])  # a trailing dot: the same name, typed as a full one
def test_an_address_or_localhost_is_answered_without_a_list(desk, host):
    port = desk.rsplit(":", 1)[1]
    assert _get(desk, host.format(port=port)).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}", "localhost.evil.example",
                                  "hamzaban", "xn--mgbai9azgqp6j.example", "0x7f000001", "127.1:{port}",
                                  "evil.example.", "."])
def test_a_host_name_a_dns_could_rebind_is_refused_without_a_list(desk, host):
    port = desk.rsplit(":", 1)[1]
    response = _get(desk, host.format(port=port))
    assert response.status_code == 400, host
    assert REFUSED in response.text and "HAMZABAN_TRUSTED_HOSTS" in response.text
    assert "set-cookie" not in response.headers  # no session begun for it


def test_a_rebound_page_can_neither_post_the_login_nor_read_it(desk, make_user):
    """The attack itself: the page on «evil.example» (rebound to 127.0.0.1) posts the login form it
    fetched from the desk with its own origin, as the victim's browser would send it."""
    make_user(username="victim", role="staff")
    port = desk.rsplit(":", 1)[1]
    rebound = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
    with httpx.Client(base_url=desk, timeout=60) as page:
        assert page.get("/login", headers=rebound).status_code == 400
        answer = page.post("/login", headers=rebound, data={"username": "victim", "password": TEST_PASSWORD})
    assert answer.status_code == 400 and REFUSED in answer.text
    assert "set-cookie" not in answer.headers


def test_a_listed_name_is_answered_and_the_list_alone_counts(app, monkeypatch):
    """With the setting, Flask's own check: that list only (an address is not answered unless listed)."""
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ("hamzaban.ostan.ir",))
    with serving(app) as url:
        port = url.rsplit(":", 1)[1]
        assert _get(url, f"hamzaban.ostan.ir:{port}").status_code == 200
        assert _get(url, f"evil.example:{port}").status_code == 400
        assert _get(url, f"127.0.0.1:{port}").status_code == 400


def test_the_base_urls_name_is_answered_without_a_list(app, monkeypatch):
    """HAMZABAN_BASE_URL (the address e-mails link to) names the site: that name is answered too."""
    monkeypatch.delenv("HAMZABAN_TRUSTED_HOSTS", raising=False)
    monkeypatch.setitem(app.config, "BASE_URL", "https://Hamzaban.Ostan.ir/")
    with serving(app) as url:
        assert _get(url, "hamzaban.ostan.ir").status_code == 200
        assert _get(url, "hamzaban.ostan.ir.").status_code == 200
        assert _get(url, "evil.example").status_code == 400


def test_a_base_url_in_persian_letters_answers_the_name_browsers_send(app, monkeypatch):
    """A name in Persian letters, as an office may write HAMZABAN_BASE_URL, reaches the server as its
    IDNA form («xn--…»): that is the name answered (as Flask's own check reads HAMZABAN_TRUSTED_HOSTS)."""
    monkeypatch.delenv("HAMZABAN_TRUSTED_HOSTS", raising=False)
    monkeypatch.setitem(app.config, "BASE_URL", "https://همزبان.ایران:8443/desk/")
    with serving(app) as url:
        assert _get(url, "همزبان.ایران".encode("idna").decode("ascii") + ":8443").status_code == 200
        assert _get(url, "xn--mgbai9azgqp6j.xn--mgba3a4f16a").status_code == 400


def test_a_request_without_a_host_header_is_answered(desk):
    """An HTTP/1.0 probe sends no Host: waitress then names the request by its machine's name, which was
    refused (no browser sends a request without one, so no rebound page does either)."""
    port = int(desk.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 200") and b'"ok"' in answer


def test_the_refusal_reads_right_to_left(desk):
    """The refusal is a page written right to left (session 48's review): as plain text a browser laid the
    sentence out left to right, and around «HAMZABAN_TRUSTED_HOSTS» its halves stood in the wrong order."""
    response = _get(desk, "evil.example")
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    assert '<html lang="fa" dir="rtl">' in response.text and REFUSED in response.text
