"""Commitments made at a conference: owner (a user of the agency or a name), Jalali due day, done
and reopened, and the follow-up list of open and overdue ones: overdue is counted by the local
day (Asia/Tehran), across the end of a Jalali month."""
from __future__ import annotations

from datetime import datetime

import pytest

from app.clock import from_local
from app.jalali import parse_jalali_date as J
from app.scoping import agency_scope
from app.services import NotAllowed, NotFound
from app.services.conference_commitments import (
    CommitmentInput,
    add_commitment,
    follow_up,
    is_overdue,
    set_done,
)
from app.services.conference_inputs import ConferenceInputError
from app.services.conferences import MoveRequest, move_conference
from tests.services import conference_fixtures

conf = conference_fixtures.conf


def _at(clock, jalali: str, hour: int, minute: int = 0) -> None:
    day = J(jalali)
    clock.now = from_local(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def held(conf, clock):
    _at(clock, "1405/07/25", 12)
    c = conf.plan(day=J("1405/07/20"), time="10:00")
    return move_conference(c.id, MoveRequest(to_status="held"), conf.staff)


def test_commitment_lifecycle_and_overdue_across_the_jalali_month_end(conf, clock, held):
    end_of_mehr = add_commitment(held.id, CommitmentInput(text="انتشار جدول فشار آب", owner_user_id=conf.manager.id,
                                                          due_on=J("1405/07/30")), conf.staff)
    later = add_commitment(held.id, CommitmentInput(text="بازدید از محله", owner_label="معاونت بهره‌برداری",
                                                    due_on=J("1405/08/10")), conf.staff)
    assert (end_of_mehr.owner_user_id, later.owner_label, later.owner_user_id) == (conf.manager.id, "معاونت بهره‌برداری", None)

    _at(clock, "1405/07/30", 23, 50)  # the due day's last minutes, local time
    assert not is_overdue(end_of_mehr)
    assert follow_up(conf.manager).overdue == 0

    _at(clock, "1405/08/01", 0, 10)  # 1 Aban, 00:10 in Tehran: still 30 Mehr (20:40) in UTC
    assert clock.now.date() == J("1405/07/30")
    assert is_overdue(end_of_mehr) and not is_overdue(later)
    listed = follow_up(conf.staff)
    assert [c.id for c in listed.rows] == [end_of_mehr.id, later.id] and listed.overdue == 1
    assert [c.id for c in follow_up(conf.staff, only_overdue=True).rows] == [end_of_mehr.id]

    set_done(held.id, end_of_mehr.id, True, conf.staff)
    assert end_of_mehr.is_done and not is_overdue(end_of_mehr)
    assert [c.id for c in follow_up(conf.staff).rows] == [later.id]
    set_done(held.id, end_of_mehr.id, True, conf.staff)  # the same state twice: nothing changes
    set_done(held.id, end_of_mehr.id, False, conf.manager)
    assert not end_of_mehr.is_done and is_overdue(end_of_mehr)
    kinds = [e.kind for e in held.events if e.kind.startswith("commitment")]
    assert kinds == ["commitment_added", "commitment_added", "commitment_done", "commitment_reopened"]


@pytest.mark.parametrize(("data", "field"), [
    (CommitmentInput(text=" ", owner_label="x"), "text"),
    (CommitmentInput(text="قول"), "owner_label"),
    (CommitmentInput(text="قول", question_id=99999, owner_label="x"), "question_id"),
    # due before the conference's day: «1405/02/30» typed for «1405/09/30» (a walk through the pages)
    (CommitmentInput(text="قول", owner_label="x", due_on=J("1404/02/30")), "due_on"),
])
def test_a_bad_commitment_is_refused(conf, held, data, field):
    with pytest.raises(ConferenceInputError) as refused:
        add_commitment(held.id, data, conf.staff)
    assert refused.value.field == field and held.commitments == []


def test_the_owner_is_a_user_of_the_conferences_agency(conf, held):
    with pytest.raises(ConferenceInputError, match="همین سازمان"):
        add_commitment(held.id, CommitmentInput(text="قول", owner_user_id=conf.staff_b.id), conf.staff)


def test_the_follow_up_list_is_the_agencys_and_the_governorate_sees_every_agency(conf, held, clock):
    add_commitment(held.id, CommitmentInput(text="قول آب", owner_label="x", due_on=J("1405/07/26")), conf.staff)
    _at(clock, "1405/08/02", 9)
    with agency_scope(conf.b.id):
        assert follow_up(conf.staff_b).rows == []
    with agency_scope(conf.a.id):
        assert len(follow_up(conf.viewer).rows) == 1
    every = follow_up(conf.supervisor)
    assert len(every.rows) == 1 and every.overdue == 1 and {a.slug for a in every.agencies} == {"water", "power"}
    assert follow_up(conf.supervisor, agency="power").rows == []
    assert "شناخته نیست" in follow_up(conf.supervisor, agency="nope").error


@pytest.mark.parametrize("role", ["viewer", "supervisor"])
def test_only_the_agencys_writers_add_and_close(conf, held, role):
    with pytest.raises(NotAllowed):
        add_commitment(held.id, CommitmentInput(text="قول", owner_label="x"), getattr(conf, role))


def test_another_agency_does_not_reach_the_conference(conf, held):
    with agency_scope(conf.b.id), pytest.raises(NotFound):
        add_commitment(held.id, CommitmentInput(text="قول", owner_label="x"), conf.staff_b)
