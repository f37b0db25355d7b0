"""Planning, editing and the lifecycle of a press conference: every move, the refused ones
with their Persian messages, and nothing changed by a refusal."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.clock import local_today, to_local
from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.services import NotAllowed, ServiceError
from app.services.conference_inputs import (
    ConferenceDraft,
    ConferenceInputError,
    draft_of,
)
from app.services.conferences import (
    MoveRequest,
    edit_conference,
    move_conference,
    save_minutes,
)
from models import AuditEntry, ConferenceEvent, PressConference
from tests.services import conference_fixtures

conf = conference_fixtures.conf


def _move(conference, to_status, actor, **kw):
    return move_conference(conference.id, MoveRequest(to_status=to_status, **kw), actor)


def test_plan_stores_utc_from_the_local_jalali_day_and_time(conf):
    c = conf.plan(day=J("1405/09/20"), time="۱۰:۳۰", topics="کم‌آبی، آب‌بها\nکم‌آبی", spokespeople="مدیرعامل\nمعاون")
    assert c.starts_at == datetime(2026, 12, 11, 7, 0, tzinfo=UTC)  # 10:30 Tehran (UTC+3:30)
    assert (c.status, c.agency_id, c.topics, c.spokespeople) == ("planned", conf.a.id, ["کم‌آبی", "آب‌بها"],
                                                                 ["مدیرعامل", "معاون"])
    assert [e.kind for e in c.events] == ["planned"]
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_type == "PressConference")) == \
        "conference.planned"
    assert draft_of(c).start_time == "10:30" and draft_of(c).day == J("1405/09/20")


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"title": "  "}, "title", "عنوان نشست را بنویسید"),
    ({"day": None}, "day", "روز نشست را بنویسید"),
    ({"start_time": "25:00"}, "start_time", "ساعت «25:00» خوانده نشد"),
    ({"start_time": ""}, "start_time", "ساعت آغاز نشست را بنویسید"),
    ({"duration_minutes": "5"}, "duration_minutes", "مدت نشست را به دقیقه بنویسید"),
    ({"duration_minutes": "6²"}, "duration_minutes", "مدت نشست را به دقیقه بنویسید"),  # a 500 before
    # A typing slip of the year («1300», «1499»): planned, then held, in no period a report reads.
    ({"day": J("1300/01/01")}, "day", "سال را درست بنویسید"),
    ({"day": J("1499/12/29")}, "day", "سال را درست بنویسید"),
])
def test_a_bad_field_is_named_with_a_persian_message_and_nothing_is_stored(conf, changes, field, words):
    from app.services.conferences import plan_conference

    values = {"title": "نشست", "day": J("1405/09/20"), "start_time": "10:00", "duration_minutes": "60"}
    values.update(changes)
    with pytest.raises(ConferenceInputError) as refused:
        plan_conference(ConferenceDraft(**values), conf.staff)
    assert refused.value.field == field and words in str(refused.value)
    assert db.session.scalar(select(PressConference)) is None


@pytest.mark.parametrize("role", ["viewer", "supervisor", "admin"])
def test_only_the_agencys_manager_and_staff_plan(conf, role):
    with pytest.raises(NotAllowed) as refused:
        conf.plan(actor=getattr(conf, role))
    assert "کارکنان روابط عمومی همان سازمان" in str(refused.value)


def test_hold_a_conference_whose_day_has_come(conf):
    c = conf.plan(days=0, time="00:00")
    _move(c, "held", conf.staff)
    assert c.status == "held" and c.held_at is not None
    assert [(e.from_status, e.to_status) for e in c.events if e.kind == "moved"] == [("planned", "held")]


def test_a_conference_cannot_be_held_before_its_day(conf):
    c = conf.plan(days=3)
    with pytest.raises(ServiceError, match="پیش از آن روز برگزارشده ثبت نمی‌شود"):
        _move(c, "held", conf.staff)
    db.session.refresh(c)
    assert c.status == "planned" and c.held_at is None


def test_postpone_to_a_new_date_then_plan_again_then_hold(conf):
    c = conf.plan(days=2)
    first = c.starts_at
    _move(c, "postponed", conf.staff, day=local_today() + timedelta(days=10), start_time="11:00",
          reason="هم‌زمانی با سفر استاندار")
    assert c.status == "postponed" and c.starts_at > first and c.status_note == "هم‌زمانی با سفر استاندار"
    _move(c, "planned", conf.staff, day=local_today() + timedelta(days=12), start_time="09:00")
    assert c.status == "planned"
    # Postponed again with no date yet, then held on the day it really took place (today).
    _move(c, "postponed", conf.staff)
    _move(c, "held", conf.staff, day=local_today(), start_time="00:00")
    assert c.status == "held" and c.starts_at <= datetime.now(UTC)
    moves = [(e.from_status, e.to_status) for e in c.events if e.kind == "moved"]
    assert moves == [("planned", "postponed"), ("postponed", "planned"), ("planned", "postponed"),
                     ("postponed", "held")]


def test_holding_a_conference_postponed_without_a_day_asks_for_the_day(conf):
    """Postponed with no new day, then held with the day left empty: it counted as held on the day it
    was put off from (a review of the conferences, MEDIUM). The day is asked for; one postponed to a
    day is held on it without asking."""
    c = conf.plan(days=-3)
    _move(c, "postponed", conf.staff)
    with pytest.raises(ConferenceInputError, match="روز برگزاری آن را بنویسید") as refused:
        _move(c, "held", conf.staff)
    assert refused.value.field == "day" and db.session.get(PressConference, c.id).status == "postponed"
    _move(c, "held", conf.staff, day=local_today(), start_time="00:00")
    assert c.status == "held" and to_local(c.starts_at).date() == local_today()


def test_postponing_needs_a_later_date(conf):
    c = conf.plan(days=5)
    with pytest.raises(ConferenceInputError, match="زمان تازه باید پس از") as refused:
        _move(c, "postponed", conf.staff, day=local_today() + timedelta(days=4), start_time="10:00")
    assert refused.value.field == "day"
    with pytest.raises(ConferenceInputError, match="پس از اکنون"):
        _move(c, "postponed", conf.staff, day=local_today() - timedelta(days=1), start_time="10:00")


def test_replanning_a_postponed_conference_needs_a_date_when_its_old_one_has_passed(conf):
    c = conf.plan(days=-2)
    _move(c, "postponed", conf.staff)
    with pytest.raises(ConferenceInputError, match="روز و ساعت تازهٔ نشست را بنویسید"):
        _move(c, "planned", conf.staff)
    assert db.session.get(PressConference, c.id).status == "postponed"


def test_cancel_is_the_managers_and_needs_a_reason(conf):
    c = conf.plan(days=4)
    with pytest.raises(NotAllowed, match="لغو نشست خبری تنها کار مدیر روابط عمومی"):
        _move(c, "cancelled", conf.staff, reason="دلیل")
    with pytest.raises(ConferenceInputError, match="دلیل لغو نشست را بنویسید"):
        _move(c, "cancelled", conf.manager)
    _move(c, "cancelled", conf.manager, reason="نرخ تازه تصویب نشد")
    assert (c.status, c.status_note) == ("cancelled", "نرخ تازه تصویب نشد")


@pytest.mark.parametrize(("start", "to"), [("held", "planned"), ("held", "postponed"), ("held", "cancelled"),
                                           ("cancelled", "planned"), ("cancelled", "held"), ("planned", "planned")])
def test_final_and_unknown_moves_are_refused_in_persian(conf, start, to):
    c = conf.plan(days=0, time="00:00")
    if start == "held":
        _move(c, "held", conf.staff)
    elif start == "cancelled":
        _move(c, "cancelled", conf.manager, reason="x")
    events = db.session.scalar(select(db.func.count(ConferenceEvent.id)))
    with pytest.raises(ServiceError, match="از این وضعیت به") as refused:
        _move(c, to, conf.manager, day=local_today() + timedelta(days=3), start_time="10:00", reason="x")
    assert "نشست «نشست خبری کم‌آبی»" in str(refused.value)
    assert db.session.scalar(select(db.func.count(ConferenceEvent.id))) == events


def test_an_unknown_status_and_other_roles_are_refused(conf):
    c = conf.plan(days=0, time="00:00")
    with pytest.raises(ServiceError, match="شناخته نیست"):
        _move(c, "done", conf.staff)
    for user in (conf.viewer, conf.supervisor, conf.admin, conf.staff_b):
        with pytest.raises(NotAllowed):
            _move(c, "held", user)
    assert c.status == "planned"


def test_edit_changes_details_and_keeps_the_date_of_a_postponed_conference(conf):
    c = conf.plan(days=3)
    draft = draft_of(c)
    draft.title, draft.place = "نشست خبری کم‌آبی و جیره‌بندی", "استانداری"
    edit_conference(c.id, draft, conf.staff)
    assert (c.title, c.place) == ("نشست خبری کم‌آبی و جیره‌بندی", "استانداری")
    assert c.events[-1].kind == "edited" and set(c.events[-1].data["changes"]) == {"title", "place"}
    _move(c, "postponed", conf.staff)
    draft = draft_of(c)
    draft.day = draft.day + timedelta(days=1)
    with pytest.raises(ConferenceInputError, match="با ویرایش عوض نمی‌شود"):
        edit_conference(c.id, draft, conf.staff)
    with pytest.raises(NotAllowed):
        edit_conference(c.id, draft_of(c), conf.staff_b)


def test_minutes_are_for_a_held_conference_only(conf):
    c = conf.plan(days=0, time="00:00")
    with pytest.raises(ServiceError, match="صورت‌جلسه پس از برگزاری نشست ثبت می‌شود"):
        save_minutes(c.id, "متن", conf.staff)
    _move(c, "held", conf.staff)
    save_minutes(c.id, "۱. گزارش کم‌آبی\r\n۲. پرسش‌ها  \n", conf.staff)
    assert c.minutes == "۱. گزارش کم‌آبی\n۲. پرسش‌ها"
    assert c.events[-1].kind == "minutes_saved"
    with pytest.raises(NotAllowed):
        save_minutes(c.id, "x", conf.viewer)


def test_an_unknown_status_names_the_statuses_in_persian_with_their_codes(conf):
    """A review of the forms: the refusal listed «planned، held، postponed، cancelled», codes only."""
    with pytest.raises(ServiceError) as refused:
        _move(conf.plan(), "done", conf.staff)
    assert "برگزارشده (held)" in str(refused.value) and "لغوشده (cancelled)" in str(refused.value)


def test_a_conference_older_than_the_bound_keeps_its_day_when_its_details_are_corrected(conf):
    """A diff review: the five-year bound moves every Nowruz, so a conference held before it could
    no longer have its title corrected (its unchanged day refused)."""
    c = conf.plan(days=3)
    c.starts_at, c.status = c.starts_at - timedelta(days=365 * 7), "held"  # held seven years ago
    db.session.commit()
    draft = draft_of(c)
    draft.title = "نشست خبری کم‌آبی (عنوان درست)"
    edit_conference(c.id, draft, conf.staff)
    assert c.title == "نشست خبری کم‌آبی (عنوان درست)"
