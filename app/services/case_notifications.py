"""Reading a user's case notifications (reminders, breach notices, escalations): the list page,
the menu's count, marking read, and what the e-mail digest takes.

A notification belongs to its user: every lookup goes through the owner, so another user's row
(an administrator's too) is a NotFound. They are agency-owned as well (the case's agency when
written), so an agency user reads only their own agency's, whatever the id asked for.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.policy import can_edit_case_settings
from app.services import NotFound
from app.services.case_workload import case_workload
from models import CaseNotification, PublicQuestion, User, utcnow

PAGE_SIZE = 50
MAX_PAGE = 100_000  # pages of notifications one can ask for; past it, this last one


def _of(user):
    return select(CaseNotification).where(CaseNotification.user_id == user.id)


def notifications_of(user, *, unread_only: bool = False, offset: int = 0,
                     limit: int = PAGE_SIZE) -> list[CaseNotification]:
    """The user's case notifications, newest first, with their cases (a case the user may no
    longer read, moved to another agency, comes back as ``case`` None)."""
    query = _of(user).options(joinedload(CaseNotification.case).joinedload(PublicQuestion.agency))
    if unread_only:
        query = query.where(CaseNotification.read_at.is_(None))
    return list(db.session.scalars(query.order_by(CaseNotification.created_at.desc(), CaseNotification.id.desc())
                                   .offset(offset).limit(limit)).unique())


def unread_count(user) -> int:
    """Unread case notifications of ``user`` (one indexed COUNT; the menu shows it on every page)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(select(func.count(CaseNotification.id)).where(
        CaseNotification.user_id == user.id, CaseNotification.read_at.is_(None))) or 0


def reminders_page(user, *, unread_only: bool = False, page: int = 1) -> dict:
    """What the reminders page shows: one page of notifications, whether there is a next one, the
    unread count, the user's open cases by deadline (app/services/case_workload.py), and whether they
    may change when reminders go out."""
    page = min(max(1, page), MAX_PAGE)  # a typed ?page=99999999999999999999 overflowed OFFSET: a 500
    rows = notifications_of(user, unread_only=unread_only, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
    return {"notifications": rows[:PAGE_SIZE], "has_next": len(rows) > PAGE_SIZE, "page": page,
            "unread_only": unread_only, "unread": unread_count(user), "case_load": case_workload(user),
            "can_edit_settings": can_edit_case_settings(user)}


def get_notification(notification_id: int, user) -> CaseNotification:
    """The user's own notification. :raise NotFound: none, or another user's."""
    found = db.session.scalar(_of(user).where(CaseNotification.id == notification_id))
    if found is None:
        raise NotFound(_("پیدا نشد."))
    return found


def mark_read(notification: CaseNotification, user) -> CaseNotification:
    """Mark one notification read (not audited: it changes nothing but the owner's list).

    :raise NotFound: another user's notification."""
    if notification.user_id != getattr(user, "id", None):
        raise NotFound(_("پیدا نشد."))
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def read_notification(notification_id: int, user) -> CaseNotification:
    """Mark the user's own notification ``notification_id`` read and return it.

    :raise NotFound: none, or another user's."""
    return mark_read(get_notification(notification_id, user), user)


def mark_all_read(user) -> int:
    """Mark every unread case notification of the user read; returns how many."""
    result = db.session.execute(update(CaseNotification).where(
        CaseNotification.user_id == user.id, CaseNotification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount or 0


# --- the e-mail digest (app/services/alert_digest.py) -----------------------------------------


def pending_mail_by_user() -> dict[int, list[int]]:
    """Case notification ids to e-mail (neither read nor e-mailed), per active user with an
    address, oldest first."""
    rows = db.session.execute(
        select(CaseNotification.user_id, CaseNotification.id).join(User, User.id == CaseNotification.user_id)
        .where(CaseNotification.emailed_at.is_(None), CaseNotification.read_at.is_(None),
               User.email != "", User.may_sign_in_clause())
        .order_by(CaseNotification.user_id, CaseNotification.id).execution_options(unscoped=True))
    found: dict[int, list[int]] = {}
    for user_id, notification_id in rows:
        found.setdefault(user_id, []).append(notification_id)
    return found


def for_mail(ids: list[int]) -> list[CaseNotification]:
    """The notifications of one digest with their cases and agencies: escalations first, then by
    deadline."""
    if not ids:
        return []
    rows = db.session.scalars(select(CaseNotification).where(CaseNotification.id.in_(ids))
                              .options(joinedload(CaseNotification.case).joinedload(PublicQuestion.agency))
                              .execution_options(unscoped=True)).unique().all()
    order = {"escalation": 0, "breach": 1, "reminder": 2}
    return sorted(rows, key=lambda n: (order.get(n.kind, 3), n.deadline, n.id))


def mark_emailed(ids: list[int]) -> None:
    """Set ``emailed_at`` on those not e-mailed yet (the digest commits)."""
    now = utcnow()
    for start in range(0, len(ids), 500):
        db.session.execute(update(CaseNotification).where(CaseNotification.id.in_(ids[start:start + 500]),
                                                          CaseNotification.emailed_at.is_(None))
                           .values(emailed_at=now).execution_options(synchronize_session=False))
