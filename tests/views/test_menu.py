"""The grouped top menu, from NAV_ITEMS: each role gets every page it may open, in menu order,
under its group; a group with no page for the role is left out, one with a single page is a plain
link; counts add up on the group; the current page (or another page of its blueprint) marks its
group. The browser side (fits 1300px, dropdowns open, RTL) is tests/browser/test_menu.py."""
from __future__ import annotations

import re

import pytest

from app.policy import ROLES
from app.web.navigation import NAV_GROUPS, NAV_ITEMS, nav_menu
from tests.conftest import login


def _menu_for(app, user, endpoint):
    from flask_login import login_user

    with app.test_request_context("/"):
        login_user(user)
        return nav_menu(endpoint)


def test_every_item_has_a_known_group_and_groups_are_contiguous():
    keys = [i.group or i.endpoint for i in NAV_ITEMS]
    assert {i.group for i in NAV_ITEMS} - {None} == set(NAV_GROUPS)
    assert keys == sorted(keys, key=keys.index)  # a group's pages stand together in NAV_ITEMS


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_its_pages_grouped(app, client, make_user, role):
    user = make_user(role=role)
    menu = _menu_for(app, user, "main.index")
    assert [link.item for e in menu for link in e.links] == [i for i in NAV_ITEMS if role in i.roles]
    login(client, user)
    html = client.get("/").get_data(as_text=True)
    for key in NAV_GROUPS:
        entry = next((e for e in menu if e.key == key), None)
        toggle = f'id="nav-group-{key}"' in html
        assert toggle == bool(entry and entry.is_dropdown), (role, key)
        if entry and not entry.is_dropdown:  # one page: a plain link with the page's own name
            assert entry.label == entry.links[0].item.label
    assert re.search(r'aria-current="page" href="/">', html)
    assert 'class="nav-link dropdown-toggle active"' in html or 'class="nav-link active"' in html


def test_a_role_without_any_page_of_a_group_does_not_see_the_group(app, make_user):
    viewer_keys = {e.key for e in _menu_for(app, make_user(role="viewer"), "main.index")}
    hidden = {g for g in NAV_GROUPS if not any("viewer" in i.roles for i in NAV_ITEMS if i.group == g)}
    assert hidden and not hidden & viewer_keys


def test_group_counts_add_up_and_a_page_of_the_blueprint_marks_its_group(app, make_user, monkeypatch):
    from dataclasses import replace

    from app.web import navigation

    counted = [replace(i, counter=(lambda u: 2) if i.group == "news" else i.counter) for i in NAV_ITEMS]
    monkeypatch.setattr(navigation, "NAV_ITEMS", counted)
    menu = _menu_for(app, make_user(role="supervisor"), "conferences.show")
    news = next(e for e in menu if e.key == "news")
    assert news.count == 2 * len(news.links) and news.is_dropdown
    media = next(e for e in menu if e.key == "media")
    assert media.is_section and not media.is_active  # no link is the current page
    assert [e.key for e in menu if e.is_section] == ["media"]
