"""The triage desk with the keyboard only, in a real browser: j moves down, a accepts, the row
leaves the queue, the message says what was done, and the next item is the current one; the
Persian keyboard layout's keys (the same places) work too; ? opens the help, r the reassignment
form and Escape leaves it."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.routing import create_rule, route_items
from models import ItemRoute
from tests.conftest import TEST_PASSWORD
from tests.search_index.item_factory import ItemFactory

pytestmark = pytest.mark.browser

TITLES = ["قطعی آب در محلهٔ سوم", "قطعی آب در محلهٔ دوم", "قطعی آب در محلهٔ یکم"]  # newest first


@pytest.fixture
def staff(app, make_agency, make_user):
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    make_agency(slug="power", name_fa="شرکت توزیع برق")
    create_rule(water, "قطعی آب", "قطعی آب", actor_label="test")
    items = ItemFactory()
    local = items.outlet("روزنامهٔ محلی", scope="local")
    made = [items.make(title, outlet=local,
                       published_at=datetime(2026, 11, 22 - n, 8, tzinfo=UTC))
            for n, title in enumerate(TITLES)]
    route_items(db.session, made)
    db.session.commit()
    return make_user(role="staff", agency=water, username="water-keys")


def _rows(page):
    return page.locator("#triage-list [data-triage-row]")


def _current_title(page) -> str:
    return page.locator("#triage-list .is-current .triage-title").inner_text()


def test_staff_triages_with_the_keyboard_only(page, live_server, staff):
    page.goto(f"{live_server}/login")
    page.fill("#username", staff.username)
    page.fill("#password", TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/inbox/")
    assert _rows(page).count() == 3 and _current_title(page) == TITLES[0]

    page.keyboard.press("j")
    assert _current_title(page) == TITLES[1]
    with page.expect_navigation():
        page.keyboard.press("a")
    assert page.locator("main .alert-success").inner_text().strip() == "۱ خبر پذیرفته شد."
    assert _rows(page).count() == 2 and TITLES[1] not in page.locator("#triage-list").inner_text()
    assert page.url.endswith(f"#route-{_route_id(TITLES[2])}")
    assert _current_title(page) == TITLES[2]  # the item that followed is the current one
    assert "۲ خبر در صف شما" in page.inner_text("#inbox-total")

    # k goes back up; the Persian layout's «ی» (the d key) dismisses.
    page.keyboard.press("k")
    assert _current_title(page) == TITLES[0]
    with page.expect_navigation():
        page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ی', code: 'KeyD', bubbles: true}))")
    assert page.locator("main .alert-success").inner_text().strip() == "۱ خبر کنار گذاشته شد."
    assert _rows(page).count() == 1 and _current_title(page) == TITLES[2]

    # ? opens the help; r opens the row's reassignment form at its first field; Escape leaves it.
    help_box = page.locator("#triage-help")
    assert not help_box.evaluate("d => d.open")
    page.keyboard.press("Shift+Slash")
    assert help_box.evaluate("d => d.open") and help_box.locator("dl").is_visible()
    page.keyboard.press("r")
    form = page.locator("#triage-list .is-current details.triage-reassign")
    assert form.evaluate("d => d.open")
    assert page.evaluate("document.activeElement.name") == "agency_id"
    page.keyboard.press("a")  # typing in a field is not a command
    page.keyboard.press("Escape")
    assert not form.evaluate("d => d.open") and _rows(page).count() == 1

    db.session.expire_all()
    statuses = {r.item.title: r.status for r in db.session.scalars(select(ItemRoute))}
    assert statuses == {TITLES[0]: "dismissed", TITLES[1]: "accepted", TITLES[2]: "new"}
    assert page.console_errors == []
    assert all(url.startswith(live_server) for url in page.requests_made), page.requests_made


def _route_id(title: str) -> int:
    return next(r.id for r in db.session.scalars(select(ItemRoute)) if r.item.title == title)
