"""An administrator proposes a year's lunar holidays, moves one by a day and confirms the rest, in Chromium."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.services.demo import seed_demo
from models import Holiday
from tests.browser.test_pages import _log_in

pytestmark = pytest.mark.browser


def test_propose_move_by_a_day_and_confirm_the_year(page, live_server, app):
    users = {u["username"]: u["password"] for u in seed_demo()["users"]}
    _log_in(page, live_server, "admin", users["admin"])
    page.goto(f"{live_server}/admin/calendar/?year=1404")
    assert "هنوز پیشنهاد نشده‌اند." in page.inner_text("#lunar-status")
    page.get_by_role("button", name="پیشنهاد تعطیلی‌های قمری سال ۱۴۰۴").click()
    page.wait_for_load_state("networkidle")
    assert "۱۷ روز در انتظار تأیید است." in page.inner_text("#lunar-status")
    row = page.locator("tr", has_text="عاشورای حسینی")
    assert "۱۰ محرم ۱۴۴۷" in row.inner_text() and "در انتظار تأیید" in row.inner_text()
    if os.environ.get("HAMZABAN_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["HAMZABAN_SCREENSHOTS"], "lunar-year.png"), full_page=True)

    row.get_by_role("link", name="جابه‌جایی / ویرایش").click()
    page.get_by_role("button", name="یک روز دیرتر: ۱۴۰۴/۰۴/۱۵ (یک\u200cشنبه)").click()
    page.wait_for_load_state("networkidle")
    assert "از ۱۴۰۴/۰۴/۱۴ به ۱۴۰۴/۰۴/۱۵ برده و تأیید شد" in page.content()
    assert "۱۶ روز در انتظار تأیید است." in page.inner_text("#lunar-status")

    page.get_by_role("button", name="تأیید همهٔ روزهای در انتظار").click()
    page.wait_for_load_state("networkidle")
    assert "همه تأیید شده‌اند." in page.inner_text("#lunar-status")
    db.session.expire_all()
    ashura = db.session.scalar(select(Holiday).where(Holiday.hijri_date == "1447-01-10"))
    assert ashura.day == J("1404/04/15") and ashura.status == "confirmed"
    assert all(url.startswith(live_server) for url in page.requests_made), page.requests_made
    assert page.console_errors == []
