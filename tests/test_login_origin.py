"""A form posted from another origin is refused before it is read, whatever token it carries (session 47).

Flask-WTF checks only the ``Referer``, and only on a request it reads as HTTPS: over plain HTTP a foreign
``Origin`` with a valid token logged out, ended sessions and switched the language (session 46); behind a
proxy that sends no ``X-Forwarded-Proto`` an HTTPS site read every request as HTTP and checked nothing,
so a page served over plain HTTP on the site's own host name (a network in the middle, before HSTS) could
post the login form. Real HTTP against a real waitress server; the site's HTTPS as nginx forwards it
(``X-Forwarded-Proto`` from a listed proxy on loopback), cookies carried by hand as the browser carries a
Secure one over HTTPS."""
from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import TEST_PASSWORD, serving

REFUSED = "فرم از نشانی دیگری فرستاده شد"
NO_ORIGIN = "مرورگر نگفت فرم از کجا آمده است"  # «Origin: null»


class Browser:
    """A browser's cookie jar, by hand (httpx keeps a Secure cookie off plain HTTP; behind nginx it travels)."""

    def __init__(self, url: str, headers: dict[str, str] | None = None):
        self.http = httpx.Client(base_url=url, timeout=60, headers=headers or {})
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = self.http.request(method, path, headers=headers, **kwargs)
        for raw in response.headers.get_list("set-cookie"):
            name, _sep, rest = raw.partition("=")
            if "01 jan 1970" in raw.lower() or "max-age=0" in raw.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = rest.split(";", 1)[0]
        return response

    def token(self, path: str = "/login") -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.send("GET", path).text).group(1)

    def log_in(self, username: str, headers: dict[str, str]) -> httpx.Response:
        return self.send("POST", "/login", headers=headers,
                         data={"username": username, "password": TEST_PASSWORD, "csrf_token": self.token()})


@pytest.fixture
def behind_https(monkeypatch):
    """nginx on this machine, listed, serving the site over HTTPS (read when the ``app`` fixture builds it)."""
    monkeypatch.setenv("HAMZABAN_TRUSTED_PROXIES", "127.0.0.1")
    monkeypatch.setenv("HAMZABAN_HTTPS", "1")


@pytest.mark.parametrize("proto", ["https", None], ids=["proxy-sends-proto", "proxy-sends-no-proto"])
def test_a_login_posted_from_the_plain_http_page_of_the_https_site_is_refused(behind_https, app, make_user, proto):
    user = make_user(role="staff")
    with serving(app, threads=2) as url:
        host = url.split("//", 1)[1]
        proxy = {"X-Forwarded-For": "203.0.113.5", **({"X-Forwarded-Proto": proto} if proto else {})}
        victim = Browser(url, proxy)
        forged = victim.log_in(user.username, {"Origin": f"http://{host}", "Referer": f"https://{host}/login"})
        after = victim.send("GET", "/account/sessions")
        own = Browser(url, proxy).log_in(user.username, {"Origin": f"https://{host}",
                                                         "Referer": f"https://{host}/login"})
    assert forged.status_code == 400 and REFUSED in forged.text and f"http://{host}" in forged.text
    assert after.status_code == 302 and "/login" in after.headers["Location"]  # not logged in
    assert own.status_code == 302, own.text[:300]


def test_the_opposite_a_form_from_the_https_page_of_a_plain_http_site(app, make_user):
    user = make_user(role="staff")
    with serving(app, threads=2) as url:
        host = url.split("//", 1)[1]
        assert Browser(url).log_in(user.username, {"Origin": f"https://{host}"}).status_code == 400
        assert Browser(url).log_in(user.username, {"Origin": f"http://{host}"}).status_code == 302
        assert Browser(url).log_in(user.username, {}).status_code == 302  # no Origin (curl): the token decides


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:1", "null", "http://127.0.0.1.evil.example",
                                    "http://user@127.0.0.1", "garbage", "http://[::1"])
def test_logout_ending_sessions_and_the_language_from_another_origin_change_nothing(app, make_user, origin):
    user = make_user(role="staff")
    with serving(app, threads=2) as url:
        owner = Browser(url)
        assert owner.log_in(user.username, {}).status_code == 302
        token = owner.token("/account/sessions")
        answers = [owner.send("POST", path, data={"csrf_token": token, **form}, headers={"Origin": origin})
                   for path, form in (("/language/en", {"next": "/"}), ("/account/sessions/end", {}),
                                      ("/logout/everywhere", {}), ("/logout", {}))]
        still = owner.send("GET", "/account/sessions")
        mine = owner.send("POST", "/logout", data={"csrf_token": token}, headers={"Origin": url})
    assert [answer.status_code for answer in answers] == [400] * 4
    assert all(REFUSED in answer.text or (origin == "null" and NO_ORIGIN in answer.text) for answer in answers)
    assert still.status_code == 200 and 'lang="fa"' in still.text  # logged in, still Persian
    assert mine.status_code == 302 and mine.headers["Location"].endswith("/login")


