"""Every paged list answers a page number past any list: ?page=99999999999999999999 was larger than
the database's OFFSET takes (a 500 on the directory, inbox, items, feeds, contacts, conferences,
alerts and audit pages); now it is read as the last page one can ask for (app/web/paging.py)."""
from __future__ import annotations

import pytest

from tests.conftest import login

HUGE = "99999999999999999999"
LISTS = [("staff", "/inbox/"), ("staff", "/items/"), ("staff", "/alerts/"), ("staff", "/reminders/"),
         ("staff", "/contacts/"), ("staff", "/conferences/"), ("staff", "/cases/agency"),
         ("staff", "/directory/outlets"), ("staff", "/directory/journalists"),
         ("admin", "/feeds/"), ("admin", "/admin/audit")]


@pytest.mark.parametrize(("role", "url"), LISTS)
@pytest.mark.parametrize("page", [HUGE, "-3", "دو", "۲"])
def test_a_page_number_past_any_list_or_no_number_is_a_page(client, make_user, make_agency, role, url, page):
    user = make_user(role=role, agency=make_agency() if role == "staff" else None)
    login(client, user)
    response = client.get(url, query_string={"page": page})
    assert response.status_code == 200, (url, page, response.status_code)
