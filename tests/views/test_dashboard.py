"""The dashboard shows the work waiting: an agency's queue to its users, the province's per agency
and what waits for a decision to the governorate; no login events or user counts; the system
status to the administrator only; a place for later features' sections (cases)."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from app.extensions import db
from app.services import dashboard
from app.services.routing import create_rule, route_items
from app.services.triage import reassign, request_reassignment, set_routes_status
from models import ItemRoute
from tests.conftest import login
from tests.search_index.item_factory import ItemFactory


@pytest.fixture
def world(app, make_agency, make_user):
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    power = make_agency(slug="power", name_fa="شرکت توزیع برق")
    make_agency(slug="idle", name_fa="سازمان بی‌کار")
    create_rule(water, "قطعی آب", "قطعی آب", actor_label="test")
    create_rule(power, "خاموشی", "خاموشی", actor_label="test")
    items = ItemFactory()
    local = items.outlet("روزنامهٔ محلی", scope="local")
    made = [items.make(title, text, outlet=local, published_at=datetime(2026, 11, 20 + n, 8, tzinfo=UTC))
            for n, (title, text) in enumerate([
                ("قطعی آب در محلهٔ شمالی", ""), ("قطعی آب در پایتخت", ""),
                ("قطعی آب؛ چرا کسی پاسخ نمی‌دهد؟", "اهالی محله گلایه دارند و خواستار رسیدگی‌اند."),
                ("خاموشی در شهرک صنعتی", "")])]
    route_items(db.session, made)
    db.session.commit()
    return {"water": water, "power": power,
            "staff": make_user(role="staff", agency=water, username="water-staff"),
            "power_staff": make_user(role="staff", agency=power, username="power-staff"),
            "supervisor": make_user(role="supervisor", username="sup"),
            "admin": make_user(role="admin", username="root")}


def _card(html: str, card_id: str) -> str:
    found = re.search(rf'id="{card_id}">.*?<div class="fs-3 num">(.*?)</div>', html, re.DOTALL)
    return found.group(1) if found else ""


def _route(title_part: str) -> ItemRoute:
    return next(r for r in db.session.scalars(select(ItemRoute)) if title_part in r.item.title)


def test_an_agencys_user_sees_the_agencys_work_waiting(client, login_as, world):
    login_as(world["staff"])
    html = client.get("/").get_data(as_text=True)
    assert (_card(html, "work-new"), _card(html, "work-seen"), _card(html, "work-questions"),
            _card(html, "work-received")) == ("۳", "۰", "۱", "۰")
    assert "work-requested" not in html  # no request of ours waits
    assert "محلهٔ شمالی" in html and "خاموشی" not in html  # the newest of our queue, not another agency's
    # Not the audit trail, user counts or the system status.
    assert "رویدادهای اخیر" not in html and "ورود موفق" not in html and "کاربران</div>" not in html
    assert "worker-status" not in html
    set_routes_status([_route("پایتخت")], "accepted", world["staff"])
    set_routes_status([_route("محلهٔ شمالی")], "seen", world["staff"])
    request_reassignment(_route("محلهٔ شمالی"), world["power"], "برق است", world["staff"])
    html = client.get("/").get_data(as_text=True)
    assert (_card(html, "work-new"), _card(html, "work-seen"), _card(html, "work-requested")) == ("۱", "۱", "۱")
    assert "پایتخت" not in html  # handled: not waiting


def test_the_receiver_counts_items_sent_from_other_agencies(client, login_as, world):
    reassign(_route("پایتخت"), world["power"], "برق است", world["supervisor"])
    login_as(world["power_staff"])
    html = client.get("/").get_data(as_text=True)
    assert (_card(html, "work-new"), _card(html, "work-received")) == ("۲", "۱")
    assert "پایتخت" in html and "محلهٔ شمالی" not in html


def test_the_governorate_sees_the_provinces_work_per_agency(client, login_as, world):
    request_reassignment(_route("محلهٔ شمالی"), world["power"], "برق است", world["staff"])
    login_as(world["supervisor"])
    html = client.get("/").get_data(as_text=True)
    assert _card(html, "work-pending") == "۱" and _card(html, "work-unassigned") == "۰"
    table = re.search(r'<table[^>]*id="work-by-agency".*?</table>', html, re.DOTALL).group(0)
    rows = [re.sub(r"<[^>]+>", " ", row).split() for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)[1:]]
    assert rows == [["شرکت", "آب", "و", "فاضلاب", "۳", "۰", "۱", "۰", "۱"],
                    ["شرکت", "توزیع", "برق", "۱", "۰", "۰", "۰", "۰"]]
    assert "سازمان بی‌کار" not in table  # nothing waits there
    assert f'href="/inbox/?agency={world["water"].id}"' in table
    assert "worker-status" not in html and "کاربران</div>" not in html


def test_the_administrator_keeps_a_short_system_status(client, login_as, world):
    login_as(world["admin"])
    html = client.get("/").get_data(as_text=True)
    assert 'id="worker-status"' in html and "وضعیت سامانه" in html and 'id="work-by-agency"' in html


def test_a_later_features_section_shows_only_when_it_has_data(app, client, login_as, world, monkeypatch):
    app.jinja_env.loader = ChoiceLoader([DictLoader({"test/_cases.html": '<p id="cases">{{ section.data.overdue }}</p>'}),
                                         app.jinja_env.loader])
    given = {"data": None}

    def cases(user):
        return dashboard.DashboardSection("cases", "test/_cases.html", given["data"]) if given["data"] else None

    monkeypatch.setattr(dashboard, "SECTION_PROVIDERS", [*dashboard.SECTION_PROVIDERS, cases])
    login_as(world["staff"])
    assert 'id="cases"' not in client.get("/").get_data(as_text=True)
    given["data"] = {"overdue": 4}
    assert '<p id="cases">4</p>' in client.get("/").get_data(as_text=True)


def test_another_agency_sees_none_of_it(app, world):
    other = app.test_client()
    login(other, world["power_staff"])
    html = other.get("/").get_data(as_text=True)
    assert _card(html, "work-new") == "۱" and "خاموشی" in html
    assert [w for w in ("محلهٔ شمالی", "پایتخت", "کسی پاسخ", "شرکت آب و فاضلاب") if w in html] == []


def test_a_reassignment_by_the_system_names_it_in_the_readers_words(client, login_as, world):
    """Who sent a reassigned item is shown as the actors of the audit pages are: a system label
    («seed-demo», «cli») in the reader's words, not as stored (a review of session 42's pages)."""
    new = reassign(_route("پایتخت"), world["power"], "برق است", world["supervisor"])
    new.received_by_label = "seed-demo"
    db.session.commit()
    login_as(world["power_staff"])
    html = client.get("/inbox/").get_data(as_text=True)
    assert "دادهٔ نمایشی" in html and "seed-demo" not in html