def test_without_a_secret_key_a_post_gets_the_keys_refusal_not_a_500(tmp_path, monkeypatch):
    """Without a key every request is the 503 that names the setting; a POST reached CSRF's check first,
    which cannot read a form without a key: a 500 (with or without a foreign Origin)."""
    from app import create_app

    monkeypatch.delenv("HAMZABAN_SECRET_KEY", raising=False)
    monkeypatch.setenv("HAMZABAN_DATA_DIR", str(tmp_path / "empty"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    for headers in ({}, {"Origin": "https://evil.example"}):
        response = app.test_client().post("/login", headers=headers, data={"username": "a", "password": "b"})
        assert response.status_code == 503 and "HAMZABAN_SECRET_KEY" in response.get_data(as_text=True)


def test_a_tls_proxy_in_front_of_a_site_that_reads_itself_as_http_is_named_in_the_log(app, client, caplog):
    """nginx ends TLS, HAMZABAN_HTTPS is off and no X-Forwarded-Proto is trusted: every form comes from
    «https://host» to a site that reads itself as «http://host» (nginx's Host without a port: 443 against
    80). Refused, as Django and Rails refuse it; the log says what to set (it named nothing: the ports differ)."""
    response = client.post("/login", headers={"Origin": "https://localhost"}, data={"username": "a"})
    assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)
    assert any("HAMZABAN_HTTPS=1" in record.getMessage() for record in caplog.records), caplog.text


def test_a_null_origin_says_the_browser_named_no_page_and_the_log_names_the_referrer_policy(app, make_user, caplog):
    """Chromium sends «Origin: null» with every form, the site's own too, when its pages carry
    «Referrer-Policy: no-referrer» (a proxy's hardening ``add_header``; seen behind nginx, session 47's
    review), as does a browser set to send no referrer. Refused, as Django and Rails refuse it; the page
    said «sent from «null»» and «open the system at its own address», which the user had done, and the
    log said nothing. Real HTTP against a real waitress server."""
    user = make_user(role="staff")
    with serving(app, threads=2) as url:
        refused = Browser(url).log_in(user.username, {"Origin": "null"})
    assert refused.status_code == 400
    assert "نگفت این فرم از کدام نشانی" in refused.text and "«null»" not in refused.text
    assert "Referrer-Policy" in refused.text  # what the administrator looks for
    assert any("Referrer-Policy: no-referrer" in record.getMessage() for record in caplog.records), caplog.text


@pytest.fixture
def behind_proxy(monkeypatch):
    """nginx on this machine, listed, serving the site over plain HTTP (read when ``app`` builds it)."""
    monkeypatch.setenv("HAMZABAN_TRUSTED_PROXIES", "127.0.0.1")


@pytest.mark.parametrize("host", ["own", "no-port"], ids=["proxy-passes-no-host", "proxy-drops-the-port"])
def test_a_proxy_that_does_not_pass_the_browsers_host_is_named_in_the_log(behind_proxy, app, make_user, caplog, host):
    """nginx without «proxy_set_header Host» sends its upstream's «127.0.0.1:8000»; with «Host $host» on
    a port other than 443 it drops the port. Every form of the site is refused: the page tells the user
    to tell the administrator, and the log says what to write (it said nothing: session 47's review,
    against a real nginx)."""
    user = make_user(role="staff")
    with serving(app, threads=2) as url:
        port = url.rsplit(":", 1)[1]
        proxy = {"X-Forwarded-For": "203.0.113.5"}
        if host == "no-port":
            proxy["Host"] = "127.0.0.1"
        origin = "https://hamzaban.test:8443" if host == "own" else "http://127.0.0.1:8081"
        refused = Browser(url, proxy).log_in(user.username, {"Origin": origin})
    assert refused.status_code == 400 and REFUSED in refused.text and "مدیر سامانه" in refused.text
    hints = [record.getMessage() for record in caplog.records if "proxy_set_header Host $http_host" in record.getMessage()]
    assert hints and origin in hints[0] and (port in hints[0] or host == "no-port"), caplog.text


def test_a_foreign_origin_is_logged_without_a_proxy_hint(app, make_user, caplog):
    """Another site's form: refused and logged (as Django logs each CSRF refusal), naming no proxy setting."""
    user = make_user(role="staff")
    with serving(app, threads=2) as url:
        assert Browser(url).log_in(user.username, {"Origin": "https://evil.example"}).status_code == 400
    messages = [record.getMessage() for record in caplog.records if "https://evil.example" in record.getMessage()]
    assert messages and not any("proxy_set_header" in message or "HAMZABAN_HTTPS" in message for message in messages)


def test_without_a_secret_key_the_refusal_begins_in_persian(tmp_path, monkeypatch):
    """The 503 every page and form gets without a key was English only («No secret key: set …») to the
    Persian office that opens the site (session 47's review); a Persian line saying what is wrong and who
    mends it comes first, the English details naming the setting after it."""
    from app import create_app

    monkeypatch.delenv("HAMZABAN_SECRET_KEY", raising=False)
    monkeypatch.setenv("HAMZABAN_DATA_DIR", str(tmp_path / "empty"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    for response in (app.test_client().get("/"), app.test_client().post("/login", data={"username": "a"})):
        first, _sep, rest = response.get_data(as_text=True).partition("\n")
        assert response.status_code == 503 and "کلید" in first and "مدیر سامانه" in first, first
        assert "HAMZABAN_SECRET_KEY" in rest and "flask --app app init" in rest
