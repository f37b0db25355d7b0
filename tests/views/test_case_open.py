"""Opening a case: from a flagged item's page (pre-filled from the item, its agency from the route),
from the inbox's one-key action (a bare POST), and by hand for a question raised on TV, radio, in
print, on social media or at a press conference; bad input keeps what was typed."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jalali import format_jalali_date
from app.services.case_inputs import earliest_day
from models import ItemRoute, PublicQuestion
from search_index.persian import to_persian_digits
from tests.conftest import csrf_token, login
from tests.services import case_fixtures

desk, make_item = case_fixtures.desk, case_fixtures.make_item  # the shared fixtures, by name


def as_user(app, user):
    client = app.test_client()
    login(client, user)
    client.token = csrf_token(client, "/")
    return client


@pytest.fixture
def flagged(desk, make_item):
    """An item routed to agency A and flagged as a public question."""
    item = make_item("اهالی شهرک می‌پرسند چرا آب سه روز است قطع است؟")
    db.session.add(ItemRoute(item_id=item.id, agency_id=desk.a.id, is_question=True, status="new",
                             question_reasons=[{"code": "ask", "text": "می‌پرسند", "snippet": "می‌پرسند"}]))
    db.session.commit()
    return item


def cases_of(item) -> list[PublicQuestion]:
    from models import CaseSource

    db.session.expire_all()
    return db.session.scalars(select(PublicQuestion).join(CaseSource).where(CaseSource.item_id == item.id)).all()


def test_the_item_page_of_a_flagged_item_offers_the_form(app, desk, flagged):
    html = as_user(app, desk.staff).get(f"/items/{flagged.id}").get_data(as_text=True)
    assert 'id="open-case-form"' in html and f'action="/cases/from-item/{flagged.id}"' in html
    assert 'id="case-panel"' in html and "<details class=\"card\" open>" in html
    assert 'value="اهالی شهرک می‌پرسند چرا آب سه روز است قطع است؟"' in html  # the title, pre-filled
    assert 'name="agency" value="water"' in html
    # A viewer reads the page without the form.
    assert 'id="open-case-form"' not in as_user(app, desk.viewer).get(f"/items/{flagged.id}").get_data(as_text=True)


def test_staff_open_a_case_from_the_item_and_it_is_accepted(app, desk, flagged):
    staff = as_user(app, desk.staff)
    response = staff.post(f"/cases/from-item/{flagged.id}", data={
        "csrf_token": staff.token, "title": flagged.title, "agency": "water", "kind": "question",
        "priority": "normal", "accept": "y"})
    assert response.status_code == 302
    [case] = cases_of(flagged)
    assert response.headers["Location"].endswith(f"/cases/{case.ref}")
    assert (case.status, case.agency_id, case.kind, case.title) == ("accepted", desk.a.id, "question", flagged.title)
    # the number isolated left to right in the sentence: «۱۴۰۵-۰۰۰۰۰۱», not «۰۰۰۰۰۱-۱۴۰۵» (a walk through the pages)
    assert "پرونده \u2066۱۴۰۵-۰" in staff.get(response.headers["Location"]).get_data(as_text=True)
    route = db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == flagged.id))
    assert route.status == "accepted"  # the inbox's row is handled
    # The item page now names the case instead of offering a second one.
    html = staff.get(f"/items/{flagged.id}").get_data(as_text=True)
    assert f'href="/cases/{case.ref}"' in html and "<details class=\"card\" open>" not in html
    # A second case of the same agency for the same item is refused in Persian.
    again = staff.post(f"/cases/from-item/{flagged.id}", data={"csrf_token": staff.token})
    assert again.status_code == 400 and "برای این خبر پیش‌تر پرونده" in again.get_data(as_text=True)


def test_the_items_form_sent_twice_is_told_so_not_refused_as_a_second_case(app, desk, flagged):
    staff = as_user(app, desk.staff)
    once = _once(staff.get(f"/items/{flagged.id}").get_data(as_text=True))
    assert staff.post(f"/cases/from-item/{flagged.id}", data={"csrf_token": staff.token, "once": once}).status_code == 302
    again = staff.post(f"/cases/from-item/{flagged.id}", data={"csrf_token": staff.token, "once": once})
    assert again.status_code == 302 and "این فرم پیش‌تر فرستاده شده" in staff.get(
        again.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert len(cases_of(flagged)) == 1


def test_a_bare_post_opens_a_new_case_with_the_items_title(app, desk, flagged):
    """The inbox's one-key «open a case» may post nothing but the token."""
    staff = as_user(app, desk.staff)
    assert staff.post(f"/cases/from-item/{flagged.id}", data={"csrf_token": staff.token}).status_code == 302
    [case] = cases_of(flagged)
    assert (case.status, case.title, case.agency_id) == ("new", flagged.title, desk.a.id)


