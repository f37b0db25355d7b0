"""The triage desk: the queue (what still needs me; handled items leave it, the status filter
brings them back), one row's actions and the bulk ones with messages that say what was done in
Persian digits, bad input (nothing chosen, an unknown route, another agency's route, a
reassignment without a reason), where a reassigned item came from, and the question labels."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.routing import create_rule, route_items
from models import AuditEntry, ItemRoute, QuestionLabel
from tests.conftest import csrf_token, login
from tests.search_index.item_factory import ItemFactory

TITLES = ("محلهٔ شمالی", "پایتخت", "پساب فاضلاب")


@pytest.fixture
def world(app, make_agency, make_user):
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    power = make_agency(slug="power", name_fa="شرکت توزیع برق")
    items = ItemFactory()
    local = items.outlet("روزنامهٔ محلی", scope="local")
    create_rule(water, "قطعی آب", "قطعی آب", actor_label="test")
    create_rule(water, "فاضلاب", "فاضلاب", actor_label="test")
    create_rule(power, "خاموشی", "خاموشی", actor_label="test")
    made = [
        items.make("قطعی آب در محلهٔ شمالی", outlet=local, published_at=datetime(2026, 11, 20, 8, tzinfo=UTC)),
        items.make("قطعی آب در پایتخت", outlet=local, published_at=datetime(2026, 11, 21, 8, tzinfo=UTC)),
        items.make("پساب فاضلاب در خیابان؛ چرا کسی پاسخ نمی‌دهد؟", "اهالی محله گلایه دارند.", outlet=local,
                   published_at=datetime(2026, 11, 22, 8, tzinfo=UTC)),
        items.make("خاموشی در شهرک صنعتی", outlet=local, published_at=datetime(2026, 11, 23, 8, tzinfo=UTC)),
    ]
    route_items(db.session, made)
    db.session.commit()
    return {"water": water, "power": power,
            "staff": make_user(role="staff", agency=water, username="water-staff", display_name="مریم کارشناس"),
            "power_staff": make_user(role="staff", agency=power, username="power-staff"),
            "viewer": make_user(role="viewer", agency=water, username="water-viewer"),
            "supervisor": make_user(role="supervisor", username="sup", display_name="علی ناظر")}


def _route(title_part: str) -> ItemRoute:
    return next(r for r in db.session.scalars(select(ItemRoute)) if title_part in r.item.title)


def _shown(html: str) -> set[str]:
    return {t for t in TITLES if t in html}


def _post(client, url: str, **data):
    token = csrf_token(client, "/inbox/")
    return client.post(url, data={"csrf_token": token, **data}, headers={"Referer": "http://localhost/inbox/"})


def _message(html: str) -> str:
    found = re.search(r'<div class="alert alert-\w+" role="alert">(.*?)</div>', html, re.DOTALL)
    return found.group(1).strip() if found else ""


def test_the_queue_is_what_still_needs_me_and_handled_items_leave_it(client, login_as, world):
    login_as(world["staff"])
    html = client.get("/inbox/").get_data(as_text=True)
    assert _shown(html) == set(TITLES) and "۳ خبر در صف شما" in html
    assert "خاموشی" not in html  # the power company's item
    accepted, dismissed = _route("پایتخت"), _route("محلهٔ شمالی")
    response = _post(client, "/inbox/mark", route_id=accepted.id, status="accepted", next=dismissed.id)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/inbox/#route-{dismissed.id}")
    html = client.get("/inbox/").get_data(as_text=True)
    assert _message(html) == "۱ خبر پذیرفته شد."
    assert _shown(html) == {"محلهٔ شمالی", "پساب فاضلاب"}
    _post(client, "/inbox/mark", route_id=dismissed.id, status="dismissed")
    html = client.get("/inbox/").get_data(as_text=True)
    assert _message(html) == "۱ خبر کنار گذاشته شد." and _shown(html) == {"پساب فاضلاب"}
    # The status filter shows the handled ones again; "all" shows everything.
    assert _shown(client.get("/inbox/?status=accepted").get_data(as_text=True)) == {"پایتخت"}
    assert _shown(client.get("/inbox/?status=dismissed").get_data(as_text=True)) == {"محلهٔ شمالی"}
    assert _shown(client.get("/inbox/?status=all").get_data(as_text=True)) == set(TITLES)
    # Opening an item (seen) keeps it in the queue; taking a handled one back puts it there again.
    _post(client, f"/items/{_route('پساب').item_id}/open")  # opening from the inbox is a POST (a GET changes nothing)
    assert _shown(client.get("/inbox/").get_data(as_text=True)) == {"پساب فاضلاب"}
    _post(client, "/inbox/mark", route_id=accepted.id, status="seen")
    html = client.get("/inbox/").get_data(as_text=True)
    assert _shown(html) == {"پایتخت", "پساب فاضلاب"}
    # the queue holds two, the menu's number counts those not opened: both said (a walk through the
    # pages: «صندوق سازمان ۳۳۸» above «۳۳۹ خبر در صف شما», unexplained)
    assert "۲ خبر در صف شما، ۰ هنوز باز نشده" in html
    statuses = db.session.scalars(select(AuditEntry.details).where(AuditEntry.action == "item_route.status_changed")
                                  .order_by(AuditEntry.id)).all()
    assert [d["after"] for d in statuses] == ["accepted", "dismissed", "seen", "seen"]


def test_bulk_actions_say_what_was_done_with_persian_digits(client, login_as, world):
    login_as(world["staff"])
    ids = [str(_route(t).id) for t in ("پایتخت", "محلهٔ شمالی")]
    _post(client, "/inbox/mark", route_id=ids, status="accepted")
    html = client.get("/inbox/").get_data(as_text=True)
    assert _message(html) == "۲ خبر پذیرفته شد."
    assert "وضعیت" not in _message(html) and "2" not in _message(html)
    _post(client, "/inbox/mark", route_id=ids, status="seen")
    assert _message(client.get("/inbox/").get_data(as_text=True)) == "۲ خبر «دیده‌شده» شد و در صف ماند."
    _post(client, "/inbox/mark", route_id=ids, status="new")
    assert _message(client.get("/inbox/").get_data(as_text=True)) == "۲ خبر دوباره «تازه» شد."
    # In English: ASCII digits and the plural.
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/inbox/"), "next": "/inbox/"})
    _post(client, "/inbox/mark", route_id=ids, status="dismissed")
    assert _message(client.get("/inbox/").get_data(as_text=True)) == "2 items dismissed."
    _post(client, "/inbox/mark", route_id=ids[:1], status="accepted")
    assert _message(client.get("/inbox/?status=all").get_data(as_text=True)) == "1 item accepted."


def test_bulk_with_nothing_selected_says_so_and_changes_nothing(client, login_as, world):
    login_as(world["staff"])
    response = _post(client, "/inbox/mark", status="accepted")
    assert response.status_code == 302
    html = client.get("/inbox/").get_data(as_text=True)
    assert _message(html) == "هیچ خبری برگزیده نشده است؛ نخست خبرها را تیک بزنید، سپس دکمه را بزنید."
    assert {r.status for r in db.session.scalars(select(ItemRoute))} == {"new"}
    # A status the desk does not set by hand is refused too.
    _post(client, "/inbox/mark", route_id=_route("پایتخت").id, status="reassigned")
    assert _message(client.get("/inbox/").get_data(as_text=True)) == "وضعیت خواسته‌شده شناخته‌شده نیست."
    assert {r.status for r in db.session.scalars(select(ItemRoute))} == {"new"}


def test_an_unknown_or_another_agencys_route_is_refused(client, login_as, world):
    mine, theirs = _route("پایتخت"), _route("خاموشی")
    login_as(world["staff"])
    for ids in (["999999"], ["abc"], [str(theirs.id)], [str(mine.id), str(theirs.id)]):
        response = _post(client, "/inbox/mark", route_id=ids, status="dismissed")
        assert response.status_code == 302, ids
        assert _message(client.get("/inbox/").get_data(as_text=True)) == (
            "دست‌کم یکی از خبرهای برگزیده در صندوق شما نیست؛ هیچ خبری تغییر نکرد."), ids
    db.session.expire_all()
    assert db.session.get(ItemRoute, mine.id).status == "new" and db.session.get(ItemRoute, theirs.id).status == "new"
    # One route's other actions: another agency's route and an unknown one are not found.
    for route_id in (theirs.id, 999999):
        assert _post(client, "/inbox/question", route_id=route_id, flagged="1").status_code == 404
        assert _post(client, "/inbox/request", route_id=route_id, agency_id=world["power"].id,
                     reason="x").status_code == 404
    assert _post(client, "/inbox/question", flagged="1").status_code == 400  # no route at all
    assert db.session.scalar(select(QuestionLabel)) is None
    db.session.expire_all()
    assert db.session.get(ItemRoute, theirs.id).is_question is False


def test_a_viewer_reads_the_queue_but_acts_on_nothing(client, login_as, world):
    route = _route("پایتخت")
    login_as(world["viewer"])
    html = client.get("/inbox/").get_data(as_text=True)
    assert _shown(html) == set(TITLES) and 'data-key="a"' not in html and 'form="bulk"' not in html
    assert _post(client, "/inbox/mark", route_id=route.id, status="accepted").status_code == 403
    assert _post(client, "/inbox/question", route_id=route.id, flagged="0").status_code == 403
    db.session.refresh(route)
    assert route.status == "new"


def test_reassignment_needs_a_reason_and_shows_the_receiver_where_it_came_from(app, client, login_as, world):
    route = _route("پایتخت")
    login_as(world["supervisor"])
    response = _post(client, "/inbox/reassign", route_id=route.id, agency_id=world["power"].id, reason="  ")
    assert response.status_code == 302
    assert _message(client.get("/inbox/").get_data(as_text=True)) == "دلیل ارجاع به سازمان دیگر را بنویسید."
    db.session.refresh(route)
    assert route.status == "new"
    assert _post(client, "/inbox/reassign", route_id=999999, agency_id=world["power"].id,
                 reason="x").status_code == 404
    _post(client, "/inbox/reassign", route_id=route.id, agency_id=world["power"].id, reason="دربارهٔ برق شهرک است")
    assert _message(client.get("/inbox/").get_data(as_text=True)) == "خبر به شرکت توزیع برق ارجاع شد."

    power = app.test_client()
    login(power, world["power_staff"])
    html = power.get("/inbox/").get_data(as_text=True)
    assert "پایتخت" in html
    assert "ارجاع از <bdi>شرکت آب و فاضلاب</bdi>، به دست <bdi>علی ناظر</bdi>" in html and "دربارهٔ برق شهرک است" in html
    assert "ارجاع دستی از سازمان دیگر" not in html
    moved = db.session.scalar(select(ItemRoute).where(ItemRoute.agency_id == world["power"].id,
                                                      ItemRoute.item_id == route.item_id))
    assert (moved.received_from_agency_id, moved.received_by_id, moved.received_reason) == (
        world["water"].id, world["supervisor"].id, "دربارهٔ برق شهرک است")
    assert "ارجاع از <bdi>شرکت آب و فاضلاب</bdi>" in power.get(f"/items/{route.item_id}").get_data(as_text=True)
    # It left the water company's queue.
    water = app.test_client()
    login(water, world["staff"])
    assert "پایتخت" not in water.get("/inbox/").get_data(as_text=True)
    assert "پایتخت" in water.get("/inbox/?status=reassigned").get_data(as_text=True)


def test_an_approved_request_names_who_asked(app, client, login_as, world):
    route = _route("محلهٔ شمالی")
    login_as(world["staff"])
    _post(client, "/inbox/request", route_id=route.id, agency_id=world["power"].id, reason="برق است")
    sup = app.test_client()
    login(sup, world["supervisor"])
    html = sup.get("/inbox/").get_data(as_text=True)
    first = re.search(r'id="route-(\d+)"', html).group(1)
    assert first == str(route.id)  # what waits for the governorate's decision comes first
    _post(sup, "/inbox/decide", route_id=route.id, decision="approve", note="تأیید شد")
    power = app.test_client()
    login(power, world["power_staff"])
    html = power.get("/inbox/").get_data(as_text=True)
    assert "ارجاع از <bdi>شرکت آب و فاضلاب</bdi>، به درخواست <bdi>مریم کارشناس</bdi> و با تأیید <bdi>علی ناظر</bdi>" in html
    assert "برق است — تأیید شد" in html


def test_the_governorates_queue_is_the_provinces(app, client, login_as, world):
    login_as(world["supervisor"])
    html = client.get("/inbox/").get_data(as_text=True)
    assert _shown(html) == set(TITLES) and "خاموشی در شهرک" in html
    html = client.get(f"/inbox/?agency={world['power'].id}").get_data(as_text=True)
    assert _shown(html) == set() and "خاموشی در شهرک" in html
    # An agency's user cannot look at another agency's queue through the filter.
    staff = app.test_client()
    login(staff, world["staff"])
    html = staff.get(f"/inbox/?agency={world['power'].id}").get_data(as_text=True)
    assert "خاموشی در شهرک" not in html and _shown(html) == set()


def test_staff_mark_and_unmark_a_public_question_as_labels(client, login_as, world):
    question, plain = _route("پساب فاضلاب"), _route("پایتخت")
    assert question.is_question and not plain.is_question
    login_as(world["staff"])
    _post(client, "/inbox/question", route_id=question.id, flagged="0")
    assert _message(client.get("/inbox/").get_data(as_text=True)) == "نشان پرسش یا گلایهٔ مردمی از خبر برداشته شد."
    _post(client, "/inbox/question", route_id=plain.id, flagged="1")
    assert _message(client.get("/inbox/").get_data(as_text=True)) == "خبر پرسش یا گلایهٔ مردمی نشان خورد."
    _post(client, "/inbox/question", route_id=plain.id, flagged="1")  # already so: nothing stored
    assert _message(client.get("/inbox/").get_data(as_text=True)) == "نشان پرسش مردمی این خبر همین بود؛ چیزی تغییر نکرد."
    _post(client, "/inbox/question", route_id=plain.id, flagged="maybe")
    assert _message(client.get("/inbox/").get_data(as_text=True)) == "روشن نیست خبر پرسش مردمی هست یا نه؛ چیزی تغییر نکرد."
    labels = db.session.scalars(select(QuestionLabel).order_by(QuestionLabel.id)).all()
    assert [(lb.route_id, lb.item_id, lb.agency_id, lb.user_id, lb.was_flagged, lb.is_flagged) for lb in labels] == [
        (question.id, question.item_id, world["water"].id, world["staff"].id, True, False),
        (plain.id, plain.item_id, world["water"].id, world["staff"].id, False, True)]
    assert all(lb.created_at is not None and lb.created_at.tzinfo is not None for lb in labels)
    db.session.expire_all()
    assert not db.session.get(ItemRoute, question.id).is_question and db.session.get(ItemRoute, plain.id).is_question
    # The question filter follows the correction.
    assert _shown(client.get("/inbox/?question=y").get_data(as_text=True)) == {"پایتخت"}
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("item_route.question_%"))
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["item_route.question_unmarked", "item_route.question_marked"]


def test_the_page_has_one_key_actions_including_open_a_case(client, login_as, world):
    login_as(world["staff"])
    html = client.get("/inbox/").get_data(as_text=True)
    assert '<script src="/static/js/triage.js" defer></script>' in html
    assert "<script>" not in html and " style=" not in html and "onclick" not in html
    for key in ("a", "d", "q", "o", "r", "j", "c"):  # c: «open a case» (tests/views/test_case_open.py)
        assert f'data-key="{key}"' in html, key
    # New rows: a calm marker, not a box on four sides.
    assert "triage-new" in html and "border-primary" not in html


def test_triage_js_is_served_as_a_static_file(client):
    response = client.get("/static/js/triage.js")
    assert response.status_code == 200 and "KeyJ" in response.get_data(as_text=True)


def test_the_reassignment_form_lets_the_server_say_a_missing_reason_in_persian(client, login_as, world):
    """A browser walk (session 40): the request's reason field was «required», so an empty one got
    Chromium's own bubble in the browser's language («Please fill out this field.») on a Persian
    page. The form is «novalidate»: the server's Persian message says it."""
    login_as(world["staff"])
    html = client.get("/inbox/").get_data(as_text=True)
    forms = re.findall(r"<form\b[^>]*>.*?</form>", html, re.DOTALL)
    asking = [f for f in forms if re.search(r"<(input|select|textarea)\b[^>]*\brequired\b", f)]
    assert asking, "the page has no form with a required field any more: the test reads nothing"
    assert all("novalidate" in f[:f.index(">")] for f in asking), [f[:f.index(">") + 1] for f in asking]
    _post(client, "/inbox/request", route_id=_route("پایتخت").id, agency_id=world["power"].id, reason="")
    assert _message(client.get("/inbox/").get_data(as_text=True)) == "دلیل ارجاع به سازمان دیگر را بنویسید."


def test_the_reassignment_form_starts_on_no_agency(client, login_as, world):
    """A browser walk (session 40): the request's agency list started on its first agency, so a
    hurried click sent the item to «آموزش و پرورش». It starts on an empty choice, and sent as it is
    the server says in Persian to choose one; the route stays where it was."""
    login_as(world["staff"])
    html = client.get("/inbox/").get_data(as_text=True)
    selects = re.findall(r'<select\b[^>]*name="agency_id"[^>]*>(.*?)</select>', html, re.DOTALL)
    assert selects
    for options in selects:
        first = re.search(r"<option\b[^>]*>", options).group(0)
        assert 'value=""' in first and "selected" in first, first
    route = _route("پایتخت")
    _post(client, "/inbox/request", route_id=route.id, agency_id="", reason="برق است")
    assert _message(client.get("/inbox/").get_data(as_text=True)) == "سازمان مقصد را برگزینید."
    db.session.refresh(route)
    assert route.request_at is None
