"""The evidence register's read for the scorecard: which records count in a period. Event
records in the period of their day; standing records there and, the newest one, carried into
every later period until superseded; across the Jalali year boundary; through the scope."""
from __future__ import annotations

import json

from app.extensions import db
from app.jalali import jalali_month_range, jalali_season_range, parse_jalali_date
from app.scoping import agency_scope
from app.services.evidence import evidence_in
from models import EVIDENCE_CLAUSE_NUMBERS, EvidenceRecord


def rec(agency, clause, day, standing=False, note="سند"):
    record = EvidenceRecord(agency_id=agency.id, clause=clause, happened_on=parse_jalali_date(day),
                            is_standing=standing, note=note)
    db.session.add(record)
    db.session.commit()
    return record


def ids(refs):
    return [r.id for r in refs]


def test_event_records_count_in_their_period_only(app, make_agency):
    water = make_agency(slug="water")
    esfand = rec(water, 7, "1404/12/29", note="دورهٔ آموزشی خبرنویسی " * 20)
    farvardin = rec(water, 7, "1405/01/01")
    result = evidence_in(*jalali_month_range(1405, 1), [water.id])
    assert set(result[water.id]) == set(EVIDENCE_CLAUSE_NUMBERS)
    assert ids(result[water.id][7]) == [farvardin.id]
    winter = evidence_in(*jalali_season_range(1404, 4), [water.id])[water.id][7]
    assert ids(winter) == [esfand.id] and len(winter[0].note) <= 120 and winter[0].note.endswith("…")
    assert winter[0].carried is False
    json.dumps({a: {c: [r.as_dict() for r in refs] for c, refs in by.items()} for a, by in result.items()})


def test_the_newest_standing_record_is_carried_until_superseded(app, make_agency):
    water = make_agency(slug="water")
    old = rec(water, 1, "1403/05/01", standing=True)
    newer = rec(water, 1, "1404/10/15", standing=True)
    meeting = rec(water, 3, "1404/11/01")  # a council meeting: an event
    council = rec(water, 3, "1404/02/01", standing=True)  # the council's formation
    later = rec(water, 1, "1405/01/20", standing=True)
    month = evidence_in(*jalali_month_range(1405, 1), [water.id])[water.id]
    assert ids(month[1]) == [newer.id, later.id]  # carried first, then the one of the month
    assert [r.carried for r in month[1]] == [True, False]
    assert ids(month[3]) == [council.id]  # the meeting of Bahman does not carry
    assert old.id not in ids(month[1])
    before = evidence_in(*jalali_month_range(1404, 11), [water.id])[water.id]
    assert ids(before[1]) == [newer.id] and ids(before[3]) == [council.id, meeting.id]
    assert evidence_in(*jalali_month_range(1403, 1), [water.id])[water.id][1] == []


def test_scope_and_agencies(app, make_agency):
    water, power = make_agency(slug="water"), make_agency(slug="power")
    mine, theirs = rec(water, 13, "1405/01/01", standing=True), rec(power, 13, "1405/01/01", standing=True)
    period = jalali_month_range(1405, 2)
    everyone = evidence_in(*period)
    assert ids(everyone[water.id][13]) == [mine.id] and ids(everyone[power.id][13]) == [theirs.id]
    with agency_scope(water.id):
        assert set(evidence_in(*period)) == {water.id}
        assert evidence_in(*period, [power.id]) == {}