def test_a_supervisor_picks_the_agency_pre_selected_from_the_route(app, desk, flagged):
    supervisor = as_user(app, desk.supervisor)
    html = supervisor.get(f"/cases/from-item/{flagged.id}").get_data(as_text=True)
    assert '<option selected value="water">' in html or '<option value="water" selected>' in html
    supervisor.post(f"/cases/from-item/{flagged.id}", data={"csrf_token": supervisor.token, "agency": "power",
                                                            "title": "پرسش برق", "accept": "y"})
    [case] = cases_of(flagged)
    assert (case.agency_id, case.status, case.title) == (desk.b.id, "accepted", "پرسش برق")


def test_agency_users_open_cases_for_their_own_agency_only(app, desk, flagged):
    staff = as_user(app, desk.staff)
    response = staff.post(f"/cases/from-item/{flagged.id}", data={"csrf_token": staff.token, "agency": "power"})
    assert response.status_code == 400 and "پرونده را تنها برای سازمان خودتان باز می‌کنید." in response.get_data(as_text=True)
    assert cases_of(flagged) == []
    viewer = as_user(app, desk.viewer)
    assert viewer.post(f"/cases/from-item/{flagged.id}", data={"csrf_token": viewer.token}).status_code == 403
    assert staff.get("/cases/from-item/999999").status_code == 404


