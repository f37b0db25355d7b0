"""A command or a setting named inside a Persian sentence is held left to right in <code dir="ltr">:
«user reset-2fa» in the right-to-left sentence read «reset-2fa user» in places, and its hyphen
broke the line (session 40's list of defects)."""
from __future__ import annotations

from tests.conftest import login


def test_the_reset_command_on_ones_own_account_page_is_code_held_left_to_right(client, make_user):
    admin = make_user(role="admin")
    login(client, admin)
    html = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert '<code dir="ltr">user reset-2fa</code>' in html and "«user reset-2fa»" not in html


def test_the_learning_setting_on_the_learning_page_is_code_held_left_to_right(app, client, make_user):
    app.config["LEARNING"] = False
    login(client, make_user(role="admin"))
    html = client.get("/learning/").get_data(as_text=True)
    assert '<code dir="ltr">HAMZABAN_LEARNING</code>' in html


def test_the_search_helps_latin_operators_are_code_held_left_to_right(client, make_user):
    """«(title: هم پذیرفته است)»: the colon of an LTR word inside a Persian parenthesis was drawn on
    the wrong side («:title»); AND and OR, words one types, read as stray English (a walk of the demo)."""
    login(client, make_user(role="staff"))
    html = client.get("/search/").get_data(as_text=True)
    for operator in ("AND", "OR", "title:"):
        assert f'<code dir="ltr">{operator}</code>' in html, operator
