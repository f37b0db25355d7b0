"""The scorecard's conference figures and the cadence list, computed by hand across the Jalali
month and year boundary (Esfand 1405 has 29 days: 1405/12/29 = 2027-03-20, 1406/01/01 =
2027-03-21) and the zone's day boundary (Tehran is UTC+3:30)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.clock import from_local
from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.services import NotAllowed, ServiceError
from app.services.conference_cadence import cadence_rows, period_of, set_cadence
from app.services.conference_stats import conference_figures
from models import (
    ConferenceCommitment,
    ConferenceCoverage,
    ConferenceQuestion,
    Feed,
    Item,
    PressConference,
)


def at(jalali: str, hhmm: str = "10:00") -> datetime:
    """The UTC instant of a local Jalali day and time."""
    day = J(jalali)
    hour, minute = map(int, hhmm.split(":"))
    return from_local(datetime(day.year, day.month, day.day, hour, minute))


def conference(agency, when: datetime, status: str = "held") -> PressConference:
    c = PressConference(agency_id=agency.id, title="نشست", starts_at=when, status=status)
    db.session.add(c)
    db.session.flush()
    return c


@pytest.fixture
def items(app):
    feed = Feed(url="https://x.example.ir/rss")
    db.session.add(feed)
    db.session.flush()
    made = [Item(feed_id=feed.id, title=f"خبر {n}", content_hash=str(n), published_at=at("1405/12/01"))
            for n in range(6)]
    db.session.add_all(made)
    db.session.flush()
    return made


@pytest.fixture
def world(app, make_agency, items):
    a = make_agency(slug="water", conference_target=1, conference_target_period="month")
    b = make_agency(slug="power", conference_target=4, conference_target_period="year")
    c = make_agency(slug="gas", conference_target=3, conference_target_period="season")
    make_agency(slug="idle", conference_target=0)
    c1 = conference(a, at("1405/12/10"))
    c2 = conference(a, at("1405/12/29", "23:30"))  # the year's last evening: 20:00 UTC the same day
    c3 = conference(a, at("1406/01/01", "00:30"))  # the new year's first half hour: 21:00 UTC the day before
    assert c3.starts_at == datetime(2027, 3, 20, 21, 0, tzinfo=UTC)
    conference(a, at("1405/12/20"), "planned")
    conference(a, at("1405/12/21"), "cancelled")
    conference(b, at("1405/06/10"))
    conference(c, at("1406/02/10"), "planned")
    db.session.add_all([ConferenceQuestion(conference_id=c2.id, text="پرسش ۱"),
                        ConferenceQuestion(conference_id=c2.id, text="پرسش ۲"),
                        ConferenceQuestion(conference_id=c3.id, text="پرسش ۳")])
    db.session.add_all([ConferenceCoverage(conference_id=c1.id, item_id=items[0].id, state="confirmed"),
                        ConferenceCoverage(conference_id=c1.id, item_id=items[1].id, state="suggested"),
                        ConferenceCoverage(conference_id=c1.id, item_id=items[2].id, state="rejected"),
                        ConferenceCoverage(conference_id=c3.id, item_id=items[3].id, state="confirmed"),
                        ConferenceCoverage(conference_id=c3.id, item_id=items[4].id, state="confirmed")])
    db.session.add_all([
        # k1: due 12/20, done 12/25: done before either month's end.
        ConferenceCommitment(conference_id=c1.id, text="k1", due_on=J("1405/12/20"), done_at=at("1405/12/25")),
        # k2: made on the year's last evening, due 1406/01/10, never done.
        ConferenceCommitment(conference_id=c2.id, text="k2", due_on=J("1406/01/10")),
        # k3: due 12/15, done only on 1406/01/05: open (and overdue) at Esfand's end.
        ConferenceCommitment(conference_id=c1.id, text="k3", due_on=J("1405/12/15"), done_at=at("1406/01/05")),
        # k4: made at the new year's conference, no due day.
        ConferenceCommitment(conference_id=c3.id, text="k4"),
    ])
    db.session.commit()
    return a, b, c


def figures(period, today, slug="water"):
    return next(f for f in conference_figures(period, today=J(today)) if f.agency == slug)


def test_esfand_1405_counts_the_last_evening_and_not_the_new_years_first_half_hour(world):
    f = figures("1405-12", "1406/02/01")
    assert (f.held, f.target, f.questions, f.coverage_confirmed) == (2, 1.0, 2, 1)
    # As of 1405/12/29: k2 (due later) and k3 (done in 1406) are open; k3 is overdue.
    assert (f.commitments_open, f.commitments_overdue, f.as_of) == (2, 1, "2027-03-20")


def test_farvardin_1406_at_its_end_and_while_it_runs(world):
    f = figures("1406-01", "1406/02/01")
    assert (f.held, f.questions, f.coverage_confirmed) == (1, 1, 2)
    assert (f.commitments_open, f.commitments_overdue) == (2, 1)  # k2 (overdue since 01/10) and k4
    f = figures("۱۴۰۶/۱", "1406/01/07")  # today inside the month: counted as of today
    assert (f.commitments_open, f.commitments_overdue, f.as_of) == (2, 0, "2027-03-27")  # k2 not yet due, k4


def test_the_months_share_of_each_target_and_an_empty_month(world):
    shares = {f.agency: (f.target, f.target_count, f.target_period, f.held)
              for f in conference_figures("1405-11", today=J("1406/02/01"))}
    assert shares["water"] == (1.0, 1, "month", 0)
    assert shares["power"] == (0.33, 4, "year", 0)
    assert shares["gas"] == (1.0, 3, "season", 0)
    assert figures("1405-06", "1406/02/01", "power").held == 1


def test_a_month_that_cannot_be_read_is_refused_in_persian(world):
    with pytest.raises(ServiceError, match="خوانده نشد"):
        conference_figures("1405-13")


def test_periods_of_a_day_by_month_season_and_year():
    day = J("1406/01/15")
    assert (period_of("month", day).name, period_of("month", day).days) == ("فروردین ۱۴۰۶", 31)
    assert (period_of("season", day).first, period_of("season", day).days) == (J("1406/01/01"), 93)
    assert period_of("year", J("1405/12/29")).last == J("1405/12/29")


def test_cadence_at_the_years_last_day(world):
    rows = {r.agency.slug: r for r in cadence_rows(today=J("1405/12/29"))}
    assert "idle" not in rows
    water, power = rows["water"], rows["power"]
    assert (water.period.name, water.held, water.expected, water.behind, water.short_of_plan) == \
        ("اسفند ۱۴۰۵", 2, 1, False, False)
    assert (power.period.name, power.held, power.expected, power.behind) == ("۱۴۰۵", 1, 4, True)


def test_cadence_in_the_new_year_pace_and_plans(world):
    rows = {r.agency.slug: r for r in cadence_rows(today=J("1406/01/15"))}
    # water: Farvardin's conference held in its first half hour: on track.
    assert (rows["water"].held, rows["water"].expected, rows["water"].behind, rows["water"].short_of_plan) == \
        (1, 0, False, False)
    # gas: 3 a season; 15 of spring's 93 days gone asks for ⌊45/93⌋ = 0, but 0 held + 1 planned < 3.
    assert (rows["gas"].expected, rows["gas"].planned, rows["gas"].behind, rows["gas"].short_of_plan) == \
        (0, 1, False, True)
    # power: 4 a year; by 1406/07/01 187 of 365 days are gone: ⌊4 × 187 / 365⌋ = 2, none held.
    power = next(r for r in cadence_rows(today=J("1406/07/01")) if r.agency.slug == "power")
    assert (power.expected, power.held, power.behind) == (2, 0, True)
    behind = [r.agency.slug for r in cadence_rows(today=J("1406/01/15"), behind_only=True)]
    assert behind == ["power", "gas"]  # behind first, then short of plan; water is on track


def test_set_cadence_is_for_the_governorate(world, make_user):
    a = world[0]
    supervisor, manager = make_user(role="supervisor"), make_user(role="manager", agency=a)
    with pytest.raises(NotAllowed, match="ناظران استانداری"):
        set_cadence(a.id, 2, "season", manager)
    with pytest.raises(ServiceError, match="عددی از ۰ تا ۳۶۵"):
        set_cadence(a.id, "-1", "season", supervisor)
    with pytest.raises(ServiceError, match="عددی از ۰ تا ۳۶۵"):
        set_cadence(a.id, "²", "season", supervisor)  # isdigit() but no int(): a 500 (a review, round 3)
    with pytest.raises(ServiceError, match="ماه، فصل یا سال"):
        set_cadence(a.id, "2", "week", supervisor)
    set_cadence(a.id, "۲", "season", supervisor)
    assert (a.conference_target, a.conference_target_period) == (2, "season")
