"""Counts typed into a form shown in the page's digits (session 41's browser walk): the reminder
settings offered «1» and «2», the deadline calculator and a new agency's conference target «4», in
Persian pages whose every other number is Persian. English keeps Latin digits; Persian digits typed
are read (int() reads them)."""
from __future__ import annotations

import re

from tests.conftest import csrf_token, login


def test_counts_in_forms_are_in_the_pages_digits(client, make_user):
    login(client, make_user("admin"))
    html = client.get("/reminders/settings").get_data(as_text=True)
    assert 'value="۱"' in html and 'value="۲"' in html and 'value="1"' not in html
    html = client.get("/admin/agencies/new").get_data(as_text=True)
    assert 'value="۴"' in html and 'value="4"' not in html and 'type="number"' not in html
    html = client.get("/admin/calendar/deadline", query_string={"start": "1405/09/01", "days": "12"}).get_data(as_text=True)
    assert 'value="12"' not in html
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/reminders/settings"), "next": "/reminders/settings"})
    html = client.get("/reminders/settings").get_data(as_text=True)
    assert 'value="1"' in html and 'value="2"' in html


def test_a_count_typed_in_persian_digits_is_read(client, make_user):
    login(client, make_user("admin"))
    response = client.post("/reminders/settings", data={"csrf_token": csrf_token(client, "/reminders/settings"),
                                                        "days_before": "۳", "escalate_after": "۴"})
    assert response.status_code in (200, 302)
    assert 'value="۳"' in client.get("/reminders/settings").get_data(as_text=True)


def test_the_days_and_targets_the_governorate_sets_are_in_the_pages_digits(client, make_user, make_agency):
    """The portals page offered its stale-days as «7», the lapsed contacts page «30», an agency's
    cadence target «4» and the scorecard's rules their numbers in ASCII digits, in Persian pages
    (session 41's walk)."""
    water = make_agency(slug="water")
    login(client, make_user("admin"))
    pages = {"/portals/": "۷", "/contacts/lapsed": "۳۰", f"/conferences/cadence/{water.id}": "۴"}
    for path, value in pages.items():
        html = client.get(path).get_data(as_text=True)
        assert f'value="{value}"' in html, path
    values = re.findall(r'<input[^>]* type="text" value="([^"]*)"', client.get("/scorecard/rules").get_data(as_text=True))
    assert values and all(re.fullmatch("[۰-۹]+", v) for v in values), values


def test_a_count_in_letters_is_said_once_and_plainly_and_kept(client, make_user, make_agency):
    """The feed form's interval was a number input showing «30» on a Persian page; a count typed in
    letters was said twice, «یک عدد درست نیست.» (WTForms' own Persian, unclear) and the range
    (session 42's walk). One message naming what was typed; what was typed stays."""
    login(client, make_user("admin"))
    html = client.get("/feeds/new").get_data(as_text=True)
    assert 'value="۳۰"' in html and 'type="number"' not in html
    response = client.post("/admin/agencies/new", data={
        "csrf_token": csrf_token(client, "/admin/agencies/new"), "slug": "water", "name_fa": "آب", "kind": "company",
        "conference_target": "چهار", "conference_target_period": "year"})
    html = response.get_data(as_text=True)
    errors = re.findall(r'id="conference_target-feedback">([^<]*)<', html)
    assert errors == ["«چهار» عدد نیست؛ آن را با رقم بنویسید."] and 'value="چهار"' in html
    assert response.status_code == 400  # a refused form (it answered 200), on the edit form as well
    water = make_agency(slug="water", name_fa="آب")
    path = f"/admin/agencies/{water.id}"
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "slug": "water", "name_fa": "آب تازه",
                                       "kind": "company", "conference_target": "چهار", "conference_target_period": "year"})
    assert response.status_code == 400 and 'value="چهار"' in response.get_data(as_text=True)
    assert 'value="آب تازه"' in response.get_data(as_text=True)


def test_a_bad_setting_is_said_next_to_its_field_with_what_was_typed(client, make_user):
    """The portals' stale days and the lapsed contacts' days, refused, went back to the page through
    a redirect: the message at the top, the field holding the old number again (session 42's walk)."""
    login(client, make_user("admin"))
    for page, action in (("/portals/", "/portals/settings"), ("/contacts/lapsed", "/contacts/lapsed/settings")):
        response = client.post(action, data={"csrf_token": csrf_token(client, page), "days": "۴۰۰"})
        html = response.get_data(as_text=True)
        assert response.status_code == 400, action
        assert re.search(r'<input[^>]*autofocus[^>]*value="۴۰۰"', html) and 'id="days-feedback">شمار روزها باید' in html, action
