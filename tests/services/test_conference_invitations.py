"""Invitations from the directory (one by one and by outlet scope), RSVP, attendance, the
invitation list's rows and CSV, and the ICS files read back with icalendar."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from app.clock import local_today
from app.jalali import parse_jalali_date as J
from app.services import NotAllowed, NotFound, ServiceError
from app.services.conference_calendar import agency_feed, conference_ics, uid
from app.services.conference_invitations import (
    InviteRequest,
    invitation_rows,
    invitations_csv,
    invite,
    record_attendance,
    remove_invitation,
    set_rsvp,
)
from app.services.conferences import MoveRequest, move_conference
from tests.services import conference_fixtures

conf = conference_fixtures.conf


def _who(c):
    return sorted((i.journalist.name if i.journalist else "", i.outlet.name if i.outlet else "")
                  for i in c.invitations)


def test_invite_journalists_and_outlets_then_all_local_outlets_skips_who_is_invited(conf):
    c = conf.plan()
    result = invite(c.id, InviteRequest(journalist_ids=[conf.maryam.id], outlet_ids=[conf.national.id]), conf.staff)
    assert (result.added, result.skipped) == (2, 0)
    result = invite(c.id, InviteRequest(scopes=["local"]), conf.staff)
    # روزنامهٔ شهر: its two journalists (Maryam already invited); پایگاه خبری جاده: no journalist → its desk.
    assert (result.added, result.skipped) == (2, 1)
    assert _who(c) == sorted([("مریم احمدی", "روزنامهٔ شهر"), ("رضا کریمی", "روزنامهٔ شهر"),
                              ("", "پایگاه خبری جاده"), ("", "خبرگزاری سراسری")])
    assert invite(c.id, InviteRequest(scopes=["local"]), conf.staff).added == 0
    assert c.events[-1].kind == "invited"
    # A journalist named beside «every local outlet» that holds them, on a conference nobody was
    # invited to: invited once, and nobody «already invited» (a walk through the pages)
    fresh = conf.plan(title="نشست دوم")
    both = invite(fresh.id, InviteRequest(journalist_ids=[conf.maryam.id], scopes=["local"]), conf.staff)
    assert (both.added, both.skipped) == (3, 0)


def test_a_switched_off_journalist_or_outlet_is_not_invited(conf):
    """The picker offers active ones only; a request naming another was stored (a review of the
    conferences, LOW)."""
    from app.extensions import db

    c = conf.plan()
    conf.maryam.is_active = False
    db.session.commit()
    with pytest.raises(ServiceError, match="غیرفعال است"):
        invite(c.id, InviteRequest(journalist_ids=[conf.maryam.id]), conf.staff)
    assert c.invitations == []


@pytest.mark.parametrize(("request_", "error", "words"), [
    (InviteRequest(), ServiceError, "دست‌کم یک خبرنگار"),
    (InviteRequest(scopes=["galactic"]), ServiceError, "سطح رسانهٔ «galactic» شناخته نیست"),
    (InviteRequest(journalist_ids=[99999]), NotFound, "خبرنگاری که برگزیدید"),
])
def test_bad_invitations_are_refused(conf, request_, error, words):
    c = conf.plan()
    with pytest.raises(error, match=words):
        invite(c.id, request_, conf.staff)
    assert c.invitations == []


def test_rsvp_moves_and_attendance_after_it_is_held(conf):
    c = conf.plan(days=0, time="00:00")
    invite(c.id, InviteRequest(journalist_ids=[conf.maryam.id, conf.reza.id, conf.zahra.id]), conf.staff)
    first, second, third = sorted(c.invitations, key=lambda i: i.id)
    assert first.rsvp == "pending"
    for state in ("accepted", "maybe", "declined", "no_answer", "accepted"):
        set_rsvp(c.id, first.id, state, conf.staff)
        assert first.rsvp == state and first.rsvp_at is not None
    set_rsvp(c.id, third.id, "declined", conf.staff)
    with pytest.raises(ServiceError, match="پاسخ دعوت «yes» شناخته نیست"):
        set_rsvp(c.id, first.id, "yes", conf.staff)
    with pytest.raises(ServiceError, match="حضور پس از برگزاری نشست ثبت می‌شود"):
        record_attendance(c.id, [first.id], conf.staff)
    move_conference(c.id, MoveRequest(to_status="held"), conf.staff)
    with pytest.raises(ServiceError, match="حضور را ثبت کنید"):
        set_rsvp(c.id, second.id, "accepted", conf.staff)
    assert record_attendance(c.id, [first.id, second.id], conf.staff) == 2
    assert [(i.attended) for i in (first, second, third)] == [True, True, False]
    assert record_attendance(c.id, [first.id], conf.staff) == 1 and not second.attended
    with pytest.raises(NotFound):
        record_attendance(c.id, [first.id, 424242], conf.staff)
    with pytest.raises(NotAllowed):
        record_attendance(c.id, [first.id], conf.viewer)


def test_an_invitation_of_another_conference_is_not_found(conf):
    c, other = conf.plan(), conf.plan(title="دیگری")
    invite(other.id, InviteRequest(journalist_ids=[conf.maryam.id]), conf.staff)
    with pytest.raises(NotFound):
        set_rsvp(c.id, other.invitations[0].id, "accepted", conf.staff)
    with pytest.raises(NotFound):
        remove_invitation(c.id, other.invitations[0].id, conf.staff)
    assert remove_invitation(other.id, other.invitations[0].id, conf.staff) == "مریم احمدی"
    assert other.invitations == []


def test_a_cancelled_conference_takes_no_invitations(conf):
    c = conf.plan()
    move_conference(c.id, MoveRequest(to_status="cancelled", reason="x"), conf.manager)
    with pytest.raises(ServiceError, match="نشست لغو شده است"):
        invite(c.id, InviteRequest(scopes=["local"]), conf.staff)


def test_the_list_rows_and_csv_local_outlets_first_with_persian_headers(conf):
    c = conf.plan(days=0, time="00:00")
    invite(c.id, InviteRequest(journalist_ids=[conf.zahra.id, conf.maryam.id], outlet_ids=[conf.national.id]),
           conf.staff)
    maryam = next(i for i in c.invitations if i.journalist_id == conf.maryam.id)
    set_rsvp(c.id, maryam.id, "accepted", conf.staff)
    rows = invitation_rows(c)
    assert [(r.name, r.outlet, r.scope) for r in rows] == [
        ("مریم احمدی", "روزنامهٔ شهر", "محلی"), ("زهرا موسوی", "رادیو استان", "استانی"),
        ("دبیر خبر", "خبرگزاری سراسری", "سراسری")]
    assert rows[0].phones == ("+98 912 111 0001",)
    move_conference(c.id, MoveRequest(to_status="held"), conf.staff)
    record_attendance(c.id, [maryam.id], conf.staff)
    data, filename = invitations_csv(c.id)
    assert filename == f"conference-{c.id}-invitations.csv" and data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == ["ردیف", "نام", "رسانه", "سطح رسانه", "تلفن", "ایمیل", "پاسخ دعوت", "حضور"]
    assert table[1] == ["1", "مریم احمدی", "روزنامهٔ شهر", "محلی", "'+98 912 111 0001", "0001@example.ir", "می‌آید",
                        "حاضر"]
    assert table[3][1:4] == ["دبیر خبر", "خبرگزاری سراسری", "سراسری"] and table[3][7] == "غایب"


def test_a_formula_in_a_name_is_defused_in_the_csv(conf):
    from app.extensions import db

    conf.maryam.name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    c = conf.plan()
    invite(c.id, InviteRequest(journalist_ids=[conf.maryam.id]), conf.staff)
    table = list(csv.reader(io.StringIO(invitations_csv(c.id)[0].decode("utf-8-sig"))))
    assert table[1][1].startswith("'=")


def test_ics_of_one_conference_reads_back_in_utc_with_a_stable_uid(conf):
    from icalendar import Calendar

    c = conf.plan(day=J("1405/09/20"), time="10:30", spokespeople="مدیرعامل\nمعاون")
    calendar = Calendar.from_ical(conference_ics(c.id).data)
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Tehran"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == uid(c) == f"conference-{c.id}@hamzaban"
    assert event.decoded("DTSTART") == datetime(2026, 12, 11, 7, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 12, 11, 8, 30, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "نشست خبری: نشست خبری کم‌آبی"
    assert str(event["LOCATION"]) == "سالن اجتماعات" and str(event["STATUS"]) == "CONFIRMED"
    assert "سخنگویان: مدیرعامل، معاون" in str(event["DESCRIPTION"])
    assert int(event["SEQUENCE"]) == 0
    # Postponed: same UID, a later SEQUENCE, TENTATIVE, the new time.
    move_conference(c.id, MoveRequest(to_status="postponed", day=J("1405/09/27"), start_time="10:30"), conf.staff)
    (event,) = Calendar.from_ical(conference_ics(c.id).data).walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (uid(c), 1, "TENTATIVE")
    assert event.decoded("DTSTART") == datetime(2026, 12, 18, 7, 0, tzinfo=UTC)


def test_the_agency_feed_holds_only_the_readers_agency(conf):
    from icalendar import Calendar

    from app.scoping import agency_scope

    mine = conf.plan()
    with agency_scope(conf.b.id):
        theirs = conf.plan(actor=conf.staff_b, title=conference_fixtures.SECRET)
    with agency_scope(conf.a.id):
        feed = agency_feed(conf.staff)
    uids = [str(e["UID"]) for e in Calendar.from_ical(feed.data).walk("VEVENT")]
    assert uids == [uid(mine)] and feed.filename == "conferences-water.ics"
    assert conference_fixtures.SECRET.encode() not in feed.data
    everyone = Calendar.from_ical(agency_feed(conf.supervisor).data).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in everyone) == sorted([uid(mine), uid(theirs)])
    only_b = Calendar.from_ical(agency_feed(conf.supervisor, "power").data).walk("VEVENT")
    assert [str(e["UID"]) for e in only_b] == [uid(theirs)]
    with pytest.raises(NotFound):
        agency_feed(conf.supervisor, "nowhere")
    assert local_today() - timedelta(days=1) < local_today()  # the fixture's dates are relative to today
