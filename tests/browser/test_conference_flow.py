"""A press conference from plan to coverage, in a real browser: the agency's PR manager plans it,
invites journalists from the directory, marks it held, records a journalist's question and turns
it into a case with one click (the case page names the conference), then finds the coverage
that followed and confirms an item; the conference shows it by outlet and scope."""
from __future__ import annotations

import pytest

from app.clock import local_today, utcnow
from app.extensions import db
from app.jalali import format_jalali_date
from app.services.indexing import drain
from tests.browser.test_case_flow import log_in
from tests.search_index.item_factory import ItemFactory
from tests.services import conference_fixtures

pytestmark = pytest.mark.browser
conf = conference_fixtures.conf
TITLE = "نشست خبری کم‌آبی تابستان"
QUESTION = "آیا امسال تابستان جیره‌بندی آب خواهیم داشت؟"
COVERAGE = "جیره‌بندی آب در تابستان نداریم"


@pytest.fixture
def news(conf):
    """An item of a local outlet, published now, that carries the conference's topic."""
    item = ItemFactory().make(COVERAGE, "مدیرعامل در نشست خبری امروز گفت برای کم‌آبی جیره‌بندی نداریم.",
                              outlet=conf.local1, published_at=utcnow(), commit=False)
    db.session.commit()
    drain()
    return item


def test_plan_invite_hold_question_to_case_and_confirm_coverage(page, live_server, conf, news):
    base = live_server
    log_in(page, base, conf.manager)
    page.goto(f"{base}/conferences/new")
    page.fill("#title", TITLE)
    page.fill("#topics", "کم‌آبی\nجیره‌بندی آب")
    page.fill("#day", format_jalali_date(local_today(), digits="en"))
    page.fill("#start_time", "00:00")
    page.fill("#spokespeople", "مدیرعامل")
    page.click("#conference-form button[type=submit]")
    page.wait_for_url(f"{base}/conferences/*")
    assert page.locator("#conference-status").get_attribute("data-status") == "planned"
    conference_url = page.url.split("#")[0]

    # Invite two journalists of the directory.
    page.select_option("#invite-journalists", [str(conf.maryam.id), str(conf.zahra.id)])
    page.click("#invite-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".invitation-row").count() == 2
    # At 375 px the six-column table squeezed each reply list to one letter («ه» for «هنوز پاسخی
    # نداده») and a name to a word a line (session 43's note): each invitee is a card, the list
    # wide enough to read its choice, the name on a line.
    page.set_viewport_size({"width": 375, "height": 800})
    shown = page.locator(".invitation-row").evaluate_all("""rows => rows.map(r => {
        const s = r.querySelector('select[name=rsvp]'), name = r.querySelector('bdi');
        return [s.getBoundingClientRect().width, s.scrollWidth <= s.clientWidth + 1,
                new Set([...name.getClientRects()].map(x => Math.round(x.top))).size]; })""")
    assert all(width >= 150 and whole and lines == 1 for width, whole, lines in shown), shown
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # Its invitation list to print, opened on the phone (session 48's walk): the sheet was wider
    # than the screen, its heading and first column cut off at the start, and each phone number
    # broken a digit group a line. The page keeps to the screen, the table scrolls in its own box.
    page.goto(f"{conference_url}/invitations/print")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.eval_on_selector("h1", "h => h.getBoundingClientRect().right <= 375 && h.getBoundingClientRect().left >= 0")
    lines = page.locator(".ltr-cell span").evaluate_all(
        "ss => ss.map(s => new Set([...s.getClientRects()].map(x => Math.round(x.top))).size)")
    assert lines and set(lines) == {1}, lines
    page.goto(conference_url)
    page.set_viewport_size({"width": 1280, "height": 720})

    # A form sent with a stale token (a login again in another tab) is given back in the form that
    # was sent: the page's move forms share their action and field names, and the held day went
    # into the first of them: the postponement's went into «برگزار شد» (a review of session 44's restore)
    new_day = page.locator("form[data-move=postpone] input[name=day]")
    new_day.fill("۱۴۰۵/۱۲/۲۰")
    page.keyboard.press("Escape")
    page.evaluate("document.querySelectorAll('main form input[name=csrf_token]').forEach(i => i.value = 'stale')")
    page.locator("form[data-move=postpone] button[type=submit]").click()
    page.wait_for_selector("main a#back-to-form")
    page.click("main a#back-to-form")
    page.wait_for_selector("#form-restored.alert")  # its words come once the page is shown
    given_back = page.eval_on_selector_all("main form[data-move] input[name=day]",
                                           "els => els.map(e => [e.form.dataset.move, e.value])")
    assert [move for move, day in given_back if day] == ["postpone"], given_back
    new_day.fill("")
    page.console_errors.clear()  # the refusal's 400

    # It was held today.
    page.locator("form[data-move=hold] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#conference-status").get_attribute("data-status") == "held"

    # A journalist's question, then its case with one click.
    page.select_option("#q-journalist", str(conf.maryam.id))
    page.fill("#q-text", QUESTION)
    page.click("#question-submit")
    page.wait_for_load_state()
    row = page.locator(".question-row")
    assert row.count() == 1 and QUESTION in row.inner_text() and "روزنامهٔ شهر" in row.inner_text()
    row.locator(".question-to-case").click()
    page.wait_for_load_state()
    assert "باز شد" in page.locator(".alert-success").inner_text()
    link = page.locator(".question-row .question-case")
    assert link.count() == 1 and page.locator(".question-to-case").count() == 0
    link.click()
    page.wait_for_url(f"{base}/cases/*")
    sources = page.locator(".case-sources").inner_text()
    assert "نشست خبری" in sources and TITLE in sources and "روزنامهٔ شهر" in sources
    assert page.locator(".case-status").get_attribute("data-status") == "accepted"

    # The coverage that followed: found, confirmed, shown by outlet and scope.
    page.goto(conference_url)
    page.click("#coverage-find")
    page.wait_for_load_state()
    suggestion = page.locator("#coverage-suggested .coverage-row")
    assert suggestion.count() == 1 and COVERAGE in suggestion.inner_text()
    suggestion.locator(".coverage-confirm").click()
    page.wait_for_load_state()
    assert COVERAGE in page.locator("#coverage-confirmed").inner_text()
    assert "روزنامهٔ شهر" in page.locator("#coverage-by-outlet").inner_text()
    assert "۱" in page.locator("#coverage-by-scope li[data-scope=local]").inner_text()
    assert all(url.startswith(base) for url in page.requests_made), page.requests_made
    assert page.console_errors == []
