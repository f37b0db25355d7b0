"""The contact log's pages: the quick entry (journalist preselected, defaults, topic focused,
back to the page it came from), a bad field said next to it with what was typed kept, the log
and its filters, another agency's contact not found, who corrects and deletes, the lapsed list
(an agency's own; the governorate picks), its setting, the timeline partials and the dashboard."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from flask import render_template
from sqlalchemy import func, select

from app.extensions import db
from app.jalali import parse_jalali_datetime
from app.scoping import agency_scope
from app.services.contact_pages import contact_timeline
from app.services.contacts import draft_of, update_contact
from models import Contact
from tests.conftest import csrf_token
from tests.services import contact_fixtures
from tests.services.contact_fixtures import log_at

cworld = contact_fixtures.cworld


def _switch(client, login_as, user) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as(user)


def _count() -> int:
    return db.session.scalar(select(func.count(Contact.id)).execution_options(unscoped=True))


def test_quick_entry_from_a_journalists_page(client, login_as, cworld):
    login_as(cworld.staff)
    html = client.get(f"/contacts/new?journalist={cworld.one.id}&next=/somewhere").get_data(as_text=True)
    assert re.search(rf'<option selected value="{cworld.one.id}">', html)
    assert re.search(r'<input[^>]*autofocus[^>]*name="topic"', html) or re.search(r'name="topic"[^>]*autofocus', html)
    assert re.search(r'checked[^>]*value="outbound"|value="outbound"[^>]*checked', html)
    assert re.search(r'<option selected value="phone">', html)
    assert "مانند \u2066۱۴۰۵-۰۰۰۱۲۳\u2069" in html  # held left to right (it showed «۰۰۰۱۲۳-۱۴۰۵»)
    token = csrf_token(client, "/contacts/new")
    response = client.post("/contacts/new", data={
        "csrf_token": token, "journalist": str(cworld.one.id), "outlet": "", "direction": "outbound",
        "channel": "phone", "topic": "پیگیری گزارش قطعی آب", "date": "", "time": "", "next": "/somewhere"})
    assert response.status_code == 302 and response.headers["Location"] == "/somewhere"
    contact = db.session.scalar(select(Contact).execution_options(unscoped=True))
    assert (contact.outlet_id, contact.agency_id, contact.topic) == (cworld.local1.id, cworld.water.id,
                                                                     "پیگیری گزارش قطعی آب")
    # A "next" that leaves the site is not followed.
    response = client.post("/contacts/new", data={
        "csrf_token": token, "outlet": str(cworld.local2.id), "direction": "inbound", "channel": "visit",
        "topic": "x", "next": "//evil.example/"})
    assert response.headers["Location"] == "/contacts/"
    for target in ("/\n", "/\\evil.example"):  # a line break was a 500, a backslash a way off the site
        response = client.post("/contacts/new", data={
            "csrf_token": token, "outlet": str(cworld.local2.id), "direction": "inbound", "channel": "visit",
            "topic": "y", "next": target})
        assert response.status_code == 302 and response.headers["Location"] == "/contacts/", target


def test_a_contact_form_sent_twice_logs_one_contact(client, login_as, cworld):
    """The quick entry on a journalist's page and the full form carry a token: the same form sent
    twice (a second Enter, «back» and send again) logs one contact (a review of the forms)."""
    login_as(cworld.staff)
    html = client.get(f"/directory/journalists/{cworld.one.id}").get_data(as_text=True)
    assert re.search(r'contact-quick-form.*?name="once" value="[0-9a-f]{32}"', html, re.DOTALL)
    once = re.search(r'name="once" value="([0-9a-f]{32})"', client.get("/contacts/new").get_data(as_text=True)).group(1)
    data = {"csrf_token": csrf_token(client, "/contacts/new"), "once": once, "journalist": str(cworld.one.id),
            "outlet": "", "direction": "outbound", "channel": "phone", "topic": "پیگیری", "date": "", "time": ""}
    assert client.post("/contacts/new", data=data).status_code == 302
    again = client.post("/contacts/new", data=data)
    assert again.status_code == 302 and again.headers["Location"] == "/contacts/"
    assert "این فرم پیش‌تر فرستاده شده" in client.get("/contacts/").get_data(as_text=True)
    assert _count() == 1
    # The quick entry's duplicate goes back to the page it was sent from, as its first sending did.
    quick = {**data, "once": "f" * 32, "next": f"/directory/journalists/{cworld.one.id}"}
    assert client.post("/contacts/new", data=quick).status_code == 302
    again = client.post("/contacts/new", data=quick)
    assert again.headers["Location"] == f"/directory/journalists/{cworld.one.id}" and _count() == 2


def test_a_bad_field_is_said_next_to_it_and_what_was_typed_stays(client, login_as, cworld):
    login_as(cworld.staff)
    token = csrf_token(client, "/contacts/new")
    response = client.post("/contacts/new", data={
        "csrf_token": token, "journalist": str(cworld.one.id), "direction": "outbound", "channel": "phone",
        "topic": "موضوعی که نباید گم شود", "date": "1405/12/30", "time": "10:30", "notes": "یادداشت بلند من",
        "items": "", "cases": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and _count() == 0
    assert "اسفند سال ۱۴۰۵ فقط ۲۹ روز دارد" in html and 'id="date-feedback"' in html
    assert 'value="موضوعی که نباید گم شود"' in html and "یادداشت بلند من" in html and 'value="۱۴۰۵/۱۲/۳۰"' in html


def test_the_log_shows_my_agency_only_and_filters(client, login_as, cworld):
    log_at(cworld.staff, "1405/09/01 10:00", journalist=cworld.one, topic="تماس آب", channel="visit")
    log_at(cworld.staff, "1405/09/02 10:00", outlet=cworld.local2, topic="دومین تماس آب")
    log_at(cworld.power_staff, "1405/09/01 10:00", outlet=cworld.local1, topic="رازِ برق")
    login_as(cworld.viewer)
    html = client.get("/contacts/").get_data(as_text=True)
    assert "تماس آب" in html and "دومین تماس آب" in html and "رازِ برق" not in html
    assert "contacts/new" not in html  # a viewer reads only
    html = client.get("/contacts/", query_string={"channel": "visit"}).get_data(as_text=True)
    assert "تماس آب" in html and "دومین تماس آب" not in html
    html = client.get("/contacts/", query_string={"outlet": cworld.local2.id, "date_from": "۱۴۰۵/۰۹/۰۲"}).get_data(
        as_text=True)
    assert "دومین تماس آب" in html and ">تماس آب</bdi>" not in html
    html = client.get("/contacts/", query_string={"date_from": "1405/13/01"}).get_data(as_text=True)
    assert "ماه باید از ۱ تا ۱۲ باشد" in html and "دومین تماس آب" in html  # said, left out


def test_another_agencys_contact_is_not_found(client, login_as, cworld):
    theirs = log_at(cworld.power_staff, "1405/09/01 10:00", outlet=cworld.local1, topic="رازِ برق")
    login_as(cworld.manager)
    token = csrf_token(client, "/contacts/")
    assert client.get(f"/contacts/{theirs.id}").status_code == 404
    assert client.get(f"/contacts/{theirs.id}/edit").status_code == 404
    assert client.post(f"/contacts/{theirs.id}/delete", data={"csrf_token": token}).status_code == 404
    assert _count() == 1


@pytest.mark.slow  # several logins (argon2)
def test_the_logger_or_the_manager_corrects_and_deletes(client, login_as, cworld):
    contact = log_at(cworld.staff, "1405/09/01 10:00", outlet=cworld.local1, topic="نخستین")
    login_as(cworld.staff2)
    assert "/edit" not in client.get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert client.get(f"/contacts/{contact.id}/edit").status_code == 403
    token = csrf_token(client, "/contacts/")
    assert client.post(f"/contacts/{contact.id}/delete", data={"csrf_token": token}).status_code == 403
    _switch(client, login_as, cworld.staff)
    html = client.get(f"/contacts/{contact.id}/edit").get_data(as_text=True)
    assert 'value="نخستین"' in html and 'value="۱۴۰۵/۰۹/۰۱"' in html and 'value="۱۰:۰۰"' in html
    token = csrf_token(client, f"/contacts/{contact.id}/edit")
    response = client.post(f"/contacts/{contact.id}/edit", data={
        "csrf_token": token, "outlet": str(cworld.local1.id), "direction": "inbound", "channel": "interview",
        "topic": "ویرایش‌شده", "date": "1405/09/01", "time": "11:15"})
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(Contact, contact.id)
    assert (edited.topic, edited.channel, edited.happened_at) == ("ویرایش‌شده", "interview",
                                                                  parse_jalali_datetime("1405/09/01 11:15"))
    _switch(client, login_as, cworld.manager)
    token = csrf_token(client, "/contacts/")
    assert client.post(f"/contacts/{contact.id}/delete", data={"csrf_token": token}).status_code == 302
    assert _count() == 0


@pytest.mark.slow  # several logins (argon2)
def test_the_lapsed_list_and_its_setting(client, login_as, cworld, clock):
    log_at(cworld.staff, "1405/08/01 10:00", outlet=cworld.local2)
    log_at(cworld.power_staff, "1405/09/01 10:00", outlet=cworld.local3)
    clock.now = parse_jalali_datetime("1405/09/02 09:00")
    login_as(cworld.manager)
    html = client.get("/contacts/lapsed").get_data(as_text=True)
    rows = dict(re.findall(r'data-outlet="\d+" data-days="(\d*)" data-lapsed="(yes|no)"', html))
    assert sorted(re.findall(r'data-days="(\d*)" data-lapsed="(yes|no)"', html)) == [
        ("", "yes"), ("", "yes"), ("31", "yes")]
    assert rows and "lapsed-setting" not in html and 'name="agency"' not in html
    assert len(re.findall(r'data-lapsed="yes"', client.get("/contacts/lapsed?days=31").get_data(as_text=True))) == 2
    _switch(client, login_as, cworld.supervisor)
    html = client.get("/contacts/lapsed").get_data(as_text=True)
    assert 'data-agency="water"' in html and 'data-agency="power"' in html
    html = client.get("/contacts/lapsed?agency=power").get_data(as_text=True)
    assert re.findall(r'data-days="(\d*)" data-lapsed="(yes|no)"', html).count(("1", "no")) == 1
    _switch(client, login_as, cworld.admin)
    token = csrf_token(client, "/contacts/lapsed")
    client.post("/contacts/lapsed/settings", data={"csrf_token": token, "days": "۴۵"})
    assert "۴۵ روز" in client.get("/contacts/lapsed").get_data(as_text=True)
    refused = client.post("/contacts/lapsed/settings", data={"csrf_token": token, "days": "0"})
    assert refused.status_code == 400 and "عددی از ۱ تا ۳۶۵" in refused.get_data(as_text=True)  # next to the field


def test_the_dashboard_section(client, login_as, cworld, clock):
    log_at(cworld.staff, "1405/09/01 10:00", outlet=cworld.local1)
    clock.now = parse_jalali_datetime("1405/09/02 09:00")
    login_as(cworld.staff)
    html = client.get("/").get_data(as_text=True)
    section = html[html.index('id="lapsed-contacts"'):]
    assert "۲ رسانه از ۳ رسانهٔ محلی بی‌تماس مانده است." in section
    assert "رادیو محلی" in section and "روزنامهٔ شهر" not in section.split("</section>")[0]
    _switch(client, login_as, cworld.supervisor)
    html = client.get("/").get_data(as_text=True)
    assert 'id="lapsed-agencies"' in html and 'data-agency="water"' in html


def test_the_timeline_partial_and_its_quick_form(app, cworld):
    log_at(cworld.staff, "1405/09/01 10:00", journalist=cworld.one, topic="گفت‌وگوی آب")
    log_at(cworld.power_staff, "1405/09/01 10:00", journalist=cworld.one, topic="رازِ برق")
    with app.test_request_context("/directory/journalists/1"), agency_scope(cworld.water.id):
        from flask_login import login_user

        login_user(cworld.staff)
        html = render_template("contacts/_timeline.html",
                               contact_timeline=contact_timeline(cworld.staff, journalist_id=cworld.one.id))
    assert "گفت‌وگوی آب" in html and "رازِ برق" not in html
    assert 'action="/contacts/new"' in html and f'name="journalist" value="{cworld.one.id}"' in html
    assert f'name="outlet" value="{cworld.local1.id}"' in html and 'name="next" value="/directory/journalists/1"' in html
    with app.test_request_context("/directory/outlets/1"), agency_scope(None):
        html = render_template("contacts/_timeline.html",
                               contact_timeline=contact_timeline(cworld.supervisor, outlet_id=cworld.local1.id))
    assert "گفت‌وگوی آب" in html and "رازِ برق" in html and "contact-agency" in html
    assert 'action="/contacts/new"' not in html  # the governorate reads, the agencies log


def test_a_correction_from_a_page_read_before_the_managers_is_refused_and_kept(client, login_as, cworld):
    """The manager corrected the topic after the logger opened the edit page: the logger's save
    would put the old topic back unseen. It is refused with a Persian message above the form,
    the logger's notes stay in it, and saving the refreshed page again stores them knowingly."""
    contact = log_at(cworld.staff, "1405/09/01 10:00", outlet=cworld.local1, topic="نخستین")
    login_as(cworld.staff)
    html = client.get(f"/contacts/{contact.id}/edit").get_data(as_text=True)
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', html).group(1)
    draft = draft_of(contact)
    update_contact(contact.id, replace(draft, topic="آب‌بهای تابستان"), cworld.manager)  # the manager's correction
    mine = {"csrf_token": csrf_token(client, f"/contacts/{contact.id}/edit"), "seen": seen,
            "outlet": str(cworld.local1.id), "direction": draft.direction, "channel": draft.channel,
            "topic": "نخستین", "date": draft.date, "time": draft.time, "notes": "خبرنگار فردا دوباره زنگ می‌زند"}
    response = client.post(f"/contacts/{contact.id}/edit", data=mine)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "به دست کس دیگری تغییر کرد" in html
    assert "خبرنگار فردا دوباره زنگ می‌زند" in html
    db.session.expire_all()
    assert (db.session.get(Contact, contact.id).topic, db.session.get(Contact, contact.id).notes) == (
        "آب‌بهای تابستان", "")
    again = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', html).group(1)
    assert client.post(f"/contacts/{contact.id}/edit", data={**mine, "seen": again}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).notes == "خبرنگار فردا دوباره زنگ می‌زند"


