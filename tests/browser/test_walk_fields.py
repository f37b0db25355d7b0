"""Fields a walk through the pages found wrong, that only a browser shows (session 45)."""
from __future__ import annotations

import pytest

from tests.browser.test_case_flow import log_in

pytestmark = pytest.mark.browser


def test_the_reports_period_follows_the_page(page, live_server, make_user):
    """The period takes «پاییز ۱۴۰۵» as well as ⁦۱۴۰۵-۰۹⁩: set left to right, the season's words
    sat at the left of a Persian page's field, apart from every other field (session 44's note)."""
    log_in(page, live_server, make_user("manager"))
    page.goto(f"{live_server}/reports/")
    page.fill("#period", "پاییز ۱۴۰۵")
    assert page.evaluate("getComputedStyle(document.getElementById('period')).direction") == "rtl"
    assert page.eval_on_selector("#period", "e => getComputedStyle(e).textAlign") in ("start", "right")
