"""A fixed data set for the scorecard tests, across the Jalali year boundary 1403 → 1404 (1403 is
a leap year: Esfand has 30 days). Rows are written directly, with the days and times a person
would read off a calendar, so the tests can state every figure by hand.

Agency «water» (target: 1 conference a month), agency «power» (no target). Rest day: Friday;
holidays: the calendar's fixed ones (22 Bahman, 29 Esfand, Nowruz 1–4 Farvardin, 12–13 Farvardin). Weekdays: 1403/10/15 Sat, 1403/11/28 Sun, 1403/12/04 Sat,
1403/12/20 Mon, 1403/12/26 Sun, 1403/12/28 Tue, 1403/12/30 Thu, 1404/01/01 Fri, 1404/01/05 Tue,
1404/01/06 Wed, 1404/01/10 Sun.

Cases of water (ref: opened → deadline, answered):
  C1 1403-000001: 1403/12/30 → 1404/01/07, answered 1404/01/06 (on time; 2 working days: 01/05, 01/06)
  C2 1403-000002: 1403/12/20 → 1403/12/27, answered 1403/12/28 (late; 7: 21,22,23,25,26,27,28)
  C3 1403-000003: 1403/11/28 → 1403/12/05, answered 1403/12/04 (on time; 5: 11/29,11/30,12/01,12/02,12/04)
  C4 1403-000004: 1403/12/26 → 1404/01/09, never answered (assigned)
  C5 1403-000005: 1403/12/10, rejected (never counted)
  C6 1404-000001: 1404/01/05 → 1404/01/12, answered 1404/01/10 (on time; 4: 06, 07, 09, 10)
  C7 1403-000006: 1403/10/15 → 1403/10/22, answered 1403/10/25 (late; 9: 16,17,18,19,20,22,23,24,25)
Case of power: P1 1403-000007: 1403/12/15 → 1403/12/20, never answered (new).

Conferences of water: K1 held 1404/01/01 00:30 (local: Farvardin, though still 1403/12/30 in
UTC); K2 held 1403/12/10 10:00 with 2 questions, 1 confirmed and 1 suggested coverage item, and
a commitment due 1403/12/15 not done; K3 held 1403/11/05; K4 1403/12/20 cancelled.

Outlets: L1, L2, L3 local; P provincial; X local but inactive. Contacts of water: T1 L1
1403/12/30 23:00 (Esfand locally, 19:30 UTC), T2 L2 1404/01/01 00:15 (Farvardin locally, 1403/12/30
in UTC), T3 L1 1403/12/05, T4 P 1403/12/06, T5 L3 1403/11/10, T6 X 1403/12/07.

Water's portal feed (watched from 1403/11/01) has items of 1403/12/10, 1403/12/25 and 1404/01/20;
power has no portal. Water's evidence: E1 clause 1 standing 1403/06/01, E2 clause 7 1403/12/15,
E3 clause 7 1403/11/20, E4 clause 1 standing 1404/01/10 (supersedes E1 from then on).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pytest

from app.clock import from_local
from app.extensions import db
from app.jalali import parse_jalali_date as J
from models import (
    ConferenceCommitment,
    ConferenceCoverage,
    ConferenceQuestion,
    Contact,
    EvidenceRecord,
    Feed,
    Item,
    ItemSighting,
    Outlet,
    PressConference,
    PublicQuestion,
    utcnow,
)

TODAY = J("1404/02/15")


def at(jalali: str, time: str = "10:00") -> datetime:
    """A local (Tehran) Jalali day and time as the UTC instant stored."""
    day = J(jalali)
    hour, minute = (int(x) for x in time.split(":"))
    return from_local(datetime(day.year, day.month, day.day, hour, minute))


@dataclass
class ScoreWorld:
    water: object
    power: object
    cases: dict = field(default_factory=dict)
    conferences: dict = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)
    outlets: dict = field(default_factory=dict)
    feeds: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)


def _case(agency, ref: str, opened: str, deadline: str, answered: str | None, status: str) -> PublicQuestion:
    year, number = ref.split("-")
    case = PublicQuestion(ref=ref, ref_year=int(year), ref_number=int(number), title=f"پرسش {ref}", question="؟",
                          agency_id=agency.id, status=status, opened_on=J(opened), deadline_start=J(opened),
                          deadline_days=5, deadline=J(deadline), answered_on=J(answered) if answered else None)
    db.session.add(case)
    return case


@pytest.fixture
def sworld(app, make_agency) -> ScoreWorld:
    water = make_agency(slug="water", name_fa="آب و فاضلاب", conference_target=1, conference_target_period="month")
    power = make_agency(slug="power", name_fa="توزیع برق", conference_target=0, conference_target_period="year")
    w = ScoreWorld(water, power)
    w.cases = {
        "C1": _case(water, "1403-000001", "1403/12/30", "1404/01/07", "1404/01/06", "published"),
        "C2": _case(water, "1403-000002", "1403/12/20", "1403/12/27", "1403/12/28", "closed"),
        "C3": _case(water, "1403-000003", "1403/11/28", "1403/12/05", "1403/12/04", "published"),
        "C4": _case(water, "1403-000004", "1403/12/26", "1404/01/09", None, "assigned"),
        "C5": _case(water, "1403-000005", "1403/12/10", "1403/12/17", None, "rejected"),
        "C6": _case(water, "1404-000001", "1404/01/05", "1404/01/12", "1404/01/10", "published"),
        "C7": _case(water, "1403-000006", "1403/10/15", "1403/10/22", "1403/10/25", "published"),
        "P1": _case(power, "1403-000007", "1403/12/15", "1403/12/20", None, "new"),
    }
    feed = Feed(url="https://news.example.ir/rss", title="خوراک")
    db.session.add(feed)
    db.session.flush()
    items = [Item(feed_id=feed.id, title=f"خبر {n}", published_at=utcnow(), content_hash=f"sc{n}") for n in (1, 2)]
    db.session.add_all(items)
    db.session.flush()
    k2 = PressConference(agency_id=water.id, title="نشست اسفند", starts_at=at("1403/12/10"), status="held")
    k2.questions.extend([ConferenceQuestion(text="پرسش یکم"), ConferenceQuestion(text="پرسش دوم")])
    k2.coverage.extend([ConferenceCoverage(item_id=items[0].id, state="confirmed"),
                        ConferenceCoverage(item_id=items[1].id, state="suggested")])
    k2.commitments.append(ConferenceCommitment(text="لوله‌گذاری", due_on=J("1403/12/15")))
    w.conferences = {
        "K1": PressConference(agency_id=water.id, title="نشست نوروز", starts_at=at("1404/01/01", "00:30"),
                              status="held"),
        "K2": k2,
        "K3": PressConference(agency_id=water.id, title="نشست بهمن", starts_at=at("1403/11/05"), status="held"),
        "K4": PressConference(agency_id=water.id, title="نشست لغوشده", starts_at=at("1403/12/20"),
                              status="cancelled"),
    }
    db.session.add_all(w.conferences.values())
    w.outlets = {name: Outlet(name=f"رسانهٔ {name}", scope=scope, is_active=active)
                 for name, scope, active in (("L1", "local", True), ("L2", "local", True), ("L3", "local", True),
                                             ("P", "provincial", True), ("X", "local", False))}
    db.session.add_all(w.outlets.values())
    db.session.flush()
    for name, outlet, when, time in (("T1", "L1", "1403/12/30", "23:00"), ("T2", "L2", "1404/01/01", "00:15"),
                                     ("T3", "L1", "1403/12/05", "10:00"), ("T4", "P", "1403/12/06", "10:00"),
                                     ("T5", "L3", "1403/11/10", "10:00"), ("T6", "X", "1403/12/07", "10:00")):
        w.contacts[name] = Contact(agency_id=water.id, outlet_id=w.outlets[outlet].id, topic=f"تماس {name}",
                                   happened_at=at(when, time))
    db.session.add_all(w.contacts.values())
    portal = Feed(url="https://water.example.ir/rss", title="پایگاه آب", agency_id=water.id,
                  created_at=at("1403/11/01"))
    db.session.add(portal)
    db.session.flush()
    w.feeds = {"portal": portal}
    for n, day in enumerate(("1403/12/10", "1403/12/25", "1404/01/20")):
        item = Item(feed_id=portal.id, title=f"خبر پایگاه {n}", published_at=at(day), content_hash=f"pt{n}")
        db.session.add(item)
        db.session.flush()
        db.session.add(ItemSighting(feed_id=portal.id, item_id=item.id, key_hash=f"pt{n}", content_hash=f"pt{n}"))
    w.evidence = {
        "E1": EvidenceRecord(agency_id=water.id, clause=1, happened_on=J("1403/06/01"), is_standing=True,
                             note="حکم انتصاب"),
        "E2": EvidenceRecord(agency_id=water.id, clause=7, happened_on=J("1403/12/15"), note="دورهٔ خبرنویسی"),
        "E3": EvidenceRecord(agency_id=water.id, clause=7, happened_on=J("1403/11/20"), note="دورهٔ عکاسی"),
        "E4": EvidenceRecord(agency_id=water.id, clause=1, happened_on=J("1404/01/10"), is_standing=True,
                             note="حکم تازه"),
    }
    db.session.add_all(w.evidence.values())
    db.session.commit()
    return w
