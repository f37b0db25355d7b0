"""The conference pages: planning through the form (Jalali date, typed values kept on a bad
field), the list's filters, moves, invitations, RSVP, attendance and minutes from the page, the
printable list, CSV and ICS, the cadence pages, and agency isolation on every conference URL."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.jalali import format_jalali_date, format_jalali_month
from app.jalali import parse_jalali_date as J
from app.scoping import agency_scope
from app.services.conference_inputs import draft_of
from app.services.conference_invitations import InviteRequest, invite
from app.services.conferences import MoveRequest, edit_conference, move_conference
from models import PressConference
from tests.conftest import csrf_token, login
from tests.services import conference_fixtures

conf = conference_fixtures.conf
SECRET = conference_fixtures.SECRET


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/conferences/"), **data})


def test_a_conference_form_sent_twice_plans_one_conference(client, conf):
    login(client, conf.staff)
    once = re.search(r'name="once" value="([0-9a-f]{32})"', client.get("/conferences/new").get_data(as_text=True)).group(1)
    data = {"once": once, "title": "نشست خبری کم‌آبی", "day": "1405/12/20", "start_time": "10:30", "duration_minutes": "60"}
    assert _post(client, "/conferences/new", **data).status_code == 302
    again = _post(client, "/conferences/new", **data)
    assert again.status_code == 302 and again.headers["Location"].endswith("/conferences/")
    assert db.session.scalar(select(func.count(PressConference.id))) == 1


def test_staff_plans_a_conference_with_a_persian_jalali_date(client, conf):
    login(client, conf.staff)
    assert "نشست‌های خبری" in client.get("/").get_data(as_text=True)  # the menu entry
    response = _post(client, "/conferences/new", title="نشست خبری کم‌آبی", day="۱۴۰۵/۰۹/۲۰", start_time="۱۰:۳۰",
                     duration_minutes="90", place="سالن اجتماعات", topics="کم‌آبی\nآب‌بها", spokespeople="مدیرعامل")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "نشست خبری کم‌آبی" in html and "۱۴۰۵" in html and "۱۰:۳۰" in html and "آذر" in html
    assert 'data-status="planned"' in html


def test_a_bad_time_is_shown_next_to_the_field_and_what_was_typed_is_kept(client, conf):
    login(client, conf.staff)
    response = _post(client, "/conferences/new", title="نشستی که نباید گم شود", day="1405/09/20",
                     start_time="ده و نیم", topics="محور نخست")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ساعت «ده و نیم» خوانده نشد" in html
    assert 'value="نشستی که نباید گم شود"' in html and "محور نخست" in html
    response = _post(client, "/conferences/new", title="نشست", day="1405/13/01", start_time="10:00")
    assert response.status_code == 400 and "ماه باید از ۱ تا ۱۲ باشد" in response.get_data(as_text=True)


def test_the_list_filters_by_status_and_jalali_dates(client, conf):
    soon = conf.plan(days=2, title="نشست نزدیک")
    later = conf.plan(days=40, title="نشست دور")
    move_conference(later.id, MoveRequest(to_status="cancelled", reason="x"), conf.manager)
    login(client, conf.viewer)
    html = client.get("/conferences/", query_string={"status": "cancelled"}).get_data(as_text=True)
    assert "نشست دور" in html and "نشست نزدیک" not in html
    to = format_jalali_date(local_today() + timedelta(days=10), digits="fa")
    html = client.get("/conferences/", query_string={"date_to": to}).get_data(as_text=True)
    assert "نشست نزدیک" in html and "نشست دور" not in html
    html = client.get("/conferences/", query_string={"date_from": "1405/02/31x"}).get_data(as_text=True)
    assert "خوانده نشد" in html and soon.title in html  # a bad filter is said, not applied
    assert "برنامه‌ریزی نشست خبری" not in html  # a viewer plans nothing


def test_moves_invitations_rsvp_attendance_and_minutes_from_the_page(client, conf):
    c = conf.plan(days=0, time="00:00")
    login(client, conf.staff)
    url = f"/conferences/{c.id}"
    assert _post(client, f"{url}/invite", scope="local", journalist_id=str(conf.zahra.id)).status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "مریم احمدی" in html and "پایگاه خبری جاده" in html and "زهرا موسوی" in html
    invitation = next(i for i in c.invitations if i.journalist_id == conf.zahra.id)
    assert _post(client, f"{url}/rsvp", invitation_id=str(invitation.id), rsvp="accepted").status_code == 302
    # Cancelling is the manager's: the staff's attempt is refused with the reason typed kept.
    response = _post(client, f"{url}/move", to="cancelled", reason="دلیلی که نباید گم شود")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "لغو نشست خبری تنها کار مدیر روابط عمومی" in html
    assert 'data-move="cancel"' not in html and 'data-move="postpone"' in html  # staff have no cancel button
    response = _post(client, f"{url}/move", to="postponed", day="1405/13/01", reason="دلیل تعویق")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "ماه باید از ۱ تا ۱۲" in html and "دلیل تعویق" in html
    assert _post(client, f"{url}/move", to="held").status_code == 302
    assert _post(client, f"{url}/attendance", attended=str(invitation.id)).status_code == 302
    # The section to come back to is a section's name or nothing: a line break in it was a 500
    # after the minutes were saved (a review of login, round 4).
    for anchor, back in (("#x\r\nX: y", url), ("//evil.example", url), ("#minutes", f"{url}#minutes")):
        response = _post(client, f"{url}/minutes", minutes="۱. گزارش کم‌آبی", anchor=anchor)
        assert response.status_code == 302 and response.headers["Location"] == back
    html = client.get(url).get_data(as_text=True)
    assert 'data-status="held"' in html and "۱. گزارش کم‌آبی" in html and "۱ حاضر" in html
    # The counts with Persian commas: «۱ · می‌آیند» read «۱۰ می‌آیند», the middle dot after a Persian
    # digit being its zero (session 42's walk).
    counts = re.search(r"[۰-۹]+ دعوت[^<]*حاضر", html).group(0)
    assert "·" not in counts and "می‌آیند، " in counts, counts


def test_the_printable_list_csv_and_ics(client, conf):
    c = conf.plan(day=J("1405/09/20"), time="10:30")
    with agency_scope(conf.a.id):
        invite(c.id, InviteRequest(journalist_ids=[conf.maryam.id]), conf.staff)
    login(client, conf.viewer)
    html = client.get(f"/conferences/{c.id}/invitations/print").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in html and "css/conferences.css" in html
    assert 'rel="icon" href="/static/img/favicon.svg"' in html  # not a 404 on /favicon.ico in the console
    assert "فهرست دعوت‌شدگان نشست خبری" in html and "مریم احمدی" in html
    assert "۲۰ آذر ۱۴۰۵" in html and "۱۰:۳۰" in html and 'dir="ltr">+98 912 111 0001' in html
    response = client.get(f"/conferences/{c.id}/invitations.csv")
    assert response.mimetype == "text/csv" and "مریم احمدی" in response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once: it came twice
    response = client.get(f"/conferences/{c.id}/calendar.ics")
    assert response.mimetype == "text/calendar" and b"UID:conference-" in response.data
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    feed = client.get("/conferences/calendar.ics")
    assert feed.status_code == 200 and f"conference-{c.id}@hamzaban".encode() in feed.data


def test_another_agencys_conference_is_a_404_on_every_conference_url(app, client, conf):
    with agency_scope(conf.b.id):
        theirs = conf.plan(actor=conf.staff_b, title=SECRET)
    login(client, conf.manager)
    token = csrf_token(client, "/conferences/")
    rules = [r for r in app.url_map.iter_rules() if "conference_id" in r.arguments]
    assert len(rules) >= 10
    for rule in rules:
        with app.test_request_context():
            # any other id in the URL (a photo's) is 1: the conference is not found first
            url = url_for(rule.endpoint, **{arg: theirs.id if arg == "conference_id" else 1 for arg in rule.arguments})
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
            assert response.status_code == 404, f"{method} {url}: {response.status_code}"
            assert SECRET not in response.get_data(as_text=True)
    html = client.get("/conferences/").get_data(as_text=True)
    assert SECRET not in html
    assert SECRET.encode() not in client.get("/conferences/calendar.ics").data


def test_the_cadence_page_and_form_are_the_governorates(app, client, conf):
    conf.a.conference_target, conf.a.conference_target_period = 1, "month"
    from app.extensions import db

    db.session.commit()
    login(client, conf.manager)
    assert client.get("/conferences/cadence").status_code == 403
    client = app.test_client()
    login(client, conf.supervisor)
    html = client.get("/conferences/cadence").get_data(as_text=True)
    assert 'data-agency="water"' in html and "عقب" in html  # nothing planned this month
    response = _post(client, f"/conferences/cadence/{conf.a.id}", conference_target="x",
                     conference_target_period="month")
    assert response.status_code == 400 and "عددی از ۰ تا ۳۶۵" in response.get_data(as_text=True)
    response = _post(client, f"/conferences/cadence/{conf.a.id}", conference_target="0",
                     conference_target_period="season")
    assert response.status_code == 302
    db.session.refresh(conf.a)
    assert (conf.a.conference_target, conf.a.conference_target_period) == (0, "season")
    assert 'data-agency="water"' not in client.get("/conferences/cadence?all=1").get_data(as_text=True)


def test_the_seeded_demo_shows_every_status(app):
    from sqlalchemy import select

    from app.extensions import db
    from app.services.demo import seed_demo

    seed_demo()
    statuses = set(db.session.scalars(select(PressConference.status)))
    assert statuses == {"planned", "held", "postponed", "cancelled"}
    # (the seeded held conference of the demo's water agency: no ORDER BY would let PostgreSQL
    # return another held one first)
    held = next(c for c in db.session.scalars(select(PressConference).where(PressConference.status == "held"))
                if "کم‌آبی" in c.title)
    assert held.minutes and any(i.attended for i in held.invitations)
    assert {i.rsvp for c in db.session.scalars(select(PressConference)) for i in c.invitations} >= {
        "accepted", "declined", "pending"}
    assert re.search("کم‌آبی", held.title)


@pytest.mark.parametrize(("action", "field", "extra"), [
    ("rsvp", "invitation_id", {"rsvp": "accepted"}), ("uninvite", "invitation_id", {}),
    ("questions", "q_journalist_id", {"q_text": "پرسش دربارهٔ کم‌آبی"}), ("questions", "q_outlet_id", {"q_text": "پرسش"}),
    ("questions/case", "question_id", {}), ("commitments", "c_owner_user_id", {"c_text": "تعهد"}),
    ("commitments/state", "commitment_id", {"done": "1"}), ("photos/remove", "photo_id", {}),
    ("coverage/decide", "coverage_id", {"state": "confirmed"}),
])
@pytest.mark.parametrize("value", ["²", "99999999999999999999", "۱۲"])
def test_an_id_field_that_is_no_row_id_is_a_message_not_an_error_page(client, conf, action, field, extra, value):
    """«²» passed isdigit() and failed int(), and twenty digits overflowed the database driver: both
    were a 500 on every conference form that names a row (found on the case page by the cases probe)."""
    c = conf.plan(days=0, time="00:00")
    login(client, conf.staff)
    response = _post(client, f"/conferences/{c.id}/{action}", **{field: value, **extra})
    assert response.status_code < 500, (action, field, value, response.status_code)


def test_a_date_fields_example_has_the_readers_digits_whichever_language_came_first(client, conf):
    """«'1405/09/20'|fa_digits» was folded by Jinja when the template was first compiled: after an
    English reader opened a conference first, every Persian reader saw the example in Latin digits
    until the server restarted (and the reverse)."""
    c = conf.plan(day=J("1405/09/20"), time="10:30")
    login(client, conf.staff)
    token = csrf_token(client, f"/conferences/{c.id}")
    client.post("/language/en", data={"csrf_token": token})
    english = client.get(f"/conferences/{c.id}").get_data(as_text=True)
    assert 'placeholder="1405/09/20"' in english and 'placeholder="۱۴۰۵/۰۹/۲۰"' not in english
    client.post("/language/fa", data={"csrf_token": token})
    persian = client.get(f"/conferences/{c.id}").get_data(as_text=True)
    assert 'placeholder="۱۴۰۵/۰۹/۲۰"' in persian and 'placeholder="1405/09/20"' not in persian


def test_the_cadence_names_the_period_in_the_readers_language(app, client, conf):
    """The cadence page wrote the period «آذر ۱۴۰۵» / «autumn ۱۴۰۵» on the English page."""
    from app.extensions import db
    from app.services.report_periods import period_holding

    conf.a.conference_target, conf.a.conference_target_period = 1, "month"
    conf.b.conference_target, conf.b.conference_target_period = 1, "season"
    db.session.commit()
    login(client, conf.supervisor)
    month, season = period_holding("month", local_today()), period_holding("season", local_today())
    persian = client.get("/conferences/cadence").get_data(as_text=True)
    assert month.name in persian and season.name in persian
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/conferences/cadence")})
    english = client.get("/conferences/cadence").get_data(as_text=True)
    names = (format_jalali_month(month.year, month.number, digits="en"),
             f"{('Spring', 'Summer', 'Autumn', 'Winter')[season.number - 1]} {season.year}")
    assert f"<td>{names[0]}</td>" in english and f"<td>{names[1]}</td>" in english
    assert month.name not in english and season.name not in english


def test_the_cadence_forms_heading_names_the_agency_in_a_sentence(client, conf):
    """The English heading read «Press-conference target Water and Wastewater Company» (two pieces
    put side by side; the review of session 42's pages)."""
    login(client, conf.supervisor)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/conferences/cadence")})
    html = client.get(f"/conferences/cadence/{conf.a.id}").get_data(as_text=True)
    name = conf.a.display_name("en")
    assert f"Press-conference target for <bdi>{name}</bdi></h1>" in html


def test_the_history_says_the_systems_sentences_in_the_readers_language(client, conf):
    """When it was planned for and how many came were stored as Persian sentences; an English page
    showed them so. A reason someone typed stays as typed."""
    c = conf.plan(days=0, time="00:00")
    login(client, conf.staff)
    url = f"/conferences/{c.id}"
    _post(client, f"{url}/invite", scope="local", journalist_id=str(conf.zahra.id))
    invitation = next(i for i in c.invitations if i.journalist_id == conf.zahra.id)
    assert _post(client, f"{url}/move", to="held").status_code == 302
    assert _post(client, f"{url}/attendance", attended=str(invitation.id)).status_code == 302
    later = conf.plan(days=3, time="10:00")  # postponed with no reason typed: the sentence is the new time
    new_day = format_jalali_date(local_today() + timedelta(days=5), digits="en")
    assert _post(client, f"/conferences/{later.id}/move", to="postponed", day=new_day, start_time="11:30").status_code == 302
    typed = conf.plan(days=3, time="10:00")  # postponed with a reason: the reason is the sentence
    assert _post(client, f"/conferences/{typed.id}/move", to="postponed", day=new_day, start_time="11:30",
                 reason="دلیلی که تایپ شد").status_code == 302
    when = format_jalali_date(local_today(), digits="en")
    history = client.get(url).get_data(as_text=True)
    history = history[history.index('id="timeline"'):]
    assert f"{when} ساعت 00:00".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in history
    assert "۱ نفر حاضر بودند." in history
    client.post("/language/en", data={"csrf_token": csrf_token(client, url)})
    english = client.get(url).get_data(as_text=True)
    english = english[english.index('id="timeline"'):]
    assert f"{when} at 00:00" in english and "1 attended." in english
    assert "ساعت" not in english and "حاضر بودند" not in english and not re.search("[۰-۹]", english)
    english = client.get(f"/conferences/{later.id}").get_data(as_text=True)
    english = english[english.index('id="timeline"'):]
    assert f"{new_day} at 11:30" in english and "ساعت" not in english
    english = client.get(f"/conferences/{typed.id}").get_data(as_text=True)
    english = english[english.index('id="timeline"'):]
    assert "دلیلی که تایپ شد" in english and f"{new_day} at 11:30" not in english  # a typed reason stays as typed


def test_an_edit_from_a_page_read_before_a_colleagues_save_is_refused_and_kept(client, conf):
    """The place was changed by a colleague after this edit page was opened: saving the page would
    put the old place back. It is refused with a Persian message, the typed title stays in the
    form, and saving the refreshed form again stores it (knowingly)."""
    conference = conf.plan(days=10)
    login(client, conf.staff)
    html = client.get(f"/conferences/{conference.id}/edit").get_data(as_text=True)
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', html).group(1)
    draft = draft_of(conference)
    edit_conference(conference.id, replace(draft, place="سالن شورای شهر"), conf.manager)  # the colleague's save
    mine = {"title": "نشست خبری جیره‌بندی آب", "day": format_jalali_date(draft.day), "start_time": draft.start_time,
            "duration_minutes": "90", "place": draft.place, "topics": draft.topics, "spokespeople": draft.spokespeople}
    response = _post(client, f"/conferences/{conference.id}/edit", seen=seen, **mine)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "به دست کس دیگری تغییر کرد" in html and "جیره‌بندی" in html
    stored = db.session.get(PressConference, conference.id)
    db.session.refresh(stored)
    assert (stored.title, stored.place) == ("نشست خبری کم‌آبی", "سالن شورای شهر")
    again = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', html).group(1)
    assert _post(client, f"/conferences/{conference.id}/edit", seen=again, **mine).status_code == 302
    db.session.refresh(stored)
    assert (stored.title, stored.place) == ("نشست خبری جیره‌بندی آب", "سالن اجتماعات")


def test_a_commitments_line_is_parted_by_persian_commas(client, conf, clock):
    """«مسئول: … ، موعد: ۱۴۰۵/۰۷/۳۰ · گذشته از موعد»: a space before each comma (the template's line
    breaks) and a middle dot after the date, read as a zero (the review of session 42's pages)."""
    from datetime import datetime

    from app.clock import from_local
    from app.jalali import parse_jalali_date as J
    from app.services.conference_commitments import CommitmentInput, add_commitment
    from app.services.conferences import MoveRequest, move_conference

    clock.now = from_local(datetime(2026, 10, 22, 12))  # 1405/07/30
    held = move_conference(conf.plan(day=J("1405/07/20"), time="10:00").id, MoveRequest(to_status="held"), conf.staff)
    add_commitment(held.id, CommitmentInput(text="انتشار جدول فشار آب", owner_label="معاونت بهره‌برداری",
                                            due_on=J("1405/07/25")), conf.staff)
    login(client, conf.manager)
    html = client.get(f"/conferences/{held.id}").get_data(as_text=True)
    line = re.sub(r"<[^>]+>", "", re.search(r'<div class="small text-secondary">مسئول:.*?</div>', html, re.DOTALL).group(0))
    assert "۱۴۰۵/۰۷/۲۵" in line and "·" not in line and not re.search(r"\s،", line), line


def test_the_printable_lists_date_lines_are_parted_by_persian_commas(client, conf):
    """«… ۱۰:۳۰ · سالن اجتماعات» and «تاریخ چاپ: … ۱۴۰۵ · ۰ دعوت‌شده»: a middle dot beside a Persian
    digit reads as a zero (the review of session 42's pages)."""
    c = conf.plan(day=J("1405/09/20"), time="10:30")
    login(client, conf.viewer)
    html = client.get(f"/conferences/{c.id}/invitations/print").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", "", html.split("<body", 1)[1])
    assert "سالن اجتماعات" in text and not re.search(r"[۰-۹]\s*·|·\s*[۰-۹]|[^\s،]\s+،", text)


def test_each_attendance_box_and_reply_list_is_named_after_its_invitee(client, conf):
    """Every row's attendance box was named «حضور» and its reply list «پاسخ دعوت»: a screen reader
    read «حضور، کادر انتخاب» eight times with no name (session 43's walk). Each says whose it is."""
    from tests.services.conference_followup_fixtures import held

    conference = held(conf)
    invite(conference.id, InviteRequest(journalist_ids=[conf.maryam.id], outlet_ids=[conf.provincial.id]), conf.staff)
    login(client, conf.staff)
    html = client.get(f"/conferences/{conference.id}").get_data(as_text=True)
    boxes = re.findall(r'name="attended"[^>]*aria-label="([^"]+)"', html)
    assert sorted(boxes) == ["حضور دبیر خبر رادیو استان", "حضور مریم احمدی (روزنامهٔ شهر)"], boxes
    # In English the reply list read "Reply of مریم احمدی (روزنامهٔ شهر)" (session 43's note).
    planned = conf.plan(days=3, time="10:00")  # reply lists are a planned conference's
    invite(planned.id, InviteRequest(journalist_ids=[conf.maryam.id]), conf.staff)
    client.post("/language/en", data={"csrf_token": csrf_token(client, f"/conferences/{planned.id}")})
    english = client.get(f"/conferences/{planned.id}").get_data(as_text=True)
    lists = re.findall(r'name="rsvp"[^>]*aria-label="([^"]+)"', english)
    assert lists and all(label.startswith("Reply from ") for label in lists), lists


def test_two_namesakes_attendance_boxes_and_reply_lists_are_told_apart_by_their_outlet(client, conf):
    """The demo's directory has two «حمید باقری», one at each of two outlets, both invited: their
    rows' boxes were both «حضور حمید باقری», their reply lists both «پاسخ دعوت حمید باقری», two
    people a screen reader could not tell apart (session 43's review). Each name says its outlet,
    as the row does."""
    from tests.services.conference_followup_fixtures import held

    namesake = conference_fixtures._journalist("مریم احمدی", conf.local2, "+989121110009")
    db.session.commit()
    conference = held(conf)
    invite(conference.id, InviteRequest(journalist_ids=[conf.maryam.id, namesake.id]), conf.staff)
    login(client, conf.staff)
    html = client.get(f"/conferences/{conference.id}").get_data(as_text=True)
    boxes = re.findall(r'name="attended"[^>]*aria-label="([^"]+)"', html)
    assert sorted(boxes) == ["حضور مریم احمدی (روزنامهٔ شهر)", "حضور مریم احمدی (پایگاه خبری جاده)"], boxes
