"""The second factor in a real browser: an admin whose role requires it is sent to set it up,
scans nothing but reads the key off the page, sees the QR code drawn under the strict CSP, keeps
the recovery codes, and logs in again with a code."""
from __future__ import annotations

import pyotp
import pytest

from app import clock
from tests.browser.conftest import log_out
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_an_admin_sets_up_two_step_login_and_logs_in_with_a_code(page, live_server, app, make_user):
    app.config["MFA_REQUIRED_ROLES"] = ("admin", "supervisor")  # the default
    admin = make_user(role="admin", username="chief")
    page.goto(f"{live_server}/login")
    page.fill("#username", admin.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/account/two-factor")  # nothing else opens before it
    page.fill("main #password", TEST_PASSWORD)  # a change of factors asks for the password again
    page.click("main form button[type=submit]")  # «راه‌اندازی»
    page.wait_for_selector("main img[src^='data:image/svg+xml']")
    assert page.evaluate("document.querySelector('main img').naturalWidth") > 0  # drawn: the CSP allows it
    secret = page.inner_text("main code").strip()
    # A code sent with a stale form token (a login again in another tab) is refused; the code is a
    # secret: it is not kept in the tab's storage to be put back (app.js, now forms.js, kept it: a review, session 44)
    page.fill("#code", pyotp.TOTP(secret).at(clock.utcnow()))
    page.evaluate("document.querySelector('main form input[name=csrf_token]').value = 'stale'")
    page.click("main form button[type=submit]")
    page.wait_for_selector("main a#back-to-form")
    assert page.evaluate("sessionStorage.getItem('hamzaban-sent-form')") is None
    page.console_errors.clear()  # the refusal's 400
    page.click("main a#back-to-form")
    page.wait_for_selector("main form #code")
    assert page.input_value("#code") == "" and not page.locator("#form-restored").is_visible()
    page.fill("#code", pyotp.TOTP(secret).at(clock.utcnow()))
    page.click("main form button[type=submit]")
    page.wait_for_selector("ol.recovery-codes code")  # the next page, not the one the click left
    codes = page.locator("ol.recovery-codes code").all_inner_texts()
    # numbered in Persian digits, as every number of a Persian page (a browser walk, session 38: «1. 2.»)
    assert page.eval_on_selector("ol.recovery-codes", "e => getComputedStyle(e).listStyleType") == "persian"
    assert len(codes) == 10
    page.click("text=کدها را نگه داشتم")
    page.wait_for_url(f"{live_server}/")
    assert "پیشخوان" in page.inner_text("h1")

    log_out(page)
    page.wait_for_url(f"{live_server}/login")
    page.fill("#username", admin.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/login/code*")
    page.fill("#code", codes[0])  # the phone is elsewhere: a recovery code
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    assert "کد بازیابی" in page.inner_text("main")
    assert all(url.startswith((live_server, "data:")) for url in page.requests_made), page.requests_made
    assert page.console_errors == []
