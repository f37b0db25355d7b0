"""Attacks on the login tried afresh in session 40 that the code already withstood, kept as guards:
forced logout and login CSRF, and off-site ``next`` spellings a browser reads as another host."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import TEST_PASSWORD, csrf_token, login

FORGED = "از جای دیگری فرستاده شده"


@pytest.mark.parametrize("path", ["/logout", "/logout/everywhere"])
def test_a_forged_logout_is_refused_in_persian_and_ends_nothing(app, client, make_user, path):
    user = make_user(role="staff")
    login(client, user)
    for data in ({}, {"csrf_token": "forged"}, {"csrf_token": csrf_token(app.test_client())}):
        response = client.post(path, data=data)
        assert response.status_code == 400 and FORGED in response.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_a_login_form_token_from_another_browser_logs_no_one_in(app, make_user):
    """Login CSRF: a page elsewhere posting the attacker's own name, password and token (taken from
    the attacker's browser) must not log the victim's browser into the attacker's account."""
    attacker = make_user(role="staff")
    victim = app.test_client()
    token = csrf_token(app.test_client())
    response = victim.post("/login", data={"username": attacker.username, "password": TEST_PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 400 and FORGED in response.get_data(as_text=True)
    assert victim.get("/").status_code == 302


@pytest.mark.parametrize("target", ["https:evil.example", "///evil.example", "\u200f//evil.example",
                                    "javascript:alert(1)", "/%5Cevil.example", "/..//evil.example"])
def test_no_spelling_of_next_leaves_the_site(client, make_user, target):
    user = make_user(role="staff")
    response = client.post("/login", query_string={"next": target}, data={
        "username": user.username, "password": TEST_PASSWORD, "csrf_token": csrf_token(client)})
    location = response.headers["Location"]
    assert response.status_code == 302 and location.startswith("/") and not location.startswith("//")
    assert "\\" not in location and urlsplit(location).netloc == ""
