"""The media directory in a real browser: a staff user finds a demo journalist by an Arabic
spelling, adds one with a phone typed in Persian digits (a bad one first: refused next to the
field, everything kept), and sees the number left to right as a tel: link."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.services.demo import seed_demo
from tests.browser.conftest import click_menu
from tests.browser.test_pages import _log_in

pytestmark = pytest.mark.browser


def test_staff_adds_a_journalist_after_a_refused_phone(page, live_server, app):
    users = {u["username"]: u["password"] for u in seed_demo()["users"]}
    _log_in(page, live_server, "water.staff", users["water.staff"])
    click_menu(page, "رسانه‌ها و خبرنگاران")
    page.click("main .nav-tabs >> text=خبرنگاران")
    page.fill("#q", "علي رضائي")
    page.click("#journalist-filters button[type=submit]")
    page.wait_for_url("**/directory/journalists?q=*")
    expect(page.locator("main table >> text=علی رضایی")).to_have_count(1)  # waits for the results
    # At 375 px the «غیرفعال‌ها» box stood 9 px above the line of «نمایش» beside it (the field's
    # bottom margin, kept inside a row of buttons: session 43's walk); the same on the outlets'
    # and the cases' filters. The box, its label and the button share a middle.
    page.set_viewport_size({"width": 375, "height": 800})
    for path, box, button in (("/directory/journalists", "#inactive", "#journalist-filters button[type=submit]"),
                              ("/cases/agency", "#overdue", "main form button[type=submit]")):
        page.goto(live_server + path)
        middles = [page.locator(s).evaluate("e => { const r = e.getBoundingClientRect(); return (r.top + r.bottom) / 2; }")
                   for s in (box, f"label[for={box[1:]}]", button)]
        assert max(middles) - min(middles) <= 2, (path, middles)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/directory/journalists")

    page.click("text=خبرنگار تازه")
    page.fill("#name", "نسرین طاهری")
    page.select_option("#outlets", label="روزنامهٔ شهر")
    page.fill("#phones-0-number", "۰۹۱۲۳")
    page.fill("#beat", "محیط زیست")
    page.click("main form button[type=submit]")
    assert "شمارهٔ تلفن معتبری نیست" in page.inner_text(".invalid-feedback")
    assert page.input_value("#name") == "نسرین طاهری" and page.input_value("#beat") == "محیط زیست"
    assert page.input_value("#phones-0-number") == "۰۹۱۲۳"

    page.fill("#phones-0-number", "۰۹۱۲ ۰۰۰ ۲۲۳۳")
    page.click("main form button[type=submit]")
    page.wait_for_selector("a[href='tel:+989120002233']")
    link = page.locator("a[href='tel:+989120002233']")
    assert link.get_attribute("dir") == "ltr"
    assert page.evaluate("getComputedStyle(document.querySelector(\"a[href='tel:+989120002233']\")).direction") == "ltr"
    assert [e for e in page.console_errors if "400 (BAD REQUEST)" not in e] == []  # the refused form is a 400


def test_a_date_typed_after_tab_replaces_the_one_in_the_field(page, live_server, app):
    """A walk through the pages: the date field put its value into the picker's form on focus, which
    dropped the selection Tab made, so a date typed went after the old one («1405/09/15۱۴۰۵/۰۹/۱۰»)
    and the contact was refused."""
    users = {u["username"]: u["password"] for u in seed_demo()["users"]}
    _log_in(page, live_server, "water.staff", users["water.staff"])
    page.goto(f"{live_server}/directory/journalists?q=" + "علی رضایی")
    page.click("main table >> text=علی رضایی")
    page.click("#quick-topic")
    page.keyboard.type("هماهنگی مصاحبه")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-date"
    page.keyboard.type("۱۴۰۵/۰۹/۱۰")
    assert page.input_value("#quick-date") == "۱۴۰۵/۰۹/۱۰"