def test_who_logged_a_contact_and_whom_the_log_is_of_are_isolated_in_their_sentences(client, login_as, cworld):
    """«logged by <a Persian name>» and «Contacts with <a name>» put a name inside a sentence of the
    other direction with nothing around it (session 42's walk of the English pages)."""
    log_at(cworld.staff, "1405/09/01 10:00", journalist=cworld.one, topic="تماس آب")
    login_as(cworld.staff)
    html = client.get(f"/contacts/?journalist={cworld.one.id}").get_data(as_text=True)
    assert f"<bdi>{cworld.one.name}</bdi>" in html.split("</h1>")[0]
    assert f"ثبت: <bdi>{cworld.staff.display_name or cworld.staff.username}</bdi>" in html


def test_a_contacts_case_and_its_edit_link_are_parted_by_a_persian_comma(client, login_as, cworld):
    """«… ، ۱۴۰۵-۰۰۰۰۰۱ · ویرایش»: a space before the comma (the template's line break) and a middle
    dot after the case's number, read as a zero (the review of session 42's pages)."""
    from app.jalali import parse_jalali_date
    from app.services.cases import ManualSource, open_case

    case = open_case(cworld.admin, agency=cworld.water, manual=ManualSource(channel="radio", outlet_name="رادیو استان"),
                     title="چرا آب قطع است؟", opened_on=parse_jalali_date("1405/09/01"))
    log_at(cworld.staff, "1405/09/01 10:00", journalist=cworld.one, topic="تماس آب", cases=case.ref)
    imported = log_at(cworld.staff, "1405/09/02 10:00", journalist=cworld.one, topic="تماس دوم")
    imported.logged_by_id = None  # as a file's import leaves it: the outlet, then «ویرایش»
    db.session.commit()
    login_as(cworld.manager)  # who may correct either
    html = client.get("/contacts/").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "۱۴۰۵-۰۰۰۰۰۱" in text and "۱۴۰۵-۰۰۰۰۰۱ ·" not in text and not re.search(r"\S\s+،", text)
