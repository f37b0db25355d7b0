"""The case page and its actions, by role: what it shows (deadline explained, sources, notes,
answer, links, a timeline in Jalali dates and Persian digits), each move through its form, refused
and illegal moves (a Persian message, nothing changed), and agency isolation (404 everywhere)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.services.holidays import add_holiday
from models import AuditEntry, CaseEvent, PublicQuestion
from tests.conftest import csrf_token, login
from tests.services import case_fixtures
from tests.services.case_fixtures import LINK
from tests.services.reminder_fixtures import remind

desk, make_item = case_fixtures.desk, case_fixtures.make_item  # the shared fixtures, by name

ACTIONS = ("move", "answer", "note", "link", "coverage")


def as_user(app, user):
    client = app.test_client()
    login(client, user)
    client.token = csrf_token(client, "/")
    return client


def post(client, case, action: str, **data):
    return client.post(f"/cases/{case.ref}/{action}", data={"csrf_token": client.token, **data})


def page(client, case) -> str:
    response = client.get(f"/cases/{case.ref}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def reload(case) -> PublicQuestion:
    db.session.expire_all()
    return db.session.get(PublicQuestion, case.id)


def flashed(client, response) -> str:
    """The case page after an action: a success redirects to it; a refusal is the page itself,
    400, with what the form sent still in it."""
    if response.status_code == 400:
        return response.get_data(as_text=True)
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_page_shows_the_case_in_persian(app, desk, make_item):
    item = make_item("اهالی شهرک می‌پرسند چرا آب قطع است؟")
    case = desk.open("published", item_id=item.id)
    client = as_user(app, desk.viewer)
    html = page(client, case)
    ref_fa = case.ref.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert ref_fa in html and "پاسخ منتشرشده" in html
    assert "آب و فاضلاب" in html and desk.staff.display_name in html  # agency, assignee
    assert "این موعد چگونه شمرده شد" in html and "روز کاری پس از" in html  # how the deadline was counted
    # The day it was opened, Jalali, Persian digits: in the case's details as the headings say a day,
    # «۲۰ اردیبهشت ۱۴۰۵», not the lists' «۱۴۰۵/۰۲/۲۰» (one style per context, bench/README session 44)
    opened = re.search(r"تاریخ طرح</dt><dd[^>]*>([^<]*)</dd>", html).group(1)
    assert opened == "۲۰ اردیبهشت ۱۴۰۵ (یک\u200cشنبه)", opened
    assert f'href="/items/{item.id}"' in html and "اهالی شهرک" in html  # its source item
    assert "لوله‌گذاری تا پایان هفته تمام می‌شود." in html  # the answer
    assert LINK in html  # where it was published
    timeline = html[html.index("case-timeline"):]
    assert timeline.count('class="list-group-item case-event"') == 6  # opened + 5 moves
    # Who: the agency's people by name; the governorate's admin (outside the reader's scope) by the
    # username the event kept.
    assert desk.manager.display_name in timeline and "<bdi>admin</bdi>" in timeline
    assert re.search(r"[۰-۹]{1,2} [آ-ی]+ ۱۴۰۵، [۰-۹]{2}:[۰-۹]{2}", timeline)  # «۵ آذر ۱۴۰۵، ۱۴:۳۰»
    assert 'id="actions"' not in html and "<textarea" not in html  # a viewer reads only


def test_a_manual_source_shows_outlet_programme_and_date(app, desk):
    case = desk.open("new")
    html = page(as_user(app, desk.staff), case)
    assert "رادیو" in html and "رادیو استان" in html and "صبح بخیر" in html


def test_the_whole_workflow_through_the_page(app, desk):
    case = desk.open("new")
    staff, manager = as_user(app, desk.staff), as_user(app, desk.manager)
    html = page(staff, case)
    assert 'id="move-accept"' in html and 'id="move-reject"' in html and 'id="move-merge"' in html
    assert "پرونده \u2066۱۴۰۵-۰۰۰۰۰۱\u2069 اکنون «پذیرفته» است." in flashed(staff, post(staff, case, "move", to="accepted"))
    # The manager picks the assignee from the agency's people; staff could only take it themselves.
    html = page(manager, case)
    assert f'<option value="{desk.staff.id}"' in html and f'<option value="{desk.manager_b.id}"' not in html
    assert "برداشتن پرونده برای خودم" in page(staff, case)
    post(manager, case, "move", to="assigned", assignee_id=desk.staff.id)
    assert reload(case).assignee_id == desk.staff.id
    # Staff save a draft, then send it.
    post(staff, case, "answer", answer="لوله‌کشی تا پنجشنبه تمام می‌شود.")
    assert reload(case).answer == "لوله‌کشی تا پنجشنبه تمام می‌شود." and reload(case).status == "assigned"
    post(staff, case, "move", to="drafted", answer="لوله‌کشی تا پنجشنبه تمام می‌شود؛ آب جمعه وصل است.")
    assert reload(case).status == "drafted"
    assert 'id="move-approve"' not in page(staff, case)
    post(manager, case, "move", to="approved", answer="آب جمعه وصل است.")
    assert (reload(case).status, reload(case).answer) == ("approved", "آب جمعه وصل است.")
    post(staff, case, "move", to="published", link=LINK, link_kind="outlet", link_label="خبرگزاری استان")
    assert reload(case).status == "published" and reload(case).publications[0].kind == "outlet"
    post(staff, case, "link", link="https://portal.example.ir/answers/7", link_kind="portal")
    assert len(reload(case).publications) == 2
    post(staff, case, "move", to="closed")
    assert "بازگشایی" not in page(staff, case)  # staff do not reopen
    post(manager, case, "move", to="accepted", reason="پاسخ کامل نبود")
    assert reload(case).status == "accepted" and reload(case).assignee_id is None  # a new round
    html = page(manager, case)
    assert "پاسخ نخست" in html and "کارنامه پاسخ نخست را با موعد خودش می‌شمارد" in html
    assert "کارشناس پیشین:" in html
    kinds = db.session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert kinds.count("moved") == 7 and "answer_saved" in kinds and "link_added" in kinds
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action.like("case.%"))) == len(kinds)


def test_the_governorate_sends_an_accepted_case_to_another_agency_from_its_page(app, desk):
    """A walk through the pages (session 30): a case the agency had accepted could only be rejected
    and opened again — the page offered the agency only when accepting — and the timeline said
    «سازمان: power». The page sends it with a reason; the timeline names both agencies."""
    case = desk.open("assigned")
    assert 'id="move-transfer"' not in page(as_user(app, desk.manager), case)  # the governorate's
    supervisor = as_user(app, desk.supervisor)
    html = page(supervisor, case)
    assert 'id="move-transfer"' in html and 'value="power"' in html
    refused = flashed(supervisor, post(supervisor, case, "transfer", agency="power", reason=" "))
    assert "دلیل فرستادن" in refused and reload(case).agency_id == desk.a.id
    # an agency no one has (one removed since the page was opened) is refused under the agency's
    # box: the refusal names the field «agency», which was marked nowhere, and nothing was said
    # (a review of session 44's marked refusals)
    refused = flashed(supervisor, post(supervisor, case, "transfer", form="move-transfer", agency="no-such", reason="دلیل"))
    box = re.search(r'<select[^>]*id="transfer-agency"[^>]*>', refused).group(0)
    assert 'aria-invalid="true"' in box and 'aria-describedby="case-refusal"' in box, box
    assert "no-such" in re.search(r'<div[^>]*id="case-refusal"[^>]*>([^<]*)</div>', refused).group(1)
    said = flashed(supervisor, post(supervisor, case, "transfer", agency="power", reason="کار برق است"))
    assert f"به «{desk.b.name_fa}» فرستاده شد" in said
    moved = reload(case)
    assert (moved.agency_id, moved.status, moved.assignee_id) == (desk.b.id, "accepted", None)
    timeline = page(supervisor, moved).split('class="list-group case-timeline"')[1]
    assert f"از «{desk.a.name_fa}» به «{desk.b.name_fa}»" in timeline and ">power<" not in timeline


@pytest.mark.parametrize("status", ["drafted", "approved"])
def test_the_governorate_sends_a_drafted_or_approved_case_from_its_page(app, desk, status):
    """A supervisor has no other move on a drafted or approved case, and the actions section, the
    transfer with it, was not shown; the service takes it (a review of the cases, MEDIUM)."""
    case = desk.open(status)
    html = page(as_user(app, desk.supervisor), case)
    assert 'id="move-transfer"' in html and 'value="power"' in html


def test_reject_with_a_reason_and_merge_by_reference(app, desk):
    first, second, third = desk.open("new"), desk.open("accepted"), desk.open("new")
    staff = as_user(app, desk.staff)
    html = flashed(staff, post(staff, first, "move", to="rejected", reason=""))
    assert "دلیل رد کردن را بنویسید" in html and reload(first).status == "new"
    post(staff, first, "move", to="rejected", reason="پرسش نیست؛ خبر است.")
    assert (reload(first).status, reload(first).reject_reason) == ("rejected", "پرسش نیست؛ خبر است.")
    html = flashed(staff, post(staff, second, "move", to="merged", into="1405-999999"))
    assert "پرونده‌ای با شمارهٔ \u2066۱۴۰۵-۹۹۹۹۹۹\u2069 نیست" in html and reload(second).status == "accepted"
    into_fa = third.ref.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    post(staff, second, "move", to="merged", into=into_fa)  # Persian digits are read too
    assert reload(second).status == "merged" and reload(second).merged_into_id == third.id
    assert len(reload(third).sources) == 2


@pytest.mark.parametrize("who, status, data, message", [
    ("staff", "drafted", {"to": "approved"}, "تأیید پاسخ تنها کار مدیر روابط عمومی همان سازمان است."),
    ("viewer", "new", {"to": "accepted"}, None),  # @access: viewers change nothing (403)
    ("staff", "new", {"to": "published", "link": LINK}, "و از این وضعیت به «پاسخ منتشرشده» نمی‌رود"),
    ("staff2", "assigned", {"to": "drafted", "answer": "پاسخ"}, "پیش‌نویس پاسخ را کارشناسی که پرونده به او واگذار شده"),
    ("staff", "approved", {"to": "published", "link": "not a link"}, "نشانی انتشار پاسخ را کامل بنویسید"),
    ("staff", "new", {"to": "nowhere"}, "وضعیت «nowhere» شناخته نیست"),
    ("staff", "closed", {"to": "accepted", "reason": "دوباره"}, "بازگشایی پرونده کار مدیر روابط عمومی سازمان"),
    ("manager", "closed", {"to": "accepted"}, "دلیل بازگشایی پرونده را بنویسید."),
])
def test_refused_and_illegal_moves_say_why_and_change_nothing(app, desk, who, status, data, message):
    case = desk.open(status)
    before = (case.status, case.answer, len(case.publications), len(case.events))
    client = as_user(app, getattr(desk, who))
    response = post(client, case, "move", **data)
    if message is None:
        assert response.status_code == 403
    else:
        assert message in flashed(client, response)
    case = reload(case)
    assert (case.status, case.answer, len(case.publications), len(case.events)) == before


def _answer_seen(html: str) -> str:
    return re.search(r'name="answer_seen" value="([0-9a-f]+)"', html).group(1)


def _textarea(html: str, element_id: str) -> str:
    return re.search(rf'<textarea[^>]* id="{element_id}"[^>]*>([^<]*)</textarea>', html).group(1)


def test_an_answer_saved_from_an_older_page_does_not_overwrite_a_colleagues_unseen(app, desk):
    """Found by a review of the forms: the manager rewrote the draft while the staff member's page
    was open; the staff member's save put the old draft back, and the manager's text was gone,
    unsaid. The save from the older page is refused, with the typed text still in the form; saved
    again from that page (which now carries the new version), it is what the writer wants."""
    case = desk.open("drafted")
    manager, staff = as_user(app, desk.manager), as_user(app, desk.staff)
    seen_by_staff = _answer_seen(page(staff, case))
    post(manager, case, "answer", answer="متن بازنویسی‌شدهٔ مدیر", answer_seen=_answer_seen(page(manager, case)))
    assert reload(case).answer == "متن بازنویسی‌شدهٔ مدیر"
    for action, data in (("answer", {}), ("move", {"to": "drafted"})):  # «ذخیرهٔ پاسخ», or a draft sent again
        response = post(staff, case, action, form="answer", answer="پیش‌نویس کهنه + یک جمله",
                        answer_seen=seen_by_staff, **data)
        html = flashed(staff, response)
        assert response.status_code == 400 and "به دست کس دیگری تغییر کرد" in html
        assert _textarea(html, "answer-text") == "پیش‌نویس کهنه + یک جمله"  # nothing typed is lost
        assert re.search(r'id="answer-saved">.*متن بازنویسی‌شدهٔ مدیر', html, re.DOTALL)  # the colleague's, shown
        assert reload(case).answer == "متن بازنویسی‌شدهٔ مدیر"
    again = post(staff, case, "answer", form="answer", answer="پیش‌نویس کهنه + یک جمله", answer_seen=_answer_seen(html))
    assert again.status_code == 302 and reload(case).answer == "پیش‌نویس کهنه + یک جمله"


def test_a_refused_action_keeps_what_its_form_sent(app, desk):
    """A merge into a mistyped case, a reason, answer or note over its length: the page came back
    with the message and an empty form. It comes back with what was typed, in that form only."""
    case = desk.open("new")
    manager = as_user(app, desk.manager)
    reason = "همان پرسش پروندهٔ دیروز است"
    html = flashed(manager, post(manager, case, "move", form="move-merge", to="merged", into="1405-999999", reason=reason))
    assert "پرونده‌ای با شمارهٔ" in html
    assert re.search(r'id="merge-into"[^>]* value="1405-999999"', html) and _textarea(html, "reason-merge") == reason
    assert _textarea(html, "reason-reject") == ""  # another form's field is not filled with it
    assert re.findall(r'name="next" value="([^"]*)"', html) == [f"/cases/{case.ref}"]  # the language switch
    long_note = "ی" * 2001
    html = flashed(manager, post(manager, case, "note", form="note", note=long_note))
    assert _textarea(html, "note-text") == long_note
    assert reload(case).status == "new" and reload(case).notes == ""


def test_a_refused_action_marks_its_field_and_ties_the_message_to_it(app, desk):
    """A refused merge or note said why at the top of the page and marked no field: a screen
    reader heard nothing at the field, the focus stayed on <body> (session 43's note). The field
    is aria-invalid and described by the message said under it; another form's field is not."""
    case = desk.open("new")
    manager = as_user(app, desk.manager)
    html = flashed(manager, post(manager, case, "move", form="move-merge", to="merged", into="1405-999999"))
    field = re.search(r'<input[^>]*id="merge-into"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="case-refusal"' in field, field
    said = re.search(r'<div[^>]*id="case-refusal"[^>]*>([^<]*)</div>', html)
    assert said and "پرونده‌ای با شمارهٔ" in said.group(1)
    assert html.count('aria-invalid="true"') == 1 and html.count("پرونده‌ای با شمارهٔ") == 1  # not said twice
    html = flashed(manager, post(manager, case, "note", form="note", note="  "))
    assert re.search(r'<textarea[^>]*id="note-text"[^>]*aria-invalid="true"', html)


def test_notes_are_internal_and_need_text(app, desk):
    case = desk.open("accepted")
    staff = as_user(app, desk.staff)
    assert "متن یادداشت را بنویسید." in flashed(staff, post(staff, case, "note", note="  "))
    post(staff, case, "note", note="با مدیر منطقه ۳ هماهنگ شد.")
    html = page(as_user(app, desk.viewer), case)
    assert "با مدیر منطقه ۳ هماهنگ شد." in html and "یادداشت‌های درونی" in html


def test_another_agencys_case_is_a_404_on_every_page_and_action(app, desk):
    theirs = desk.open("published", agency=desk.b, title="پرونده‌ای از برق")
    for user in (desk.staff, desk.manager, desk.viewer):
        client = as_user(app, user)
        assert client.get(f"/cases/{theirs.ref}").status_code == 404
        for action in ACTIONS:
            if action == "move" or user.role != "viewer":
                expected = 404 if user.role != "viewer" else 403
                assert post(client, theirs, action, to="closed", note="x", answer="x", link=LINK,
                            state="confirmed", item_id="1").status_code == expected, (user.username, action)
        for name in ("agency",) + (("mine",) if user.role != "viewer" else ()):
            response = client.get(f"/cases/{name}/export", query_string={"status": "all", "format": "csv"})
            assert "پرونده‌ای از برق" not in response.data.decode("utf-8-sig")
    assert reload(theirs).status == "published" and reload(theirs).notes == ""
    supervisor = as_user(app, desk.supervisor)
    assert "پرونده‌ای از برق" in page(supervisor, theirs)
    assert "پرونده‌ای از برق" in supervisor.get("/cases/all/export?status=all&format=csv").data.decode("utf-8-sig")


def test_a_supervisor_accepts_a_case_into_an_agency(app, desk):
    from app.services.cases import ManualSource, open_case

    case = open_case(desk.supervisor, agency=None, manual=ManualSource(channel="tv", outlet_name="شبکهٔ استانی"),
                     title="پرسشی بی‌سازمان")
    supervisor = as_user(app, desk.supervisor)
    html = page(supervisor, case)
    assert 'name="agency"' in html and '<option value="power"' in html
    post(supervisor, case, "move", to="accepted", agency="power")
    assert reload(case).agency_id == desk.b.id and reload(case).status == "accepted"
    # a case of one agency accepted for another: the timeline says from which (round 8 of the commands)
    other = desk.open("new")
    post(supervisor, other, "move", to="accepted", agency="power")
    timeline = page(supervisor, reload(other)).split('class="list-group case-timeline"')[1]
    assert f"از «{desk.a.name_fa}» به «{desk.b.name_fa}»" in timeline


@pytest.mark.parametrize("typed", ["²", "99999999999999999999", "abc", "-3"])
def test_an_id_that_is_no_ones_is_a_message_not_an_error_page(app, desk, typed):
    """A posted assignee or item id that is not a number a row can have («²» passed isdigit() and
    failed int(), a 20-digit one overflowed the driver: both were 500s) is said in Persian; the
    manager's move does not fall back to assigning the case to himself."""
    case = desk.open("accepted")
    manager = as_user(app, desk.manager)
    html = flashed(manager, post(manager, case, "move", to="assigned", assignee_id=typed))
    assert "کارشناسی که برگزیده شد پیدا نشد" in html
    assert reload(case).status == "accepted" and reload(case).assignee_id is None
    published = desk.open("published")
    staff = as_user(app, desk.staff)
    html = flashed(staff, post(staff, published, "coverage", item_id=typed, state="confirmed"))
    assert "خبری با شناسهٔ" in html


def test_an_assignee_id_in_persian_digits_is_read(app, desk):
    case = desk.open("accepted")
    manager = as_user(app, desk.manager)
    typed = str(desk.staff.id).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    post(manager, case, "move", to="assigned", assignee_id=typed)
    assert reload(case).assignee_id == desk.staff.id


def test_the_timeline_names_the_assignee_not_the_username(app, desk):
    """«کارشناس: water.staff»: the timeline showed the username the move recorded; it shows the
    person's name (the username stays in the title)."""
    desk.staff.display_name, desk.staff2.display_name = "مریم کارشناس", "رضا کارشناس"
    db.session.commit()
    case = desk.open("new")
    manager = as_user(app, desk.manager)
    post(manager, case, "move", to="accepted")
    post(manager, case, "move", to="assigned", assignee_id=desk.staff.id)
    post(manager, case, "move", to="assigned", assignee_id=desk.staff2.id)
    timeline = page(manager, case).split('class="list-group case-timeline"')[1]
    assert 'title="water.staff">مریم کارشناس</bdi>' in timeline
    assert 'title="water.staff2">رضا کارشناس</bdi>' in timeline
    assert ">water.staff<" not in timeline


def test_the_deadline_is_explained_in_the_readers_language(app, desk):
    """The sentence was stored in Persian when the deadline was counted, and an English page showed
    it so; it is said again from the stored counting, in the page's language and digits."""
    add_holiday(J("1405/02/29"), "روز آزمایشی", actor=desk.admin)
    case = desk.open(opened_on=J("1405/02/23"), priority="normal")  # Thu, (Fri), Sat, Sun, Mon, (the holiday), Wed
    client = as_user(app, desk.staff)
    html = page(client, case)
    assert "۵ روز کاری پس از ۱۴۰۵/۰۲/۲۳" in html and "جمعه، تعطیل هفتگی" in html and "تعطیل رسمی: روز آزمایشی" in html
    client.post("/language/en", data={"csrf_token": client.token})
    english = page(client, case)
    note = english[english.index("case-deadline"):english.index("</details>", english.index("case-deadline"))]
    assert "5 working days after 1405/02/23" in note and "Friday, weekly rest day" in note, note
    assert "روز آزمایشی" in note  # the holiday's name is the calendar's own
    assert not re.search("[۰-۹]", note) and "کنار گذاشته شد" not in note and "تعطیل هفتگی" not in note


def test_a_deadline_counted_before_it_was_kept_whole_shows_the_stored_sentence(app, desk):
    case = desk.open(opened_on=J("1405/02/23"))
    case.deadline_counting = {key: value for key, value in case.deadline_counting.items() if key != "rest_days"}
    case.deadline_note = "جملهٔ ذخیره‌شده"
    db.session.commit()
    assert "جملهٔ ذخیره‌شده" in page(as_user(app, desk.staff), case)


def test_the_systems_sentences_on_the_timeline_are_said_in_the_readers_language(app, desk):
    """A deadline moved by a holiday and the notices the reminder job sent wrote Persian sentences
    on the timeline; an English page showed them so. They are said again from the event's values."""
    case = desk.open("assigned")  # opened 1405/02/20, due 1405/02/26
    add_holiday(J("1405/02/22"), "تعطیلی آزمایشی", actor=desk.admin)
    remind("1405/03/10T10:00")  # long past the deadline: the manager is told, the supervisors too
    client = as_user(app, desk.manager)
    timeline = page(client, case)
    timeline = timeline[timeline.index("case-timeline"):]
    assert "روز ۱۴۰۵/۰۲/۲۲ (تعطیلی آزمایشی) تعطیل شد؛ موعد پاسخ از ۱۴۰۵/۰۲/۲۶ به ۱۴۰۵/۰۲/۲۷ رفت." in timeline
    assert f"موعد پاسخ (۱۴۰۵/۰۲/۲۷) گذشت و پاسخی منتشر نشد؛ به مدیر روابط عمومی سازمان خبر داده شد: {desk.manager.display_name}." in timeline
    client.post("/language/en", data={"csrf_token": client.token})
    english = page(client, case)
    english = english[english.index("case-timeline"):]
    assert "1405/02/22 became a holiday (تعطیلی آزمایشی); the answer is now due on 1405/02/27 instead of 1405/02/26." in english
    assert f"The answer deadline (1405/02/27) passed with no answer published; the agency’s PR manager was told: {desk.manager.display_name}." in english
    for persian in ("تعطیل شد", "موعد پاسخ", "گذشت", "ارجاع شد"):
        assert persian not in english, persian
    assert not re.search("[۰-۹]", english)


def test_an_answer_typed_while_the_case_was_taken_away_is_shown_not_lost(app, desk):
    """The manager took the case while the staff member typed its answer: the save was refused and
    the page came back without the answer's box, the text gone (a review of the cases, MEDIUM)."""
    case = desk.open("assigned")  # assigned to water.staff
    staff, manager = as_user(app, desk.staff), as_user(app, desk.manager)
    post(manager, case, "move", to="assigned", assignee_id=desk.manager.id)
    assert reload(case).assignee_id == desk.manager.id
    typed = "لوله‌کشی محله تا پنجشنبه تمام می‌شود و آب وصل خواهد شد."
    for action, data in (("answer", {}), ("move", {"to": "drafted"})):
        response = post(staff, case, action, form="answer", answer=typed, **data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and 'id="answer-unsaved"' in html and typed in html, action
    assert reload(case).answer in ("", None)


def test_who_approved_the_answer_is_isolated_from_the_date_after_it(app, desk):
    """«Approved by مدیر روابط عمومی, 16 Azar 1405, 10:53» read «Approved by 16 ,مدیر …» on the
    English page: the date after a Persian name went with it (session 42's walk)."""
    case = desk.open("approved")
    approver = reload(case).approved_by
    html = page(as_user(app, desk.manager), case)
    assert f"<bdi>{approver.display_name or approver.username}</bdi>، " in html
