"""Shared fixtures of the contact-log tests: two agencies with their users, a small directory
(three local outlets, one inactive local outlet, a provincial one; journalists with one outlet,
two outlets and none), and helpers that log a contact at a Jalali day and time."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from app.extensions import db
from app.jalali import parse_jalali_datetime
from app.scoping import agency_scope
from app.services.contacts import ContactDraft, log_contact
from app.services.directory_keys import name_key
from models import Journalist, Outlet


@dataclass
class ContactWorld:
    water: object
    power: object
    staff: object
    staff2: object
    manager: object
    viewer: object
    power_staff: object
    supervisor: object
    admin: object
    local1: Outlet  # «روزنامهٔ شهر»
    local2: Outlet  # «رادیو محلی»
    local3: Outlet  # «هفته‌نامهٔ کرانه»
    closed: Outlet  # local, inactive: never counted
    provincial: Outlet
    one: Journalist  # works for local1 only
    two: Journalist  # local2 and the provincial outlet
    free: Journalist  # no outlet


def _outlet(name, scope="local", active=True, city="مرکز استان"):
    outlet = Outlet(name=name, name_key=name_key(name), scope=scope, is_active=active, city=city, kind="newspaper")
    db.session.add(outlet)
    return outlet


def _journalist(name, outlets):
    journalist = Journalist(name=name, name_key=name_key(name), outlets=list(outlets))
    db.session.add(journalist)
    return journalist


@pytest.fixture
def cworld(app, make_agency, make_user):
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    power = make_agency(slug="power", name_fa="شرکت توزیع برق")
    local1, local2 = _outlet("روزنامهٔ شهر"), _outlet("رادیو محلی")
    local3 = _outlet("هفته‌نامهٔ کرانه", city="شهرستان نمونه")
    closed, provincial = _outlet("نشریهٔ تعطیل‌شده", active=False), _outlet("خبرگزاری استان", scope="provincial")
    one = _journalist("مریم احمدی", [local1])
    two = _journalist("رضا کریمی", [local2, provincial])
    free = _journalist("زهرا موسوی", [])
    db.session.commit()
    return ContactWorld(
        water, power, make_user("staff", water, username="w-staff"), make_user("staff", water, username="w-staff2"),
        make_user("manager", water, username="w-manager"), make_user("viewer", water, username="w-viewer"),
        make_user("staff", power, username="p-staff"), make_user("supervisor", username="sup"),
        make_user("admin", username="root"), local1, local2, local3, closed, provincial, one, two, free)


def log_at(actor, when: str, *, journalist=None, outlet=None, now: datetime | None = None, **fields):
    """Log a contact as ``actor`` (in their agency's scope) at a local Jalali «1405/09/01 10:00»."""
    at = parse_jalali_datetime(when)
    day, time = when.split()[0], (when.split()[1] if " " in when else "")
    draft = ContactDraft(journalist=str(journalist.id) if journalist else "", outlet=str(outlet.id) if outlet else "",
                         date=day, time=time, topic=fields.pop("topic", "گفت‌وگو"), **fields)
    with agency_scope(actor.agency_id):
        return log_contact(draft, actor, now=now or max(at, datetime.now(at.tzinfo)))
