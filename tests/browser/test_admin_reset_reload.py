"""A second-factor reset refused (the administrator's own password wrong) answered the POST with a
page: reloading it sent the reset again, behind Chromium's «Confirm Form Resubmission». It is
post/redirect/get now, the refusal kept for the page it leads to."""
from __future__ import annotations

import pyotp
import pytest

from app.extensions import db
from tests.browser.test_case_flow import log_in

pytestmark = pytest.mark.browser


def test_a_refused_second_factor_reset_reloads_without_posting_again(page, live_server, make_user, clock):
    admin, staff = make_user(role="admin"), make_user(role="staff")
    staff.totp_secret = pyotp.random_base32()
    db.session.commit()
    log_in(page, live_server, admin)
    clock.advance(minutes=29)  # the session is open, the password typed at the login is too old to count
    page.goto(f"{live_server}/admin/users/{staff.id}")
    page.on("dialog", lambda dialog: dialog.accept())
    page.fill("#reset-my-password", "not my password")
    page.click("form[action$='/two-factor/reset'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    feedback = page.locator("#reset-my-password-feedback")
    assert "گذرواژهٔ خودتان درست نیست" in feedback.inner_text()
    assert "is-invalid" in page.get_attribute("#reset-my-password", "class")
    assert page.evaluate("performance.getEntriesByType('navigation')[0].type") != "reload"
    methods = []
    page.on("request", lambda request: request.is_navigation_request() and methods.append(request.method))
    page.reload()
    page.wait_for_load_state("networkidle")
    assert methods == ["GET"], methods
    assert page.url == f"{live_server}/admin/users/{staff.id}"
    # said once: the reloaded page no longer claims a wrong password that was not typed again
    assert page.locator("#reset-my-password-feedback").count() == 0
    assert page.console_errors == []
