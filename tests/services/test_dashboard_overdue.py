"""What is overdue now, on a hand-built day (1405/03/10): cases past their deadline, conference
commitments past their due day, local outlets without contact, stale portals; the province's
and one agency's."""
from __future__ import annotations

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.jalali import parse_jalali_datetime as T
from app.scoping import agency_scope
from app.services.dashboard_overdue import overdue_now
from models import ConferenceCommitment, Contact, Outlet, PressConference
from tests.services import case_fixtures
from tests.services.portal_fixtures import portal_feed, portal_item

desk = case_fixtures.desk
TODAY = J("1405/03/10")


def _case(desk, deadline: str, status: str = "assigned", **kw):
    case = desk.open(status, opened_on=J("1405/02/20"), **kw)
    case.deadline = J(deadline)
    db.session.commit()
    return case


def test_overdue_now_in_the_province_and_in_one_agency(desk):
    a, b = desk.a, desk.b
    late_a = _case(desk, "1405/03/05")  # 5 days late
    _case(desk, "1405/03/10")  # due today: not late yet
    late_b = _case(desk, "1405/02/31", status="accepted", agency=b)  # 10 days late
    _case(desk, "1405/03/01", status="published")  # answered
    conference = PressConference(agency_id=a.id, title="نشست بهار", starts_at=T("1405/02/25 10:00"), status="held")
    conference.commitments += [
        ConferenceCommitment(text="لوله‌گذاری خیابان امام", owner_label="معاونت", due_on=J("1405/03/01")),
        ConferenceCommitment(text="انجام‌شده", owner_label="معاونت", due_on=J("1405/03/01"),
                             done_at=T("1405/03/02 09:00")),
        ConferenceCommitment(text="موعد امروز", owner_label="معاونت", due_on=TODAY)]
    outlet = Outlet(name="روزنامهٔ شهر", scope="local")
    db.session.add_all([conference, outlet])
    db.session.flush()
    db.session.add(Contact(agency_id=a.id, outlet_id=outlet.id, topic="گفت‌وگو", happened_at=T("1405/03/01 10:00")))
    db.session.commit()
    portal_item(portal_feed(a, created="1405/01/01"), "1405/03/01 10:00")  # 9 days: stale (> 7)
    portal_item(portal_feed(b, created="1405/01/01"), "1405/03/08 10:00")  # 2 days: fresh

    province = overdue_now([a, b], agency_id=None, today=TODAY)
    assert [c.ref for c in province.cases] == [late_b.ref, late_a.ref] and province.cases_total == 2
    assert [province.days_late(c.deadline) for c in province.cases] == [10, 5]
    assert [c.text for c in province.commitments] == ["لوله‌گذاری خیابان امام"] and province.commitments_total == 1
    assert [(r.agency.slug, [o.outlet for o in r.lapsed]) for r in province.lapsed] == [("power", ["روزنامهٔ شهر"])]
    assert province.lapsed_days == 30 and province.local_outlets == 1
    assert [(agency.slug, f.days_since_update) for agency, f in province.stale_portals] == [("water", 9)]

    water = overdue_now([a], agency_id=a.id, today=TODAY)
    assert [c.ref for c in water.cases] == [late_a.ref] and water.commitments_total == 1
    assert water.lapsed == [] and [agency.slug for agency, _f in water.stale_portals] == ["water"]
    power = overdue_now([b], agency_id=b.id, today=TODAY)
    assert [c.ref for c in power.cases] == [late_b.ref] and power.commitments == [] and power.stale_portals == []
    with agency_scope(b.id):  # the scope alone keeps A's rows out as well
        assert [c.ref for c in overdue_now([b], agency_id=None, today=TODAY).cases] == [late_b.ref]
