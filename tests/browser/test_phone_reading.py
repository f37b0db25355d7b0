"""Pages read on a phone (375 px) and in English (session 43's walk): the agency ranking, a search
result, a rule's words."""
from __future__ import annotations

import pytest

from tests.browser.test_case_flow import log_in
from tests.browser.test_phone_pages import _SHOWN, PHONE

pytestmark = pytest.mark.browser


def test_the_agency_ranking_reads_on_a_phone_each_agency_a_card_with_every_clause_in_sight(page, live_server, make_agency, make_user):
    """At 375 px the ranking was a 17-column table in a sideways-scrolling box: clauses 1 to 6 in
    sight, 7 to 14 past the edge with nothing to say they were there, and an agency's name broken
    into four lines of one word. Each agency is now a card: its rank, name and score on a line, then
    every clause's badge under its number."""
    for n in range(3):
        make_agency(slug=f"agency-{n}", name_fa=f"اداره‌کل راه و شهرسازی و حمل‌ونقل جاده‌ای استان {n}")
    page.set_viewport_size(PHONE)
    log_in(page, live_server, make_user("supervisor"))
    page.goto(f"{live_server}/scorecard/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    card = page.locator("#scorecard-ranking tbody tr").first
    clauses = card.locator("td.scorecard-clause")
    assert clauses.count() == 14
    for n in range(clauses.count()):
        box = clauses.nth(n).evaluate(_SHOWN)
        assert box["shownLeft"] <= box["left"] and box["right"] <= box["shownRight"], (n + 1, box)  # nothing past an edge
    numbers = [clauses.nth(n).evaluate("td => getComputedStyle(td, '::before').content") for n in range(14)]
    assert numbers[0] == '"۱"' and numbers[13] == '"۱۴"', numbers  # each badge under its clause's number
    name = card.locator("td.scorecard-name")
    assert name.evaluate("td => td.getBoundingClientRect().width") > PHONE["width"] / 2  # a name on a line or two
    score = card.locator("td.scorecard-score")
    assert score.evaluate("td => getComputedStyle(td, '::before').content") == '"امتیاز: "'
    assert page.console_errors == []
