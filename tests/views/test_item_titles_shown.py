"""The rule tester's hits and a case's timeline showed an item's title as its feed stored it
(«افزايش 67 درصدي … كرج»: Arabic «ي/ك», ASCII digits) where every other view of an item shows it
through app/web/item_text.py (Persian «ی/ک», Persian digits; Latin words keep theirs)."""
from __future__ import annotations

from app.extensions import db
from app.services.case_coverage import decide_coverage
from tests.conftest import csrf_token, login
from tests.search_index.item_factory import ItemFactory
from tests.services import case_fixtures
from tests.views.test_item_display import CP1256_TITLE

desk = case_fixtures.desk

SHOWN = "افزایش ۶۷ درصدی ذخیره آب کرج در COVID-19"


def test_the_rule_testers_hits_show_the_title_as_other_item_views(client, make_agency, make_user):
    ItemFactory().make(CP1256_TITLE, "")
    manager = make_user(role="manager", agency=make_agency(slug="water"))
    login(client, manager)
    html = client.post("/rules/new", data={"csrf_token": csrf_token(client, "/rules/new"), "name": "آب",
                                           "query": "ذخیره", "last": "200", "is_active": "y",
                                           "action": "test"}).get_data(as_text=True)
    assert "نتیجهٔ آزمون: ۱ خبر" in html
    assert "افزایش ۶۷ درصدی" in html and "کرج" in html and "افزايش" not in html and "كرج" not in html


def test_a_cases_timeline_shows_a_coverage_items_title_as_other_item_views(client, desk):
    item = ItemFactory().make(CP1256_TITLE, "")
    case = desk.open("published")
    decide_coverage(case, item.id, "confirmed", desk.staff)
    db.session.commit()
    login(client, desk.staff)
    html = client.get(f"/cases/{case.ref}").get_data(as_text=True)
    timeline = html[html.index("case-timeline"):]
    assert SHOWN in timeline and "افزايش" not in timeline