def test_bad_input_on_the_item_form_keeps_what_was_typed(app, desk, flagged):
    staff = as_user(app, desk.staff)
    response = staff.post(f"/cases/from-item/{flagged.id}", data={
        "csrf_token": staff.token, "title": "عنوانی که ماند", "kind": "joke", "opened_on": "1405/07/31"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "مهر ۳۰ روز دارد؛ روز ۳۱ در آن نیست." in html
    assert 'value="عنوانی که ماند"' in html and 'value="۱۴۰۵/۰۷/۳۱"' in html
    response = staff.post(f"/cases/from-item/{flagged.id}", data={"csrf_token": staff.token, "kind": "joke"})
    assert response.status_code == 400 and "نوع «joke» شناخته نیست" in field_error(response, "kind")
    assert cases_of(flagged) == []


def field_error(response, name: str) -> str:
    """The message shown under the form field ``name`` ("" when none)."""
    found = re.search(rf'<div class="invalid-feedback d-block" id="{name}-feedback">([^<]*)</div>',
                      response.get_data(as_text=True))
    return found.group(1) if found else ""


@pytest.mark.parametrize("sent, field, says", [
    ({"title": "\u200c\u200f"}, "title", "عنوان پرسش را بنویسید"),             # nothing visible: was a top alert
    ({"channel": "fax"}, "channel", "«fax»"),                                   # a tampered choice
    ({"reported_on": "1300/01/01"}, "reported_on", "پیش از"),                  # before the earliest day
    ({"opened_on": "1300/01/01"}, "opened_on", "پیش از"),
    ({"outlet": "\u200c"}, "outlet", "نام رسانه‌ای را که پرسش در آن طرح شد بنویسید"),
])
def test_a_refused_manual_case_says_why_under_the_field(app, desk, sent, field, says):
    """The review of the forms (session 25): these refusals came from the service and were shown
    above the form, away from the field to correct."""
    supervisor = as_user(app, desk.supervisor)
    form = {"csrf_token": supervisor.token, "title": "پرسش", "channel": "tv", "outlet": "شبکه استانی",
            "programme": "", "kind": "question", "priority": "normal", "agency": "", **sent}
    response = supervisor.post("/cases/new", data=form)
    assert response.status_code == 400 and says in field_error(response, field), response.get_data(as_text=True)[:3000]
    assert 'class="alert alert-danger"' not in response.get_data(as_text=True)


def test_a_manual_case_from_a_press_conference(app, desk):
    staff = as_user(app, desk.staff)
    html = staff.get("/cases/new").get_data(as_text=True)
    for channel in ("tv", "radio", "print", "social", "press_conference"):
        assert f'value="{channel}"' in html
    response = staff.post("/cases/new", data={
        "csrf_token": staff.token, "channel": "press_conference", "outlet": "خبرگزاری استان",
        "programme": "نشست خبری مدیرعامل", "reported_on": "۱۴۰۵/۰۲/۱۸", "opened_on": "1405/02/20",
        "title": "زمان پایان لوله‌گذاری؟", "question": "لوله‌گذاری خیابان اصلی کی تمام می‌شود؟",
        "kind": "request", "priority": "urgent", "accept": "y"})
    assert response.status_code == 302
    case = db.session.scalar(select(PublicQuestion))
    source = case.sources[0]
    assert (case.status, case.kind, case.priority, case.agency_id) == ("accepted", "request", "urgent", desk.a.id)
    assert (source.channel, source.outlet_name, source.programme) == ("press_conference", "خبرگزاری استان",
                                                                     "نشست خبری مدیرعامل")
    assert source.reported_on.isoformat() == "2026-05-08" and case.opened_on.isoformat() == "2026-05-10"
    html = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "پرسش خبرنگار در نشست خبری" in html and "نشست خبری مدیرعامل" in html and "۱۴۰۵/۰۲/۱۸" in html


@pytest.mark.parametrize("data, message", [
    ({"channel": "tv", "title": "پرسش"}, "نام رسانه‌ای را که پرسش در آن طرح شد بنویسید."),
    ({"channel": "tv", "outlet": "شبکه", "title": ""}, "عنوان پرسش را بنویسید."),
    ({"channel": "fax", "outlet": "شبکه", "title": "پرسش"}, "مجرای «fax» شناخته نیست"),
    ({"channel": "tv", "outlet": "شبکه", "title": "پرسش", "reported_on": "1405/14/01"}, "ماه باید از ۱ تا ۱۲ باشد"),
    ({"channel": "tv", "outlet": "شبکه", "title": "پرسش", "opened_on": "1499/01/01"}, "تاریخ طرح پرسش نمی‌تواند در آینده باشد."),
    # the day it aired: was stored as it was, a source «aired» in 1499
    ({"channel": "tv", "outlet": "شبکه", "title": "پرسش", "reported_on": "1499/12/29"},
     "تاریخ پخش یا انتشار نمی‌تواند در آینده باشد."),
    # a typing slip («1305» for «1405»): was stored, and the case was overdue and escalated at once
    ({"channel": "tv", "outlet": "شبکه", "title": "پرسش", "opened_on": "1305/02/10"},
     lambda: f"تاریخ طرح پرسش پیش از {format_jalali_date(earliest_day())} است"),
    ({"channel": "tv", "outlet": "شبکه", "title": "پرسش", "reported_on": "1300/01/01"},
     lambda: f"تاریخ پخش یا انتشار پیش از {format_jalali_date(earliest_day())} است"),
])
def test_bad_manual_input_is_a_persian_message_and_kept(app, desk, data, message):
    message = message() if callable(message) else message  # the earliest day moves with today
    staff = as_user(app, desk.staff)
    response = staff.post("/cases/new", data={"csrf_token": staff.token, **data})
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 400) and message in html
    for value in data.values():
        assert to_persian_digits(value) in html or value in html  # what was typed is still there (a date in the page's digits)
    assert db.session.scalar(select(PublicQuestion)) is None


def _once(html: str) -> str:
    return re.search(r'name="once" value="([0-9a-f]{32})"', html).group(1)


def test_a_form_sent_twice_opens_one_case(app, desk):
    """Found by a review of the forms: the same form posted twice (a second click on a slow
    intranet, «back» and send again) opened two cases. The second is told nothing was made twice;
    a form refused first (a day years back) is sent again, corrected, with the same token."""
    staff = as_user(app, desk.staff)
    once = _once(staff.get("/cases/new").get_data(as_text=True))
    data = {"csrf_token": staff.token, "once": once, "channel": "radio", "outlet": "رادیو استان",
            "opened_on": "1405/02/20", "title": "کی آب وصل می‌شود؟", "kind": "question", "priority": "normal"}
    refused = staff.post("/cases/new", data={**data, "opened_on": "1390/01/01"})  # refused by the service, after the claim
    assert refused.status_code == 400 and _once(refused.get_data(as_text=True)) != once  # a new one on the page
    assert staff.post("/cases/new", data=data).status_code == 302
    again = staff.post("/cases/new", data=data)
    assert again.status_code == 302 and again.headers["Location"].endswith("/cases/")
    assert "این فرم پیش‌تر فرستاده شده" in staff.get(again.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert db.session.scalar(select(func.count(PublicQuestion.id))) == 1
    without = {k: v for k, v in data.items() if k != "once"}  # a script sends none: not checked
    assert staff.post("/cases/new", data=without).status_code == 302
    assert db.session.scalar(select(func.count(PublicQuestion.id))) == 2


@pytest.mark.parametrize("who", ["staff", "supervisor"])
def test_the_inbox_row_opens_a_case_with_the_c_key_form(app, desk, flagged, who):
    """The triage desk's «open a case» (key c) posts the route's agency and accept=y: the case is
    opened for that agency and accepted, and the route leaves the queue."""
    import re

    client = as_user(app, getattr(desk, who))
    html = client.get("/inbox/").get_data(as_text=True)
    form = re.search(r'<form method="post" action="(/cases/from-item/' + str(flagged.id) + r')"[^>]*>(.*?)</form>', html, re.DOTALL)
    assert form and 'data-key="c"' in form.group(2)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    assert fields["agency"] == "water" and fields["accept"] == "y"
    response = client.post(form.group(1), data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    [case] = cases_of(flagged)
    assert (case.status, case.agency_id) == ("accepted", desk.a.id)
    # A viewer's inbox has no such button.
    assert 'data-key="c"' not in as_user(app, desk.viewer).get("/inbox/").get_data(as_text=True)


@pytest.mark.parametrize("path, method", [
    ("/cases/from-item/99999999999999999999", "get"), ("/cases/from-item/2147483648", "post"),
    ("/reminders/99999999999999999999/open", "get"), ("/reminders/99999999999999999999/read", "post"),
])
def test_an_id_past_any_rows_in_the_address_is_a_404(app, desk, path, method):
    """The driver overflowed on an id past the largest a row can have (SQLite OverflowError,
    PostgreSQL NumericValueOutOfRange): a 500 instead of "not found"."""
    staff = as_user(app, desk.staff)
    response = staff.get(path) if method == "get" else staff.post(path, data={"csrf_token": staff.token})
    assert response.status_code == 404


def test_a_reminders_page_past_any_is_a_page(app, desk):
    staff = as_user(app, desk.staff)
    assert staff.get("/reminders/?page=99999999999999999999").status_code == 200


def test_the_items_form_dates_the_question_on_the_items_day(app, desk, make_item):
    """The deadline counts from the day the question was raised; left empty, the item's forms counted
    from today (a review of the cases, MEDIUM). Both forms show the item's day, to be changed if need be."""
    from datetime import UTC, datetime, timedelta

    from app.clock import local_today, to_local
    from app.jalali import format_jalali_date

    when = datetime.now(UTC) - timedelta(days=3)
    item = make_item("ساکنان می‌پرسند گاز کی وصل می‌شود؟", published_at=when)
    day = to_local(when).date()
    shown = format_jalali_date(day)
    staff = as_user(app, desk.staff)
    assert 'name="opened_on"' in staff.get(f"/items/{item.id}").get_data(as_text=True)
    assert f'value="{shown}"' in staff.get(f"/items/{item.id}").get_data(as_text=True)
    assert f'value="{shown}"' in staff.get(f"/cases/from-item/{item.id}").get_data(as_text=True)
    response = staff.post(f"/cases/from-item/{item.id}", data={"csrf_token": staff.token, "agency": "water",
                                                              "opened_on": shown})
    assert response.status_code == 302
    [case] = cases_of(item)
    assert case.opened_on == day != local_today()
