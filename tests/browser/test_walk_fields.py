"""Fields a walk through the pages found wrong, that only a browser shows (session 45)."""
from __future__ import annotations

import pytest

from tests.browser.conftest import after_the_pages_timers
from tests.browser.test_case_flow import log_in

pytestmark = pytest.mark.browser


def test_the_reports_period_follows_the_page(page, live_server, make_user):
    """The period takes «پاییز ۱۴۰۵» as well as «۱۴۰۵-۰۹»: set left to right, the season's words
    sat at the left of a Persian page's field, apart from every other field (session 44's note)."""
    log_in(page, live_server, make_user("manager"))
    page.goto(f"{live_server}/reports/")
    page.fill("#period", "پاییز ۱۴۰۵")
    assert page.evaluate("getComputedStyle(document.getElementById('period')).direction") == "rtl"
    assert page.eval_on_selector("#period", "e => getComputedStyle(e).textAlign") in ("start", "right")


def test_a_tap_beside_the_date_field_closes_its_calendar_at_once(page, live_server, make_agency, make_user):
    """The picker hides on a tap outside only once its 300 ms opening is over (its isShow), and
    then shows itself: a tap on the page's text within them (no focus change) left the calendar
    open over the form (session 44's note). A tap in <main> moves the focus to it (tabindex=-1),
    which closed it already; on a phone the page scrolls the menu away under the calendar."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, make_user("staff", make_agency()))
    page.goto(f"{live_server}/contacts/new")
    sheet = page.locator("jdp-container")
    # the menu bar's edge: not a link nor a field, outside <main> (which takes the focus: tabindex=-1)
    spot = page.evaluate("(({x, width, y}) => [x + width / 2, y + 2])(document.querySelector('nav').getBoundingClientRect())")
    assert page.evaluate("([x, y]) => !document.elementFromPoint(x, y).closest('a, button, main')", spot)
    page.click("#date")
    page.mouse.click(*spot)
    assert page.evaluate("document.activeElement === document.body")  # the focus went nowhere
    after_the_pages_timers(page, 400)  # the picker's 300 ms timer, and app.js's 350 ms one, have run
    expect(sheet).to_be_hidden(timeout=1)
    page.click("#date")  # it opens again, and a tap after the opening closes it as before
    expect(sheet).to_be_visible()
    after_the_pages_timers(page, 400)  # its opening over
    page.mouse.click(*spot)
    expect(sheet).to_be_hidden()
    assert page.console_errors == []
