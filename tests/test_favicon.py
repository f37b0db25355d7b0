"""A file opened in a tab of its own (a conference photo, an evidence PDF) has no page to name the
icon, and the browser asks for /favicon.ico: a 404 in the console and the server's log each time
(session 48's walk in Chromium). It is the pages' own icon, to anyone, logged in or not."""
from __future__ import annotations


def test_favicon_ico_is_the_pages_icon_for_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.get_data() == client.get("/static/img/favicon.svg").get_data()
