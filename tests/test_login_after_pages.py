"""The login's onward steps (session 46): a file asked for after the session ended (``file``), and
the page a second factor's forced set-up leads to (``next``); neither leads off the site or to a page
that is no file."""
from __future__ import annotations

import pyotp
import pytest

from tests.conftest import TEST_PASSWORD, csrf_token, login
from tests.test_two_factor import _code, _enrol

ASKED = "فایلی که پیش از ورود خواسته بودید"


def _log_in(client, user, query: dict):
    return client.post("/login", query_string=query, data={
        "username": user.username, "password": TEST_PASSWORD, "csrf_token": csrf_token(client)})


def test_a_file_asked_for_before_the_login_is_offered_once_on_the_page_of_its_link(client, make_user):
    admin = make_user("admin")
    asked = client.get("/feeds/export.opml", headers={"Referer": "http://localhost/feeds/"})
    assert asked.status_code == 302 and "next=/feeds/" in asked.headers["Location"]
    assert "file=/feeds/export.opml" in asked.headers["Location"]
    response = _log_in(client, admin, {"next": "/feeds/", "file": "/feeds/export.opml"})
    assert response.status_code == 302 and response.headers["Location"] == "/feeds/"
    page = client.get("/feeds/").get_data(as_text=True)
    assert ASKED in page and 'href="/feeds/export.opml" data-download-now' in page
    assert ASKED not in client.get("/feeds/").get_data(as_text=True)  # once


@pytest.mark.parametrize("file", ["/admin/users", "//evil.example/x.opml", "/\\evil.example", "javascript:alert(1)",
                                  "https://evil.example/feeds/export.opml", "/feeds/export.opml\r\nX: y",
                                  # a browser resolves the dots («%2e» too) before asking: «/reports/file», no file
                                  "/reports/jobs/../file", "/reports/jobs/%2e%2E/file", "/reports/jobs/.%2e/file",
                                  "/reports/jobs/..%2F..%2Fadmin/file", "/reports/jobs/%5C..%5Cx/file"])
def test_a_file_that_is_no_file_of_the_site_is_not_fetched(client, make_user, file):
    """A crafted login link cannot make the page after the login open a page of the site, or another site."""
    admin = make_user("admin")
    response = _log_in(client, admin, {"file": file})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert ASKED not in page and "data-download-now" not in page


def test_a_forced_set_up_leads_on_to_the_page_asked_for_and_never_off_the_site(app, client, make_user):
    app.config["MFA_REQUIRED_ROLES"] = ("admin",)
    admin = make_user("admin")
    _log_in(client, admin, {})
    sent = client.get("/admin/users?q=x")
    assert sent.status_code == 302 and sent.headers["Location"] == "/account/two-factor?next=/admin/users?q%3Dx"
    page = client.get("/account/two-factor?next=//evil.example").get_data(as_text=True)
    assert 'action="/account/two-factor/start"' in page  # the set-up's form does not carry it on


def test_the_file_waits_through_the_code_step_too(app, client, make_user, clock):
    """A two-step account: the password's answer sends the browser to the code page, and ``file`` went
    with ``next`` or was lost there."""
    admin = make_user("admin")
    login(client, admin)
    _enrol(client, admin, clock)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    clock.advance(seconds=30)
    password = _log_in(client, admin, {"next": "/feeds/", "file": "/feeds/export.opml"})
    assert password.status_code == 302 and "file=/feeds/export.opml" in password.headers["Location"]
    code = pyotp.TOTP(admin.totp_secret).at(clock.now.timestamp())
    done = client.post(password.headers["Location"], data={"code": code,
                                                          "csrf_token": csrf_token(client, password.headers["Location"])})
    assert done.status_code == 302 and done.headers["Location"] == "/feeds/"
    assert 'href="/feeds/export.opml" data-download-now' in client.get("/feeds/").get_data(as_text=True)


def test_the_back_button_to_the_login_page_does_not_fetch_the_file_again(client, make_user):
    """Back from the file's page to the login's address (logged in now: it sends the browser on): the
    login set the file again, and Chromium downloaded it a second time (review of session 46). A code
    page sent twice (``over=used``) still leads on with it."""
    admin = make_user("admin")
    asked = {"next": "/feeds/", "file": "/feeds/export.opml"}
    _log_in(client, admin, asked)
    assert "data-download-now" in client.get("/feeds/").get_data(as_text=True)
    back = client.get("/login", query_string=asked)
    assert back.status_code == 302 and back.headers["Location"] == "/feeds/"
    assert "data-download-now" not in client.get("/feeds/").get_data(as_text=True)
    client.get("/login", query_string={**asked, "over": "used"})
    assert "data-download-now" in client.get("/feeds/").get_data(as_text=True)


def test_a_file_asked_for_waits_through_a_forced_second_factor_set_up(app, client, make_user, clock):
    """A role that must use a second factor and has none: the login led to the file's page, sent on to the
    set-up, where the file was fetched; refused there (the set-up first), its answer sent the tab to the
    set-up again with the set-up's own page as ``next``: «/feeds/» and the file were lost (review of
    session 46). The file waits for the page after the set-up."""
    app.config["MFA_REQUIRED_ROLES"] = ("admin",)
    admin = make_user("admin")
    sent = _log_in(client, admin, {"next": "/feeds/", "file": "/feeds/export.opml"})
    assert sent.headers["Location"] == "/feeds/"
    set_up = client.get("/feeds/")
    assert set_up.headers["Location"] == "/account/two-factor?next=/feeds/"
    assert "data-download-now" not in client.get(set_up.headers["Location"]).get_data(as_text=True)
    codes = client.post("/account/two-factor/start?next=/feeds/", data={
        "csrf_token": csrf_token(client, "/account/two-factor"), "password": TEST_PASSWORD})
    assert codes.status_code == 302
    shown = client.post("/account/two-factor/confirm?next=/feeds/", data={
        "csrf_token": csrf_token(client, "/account/two-factor"), "code": _code(admin, clock)}).get_data(as_text=True)
    assert 'href="/feeds/"' in shown and "data-download-now" not in shown
    assert 'href="/feeds/export.opml" data-download-now' in client.get("/feeds/").get_data(as_text=True)
