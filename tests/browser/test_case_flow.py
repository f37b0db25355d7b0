"""A public question from the item to the published answer, in a real browser: staff open a case
from a flagged item with the keyboard, take it and draft the answer; the manager approves; staff
record the publication with its link and confirm an outlet that reported the answer; the case
shows as published with its link and the confirmed coverage item."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.clock import utcnow
from app.extensions import db
from app.services.indexing import drain
from models import ItemRoute
from tests.conftest import TEST_PASSWORD
from tests.search_index.item_factory import ItemFactory

pytestmark = pytest.mark.browser
ANSWER = "لوله‌گذاری خیابان اصلی تا پنجشنبه تمام می‌شود و آب از جمعه وصل است."
LINK = "https://abfa.example.ir/news/answer-42"


@pytest.fixture
def desk(app, make_agency, make_user):
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    factory = ItemFactory()
    outlet, other = factory.outlet("همدان پیام"), factory.outlet("خبرگزاری استان")
    now = utcnow()
    question = factory.make("اهالی محله می‌پرسند چرا آب قطع است؟", "آب محله سه روز است قطع است.",
                            outlet=outlet, published_at=now - timedelta(hours=3), commit=False)
    coverage = factory.make("آب محله از جمعه وصل می‌شود", "به گفتهٔ روابط عمومی آبفا لوله‌گذاری پنجشنبه تمام می‌شود.",
                            outlet=other, published_at=now, commit=False)
    db.session.add(ItemRoute(item_id=question.id, agency_id=water.id, is_question=True, status="new"))
    db.session.add(ItemRoute(item_id=coverage.id, agency_id=water.id, status="new"))
    db.session.commit()
    drain()
    return {"question": question, "coverage": coverage,
            "staff": make_user(role="staff", agency=water, username="water-staff", display_name="کارشناس آب"),
            "manager": make_user(role="manager", agency=water, username="water-manager", display_name="مدیر آب")}


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", user.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_from_a_flagged_item_to_a_published_answer_and_its_coverage(browser, page, live_server, desk):
    log_in(page, live_server, desk["staff"])
    page.goto(f"{live_server}/items/{desk['question'].id}")
    # The form is open on a flagged item; the keyboard opens the case.
    submit = page.locator("#open-case-submit")
    assert submit.is_visible()
    assert page.locator("#open-case-title").input_value() == desk["question"].title
    submit.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/cases/1*")
    ref = page.locator(".case-ref").inner_text()
    case_url = page.url
    assert page.locator(".case-status").get_attribute("data-status") == "accepted"
    assert "باز شد" in page.locator(".alert-success").inner_text()

    # Staff take the case, write the answer and send the draft.
    page.locator("#move-assign button").click()
    page.wait_for_load_state()
    assert page.locator(".case-status").get_attribute("data-status") == "assigned"
    page.fill("#answer-text", ANSWER)
    page.click("#move-draft")
    page.wait_for_load_state()
    assert page.locator(".case-status").get_attribute("data-status") == "drafted"
    assert page.locator("#move-approve").count() == 0  # staff do not approve

    # The manager approves.
    context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran")
    manager = context.new_page()
    log_in(manager, live_server, desk["manager"])
    manager.goto(case_url)
    assert manager.locator("#answer-text").input_value() == ANSWER
    manager.click("#move-approve")
    manager.wait_for_load_state()
    assert manager.locator(".case-status").get_attribute("data-status") == "approved"
    context.close()

    # Staff record the publication with its link.
    page.goto(case_url)
    page.fill("#publish-link", LINK)
    page.select_option("#publish-kind", "portal")
    page.locator("#move-publish button").click()
    page.wait_for_load_state()
    assert page.locator(".case-status").get_attribute("data-status") == "published"

    # The outlet that reported the answer is suggested; staff confirm it.
    suggestion = page.locator(f'.coverage-suggestion[data-item="{desk["coverage"].id}"]')
    assert suggestion.count() == 1 and "خبرگزاری استان" in suggestion.inner_text()
    assert page.locator(f'.coverage-suggestion[data-item="{desk["question"].id}"]').count() == 0
    suggestion.locator('button[value="confirmed"]').click()
    page.wait_for_load_state()

    # The case as anyone reads it now: published, its link, the confirmed coverage item.
    page.goto(case_url)
    assert page.locator(".case-ref").inner_text() == ref
    assert page.locator(".case-status").inner_text() == "پاسخ منتشرشده"
    assert page.locator(".case-links a.case-link").inner_text() == LINK
    coverage = page.locator("table.case-coverage tbody tr")
    assert coverage.count() == 1
    assert "آب محله از جمعه وصل می‌شود" in coverage.inner_text() and "خبرگزاری استان" in coverage.inner_text()
    assert page.locator(".coverage-suggestion").count() == 0
    events = page.locator(".case-event").evaluate_all("els => els.map(e => e.dataset.kind)")
    assert events == ["opened", "moved", "moved", "moved", "moved", "moved", "coverage_confirmed"]
    assert page.console_errors == []
    assert all(url.startswith(live_server) for url in page.requests_made), page.requests_made
