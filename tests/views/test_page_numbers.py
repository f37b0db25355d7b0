"""Every paged list answers a page number past any list: ?page=99999999999999999999 was larger than
the database's OFFSET takes (a 500 on the directory, inbox, items, feeds, contacts, conferences,
alerts and audit pages); now it is read as the last page one can ask for (app/web/paging.py)."""
from __future__ import annotations

import re

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


URL_FOR_OPTIONS = {"_method": "POST", "_anchor": "x", "_external": "1", "_scheme": "https", "endpoint": "x"}


# The lists whose page 2 draws links with the query even when empty (back to page 1, the cases'
# export; the contacts, conferences and search pages draw theirs with rows only, built the same way).
QUERY_CARRYING_LISTS = ["/inbox/", "/items/", "/cases/agency", "/directory/outlets", "/directory/journalists"]


def _query_links(response) -> list[str]:
    """The page's links that carry its query (``q``): to its other pages, to its export."""
    return re.findall(r'href="([^"]*(?:\?|&amp;)q=[^"]*)"', response.get_data(as_text=True))


@pytest.mark.parametrize("url", QUERY_CARRYING_LISTS)
def test_url_for_options_in_the_query_are_not_carried_into_the_lists_links(client, make_user, make_agency, url):
    """A list carries its query into its links (pages, export) through ``url_for``, which read
    «?_method=POST» as its own option (no such route: a 500), «?endpoint=» as a second endpoint (a
    500), and «_anchor», «_external», «_scheme» as a fragment or an absolute URL. The page is the one
    without them."""
    login(client, make_user(role="staff", agency=make_agency()))
    plain = _query_links(client.get(url, query_string={"page": "2", "q": "آب"}))
    assert plain, url  # the query is carried
    for name, value in URL_FOR_OPTIONS.items():
        response = client.get(url, query_string={"page": "2", "q": "آب", name: value})
        assert response.status_code == 200, (url, name, response.status_code)
        assert _query_links(response) == plain, (url, name)
