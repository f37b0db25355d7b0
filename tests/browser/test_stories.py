"""One story, one result, in a real browser: the other outlets of a story open from their
summary (a <details>: no script, the CSP allows none) on the search page and the items list."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.services.indexing import drain
from models import ItemRoute, StoryCluster
from tests.conftest import TEST_PASSWORD
from tests.search_index.item_factory import ItemFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def story(app, make_agency, make_user):
    factory = ItemFactory()
    outlets = [factory.outlet(name) for name in ("همدان پیام", "خبرگزاری سراسری", "روزنامهٔ استان")]
    cluster = StoryCluster(item_count=3)
    db.session.add(cluster)
    db.session.flush()
    start = datetime(2026, 11, 1, 8, tzinfo=UTC)
    copies = [factory.make("قطعی آب در همدان", "آب شهر از صبح قطع است.", outlet=outlet, cluster_id=cluster.id,
                           published_at=start + timedelta(hours=n), commit=False) for n, outlet in enumerate(outlets)]
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    db.session.flush()
    db.session.add(ItemRoute(item_id=copies[0].id, agency_id=water.id, status="accepted"))
    db.session.commit()
    drain()
    return make_user(role="staff", agency=water, username="water-browser")


def _log_in(page, live_server, user) -> None:
    page.goto(f"{live_server}/login")
    page.fill("#username", user.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/")


@pytest.mark.parametrize("path", ["/search/?q=قطعی+آب", "/items/"])
def test_the_other_outlets_of_a_story_open_from_their_summary(page, live_server, story, path):
    _log_in(page, live_server, story)
    page.goto(f"{live_server}{path}")
    copies = page.locator("details.story-copies")
    assert copies.count() == 1
    summary = copies.locator("summary")
    assert summary.inner_text().strip() == "و ۲ رسانهٔ دیگر"
    links = copies.locator("li a")
    assert links.count() == 2 and not links.first.is_visible()   # closed until asked
    summary.click()
    assert copies.evaluate("d => d.open") and links.first.is_visible() and links.nth(1).is_visible()
    shown = {links.nth(n).inner_text() for n in range(2)}
    assert len(shown) == 2 and shown <= {"همدان پیام", "خبرگزاری سراسری", "روزنامهٔ استان"}
    assert "شرکت آب و فاضلاب: پذیرفته" in " ".join(page.locator(".story-route").all_inner_texts()).replace("\n", " ")
    links.first.click()   # a copy opens its own item page
    page.wait_for_url(f"{live_server}/items/*")
    assert page.console_errors == []
    assert all(url.startswith(live_server) for url in page.requests_made), page.requests_made


def test_search_results_carry_no_number_cut_off_at_a_phones_edge(page, live_server, story):
    """Session 41's walk at 375 px: the results list (``ol.list-unstyled``) was numbered on Persian
    pages only — «html[lang=fa] ol» (Persian list numbers) outweighed Bootstrap's «list-unstyled» —
    and each number stood in the page's margin past the right edge, cut to its dot («۵.» read «.»)."""
    page.set_viewport_size({"width": 375, "height": 812})
    _log_in(page, live_server, story)
    page.goto(f"{live_server}/search/?q=قطعی+آب")
    results = page.locator("li.search-result")
    assert results.count() == 1
    assert results.first.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    # the recovery codes, an ordered list meant to be numbered, still count in Persian digits
    assert page.evaluate("""() => { const ol = document.createElement('ol'); document.querySelector('main').append(ol);
                                    return getComputedStyle(ol).listStyleType; }""") == "persian"
    assert page.console_errors == []
