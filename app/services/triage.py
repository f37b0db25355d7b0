"""The triage of routed items: status (new / seen / accepted / dismissed), reassignment to
another agency by a supervisor (the receiving route keeps who sent it, from where and why), and a
staff user's request for one. Every change is audited, and every change of a route's agency or
status queues its item for reindexing (the search index carries the routes) in the same
transaction. What "still needs me" means (the inbox's queue, the dashboard's counts) is
``needs_attention``.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.i18n import N_

# The role sets are re-exported: views/inbox.py and views/items.py import them from here.
from app.policy import (
    can_reassign,
    can_request_reassignment,
    can_triage,
)
from app.services import NotAllowed, NotFound, ServiceError
from app.services.alerts import notify_routed_items
from app.services.audit import record
from app.services.row_guard import update_if_unchanged, updated_if_unchanged
from models import ROUTED_STATUSES, Agency, ItemRoute, User, item_route_rules, utcnow
from models.search_outbox import enqueue

STATUSES_SET_BY_HAND = ("new", "seen", "accepted", "dismissed")
# A route still waits for its agency while new or seen; accepted, dismissed and reassigned ones
# have been handled and leave the queue.
WAITING_STATUSES = ("new", "seen")
_NO_REQUEST = dict.fromkeys(("request_agency_id", "request_reason", "request_by_id", "request_at"))
MSG_CONCURRENT = N_("خبری که برگزیدید هم‌زمان به دست کس دیگری تغییر کرد و هیچ خبری تغییر نکرد؛ صندوق را دوباره بخوانید.")


def _unscoped(stmt):
    return stmt.execution_options(unscoped=True)


def _change_status(route: ItemRoute, status: str, actor) -> None:
    """Set the route's status from the one read. What a colleague did meanwhile decides: the same
    status (the same click, a double click) leaves nothing to do; only opened («seen») it, the
    change goes on from there; a decision of theirs (accepted, dismissed) or the item sent to
    another agency (it is that agency's now) refuses the whole action, rolled back."""
    values = {"status": status, "status_changed_by_id": getattr(actor, "id", None), "status_changed_at": utcnow()}
    before = route.status
    for _attempt in range(3):  # new → seen → … by others: a few re-reads at most
        if updated_if_unchanged(route, values, status=before):
            record("item_route.status_changed", actor=actor, obj=route, item_id=route.item_id, before=before,
                   after=status)
            enqueue(db.session, "item", route.item_id)
            return
        db.session.refresh(route, ["status"])
        before = route.status
        if before == status:
            return  # done meanwhile
        if before not in WAITING_STATUSES:
            break  # a colleague's decision, or the item sent to another agency
    db.session.rollback()
    raise ServiceError(_(MSG_CONCURRENT))


def _write_route(route: ItemRoute, values: dict, **read) -> str:
    """Write ``values`` on the route only while its columns ``read`` hold what was read and it is
    not sent to another agency; returns the status it replaced. The desk's own steps meanwhile
    (opened, accepted) change nothing the decision rests on, so they do not refuse it.
    :raise ServiceError: the route changed meanwhile (rolled back)."""
    for _attempt in range(3):
        before = route.status
        if before == "reassigned":  # read so (a stale page, a double click) or become so meanwhile
            break
        if updated_if_unchanged(route, values, status=before, **read):
            return before
        db.session.refresh(route, ["status", *read])
        if any(getattr(route, name) != value for name, value in read.items()):
            break
    db.session.rollback()
    raise ServiceError(_(MSG_CONCURRENT))


def set_route_status(route: ItemRoute, status: str, actor) -> ItemRoute:
    """Mark a route new / seen / accepted / dismissed (viewers only read)."""
    return set_routes_status([route], status, actor)[0]


def set_routes_status(routes: list[ItemRoute], status: str, actor) -> list[ItemRoute]:
    """Bulk version of set_route_status: one audit entry per route, one commit. A route already
    sent to another agency keeps its status (the item is that agency's now): nothing changes."""
    if not can_triage(actor):
        raise NotAllowed(_("شما اجازهٔ تغییر وضعیت خبرهای سازمان را ندارید."))
    if status not in STATUSES_SET_BY_HAND:
        raise ServiceError(_("وضعیت خواسته‌شده شناخته‌شده نیست."))
    if any(route.status == "reassigned" for route in routes):
        raise ServiceError(_("خبری که به سازمان دیگر ارجاع شده است وضعیت تازه نمی‌گیرد؛ هیچ خبری تغییر نکرد."))
    back = []  # routes that are the agency's again (a dismissed one set back): its filtered alerts
    for route in routes:
        if route.status != status:
            if route.status not in ROUTED_STATUSES and status in ROUTED_STATUSES:
                back.append(route.item_id)
            _change_status(route, status, actor)
    notify_routed_items(db.session, back)
    db.session.commit()
    return routes


def triage_routes(route_ids: list[int], status: str, actor) -> list[ItemRoute]:
    """Set the status of the routes with these ids (a row's button or the ticked rows), as the
    request's agency scope sees them. Nothing chosen, or an id the scope does not show (unknown,
    or another agency's), is refused with a message and nothing changes."""
    if not route_ids:
        raise ServiceError(_("هیچ خبری برگزیده نشده است؛ نخست خبرها را تیک بزنید، سپس دکمه را بزنید."))
    routes = db.session.scalars(select(ItemRoute).where(ItemRoute.id.in_(route_ids))).all()
    if len(routes) != len(set(route_ids)):
        raise NotFound(_("دست‌کم یکی از خبرهای برگزیده در صندوق شما نیست؛ هیچ خبری تغییر نکرد."))
    return set_routes_status(routes, status, actor)


def _target(route: ItemRoute, agency: Agency, reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("دلیل ارجاع به سازمان دیگر را بنویسید."))
    if agency is None or not agency.is_active:
        raise ServiceError(_("سازمان مقصد را برگزینید."))
    if agency.id == route.agency_id:
        raise ServiceError(_("این خبر هم‌اکنون در صندوق همین سازمان است."))
    return reason


def _name(user) -> str:
    return (getattr(user, "display_name", "") or getattr(user, "username", "") or "")[:200]


def reassign(route: ItemRoute, agency: Agency, reason: str, actor, *, requested_by=None) -> ItemRoute:
    """Send a routed item to another agency with a reason (supervisors and admins); returns the new
    route, which shows the receiver where it came from, who sent it (and who asked, for an
    approved request), why and when."""
    if not can_reassign(actor):
        raise NotAllowed(_("تنها ناظر یا مدیر سامانه خبر را به سازمان دیگری می‌فرستد."))
    if route.status == "reassigned":  # from a page read before (or a second click): it is elsewhere now
        raise ServiceError(_("این خبر پیش‌تر به سازمان دیگری ارجاع شده است."))
    reason = _target(route, agency, reason)
    # Only while the route is as read: two supervisors sending it to two agencies at once would
    # give the item to both, a route sent away meanwhile is not sent from where it no longer is,
    # and a request declined (or made) meanwhile is not approved unseen.
    before = _write_route(route, {"status": "reassigned", "status_changed_by_id": actor.id,
                                  "status_changed_at": utcnow(), **_NO_REQUEST},
                          agency_id=route.agency_id, request_at=route.request_at)
    target = db.session.scalar(_unscoped(select(ItemRoute).where(
        ItemRoute.item_id == route.item_id, ItemRoute.agency_id == agency.id)))
    if target is None:
        target = ItemRoute(item_id=route.item_id, agency_id=agency.id, rule_ids=[], matched=[],
                           is_question=route.is_question, question_reasons=route.question_reasons, status="new")
        db.session.add(target)
    elif target.status in ("dismissed", "reassigned"):
        target.status = "new"
    target.received_from_agency_id, target.received_by_id = route.agency_id, actor.id
    target.received_by_label, target.received_reason = _name(actor), reason
    target.received_requested_by_label = _name(requested_by) if requested_by is not None else None
    target.received_at = utcnow()
    db.session.flush()
    record("item_route.reassigned", actor=actor, obj=route, item_id=route.item_id, before=before,
           to_agency_id=agency.id, reason=reason)
    record("item_route.received", actor=actor, obj=target, item_id=route.item_id,
           from_agency_id=route.agency_id, reason=reason)
    enqueue(db.session, "item", route.item_id)
    notify_routed_items(db.session, [route.item_id])  # the receiving agency's filtered saved searches
    db.session.commit()
    return target


def request_reassignment(route: ItemRoute, agency: Agency, reason: str, actor) -> ItemRoute:
    """A staff user or manager of the route's agency asks a supervisor to send the item elsewhere."""
    if not can_request_reassignment(actor, route.agency_id):
        raise NotAllowed(_("تنها کارکنان همین سازمان درخواست ارجاع می‌دهند."))
    if route.status == "reassigned":
        raise ServiceError(_("این خبر پیش‌تر به سازمان دیگری ارجاع شده است."))
    reason = _target(route, agency, reason)
    # Only while the route is as read: not on a route sent away meanwhile, nor over a colleague's
    # request made meanwhile.
    _write_route(route, {"request_agency_id": agency.id, "request_reason": reason, "request_by_id": actor.id,
                         "request_at": utcnow()}, agency_id=route.agency_id, request_at=route.request_at)
    record("item_route.reassign_requested", actor=actor, obj=route, item_id=route.item_id,
           to_agency_id=agency.id, reason=reason)
    db.session.commit()
    return route


def decide_request(route: ItemRoute, approve: bool, actor, note: str = "") -> ItemRoute:
    """A supervisor approves a pending request (the item moves) or declines it (it stays)."""
    if not can_reassign(actor):
        raise NotAllowed(_("تنها ناظر یا مدیر سامانه دربارهٔ درخواست ارجاع تصمیم می‌گیرد."))
    if route.request_at is None:
        raise ServiceError(_("این خبر درخواست ارجاع بازی ندارد."))
    if approve:
        agency = db.session.get(Agency, route.request_agency_id)
        requester = db.session.get(User, route.request_by_id) if route.request_by_id else None
        reason = route.request_reason or ""
        if note.strip():
            reason = f"{reason} — {note.strip()}"
        return reassign(route, agency, reason, actor, requested_by=requester)
    record("item_route.reassign_declined", actor=actor, obj=route, item_id=route.item_id,
           to_agency_id=route.request_agency_id, reason=route.request_reason, note=note.strip())
    # Only the request read: one approved (the item sent away) or declined meanwhile is not declined.
    update_if_unchanged(route, _NO_REQUEST, _(MSG_CONCURRENT), request_at=route.request_at)
    db.session.commit()
    return route


def needs_attention(user):
    """A WHERE clause: the routes that still need ``user`` (the inbox's default view): new or seen
    ones (the request's scope narrows them to the user's agency; the governorate sees the
    province's), and for the governorate also every route whose reassignment request waits for
    its decision."""
    waiting = ItemRoute.status.in_(WAITING_STATUSES)
    return or_(waiting, ItemRoute.request_at.is_not(None)) if can_reassign(user) else waiting


def waits_for_governorate():
    """A WHERE clause: a pending reassignment request, or a waiting question no agency's rule took."""
    return or_(ItemRoute.request_at.is_not(None),
               and_(ItemRoute.agency_id.is_(None), ItemRoute.status.in_(WAITING_STATUSES)))


def routes_of_rule(rule_id: int):
    """A WHERE clause: routes that the rule ``rule_id`` helped make (for the inbox's rule filter)."""
    return ItemRoute.id.in_(select(item_route_rules.c.item_route_id).where(item_route_rules.c.rule_id == rule_id))


@dataclass(frozen=True)
class InboxCounts:
    """The inbox's numbers, as the request's agency scope sees them."""
    new: int  # routes not yet looked at
    pending: int  # reassignment requests waiting for a supervisor's decision
    unassigned: int  # new public questions that no agency's rule took
    waiting: int  # what waits for a supervisor: a pending request or an unassigned new question


def inbox_counts() -> InboxCounts:
    """The inbox's counts: the page's headings and the menu's badge (every page) read these.

    Two narrow queries rather than one pass over every route: the new routes (an index-only count
    on ``(status, agency_id)``) and the routes with a pending request (a few, by their index). A
    route both pending and unassigned-new is counted once in ``waiting``."""
    is_unassigned = ItemRoute.agency_id.is_(None)
    counted = ItemRoute.status  # never null: counts rows, and lies in the index (the id does not)
    new, unassigned = db.session.execute(
        select(func.count(counted), func.count(case((is_unassigned, counted))))
        .where(ItemRoute.status == "new")).one()
    pending, both = db.session.execute(
        select(func.count(counted), func.count(case((and_(is_unassigned, ItemRoute.status == "new"), counted))))
        .where(ItemRoute.request_at.is_not(None))).one()
    return InboxCounts(new, pending, unassigned, pending + unassigned - both)


def inbox_badge(user) -> int:
    """The inbox's menu number: new items of my agency; for supervisors, what waits for them
    (reassignment requests and new public questions that no agency's rule took)."""
    return badge_of(inbox_counts(), user)


def badge_of(counts: InboxCounts, user) -> int:
    """The menu's number from counts already read in this request (the inbox page reads them)."""
    return counts.waiting if can_reassign(user) else counts.new


def routes_of_item(item_id: int) -> list[ItemRoute]:
    """The routes of one item that the current scope may see (an agency sees only its own)."""
    return db.session.scalars(select(ItemRoute).options(joinedload(ItemRoute.agency))
                              .where(ItemRoute.item_id == item_id).order_by(ItemRoute.id)).all()


def mark_item_seen(item_id: int, actor) -> int:
    """Opening an item from the inbox marks my agency's new route of it seen (as a mail reader
    does); returns how many routes changed. A POST action: the item's page itself (a GET)
    changes nothing (issue 14: no state change on GET)."""
    if not can_triage(actor) or getattr(actor, "agency_id", None) is None:
        return 0
    mine = list(db.session.scalars(select(ItemRoute).where(
        ItemRoute.item_id == item_id, ItemRoute.agency_id == actor.agency_id, ItemRoute.status == "new")))
    # Only a route still new: one a colleague opened, decided or sent away meanwhile (two people
    # opening the item at once, a double click) stays as it is, and opening it never fails.
    seen = [route for route in mine if updated_if_unchanged(route, {
        "status": "seen", "status_changed_by_id": actor.id, "status_changed_at": utcnow()}, status="new")]
    for route in seen:
        record("item_route.status_changed", actor=actor, obj=route, item_id=item_id, before="new", after="seen")
        enqueue(db.session, "item", item_id)
    if seen:
        db.session.commit()
    return len(seen)
