"""A list with nothing in it says so plainly: a new agency's manager, who had chosen no filter, read
«تماسی با این پالایه‌ها ثبت نشده است» («with these filters») on the contacts, conferences and cases
lists and went looking for a filter to clear (session 42's walk). A filter chosen is still named."""
from __future__ import annotations

from tests.conftest import login


def test_an_empty_list_without_a_filter_does_not_blame_one(client, make_agency, make_user):
    login(client, make_user("manager", make_agency(slug="agriculture")))
    said = {path: client.get(path).get_data(as_text=True) for path in ("/contacts/", "/conferences/", "/cases/agency")}
    assert "هنوز تماسی ثبت نشده است." in said["/contacts/"]
    assert "هنوز نشستی برنامه‌ریزی نشده است." in said["/conferences/"]
    assert "پروندهٔ بازی نیست." in said["/cases/agency"]
    assert all("با این پالایه‌ها" not in html for html in said.values())
    assert "تماسی با این پالایه‌ها ثبت نشده است." in client.get("/contacts/?channel=phone").get_data(as_text=True)
