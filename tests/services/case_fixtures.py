"""Fixtures for the public-question case tests (services, CLI, and the pages built on them).

``desk``: two agencies (A, B) and a user of every role; ``open_at(status)`` opens a case of
agency A and drives it through the real workflow to ``status``. Bind the fixtures in a test
module (so pytest finds them and linters see no shadowed import):
``from tests.services import case_fixtures`` then ``desk = case_fixtures.desk``.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.services.cases import ManualSource, move, open_case
from models import Agency, Feed, Item, User

_numbers = itertools.count(1)
LINK = "https://water.example.ir/news/answer-1"
# A Sunday well in the past (every test's "today" is later), 1405/02/20 = 2026-05-10.
OPENED = J("1405/02/20")


@dataclass
class Desk:
    a: Agency
    b: Agency
    admin: User
    supervisor: User
    manager: User
    staff: User
    staff2: User
    viewer: User
    manager_b: User
    staff_b: User

    def open(self, status: str = "new", *, agency: Agency | None = None, opened_on: date = OPENED,
             priority: str = "normal", title: str = "چرا آب محله قطع است؟", item_id: int | None = None) -> object:
        """A case of agency A (or ``agency``), driven to ``status`` by the right people."""
        agency = agency or self.a
        manual = None if item_id else ManualSource(channel="radio", outlet_name="رادیو استان", programme="صبح بخیر")
        case = open_case(self.admin, agency=agency, item_id=item_id, manual=manual, title=title,
                         priority=priority, opened_on=opened_on)
        manager, staff = (self.manager, self.staff) if agency.id == self.a.id else (self.manager_b, self.staff_b)
        path = {
            "new": [], "accepted": ["accepted"], "assigned": ["accepted", "assigned"],
            "drafted": ["accepted", "assigned", "drafted"],
            "approved": ["accepted", "assigned", "drafted", "approved"],
            "published": ["accepted", "assigned", "drafted", "approved", "published"],
            "closed": ["accepted", "assigned", "drafted", "approved", "published", "closed"],
            "rejected": ["rejected"], "merged": ["merged"],
        }[status]
        for step in path:
            if step == "accepted":
                move(case, "accepted", manager)
            elif step == "assigned":
                move(case, "assigned", manager, assignee=staff)
            elif step == "drafted":
                move(case, "drafted", staff, answer="لوله‌گذاری تا پایان هفته تمام می‌شود.")
            elif step == "approved":
                move(case, "approved", manager)
            elif step == "published":
                move(case, "published", staff, link=LINK)
            elif step == "closed":
                move(case, "closed", manager)
            elif step == "rejected":
                move(case, "rejected", manager, reason="پرسش نیست")
            elif step == "merged":
                target = self.open("new", agency=agency)
                move(case, "merged", manager, into=target)
        return case


@pytest.fixture
def desk(app, make_agency, make_user) -> Desk:
    a = make_agency(slug="water", name_fa="آب و فاضلاب")
    b = make_agency(slug="power", name_fa="توزیع برق")
    return Desk(
        a=a, b=b, admin=make_user(role="admin", username="admin"),
        supervisor=make_user(role="supervisor", username="supervisor"),
        manager=make_user(role="manager", agency=a, username="water.manager"),
        staff=make_user(role="staff", agency=a, username="water.staff"),
        staff2=make_user(role="staff", agency=a, username="water.staff2"),
        viewer=make_user(role="viewer", agency=a, username="water.viewer"),
        manager_b=make_user(role="manager", agency=b, username="power.manager"),
        staff_b=make_user(role="staff", agency=b, username="power.staff"),
    )


@pytest.fixture
def make_item(app):
    def make(title: str = "اهالی محله می‌پرسند چرا آب قطع است؟", published_at: datetime | None = None,
             fetched_at: datetime | None = None) -> Item:
        """An item the monitor got when it was published, unless ``fetched_at`` says otherwise."""
        feed = db.session.scalar(select(Feed)) or Feed(url="https://news.example.ir/rss", title="خوراک")
        db.session.add(feed)
        db.session.flush()
        n = next(_numbers)
        published_at = published_at or datetime(2026, 5, 10, 6, tzinfo=UTC)
        item = Item(feed_id=feed.id, title=title, published_at=published_at, fetched_at=fetched_at or published_at,
                    content_hash=f"{n:040d}", link=f"https://news.example.ir/{n}")
        db.session.add(item)
        db.session.commit()
        return item

    return make
