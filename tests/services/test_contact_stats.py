"""The contact figures of a Jalali month, hand-computed across month and year boundaries: local
outlets contacted out of all local outlets, contacts by channel and direction, and the days since
the last contact per local outlet as of the month's end (or today while the month runs)."""
from __future__ import annotations

from app.jalali import parse_jalali_date
from app.scoping import agency_scope
from app.services.contact_stats import contact_figures
from tests.services import contact_fixtures
from tests.services.contact_fixtures import log_at

cworld = contact_fixtures.cworld


def _figures(agency, period: tuple[int, int], today: str):
    return contact_figures(*period, agency_id=agency.id, today=parse_jalali_date(today))[0]


def test_aban_and_azar_split_at_midnight_in_tehran(cworld):
    log_at(cworld.staff, "1405/08/30 23:50", outlet=cworld.local1, channel="visit")  # 30 Aban
    log_at(cworld.staff, "1405/09/01 00:10", outlet=cworld.local2, direction="inbound")  # 1 Azar
    log_at(cworld.staff, "1405/09/01 10:00", journalist=cworld.one, channel="message")  # local1
    log_at(cworld.staff, "1405/09/03 10:00", outlet=cworld.provincial)  # counted, not a local outlet
    log_at(cworld.power_staff, "1405/09/02 10:00", outlet=cworld.local3)  # another agency's
    aban = _figures(cworld.water, (1405, 8), "1405/09/20")
    assert (aban.as_of, aban.local_outlets, aban.local_outlets_contacted, aban.contacts) == (
        parse_jalali_date("1405/08/30"), 3, 1, 1)
    assert aban.by_channel == {"phone": 0, "visit": 1, "interview": 0, "press_release": 0, "message": 0, "event": 0}
    assert aban.by_direction == {"inbound": 0, "outbound": 1}
    assert {r.outlet: r.days for r in aban.days_since_last_contact} == {
        "روزنامهٔ شهر": 0, "رادیو محلی": None, "هفته‌نامهٔ کرانه": None}
    azar = _figures(cworld.water, (1405, 9), "1405/09/20")  # the month runs: as of today
    assert (azar.as_of, azar.local_outlets_contacted, azar.contacts) == (parse_jalali_date("1405/09/20"), 2, 3)
    assert (azar.by_channel["phone"], azar.by_channel["message"], azar.by_direction) == (
        2, 1, {"inbound": 1, "outbound": 2})
    assert {r.outlet: r.days for r in azar.days_since_last_contact} == {
        "روزنامهٔ شهر": 19, "رادیو محلی": 19, "هفته‌نامهٔ کرانه": None}
    assert azar.as_dict()["days_since_last_contact"][0] == {
        "outlet": "هفته‌نامهٔ کرانه", "outlet_id": cworld.local3.id, "days": None, "last_contact": None,
        "last_contact_jalali": None}


def test_esfand_and_farvardin_across_the_year(cworld):
    log_at(cworld.staff, "1405/12/29 12:00", outlet=cworld.local1)  # the last day of 1405
    log_at(cworld.staff, "1406/01/01 12:00", outlet=cworld.local2)
    esfand = _figures(cworld.water, (1405, 12), "1406/02/10")
    assert (esfand.as_of, esfand.local_outlets_contacted, esfand.contacts) == (parse_jalali_date("1405/12/29"), 1, 1)
    assert {r.outlet: r.days for r in esfand.days_since_last_contact}["روزنامهٔ شهر"] == 0
    farvardin = _figures(cworld.water, (1406, 1), "1406/02/10")  # Farvardin has 31 days
    assert (farvardin.as_of, farvardin.local_outlets_contacted) == (parse_jalali_date("1406/01/31"), 1)
    assert {r.outlet: r.days for r in farvardin.days_since_last_contact} == {
        "روزنامهٔ شهر": 31, "رادیو محلی": 30, "هفته‌نامهٔ کرانه": None}


def test_a_leap_esfand_has_its_30th_day(cworld):
    log_at(cworld.staff, "1403/12/30 12:00", outlet=cworld.local1)
    esfand = _figures(cworld.water, (1403, 12), "1404/01/10")
    assert (esfand.as_of, esfand.local_outlets_contacted, esfand.contacts) == (parse_jalali_date("1403/12/30"), 1, 1)


def test_every_agency_as_the_scope_sees_it(cworld):
    log_at(cworld.staff, "1405/09/01 12:00", outlet=cworld.local1)
    everyone = contact_figures(1405, 9, today=parse_jalali_date("1405/09/30"))
    assert [(f.agency, f.local_outlets_contacted) for f in everyone] == [("water", 1), ("power", 0)]
    with agency_scope(cworld.power.id):
        assert [f.agency for f in contact_figures(1405, 9, today=parse_jalali_date("1405/09/30"))] == ["power"]
