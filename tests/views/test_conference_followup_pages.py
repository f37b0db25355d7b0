"""The conference page's follow-up sections through the browser's forms: a question recorded and
turned into a case (the case page names the conference), a commitment with a Jalali due day and
its follow-up list, coverage found and confirmed; bad input shown with what was typed; another
agency's conference refused on every action."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.services.indexing import drain
from models import (
    ConferenceCommitment,
    ConferenceCoverage,
    ConferenceQuestion,
    PublicQuestion,
)
from search_index.persian import to_persian_digits
from tests.conftest import csrf_token, login
from tests.search_index.item_factory import ItemFactory
from tests.services import conference_fixtures
from tests.services.conference_followup_fixtures import held

conf = conference_fixtures.conf


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/conferences/"), **data})


def test_a_question_becomes_a_case_with_one_click_and_the_case_says_where_it_came_from(client, conf):
    c = held(conf, title="نشست خبری کم‌آبی")
    login(client, conf.staff)
    page = client.get(f"/conferences/{c.id}").get_data(as_text=True)
    assert 'id="question-form"' in page and 'id="commitment-form"' in page and 'id="photo-form"' in page
    response = _post(client, f"/conferences/{c.id}/questions", q_journalist_id=str(conf.reza.id),
                     q_text="چرا آب‌بها گران شد؟", anchor="#questions")
    assert response.status_code == 302 and response.headers["Location"].endswith("#questions")
    question = db.session.scalar(select(ConferenceQuestion))
    response = _post(client, f"/conferences/{c.id}/questions/case", question_id=str(question.id))
    assert response.status_code == 302
    case = db.session.scalar(select(PublicQuestion))
    html = client.get(f"/conferences/{c.id}").get_data(as_text=True)
    assert f'href="/cases/{case.ref}"' in html and "question-to-case" not in html
    timeline = html[html.index('id="timeline"'):]  # the conference's history names the case in the page's digits
    assert f'<a href="/cases/{case.ref}" dir="ltr">{to_persian_digits(case.ref)}</a>' in timeline
    assert case.ref not in timeline.replace(f"/cases/{case.ref}", "")
    case_page = client.get(f"/cases/{case.ref}").get_data(as_text=True)
    assert "پرسش خبرنگار در نشست خبری" in case_page and "نشست خبری کم‌آبی" in case_page
    assert "رضا کریمی" in case_page and "روزنامهٔ شهر" in case_page
    _post(client, f"/conferences/{c.id}/questions/case", question_id=str(question.id))
    assert len(db.session.scalars(select(PublicQuestion.id).execution_options(unscoped=True)).all()) == 1


def test_a_bad_question_keeps_what_was_typed(client, conf):
    c = held(conf)
    login(client, conf.staff)
    response = _post(client, f"/conferences/{c.id}/questions", q_text="پرسشی که نباید گم شود", q_outlet_name="رادیو محله")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "پرسش‌کننده را از فهرست خبرنگاران برگزینید" in html
    assert "پرسشی که نباید گم شود" in html and 'value="رادیو محله"' in html


def test_a_commitment_with_a_jalali_due_day_and_the_follow_up_list(client, conf):
    from app.clock import local_today
    from app.jalali import format_jalali_date
    from app.services.conferences import MoveRequest, move_conference

    c = move_conference(conf.plan(days=-30, time="00:00").id, MoveRequest(to_status="held"), conf.staff)
    login(client, conf.staff)
    before = _post(client, f"/conferences/{c.id}/commitments", c_text="قول پیشین", c_owner_label="x",
                   c_due_on=format_jalali_date(local_today() - timedelta(days=31), "fa"))
    assert before.status_code == 400 and "پیش از روز نشست" in before.get_data(as_text=True)  # a slip of the month
    due = local_today() - timedelta(days=20)  # after the conference, before today: overdue
    response = _post(client, f"/conferences/{c.id}/commitments", c_text="انتشار جدول فشار", c_owner_label="معاونت",
                     c_due_on=format_jalali_date(due, "fa"))
    assert response.status_code == 302
    commitment = db.session.scalar(select(ConferenceCommitment))
    assert commitment.due_on == due
    listed = client.get("/conferences/commitments").get_data(as_text=True)
    assert "انتشار جدول فشار" in listed and 'data-state="overdue"' in listed
    response = _post(client, f"/conferences/{c.id}/commitments/state", commitment_id=str(commitment.id), done="1")
    assert response.status_code == 302
    assert "انتشار جدول فشار" not in client.get("/conferences/commitments").get_data(as_text=True)
    response = _post(client, f"/conferences/{c.id}/commitments", c_text="قول دوم", c_owner_label="x", c_due_on="1405/13/40")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "ماه باید از ۱ تا ۱۲ باشد" in html and 'value="قول دوم"' in html


def test_the_governorate_filters_the_follow_up_list_by_agency(client, conf):
    login(client, conf.supervisor)
    assert client.get("/conferences/commitments", query_string={"agency": "nope"}).status_code == 400
    assert client.get("/conferences/commitments", query_string={"agency": "water", "overdue": "1"}).status_code == 200


def test_coverage_is_found_and_confirmed_from_the_page(client, conf):
    c = held(conf, topics="کم‌آبی")
    item = ItemFactory().make("کم‌آبی در شهر", "", outlet=conf.local1, published_at=c.starts_at + timedelta(hours=3))
    drain()
    login(client, conf.staff)
    assert _post(client, f"/conferences/{c.id}/coverage/find").status_code == 302
    row = db.session.scalar(select(ConferenceCoverage))
    assert row.item_id == item.id
    html = client.get(f"/conferences/{c.id}").get_data(as_text=True)
    assert 'id="coverage-suggested"' in html and "کم‌آبی در شهر" in html
    assert _post(client, f"/conferences/{c.id}/coverage/decide", coverage_id=str(row.id), state="confirmed").status_code == 302
    html = client.get(f"/conferences/{c.id}").get_data(as_text=True)
    assert 'id="coverage-confirmed"' in html and re.search(r'data-scope="local">[^<]*۱', html)



def test_a_coverage_item_without_an_outlet_has_no_empty_part(client, conf):
    """An item found as coverage whose feed names no outlet: its line read «title، ، date» (an empty
    outlet between two separators; the pages review of session 42)."""
    c = held(conf, topics="کم‌آبی")
    ItemFactory().make("کم‌آبی در روستا", "", published_at=c.starts_at + timedelta(hours=3))
    drain()
    login(client, conf.staff)
    assert _post(client, f"/conferences/{c.id}/coverage/find").status_code == 302
    html = client.get(f"/conferences/{c.id}").get_data(as_text=True)
    assert "کم‌آبی در روستا" in html and "<bdi></bdi>" not in html  # suggested
    row = db.session.scalar(select(ConferenceCoverage))
    assert _post(client, f"/conferences/{c.id}/coverage/decide", coverage_id=str(row.id), state="confirmed").status_code == 302
    html = client.get(f"/conferences/{c.id}").get_data(as_text=True)
    assert 'id="coverage-confirmed"' in html and "<bdi></bdi>" not in html

def test_another_agency_is_refused_every_follow_up_action(app, client, conf):
    c = held(conf)
    login(client, conf.staff)
    _post(client, f"/conferences/{c.id}/questions", q_text="پرسش", q_asked_by_name="علی")
    question = db.session.scalar(select(ConferenceQuestion))
    other = app.test_client()
    login(other, conf.staff_b)
    for path, data in (("questions", {"q_text": "x", "q_asked_by_name": "y"}),
                       ("questions/case", {"question_id": str(question.id)}),
                       ("commitments", {"c_text": "x", "c_owner_label": "y"}),
                       ("commitments/state", {"commitment_id": "1", "done": "1"}),
                       ("coverage/find", {}), ("coverage/decide", {"coverage_id": "1", "state": "confirmed"}),
                       ("photos/remove", {"photo_id": "1"})):
        assert _post(other, f"/conferences/{c.id}/{path}", **data).status_code == 404, path
    assert db.session.scalar(select(PublicQuestion).execution_options(unscoped=True)) is None
    assert len(db.session.scalars(select(ConferenceQuestion)).all()) == 1
