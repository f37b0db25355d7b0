"""Closing the loop: after publication the case page suggests items that carry the answer (the
agency's routes, the question's words with their word forms, published since the answer); staff
confirm or dismiss each one; the confirmed ones are the outlets that reported the answer."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.services import ServiceError
from app.services.case_coverage import (
    coverage_query,
    coverage_suggestions,
    decide_coverage,
)
from app.services.indexing import drain
from models import AuditEntry, CaseCoverage, CaseEvent, ItemRoute
from tests.conftest import csrf_token, login
from tests.search_index.item_factory import ItemFactory
from tests.services import case_fixtures

desk, make_item = case_fixtures.desk, case_fixtures.make_item  # the shared fixtures, by name


@pytest.fixture
def news(desk):
    """The published case «چرا آب محله قطع است؟» (agency A) and items around it, indexed."""
    factory = ItemFactory()
    outlet = factory.outlet("همدان پیام")
    now = utcnow()

    def item(title, *agencies, published_at=now):
        made = factory.make(title, "", outlet=outlet, published_at=published_at, commit=False)
        for agency in agencies:
            db.session.add(ItemRoute(item_id=made.id, agency_id=agency.id, status="new"))
        return made

    made = {
        "carries": item("آب محله از فردا وصل می‌شود", desk.a),
        "forms": item("تانکرها در محله‌ها", desk.a),               # «محله‌ها»: another form of «محله»
        "before": item("قطعی آب محله", desk.a, published_at=datetime(2026, 5, 1, 8, tzinfo=UTC)),
        "elsewhere": item("آب محله وصل شد", desk.b),               # another agency's routes
        "unrelated": item("نمایشگاه کتاب گشایش یافت", desk.a),
        # the case's source: published before the case was opened (1405/02/20)
        "source": item("اهالی می‌پرسند چرا آب محله قطع است؟", desk.a, published_at=datetime(2026, 5, 9, 8, tzinfo=UTC)),
    }
    db.session.commit()
    case = desk.open("published", item_id=made["source"].id)
    drain()
    return case, made


def test_the_search_text_is_the_questions_words_as_alternatives(desk):
    case = desk.open("new")
    assert coverage_query(case) == "اب یا محله یا قطع"  # normalized as the search reads them (آ → ا)


def test_suggestions_come_from_the_agencys_routes_after_publication(desk, news):
    case, made = news
    found = {item.id for item in coverage_suggestions(case, desk.staff)}
    assert found == {made["carries"].id, made["forms"].id}
    assert coverage_suggestions(case, desk.viewer) == []  # a reader decides nothing
    assert coverage_suggestions(desk.open("approved"), desk.staff) == []  # nothing before publication


def as_user(app, user):
    client = app.test_client()
    login(client, user)
    client.token = csrf_token(client, "/")
    return client


def test_staff_confirm_and_dismiss_suggestions_on_the_case_page(app, desk, news):
    case, made = news
    staff = as_user(app, desk.staff)
    html = staff.get(f"/cases/{case.ref}").get_data(as_text=True)
    assert f'data-item="{made["carries"].id}"' in html and f'data-item="{made["forms"].id}"' in html
    assert "هنوز خبری به‌عنوان بازتاب پاسخ تأیید نشده است." in html

    response = staff.post(f"/cases/{case.ref}/coverage", data={"csrf_token": staff.token, "item_id": made["carries"].id,
                                                              "state": "confirmed"})
    assert response.status_code == 302
    staff.post(f"/cases/{case.ref}/coverage", data={"csrf_token": staff.token, "item_id": made["forms"].id,
                                                    "state": "dismissed"})
    html = staff.get(f"/cases/{case.ref}").get_data(as_text=True)
    confirmed = html[html.index("case-coverage"):html.index("</table>", html.index("case-coverage"))]
    assert "آب محله از فردا وصل می‌شود" in confirmed and "همدان پیام" in confirmed
    assert 'class="list-group mb-2 coverage-suggestions"' not in html  # both decided
    assert "پیشنهادهای کنار گذاشته" in html and "تانکرها در محله‌ها" in html
    assert "تأیید بازتاب پاسخ در رسانه" in html and "کنار گذاشتن پیشنهاد بازتاب پاسخ" in html  # the timeline
    rows = {row.item_id: (row.state, row.confirmed_by_id) for row in db.session.scalars(select(CaseCoverage))}
    assert rows == {made["carries"].id: ("confirmed", desk.staff.id), made["forms"].id: ("dismissed", desk.staff.id)}
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("case.coverage%"))).all()
    assert sorted(actions) == ["case.coverage_confirmed", "case.coverage_dismissed"]
    # A viewer sees the confirmed outlets, not the buttons.
    html = as_user(app, desk.viewer).get(f"/cases/{case.ref}").get_data(as_text=True)
    assert "آب محله از فردا وصل می‌شود" in html and 'name="state"' not in html


def test_a_decision_can_change_and_the_same_decision_twice_changes_nothing(desk, news):
    case, made = news
    decide_coverage(case, made["forms"].id, "dismissed", desk.staff)
    decide_coverage(case, made["forms"].id, "dismissed", desk.staff)
    decide_coverage(case, made["forms"].id, "confirmed", desk.manager)
    events = db.session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id,
                                                             CaseEvent.kind.like("coverage%"))).all()
    assert events == ["coverage_dismissed", "coverage_confirmed"]
    assert db.session.scalar(select(CaseCoverage.state)) == "confirmed"


@pytest.mark.parametrize("status, item, state, message", [
    ("approved", "carries", "confirmed", "پس از انتشار پاسخ ثبت کنید"),
    ("published", "source", "confirmed", "این خبر منبع همین پرسش است"),
    ("published", None, "confirmed", "خبری با شناسهٔ"),
    ("published", "carries", "maybe", "تصمیم دربارهٔ پیشنهاد شناخته نیست"),
])
def test_bad_decisions_are_refused_in_persian(app, desk, news, status, item, state, message):
    case, made = news
    if status != "published":
        case = desk.open(status)
    staff = as_user(app, desk.staff)
    response = staff.post(f"/cases/{case.ref}/coverage", data={
        "csrf_token": staff.token, "item_id": made[item].id if item else "999999", "state": state})
    assert response.status_code == 400 and message in response.get_data(as_text=True)  # the case page again
    assert db.session.scalar(select(CaseCoverage)) is None
    with pytest.raises(ServiceError):
        decide_coverage(case, made[item].id if item else 999999, state, desk.staff)
