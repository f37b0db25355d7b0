"""A month of one agency's work for the report tests: agency A ("water", «آب و فاضلاب») in
Ordibehesht 1405 has two answered cases (one on time, one late), one open overdue case, a press
conference with a question and a confirmed coverage item, two contacts with local outlets (one
local outlet never contacted), and two monitored items of one story plus one other item routed
to it on 1405/02/20; agency B ("power") has a case and an item of its own.

Bind in a test module: ``from tests.reports import report_fixtures`` then
``world = report_fixtures.world`` (and ``desk``/``make_item`` likewise).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.jalali import parse_jalali_date as J
from models import (
    ConferenceCoverage,
    ConferenceQuestion,
    Contact,
    ItemRoute,
    Outlet,
    PressConference,
    StoryCluster,
)
from tests.services import case_fixtures

desk, make_item = case_fixtures.desk, case_fixtures.make_item

ON_TIME_QUESTION = "چرا آب محله قطع است؟"
LATE_QUESTION = "فشار آب طبقه‌های بالا کی درست می‌شود؟"
OPEN_QUESTION = "لولهٔ ترکیده در خیابان امام کی تعمیر می‌شود؟"
POWER_QUESTION = "خاموشی‌های شبانه تا کی ادامه دارد؟"
CONFERENCE = "نشست خبری تابستان بی‌تنش"
STORY = "قطعی آب در سه محلهٔ شهر"
OTHER = "بازدید مدیرعامل از تصفیه‌خانه"
POWER_ITEM = "برنامهٔ خاموشی فردا"
DAY = J("1405/02/20")  # 2026-05-10
TODAY = J("1405/03/10")


@dataclass
class World:
    desk: object
    cases: dict
    conference: PressConference
    outlets: dict
    items: dict


def _answered(desk, opened: str, answered: str, title: str):
    case = desk.open("published", opened_on=J(opened), title=title)
    case.answered_on = J(answered)
    db.session.commit()
    return case


def _route(item, agency, status="new"):
    db.session.add(ItemRoute(item_id=item.id, agency_id=agency.id, status=status))


@pytest.fixture
def world(desk, make_item) -> World:
    cases = {
        "on_time": _answered(desk, "1405/02/20", "1405/02/22", ON_TIME_QUESTION),  # due 02/26; 2 working days
        "late": _answered(desk, "1405/02/06", "1405/02/14", LATE_QUESTION),  # due 02/12; 7 working days
        "open": desk.open("assigned", opened_on=J("1405/02/20"), title=OPEN_QUESTION),  # overdue by TODAY
        "power": desk.open("accepted", agency=desk.b, opened_on=J("1405/02/21"), title=POWER_QUESTION),
    }
    local = {name: Outlet(name=name, scope="local", city="ارومیه") for name in ("رادیو استان", "روزنامهٔ محلی", "هفته‌نامهٔ شهر")}
    db.session.add_all(local.values())
    db.session.flush()
    conference = PressConference(title=CONFERENCE, agency_id=desk.a.id, status="held",
                                 starts_at=datetime(2026, 5, 12, 6, 30, tzinfo=UTC))
    db.session.add(conference)
    db.session.flush()
    db.session.add(ConferenceQuestion(conference_id=conference.id, text="برنامهٔ جیره‌بندی چیست؟"))
    story, other, power_item = make_item(STORY, datetime(2026, 5, 10, 6, tzinfo=UTC)), \
        make_item(OTHER, datetime(2026, 5, 10, 9, tzinfo=UTC)), make_item(POWER_ITEM, datetime(2026, 5, 10, 7, tzinfo=UTC))
    copy = make_item(STORY + " (بازنشر)", datetime(2026, 5, 10, 8, tzinfo=UTC))
    cluster = StoryCluster(first_item_id=story.id, item_count=2)
    db.session.add(cluster)
    db.session.flush()
    story.cluster_id = copy.cluster_id = cluster.id
    story.outlet_id, copy.outlet_id = local["رادیو استان"].id, local["روزنامهٔ محلی"].id
    db.session.add(ConferenceCoverage(conference_id=conference.id, item_id=story.id, state="confirmed"))
    _route(story, desk.a, "accepted")
    _route(copy, desk.a, "new")
    _route(other, desk.a, "seen")
    _route(power_item, desk.b, "new")
    _route(story, desk.b, "dismissed")  # which agency an item went to is that agency's business
    db.session.add_all([
        Contact(agency_id=desk.a.id, outlet_id=local["رادیو استان"].id, channel="interview", direction="outbound",
                topic="گفت‌وگو دربارهٔ کم‌آبی", happened_at=datetime(2026, 5, 11, 7, tzinfo=UTC)),
        Contact(agency_id=desk.a.id, outlet_id=local["روزنامهٔ محلی"].id, channel="phone", direction="inbound",
                topic="پرسش دربارهٔ قطعی", happened_at=datetime(2026, 5, 13, 7, tzinfo=UTC)),
        Contact(agency_id=desk.b.id, outlet_id=local["هفته‌نامهٔ شهر"].id, channel="phone", direction="outbound",
                topic="خاموشی", happened_at=datetime(2026, 5, 13, 7, tzinfo=UTC)),
    ])
    db.session.commit()
    return World(desk, cases, conference, local, {"story": story, "copy": copy, "other": other, "power": power_item})
