"""Two people changing the same press conference at once: each read it as it was and passed the
checks; the change that reaches the database second is refused with a Persian message and leaves
the first one as it is (SQLite and PostgreSQL alike)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services import ServiceError
from app.services.conference_commitments import CommitmentInput, add_commitment, set_done
from app.services.conference_inputs import draft_of
from app.services.conference_invitations import InviteRequest, invite
from app.services.conferences import MoveRequest, edit_conference, move_conference
from models import ConferenceCommitment, ConferenceEvent, ConferenceInvitation, PressConference, User
from tests.services import conference_fixtures
from tests.services.concurrency import elsewhere

conf = conference_fixtures.conf


def _move_elsewhere(app, conference_id: int, to_status: str, user_id: int, **request) -> list[str]:
    return elsewhere(app, lambda: move_conference(conference_id, MoveRequest(to_status=to_status, **request),
                                                  db.session.get(User, user_id)))


def _moves(conference_id: int) -> list[tuple[str, str]]:
    return [(e.from_status, e.to_status) for e in db.session.scalars(select(ConferenceEvent).where(
        ConferenceEvent.conference_id == conference_id, ConferenceEvent.kind == "moved").order_by(ConferenceEvent.id))]


def test_a_conference_cancelled_meanwhile_is_not_marked_held(app, conf):
    conference = conf.plan(days=0, time="00:00")
    assert conference.status == "planned"  # what the staff member's request read
    assert _move_elsewhere(app, conference.id, "cancelled", conf.manager.id, reason="استاندار نمی‌آید") == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        move_conference(conference.id, MoveRequest(to_status="held"), conf.staff)
    db.session.expire_all()
    again = db.session.get(PressConference, conference.id)
    assert (again.status, again.status_note, again.held_at) == ("cancelled", "استاندار نمی‌آید", None)
    assert _moves(conference.id) == [("planned", "cancelled")]


def test_a_conference_held_meanwhile_is_not_edited(app, conf):
    conference = conf.plan(days=0, time="00:00")
    draft = draft_of(conference)  # the edit page, read while it was planned
    # This session's conference stands for the request's own read, made before the other commit.
    draft.title = "نشست خبری جیره‌بندی آب"
    assert _move_elsewhere(app, conference.id, "held", conf.manager.id) == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        edit_conference(conference.id, draft, conf.staff)
    db.session.expire_all()
    again = db.session.get(PressConference, conference.id)
    assert (again.status, again.title) == ("held", "نشست خبری کم‌آبی")
    assert [e.kind for e in again.events] == ["planned", "moved"]


def test_a_commitment_closed_twice_at_once_keeps_who_closed_it_first(app, conf):
    conference = move_conference(conf.plan(days=0, time="00:00").id, MoveRequest(to_status="held"), conf.staff)
    commitment = add_commitment(conference.id, CommitmentInput(text="لوله‌کشی کوی بهاران تا مهر", owner_label="معاون فنی"),
                                conf.staff)
    assert not commitment.is_done  # what the staff member's page read
    manager_id = conf.manager.id
    assert elsewhere(app, lambda: set_done(conference.id, commitment.id, True, db.session.get(User, manager_id),
                                           note="نامهٔ پایان کار رسید")) == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        set_done(conference.id, commitment.id, True, conf.staff, note="انجام شد")
    db.session.expire_all()
    again = db.session.get(ConferenceCommitment, commitment.id)
    assert (again.done_by_id, again.note) == (manager_id, "نامهٔ پایان کار رسید")
    assert [e.kind for e in db.session.get(PressConference, conference.id).events].count("commitment_done") == 1


def test_two_people_inviting_the_same_journalist_at_once_invite_her_once(app, conf):
    conference, maryam_id, manager_id = conf.plan(), conf.maryam.id, conf.manager.id
    assert conference.invitations == []  # what the staff member's request read
    assert elsewhere(app, lambda: invite(conference.id, InviteRequest(journalist_ids=[maryam_id]),
                                         db.session.get(User, manager_id))) == []
    result = invite(conference.id, InviteRequest(journalist_ids=[maryam_id]), conf.staff)
    assert (result.added, result.skipped) == (0, 1)
    db.session.expire_all()
    assert db.session.scalars(select(ConferenceInvitation.journalist_id).where(
        ConferenceInvitation.conference_id == conference.id)).all() == [maryam_id]


def test_an_invitation_leaves_the_conferences_last_change_as_it_was(app, conf):
    """Inviting takes the conference's row (against two inviters at once) but does not change it:
    its last change, which the calendar file's DTSTAMP shows, stays the planning's."""
    conference = conf.plan()
    planned_at = conference.updated_at
    invite(conference.id, InviteRequest(journalist_ids=[conf.maryam.id]), conf.staff)
    db.session.expire_all()
    assert db.session.get(PressConference, conference.id).updated_at == planned_at
