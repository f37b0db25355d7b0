"""Three pages around the login, in Chromium (session 46): a download asked for after the session
ended, the login page's language switch with a form kept for after the login, and a second factor
to set up before the kept form's page opens."""
from __future__ import annotations

import pyotp
import pytest

from app import clock
from app.extensions import db
from models import Outlet
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, user) -> None:
    page.fill("#username", user.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main form button[type=submit]")


def test_a_download_asked_for_after_the_session_ended_comes_after_the_login_on_its_page(page, live_server,
                                                                                         make_user):
    """«برون‌بری OPML» clicked after the session ended: the login page, then the file, and the tab stayed on
    the login page (the file came as a download, which leaves the page as it is): a logged-in user looking
    at the password form, its ``next`` the file (session 45's note). Now the tab is on the page the link
    was on, logged in, and the file comes too."""
    admin = make_user("admin")
    page.goto(f"{live_server}/login")
    _log_in(page, admin)
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/feeds/")
    page.context.clear_cookies()  # the session ended (logged out elsewhere, idle)
    page.click("a[href$='/feeds/export.opml']")
    page.wait_for_url(f"{live_server}/login**")
    with page.expect_download() as download:
        _log_in(page, admin)
    assert download.value.suggested_filename == "hamzaban-feeds.opml"
    assert page.url == f"{live_server}/feeds/"
    assert page.locator("#main-nav").count() == 1 and page.locator("#password").count() == 0
    assert "دریافت" in page.inner_text("main .alert")  # said, with a link to fetch it again


def test_the_login_pages_language_switch_keeps_where_the_login_leads(page, live_server, make_user, make_agency):
    """A note sent after the session ended from a page shown at a POST's address: the login's ``next``
    is the outlet's page, written into the address by forms.js. «English» on the login page went to
    «/login» without it (the switch's form held the address the server had served), and the login went
    home: the note was lost."""
    staff = make_user("staff", make_agency())
    outlet = Outlet(name="روزنامهٔ زبان دیگر")
    db.session.add(outlet)
    db.session.commit()
    page.goto(f"{live_server}/login")
    _log_in(page, staff)
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/directory/outlets/{outlet.id}")
    page.click("#notes form button[type=submit]")  # empty: refused, shown at the POST's address
    page.wait_for_url(f"{live_server}/directory/outlets/{outlet.id}/notes")
    page.fill("#notes textarea", "یادداشتی که به انگلیسی برمی‌گردد")
    page.context.clear_cookies()
    page.click("#notes form button[type=submit]")
    page.wait_for_url(f"{live_server}/login?next=**")
    page.click("nav form[action$='/language/en'] button")
    page.wait_for_url(f"{live_server}/login**")
    assert page.get_attribute("html", "lang") == "en"
    _log_in(page, staff)
    page.wait_for_url(f"{live_server}/directory/outlets/{outlet.id}")
    assert page.input_value("#notes textarea") == "یادداشتی که به انگلیسی برمی‌گردد"


def test_a_form_kept_through_the_ended_session_waits_for_a_second_factor_set_up(page, live_server, app, make_user):
    """An administrator's second factor became required (the setting, or an administrator's reset)
    while they typed a holiday; their session ended. After the login they are sent to set it up first,
    and forms.js forgot the kept form on that page: what was typed was lost. Now it waits through the
    set-up, «کدها را نگه داشتم» leads to the form's page, and the holiday's name is back in it."""
    admin = make_user("admin")
    page.goto(f"{live_server}/login")
    _log_in(page, admin)
    page.wait_for_url(f"{live_server}/")
    form = "/admin/calendar/holidays/new"
    page.goto(f"{live_server}{form}")
    page.fill("#name", "روز نوشته‌شده پیش از ورود دومرحله‌ای")
    page.context.clear_cookies()
    app.config["MFA_REQUIRED_ROLES"] = ("admin",)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/login**")
    _log_in(page, admin)
    page.wait_for_url(f"{live_server}/account/two-factor**")
    page.fill("main #password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("main img[src^='data:image/svg+xml']")
    secret = page.inner_text("main code").strip()
    page.fill("#code", pyotp.TOTP(secret).at(clock.utcnow()))
    page.click("main form button[type=submit]")
    page.wait_for_selector("ol.recovery-codes code")
    page.click("text=کدها را نگه داشتم")
    page.wait_for_url(f"{live_server}{form}")
    assert page.input_value("#name") == "روز نوشته‌شده پیش از ورود دومرحله‌ای"
    page.wait_for_selector("#form-restored.alert")


def test_the_file_comes_once_through_reload_and_the_back_button(page, live_server, make_user):
    """Reloaded, and back twice to the login's address (which, logged in, sends the browser on): the file
    came a second time from the back button (review of session 46)."""
    admin = make_user("admin")
    downloads = []
    page.on("download", lambda download: downloads.append(download.url))
    page.goto(f"{live_server}/login")
    _log_in(page, admin)
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/feeds/")
    page.context.clear_cookies()
    page.click("a[href$='/feeds/export.opml']")
    page.wait_for_url(f"{live_server}/login**")
    with page.expect_download():
        _log_in(page, admin)
    page.reload()
    page.goto(f"{live_server}/")
    page.go_back(wait_until="commit")
    page.wait_for_url(f"{live_server}/feeds/")
    page.go_back(wait_until="commit")  # the login's address: sent on to /feeds/ again
    page.wait_for_url(f"{live_server}/feeds/", wait_until="commit")
    page.wait_for_load_state("networkidle")
    assert page.locator("a[data-download-now]").count() == 0 and page.locator("main .alert-info").count() == 0
    assert downloads == [f"{live_server}/feeds/export.opml"]
