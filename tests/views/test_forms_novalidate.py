"""Forms with a «required» field let the server say an empty one, in Persian: without «novalidate»
Chromium stops the form with its own bubble in the browser's language («Please fill out this
field.», read as validationMessage in a browser walk of session 40, on a Persian page)."""
from __future__ import annotations

import re

from tests.conftest import csrf_token


def forms_left_to_the_browser(html: str) -> list[str]:
    """The opening tags of the forms holding a required control and no «novalidate»."""
    found = []
    for form in re.findall(r"<form\b[^>]*>.*?</form>", html, re.DOTALL):
        tag = form[:form.index(">") + 1]
        if re.search(r"<(input|select|textarea)\b[^>]*\brequired\b", form) and "novalidate" not in tag:
            found.append(tag)
    return found


def test_the_search_pages_save_form_and_an_empty_name(client, make_user, login_as):
    login_as(make_user(role="viewer"))
    html = client.get("/search/", query_string={"q": "آب"}).get_data(as_text=True)
    assert 'id="save-search-name"' in html
    assert forms_left_to_the_browser(html) == []
    response = client.post("/alerts/saved/new", data={"csrf_token": csrf_token(client, "/search/?q=آب"),
                                                      "q": "آب", "name": ""})
    assert response.status_code == 400 and "invalid-feedback" in response.get_data(as_text=True)


def test_the_second_factors_set_up_and_an_empty_password(app, client, make_user, login_as):
    app.config["MFA_REQUIRED_ROLES"] = ("admin", "supervisor")
    login_as(make_user(role="admin"))
    html = client.get("/account/two-factor").get_data(as_text=True)
    assert 'action="/account/two-factor/start"' in html
    assert forms_left_to_the_browser(html) == []
    client.post("/account/two-factor/start", data={"csrf_token": csrf_token(client, "/account/two-factor"),
                                                   "password": ""})
    said = client.get("/account/two-factor").get_data(as_text=True)
    assert re.search(r'class="alert alert-warning"[^>]*>\s*[^<\sA-Za-z]', said), "no Persian message"
