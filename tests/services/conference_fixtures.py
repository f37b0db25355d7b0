"""Fixtures for the press-conference tests (services and pages).

``conf``: agencies A and B, a user of every role (A's manager, staff and viewer; B's staff), a
small directory (local, provincial and national outlets, journalists), and ``plan()`` that plans
a conference of A through the real service. Bind it in a test module:
``from tests.services import conference_fixtures`` then ``conf = conference_fixtures.conf``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from app.clock import local_today
from app.extensions import db
from app.services.conferences import ConferenceDraft, plan_conference
from app.services.directory_keys import name_key
from models import Agency, Journalist, JournalistPhone, Outlet, User

SECRET = "SECRET-CONFERENCE-OF-B"


@dataclass
class Conf:
    a: Agency
    b: Agency
    admin: User
    supervisor: User
    manager: User
    staff: User
    viewer: User
    staff_b: User
    local1: Outlet
    local2: Outlet
    provincial: Outlet
    national: Outlet
    maryam: Journalist  # local1
    reza: Journalist    # local1
    zahra: Journalist   # provincial

    def plan(self, *, days: int = 7, time: str = "10:00", title: str = "نشست خبری کم‌آبی", actor=None,
             day: date | None = None, topics: str = "کم‌آبی\nآب‌بها", place: str = "سالن اجتماعات",
             spokespeople: str = "مدیرعامل"):
        """A conference of A (or of ``actor``'s agency) ``days`` from today at ``time``."""
        return plan_conference(ConferenceDraft(title=title, topics=topics, day=day or local_today() + timedelta(days=days),
                                               start_time=time, duration_minutes=90, place=place,
                                               spokespeople=spokespeople), actor or self.staff)


def _outlet(name: str, scope: str) -> Outlet:
    outlet = Outlet(name=name, scope=scope, kind="newspaper", name_key=name_key(name))
    db.session.add(outlet)
    return outlet


def _journalist(name: str, outlet: Outlet, phone: str) -> Journalist:
    journalist = Journalist(name=name, name_key=name_key(name), email=f"{phone[-4:]}@example.ir")
    journalist.outlets.append(outlet)
    journalist.phones.append(JournalistPhone(e164=phone))
    db.session.add(journalist)
    return journalist


@pytest.fixture
def conf(app, make_agency, make_user):
    a = make_agency(slug="water", name_fa="آب و فاضلاب")
    b = make_agency(slug="power", name_fa="توزیع برق")
    users = {"admin": make_user(role="admin"), "supervisor": make_user(role="supervisor"),
             "manager": make_user(role="manager", agency=a), "staff": make_user(role="staff", agency=a),
             "viewer": make_user(role="viewer", agency=a), "staff_b": make_user(role="staff", agency=b)}
    local1, local2 = _outlet("روزنامهٔ شهر", "local"), _outlet("پایگاه خبری جاده", "local")
    provincial, national = _outlet("رادیو استان", "provincial"), _outlet("خبرگزاری سراسری", "national")
    maryam = _journalist("مریم احمدی", local1, "+989121110001")
    reza = _journalist("رضا کریمی", local1, "+989121110002")
    zahra = _journalist("زهرا موسوی", provincial, "+989121110003")
    db.session.commit()
    return Conf(a, b, **users, local1=local1, local2=local2, provincial=provincial, national=national,
                maryam=maryam, reza=reza, zahra=zahra)
