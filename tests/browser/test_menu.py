"""The grouped top menu in a real browser: at 1300×800 a supervisor's and an admin's menu fits
(no sideways scroll), every page of NAV_ITEMS is reached by opening its group, a group shows the
count of its items, the current page marks its group, dropdowns open from the keyboard and hang
the right way in RTL, and on a phone the collapsed menu still leads everywhere. No CSP violation."""
from __future__ import annotations

import pytest
from flask import url_for

from app.extensions import db
from app.web.navigation import NAV_ITEMS
from models import Notification, SavedSearch
from tests.browser.conftest import MENU_LINKS, click_menu, menu_link, open_menu_group_of
from tests.browser.test_case_flow import log_in
from tests.browser.test_province_dashboard import CSP_WATCH
from tests.services import case_fixtures

pytestmark = pytest.mark.browser
desk = case_fixtures.desk
make_item = case_fixtures.make_item


def _notify(user, make_item, n: int) -> None:
    """n unread notifications of a saved search: the «اعلان‌ها» badge, inside the «خبرها» group."""
    saved = SavedSearch(user_id=user.id, name="آب", query="آب", filters={})
    db.session.add(saved)
    db.session.flush()
    for i in range(n):
        item = make_item(title=f"قطعی آب شمارهٔ {i}")
        db.session.add(Notification(user_id=user.id, saved_search_id=saved.id, item_id=item.id, words=["آب"]))
    db.session.commit()


def _hrefs(page) -> list[str]:
    return page.eval_on_selector_all(MENU_LINKS, "els => els.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_the_menu_fits_1300px_and_every_page_is_one_group_away(app, page, live_server, desk, make_item, role):
    user = getattr(desk, role)
    _notify(user, make_item, 2)
    with app.test_request_context():
        expected = [url_for(i.endpoint) for i in NAV_ITEMS if user.role in i.roles]
    page.context.add_init_script(CSP_WATCH)
    page.set_viewport_size({"width": 1300, "height": 800})
    log_in(page, live_server, user)

    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    assert page.locator("nav.navbar").bounding_box()["height"] < 80  # one row, not wrapped
    assert len(expected) >= 20 and _hrefs(page) == expected
    for href in expected:
        link = menu_link(page, href=href)
        open_menu_group_of(page, link)
        box = link.bounding_box()
        assert link.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 1300, href
        page.keyboard.press("Escape")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")

    # The count shows on the group's toggle while it is closed, and on the item inside.
    assert page.locator("[data-nav-group-count=news]").inner_text().startswith("۲")
    assert menu_link(page, href="/alerts/").inner_text().startswith("اعلان‌ها ۲")
    click_menu(page, href="/alerts/")
    page.wait_for_url(f"{live_server}/alerts/")
    assert "active" in page.get_attribute("#nav-group-news", "class")
    assert page.get_attribute(f"{MENU_LINKS}[href='/alerts/']", "aria-current") == "page"
    assert page.locator("[aria-current=page]").count() == 1
    assert page.evaluate("window.__cspViolations") == [] and page.console_errors == []


def test_groups_open_from_the_keyboard_and_hang_right_to_left(page, live_server, desk):
    page.set_viewport_size({"width": 1300, "height": 800})
    log_in(page, live_server, desk.supervisor)
    toggle = page.locator("#nav-group-cases")
    toggle.focus()
    page.keyboard.press("Enter")
    menu = page.locator("[data-nav-group=cases] .dropdown-menu")
    menu.wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement === document.querySelector('[data-nav-group=cases] .dropdown-item')")
    # RTL: a group's list starts under its toggle's right edge; the account list (at the far left)
    # ends under its toggle's left edge, so neither runs off the page.
    t, m = toggle.bounding_box(), menu.bounding_box()
    assert abs((t["x"] + t["width"]) - (m["x"] + m["width"])) < 2
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    page.click("#nav-account")
    account_menu = page.locator("#account-menu .dropdown-menu")
    account_menu.wait_for(state="visible")
    t, m = page.locator("#nav-account").bounding_box(), account_menu.bounding_box()
    assert abs(t["x"] - m["x"]) < 2 and m["x"] >= 0


def test_on_a_phone_the_collapsed_menu_still_opens_groups(page, live_server, desk):
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, live_server, desk.supervisor)
    assert not page.locator("#main-nav").is_visible()
    page.click("button.navbar-toggler")
    page.locator("#main-nav").wait_for(state="visible")
    click_menu(page, "رسانه‌های محلی بی‌تماس")
    page.wait_for_url("**/lapsed")
    assert page.get_attribute(f"{MENU_LINKS}[aria-current=page]", "href").endswith("/lapsed")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
