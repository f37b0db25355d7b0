"""A date typed with Latin digits («2024-01-05», «1403/1/5») and sent back with a form's error was
shown as typed, Latin digits in a form whose every other number is Persian: it is shown in the
reader's digits (what was typed is otherwise kept: the same figures, separators and order)."""
from __future__ import annotations

import pytest

from tests.conftest import csrf_token, login
from tests.services import conference_fixtures, contact_fixtures
from tests.services.conference_followup_fixtures import held
from tests.views.test_evidence_pages import post as post_evidence
from tests.views.test_evidence_pages import world  # noqa: F401 (a fixture)

cworld = contact_fixtures.cworld
conf = conference_fixtures.conf

@pytest.mark.parametrize("typed, shown", [("2024-01-05", "۲۰۲۴-۰۱-۰۵"), ("1403/1/5", "۱۴۰۳/۱/۵")])
def test_a_contacts_date_comes_back_in_persian_digits(client, login_as, cworld, typed, shown):
    login_as(cworld.staff)
    response = client.post("/contacts/new", data={
        "csrf_token": csrf_token(client, "/contacts/new"), "journalist": str(cworld.one.id),
        "direction": "outbound", "channel": "phone", "topic": "", "date": typed, "time": "25:99"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and f'value="{shown}"' in html and f'value="{typed}"' not in html

def test_an_evidence_records_date_comes_back_in_persian_digits(client, world):  # noqa: F811
    login(client, world.staff)
    response = post_evidence(client, "/evidence/new", {"clause": "3", "date": "2024-01-05", "note": "x"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="۲۰۲۴-۰۱-۰۵"' in html and 'value="2024-01-05"' not in html

def test_the_conference_and_commitment_dates_come_back_in_persian_digits(client, conf):
    login(client, conf.staff)

    def post(url, **data):
        return client.post(url, data={"csrf_token": csrf_token(client, "/conferences/"), **data}).get_data(as_text=True)

    html = post("/conferences/new", title="نشست", day="2024-01-05", start_time="10:00")
    assert 'value="۲۰۲۴-۰۱-۰۵"' in html and 'value="2024-01-05"' not in html
    c = held(conf, title="نشست خبری کم‌آبی")
    html = post(f"/conferences/{c.id}/commitments", c_text="قول", c_owner_label="x", c_due_on="1405/13/40")
    assert 'value="۱۴۰۵/۱۳/۴۰"' in html and 'value="1405/13/40"' not in html

def test_a_filters_date_comes_back_in_persian_digits(client, make_user):
    login(client, make_user("supervisor"))
    html = client.get("/items/", query_string={"since": "2024-01-05", "until": "1403/1/5"}).get_data(as_text=True)
    assert 'value="۲۰۲۴-۰۱-۰۵"' in html and 'value="۱۴۰۳/۱/۵"' in html
    assert 'value="2024-01-05"' not in html and 'value="1403/1/5"' not in html

def test_a_contacts_time_comes_back_in_persian_digits(client, login_as, cworld):
    """The time «10:30» came back as typed, Latin digits beside the date's «۱۴۰۵/۱۳/۴۰»; its
    example (the placeholder) too."""
    login_as(cworld.staff)
    response = client.post("/contacts/new", data={
        "csrf_token": csrf_token(client, "/contacts/new"), "journalist": str(cworld.one.id),
        "direction": "outbound", "channel": "phone", "topic": "پیگیری", "date": "1405/13/40", "time": "10:30"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="۱۴۰۵/۱۳/۴۰"' in html
    assert 'value="۱۰:۳۰"' in html and 'value="10:30"' not in html
    assert 'placeholder="۱۰:۳۰"' in html and 'placeholder="10:30"' not in html

def test_a_conferences_start_time_comes_back_in_persian_digits(client, conf):
    """The plan form's «10:00» (its default and what was typed) and a postponement's time came
    back in Latin digits beside the day's Persian ones."""
    login(client, conf.staff)
    token = csrf_token(client, "/conferences/")
    html = client.post("/conferences/new", data={"csrf_token": token, "title": "نشست", "day": "1405/13/40",
                                                 "start_time": "10:30"}).get_data(as_text=True)
    assert 'value="۱۰:۳۰"' in html and 'value="10:30"' not in html and 'placeholder="۱۰:۰۰"' in html
    assert 'value="۱۰:۰۰"' in client.get("/conferences/new").get_data(as_text=True)
    c = conf.plan(days=3)
    html = client.post(f"/conferences/{c.id}/move", data={"csrf_token": token, "to": "postponed", "day": "1405/13/01",
                                                          "start_time": "11:30"}).get_data(as_text=True)
    assert 'value="۱۱:۳۰"' in html and 'value="11:30"' not in html and 'placeholder="10:00"' not in html


@pytest.mark.parametrize("typed, said", [("1403/13/40", "(نوشته‌شده: ۱۳)"), ("2024-01-05", "(نوشته‌شده: ۲۰۲۴)")])
def test_the_dates_message_quotes_what_was_typed_in_the_fields_digits(client, world, typed, said):  # noqa: F811
    """The field showed «۱۴۰۳/۱۳/۴۰» and its message beside it «(نوشته‌شده: 13)» (session 41's walk)."""
    login(client, world.staff)
    html = post_evidence(client, "/evidence/new", {"clause": "3", "date": typed, "note": "x"}).get_data(as_text=True)
    assert said in html and said.replace("۱۳", "13").replace("۲۰۲۴", "2024") not in html

def test_the_dates_message_keeps_latin_digits_in_english(client, world):  # noqa: F811
    login(client, world.staff)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/evidence/new"), "next": "/evidence/new"})
    html = post_evidence(client, "/evidence/new", {"clause": "3", "date": "1403/13/40", "note": "x"}).get_data(as_text=True)
    assert "The month must be from 1 to 12 (you wrote 13)." in html


def test_a_conferences_time_and_duration_are_in_the_pages_digits(client, conf):
    """Session 41's walk: the plan form offered «10:00» and «60» (and «10:00» as the example) in
    Latin digits beside «۱۴۰۵/۰۹/۰۵» and a help saying «مانند ۱۰:۳۰»; the reschedule form's time
    too. English keeps Latin digits; the service reads either."""
    login(client, conf.staff)
    html = client.get("/conferences/new").get_data(as_text=True)
    assert 'value="۱۰:۰۰"' in html and 'value="۶۰"' in html and 'placeholder="۱۰:۰۰"' in html
    assert 'value="10:00"' not in html and 'value="60"' not in html and 'placeholder="10:00"' not in html
    c = conf.plan(time="09:30")
    html = client.get(f"/conferences/{c.id}/edit").get_data(as_text=True)
    assert 'value="۰۹:۳۰"' in html
    html = client.post(f"/conferences/{c.id}/move", data={"csrf_token": csrf_token(client, "/conferences/"), "to": "postponed",
                                                          "day": "1300/01/01", "start_time": "11:45"}).get_data(as_text=True)
    assert 'value="۱۱:۴۵"' in html and 'placeholder="۱۰:۰۰"' in html and 'placeholder="10:00"' not in html
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/conferences/new"), "next": "/conferences/new"})
    html = client.get("/conferences/new").get_data(as_text=True)
    assert 'value="10:00"' in html and 'value="60"' in html and 'placeholder="10:00"' in html


def test_a_contacts_time_is_in_the_pages_digits(client, login_as, cworld):
    """The contact form's time showed «10:00» (editing) and offered «10:30» beside a date in Persian digits."""
    login_as(cworld.staff)
    html = client.post("/contacts/new", data={
        "csrf_token": csrf_token(client, "/contacts/new"), "journalist": str(cworld.one.id),
        "direction": "outbound", "channel": "phone", "topic": "", "date": "1405/09/01", "time": "10:00"}).get_data(as_text=True)
    assert 'value="۱۰:۰۰"' in html and 'placeholder="۱۰:۳۰"' in html
    assert 'value="10:00"' not in html and 'placeholder="10:30"' not in html
