"""Lapsed contact: the local outlets an agency has not contacted in more than N days, counted in
Tehran's days across Jalali month and year boundaries (hand-computed), the setting, the
governorate's overview, and each agency's own contacts only."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.jalali import parse_jalali_date, parse_jalali_datetime
from app.scoping import agency_scope
from app.services import NotAllowed, ServiceError
from app.services.contact_lapsed import (
    lapsed_days,
    lapsed_outlets,
    lapsed_overview,
    lapsed_page,
    outlet_contacts,
    set_lapsed_days,
)
from models import AuditEntry
from tests.services import contact_fixtures
from tests.services.contact_fixtures import log_at

cworld = contact_fixtures.cworld


def _today(clock, jalali: str):
    clock.now = parse_jalali_datetime(jalali)


def _days(rows):
    return {r.outlet: r.days for r in rows}


def test_30_aban_to_1_azar_and_the_30_day_boundary(cworld, clock):
    log_at(cworld.staff, "1405/07/30 10:00", outlet=cworld.local1)  # 30 Mehr
    log_at(cworld.staff, "1405/08/01 10:00", outlet=cworld.local2)  # 1 Aban
    log_at(cworld.staff, "1405/08/30 18:00", journalist=cworld.one)  # 30 Aban, local1 through its journalist
    _today(clock, "1405/08/30 20:00")  # 30 Aban
    assert _days(outlet_contacts(cworld.water.id)) == {"هفته‌نامهٔ کرانه": None, "رادیو محلی": 29,
                                                       "روزنامهٔ شهر": 0}
    _today(clock, "1405/09/01 08:00")  # 1 Azar: Aban has 30 days, so 1 Aban was 30 days ago
    rows = outlet_contacts(cworld.water.id)
    assert _days(rows) == {"هفته‌نامهٔ کرانه": None, "رادیو محلی": 30, "روزنامهٔ شهر": 1}
    assert [r.outlet for r in rows] == ["هفته‌نامهٔ کرانه", "رادیو محلی", "روزنامهٔ شهر"]  # never first
    # A contact exactly N days ago still keeps the outlet; one day more and it is lapsed.
    assert _days(lapsed_outlets(cworld.water.id)) == {"هفته‌نامهٔ کرانه": None}
    _today(clock, "1405/09/02 08:00")
    assert _days(lapsed_outlets(cworld.water.id)) == {"هفته‌نامهٔ کرانه": None, "رادیو محلی": 31}
    assert _days(lapsed_outlets(cworld.water.id, days=31)) == {"هفته‌نامهٔ کرانه": None}


def test_the_last_contact_is_the_local_day_in_tehran(cworld, clock):
    # 1405/09/01 00:30 Tehran is 30 Aban 21:00 UTC: it counts for 1 Azar.
    log_at(cworld.staff, "1405/09/01 00:30", outlet=cworld.local1)
    _today(clock, "1405/09/01 12:00")
    row = next(r for r in outlet_contacts(cworld.water.id) if r.outlet_id == cworld.local1.id)
    assert (row.last_contact, row.days) == (parse_jalali_date("1405/09/01"), 0)


@pytest.mark.parametrize(("contact", "today", "days"), [
    ("1405/12/05", "1406/01/05", 29),  # Esfand 1405 has 29 days
    ("1403/12/05", "1404/01/05", 30),  # Esfand 1403 has 30 (a leap year)
    ("1405/12/29", "1406/01/01", 1),
    ("1403/12/30", "1404/01/01", 1),
    ("1404/12/29", "1405/01/30", 30),  # Esfand 1404 has 29 days: not lapsed yet
    ("1404/12/29", "1405/01/31", 31),  # lapsed
])
def test_across_esfand_and_the_year(cworld, clock, contact, today, days):
    log_at(cworld.staff, f"{contact} 10:00", outlet=cworld.local1)
    _today(clock, f"{today} 10:00")
    assert _days(outlet_contacts(cworld.water.id))["روزنامهٔ شهر"] == days
    assert ("روزنامهٔ شهر" in _days(lapsed_outlets(cworld.water.id))) == (days > 30)


def test_only_the_agencys_own_contacts_and_only_active_local_outlets(cworld, clock):
    log_at(cworld.power_staff, "1405/09/01 10:00", outlet=cworld.local1)
    log_at(cworld.staff, "1405/09/01 10:00", outlet=cworld.provincial)
    _today(clock, "1405/09/02 10:00")
    water = _days(outlet_contacts(cworld.water.id))
    assert water == {"هفته‌نامهٔ کرانه": None, "رادیو محلی": None, "روزنامهٔ شهر": None}  # no inactive, no provincial
    assert _days(outlet_contacts(cworld.power.id))["روزنامهٔ شهر"] == 1
    with agency_scope(cworld.water.id):  # the page reads through the scope too
        assert _days(lapsed_page(cworld.staff, "power").outlets) == water  # an agency user: always their own


def test_the_setting_admins_only_audited_and_checked(cworld):
    assert lapsed_days() == 30
    with pytest.raises(NotAllowed):
        set_lapsed_days("45", cworld.manager)
    for bad in ("0", "366", "abc", ""):
        with pytest.raises(ServiceError, match="عددی از ۱ تا ۳۶۵"):
            set_lapsed_days(bad, cworld.admin)
    assert set_lapsed_days("۴۵", cworld.admin) == 45 and lapsed_days() == 45
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "setting.changed"))
    assert entry.details == {"key": "contacts.lapsed_days", "value": 45}


def test_the_dashboard_overview(cworld, clock):
    log_at(cworld.staff, "1405/09/01 10:00", outlet=cworld.local1)
    log_at(cworld.power_staff, "1405/09/01 10:00", outlet=cworld.local1)
    log_at(cworld.power_staff, "1405/09/01 10:00", outlet=cworld.local2)
    log_at(cworld.power_staff, "1405/09/01 10:00", outlet=cworld.local3)
    _today(clock, "1405/09/05 10:00")
    with agency_scope(cworld.water.id):
        mine = lapsed_overview(cworld.staff)
    assert (mine.local_total, [r.outlet for r in mine.agency.lapsed]) == (3, ["رادیو محلی", "هفته‌نامهٔ کرانه"])
    with agency_scope(None):
        province = lapsed_overview(cworld.supervisor)
    assert [(r.agency.slug, len(r.lapsed)) for r in province.agencies] == [("water", 2)]  # power has none lapsed
    page = lapsed_page(cworld.supervisor)
    assert [(r.agency.slug, len(r.lapsed)) for r in page.overview] == [("water", 2), ("power", 0)]
    chosen = lapsed_page(cworld.supervisor, "power", "۲")
    assert (chosen.agency.slug, chosen.days, _days(chosen.lapsed)) == ("power", 2, {
        "رادیو محلی": 4, "روزنامهٔ شهر": 4, "هفته‌نامهٔ کرانه": 4})
    bad = lapsed_page(cworld.supervisor, "nope", "x")
    assert set(bad.errors) == {"agency", "days"} and bad.agency is None and bad.days == 30


def test_no_local_outlet_no_section(app, make_agency, make_user):
    user = make_user("staff")
    assert lapsed_overview(user) is None


def test_outlets_silent_alike_are_listed_in_persian_alphabetical_order(cworld, clock):
    """Found by a review of the commands: outlets never contacted (or silent the same number of
    days) were listed in code-point order, «پ» and «ک» after «ه» (`contacts lapsed`, the page and
    the dashboard's section)."""
    from tests.services.contact_fixtures import _outlet

    _outlet("پایگاه خبری جاده")
    _outlet("کانال خبری شهر")
    db.session.commit()
    _today(clock, "1405/09/02 10:00")
    assert [r.outlet for r in outlet_contacts(cworld.water.id)] == [
        "پایگاه خبری جاده", "رادیو محلی", "روزنامهٔ شهر", "کانال خبری شهر", "هفته‌نامهٔ کرانه"]
