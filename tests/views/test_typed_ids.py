"""An id typed into a filter or a form that is no row's id: «²» (a digit to str.isdigit, no number to
int) and twenty digits (past what the database driver takes) were a 500 on the items, search and
inbox filters, the inbox's actions, the conference invitations, the contact form and a user's
sessions; now they are read as no id (app/services/digits.row_id)."""
from __future__ import annotations

import pytest

from tests.conftest import csrf_token, login

BAD = ["²", "99999999999999999999", "1" * 5000]


@pytest.fixture
def staff(make_user, make_agency):
    return make_user(role="staff", agency=make_agency())


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(("url", "field"), [("/items/", "outlet"), ("/search/", "outlet"), ("/inbox/", "agency"),
                                            ("/inbox/", "rule")])
def test_a_filter_naming_no_id_is_left_out(client, staff, url, field, value):
    login(client, staff)
    response = client.get(url, query_string={"q": "آب", field: value})
    assert response.status_code in (200, 400), (url, field, response.status_code)


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(("url", "data"), [
    ("/inbox/mark", {"route_id": None, "status": "seen"}), ("/inbox/mark", {"route_id": "1", "next": None}),
    ("/contacts/new", {"journalist": None, "channel": "phone", "direction": "out", "summary": "گفت‌وگو"}),
    ("/contacts/new", {"journalist": "", "items": None, "channel": "phone", "summary": "گفت‌وگو"}),
])
def test_a_form_naming_no_id_is_a_message_not_an_error_page(client, staff, url, data, value):
    login(client, staff)
    data = {k: (value if v is None else v) for k, v in data.items()}
    response = client.post(url, data={"csrf_token": csrf_token(client, "/"), **data})
    assert response.status_code < 500, (url, data, response.status_code)


@pytest.mark.parametrize("value", BAD)
def test_ending_a_session_that_is_no_id_is_a_message(client, make_user, value):
    admin, user = make_user(role="admin"), make_user(role="viewer")
    login(client, admin)
    response = client.post(f"/admin/users/{user.id}/sessions/end",
                           data={"csrf_token": csrf_token(client, "/"), "session": value})
    assert response.status_code < 500
