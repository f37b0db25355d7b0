"""Saved searches and their alerts: create, change, delete (audited); notify at ingest; read.

A saved search is the search page's query (its syntax, refused with a position when it does not
compile, as routing rules are) plus the filters that can be checked on one item in memory: the
outlet, the outlet's scope and the agency the item is routed to. The agency filter is the
search page's: the item's routes read as the index stores them (``search_index.documents.
routed_agencies``: a route counts in ``models.ROUTED_STATUSES``), and only an agency its owner may
filter by (``search.may_filter_by_agency``: their own; supervisors and admins every agency),
checked when saved and again at ingest. Dates and the sort order are not part of an alert (new
items are by definition recent); the sort is kept for "run".

At ingest, right after routing and in the same transaction, every new item is matched against
every saved search whose alert is on, with the routing matcher (percolator style): the searches
are compiled once into one RuleSet, cached until one changes (key: count, last id, last
``updated_at``, as ``routing.active_rules``, and the owners' roles and agencies). The unique
(saved search, item) constraint and an ``ON CONFLICT DO NOTHING`` insert make a re-import or a
retried job harmless. An item routed to an agency later (reassigned, backfilled, a dismissed route
set back) is matched then against the searches filtered by that agency (``notify_routed_items``,
called by the route-changing services in their transaction): the alert follows the agency's inbox
as the search page's filter does.

Saved searches and notifications belong to one user: every lookup here goes through the owner,
so another user's row (an administrator's too) is a NotFound.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.rules.analysis import BODY_CHARS, AnalyzedItem, analyze_item
from app.rules.matcher import SCOPES, RuleSyntaxError, compile_rule
from app.rules.ruleset import Limits, RuleSet
from app.services import NotFound, ServiceError
from app.services.audit import record
from app.services.digits import row_id
from app.services.routing import Analyses, item_body, refusal_reason
from app.services.search import check_agency_filter, may_filter_by_agency
from models import Agency, Item, Notification, Outlet, SavedSearch, User, utcnow
from search_index.documents import item_routes, routed_agencies
from search_index.persian import normalize_for_storage

SORTS = ("relevance", "newest")


class SearchRefused(ServiceError):
    """A saved search whose query does not compile; ``position`` is where it breaks (0-based)."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


@dataclass
class ActiveSearches:
    ruleset: RuleSet
    owners: dict[int, int] = field(default_factory=dict)  # saved search id → user id
    agency_of: dict[int, str] = field(default_factory=dict)  # saved search id → agency slug it requires


_cache: dict[tuple, ActiveSearches] = {}


def active_searches() -> ActiveSearches:
    """Every saved search with its alert on, compiled into one RuleSet (cached until one changes)."""
    count, last_id, last_change = db.session.execute(select(
        func.count(SavedSearch.id), func.max(SavedSearch.id), func.max(SavedSearch.updated_at))).one()
    owners = tuple(db.session.execute(select(User.id, User.role, User.agency_id).where(
        User.id.in_(select(SavedSearch.user_id))).order_by(User.id).execution_options(unscoped=True)))
    key = (str(db.engine.url), count, last_id, str(last_change), owners)  # an owner's new role counts too
    cached = _cache.get(key)
    if cached is not None:
        return cached
    slugs = set(db.session.scalars(select(Agency.slug)))
    active = ActiveSearches(RuleSet())
    for saved, owner in db.session.execute(select(SavedSearch, User).join(User, User.id == SavedSearch.user_id)
                                           .where(SavedSearch.is_alert_on).order_by(SavedSearch.id)
                                           .execution_options(unscoped=True)).all():
        filters = saved.filters or {}
        try:
            compiled = compile_rule(saved.query)
        except RuleSyntaxError:
            continue  # refused when saved; only a hand-edited database gets here
        if filters.get("agency"):
            if filters["agency"] not in slugs:
                continue  # its agency is gone: nothing can match
            if not may_filter_by_agency(owner, filters["agency"]):
                continue  # another agency's routes are not the owner's business (saved before, or moved)
            active.agency_of[saved.id] = filters["agency"]
        scope, outlet_id = filters.get("scope"), filters.get("outlet_id")
        if scope and scope not in SCOPES:
            continue  # refused when saved, as above
        active.ruleset.add(saved.id, compiled, Limits(scopes=frozenset([scope] if scope else ()),
                                                      outlet_ids=frozenset([outlet_id] if outlet_id else ())))
        active.owners[saved.id] = saved.user_id
    _cache.clear()
    _cache[key] = active
    return active


def notify_new_items(session, items: list[Item], analyses: Analyses | None = None) -> int:
    """Notify the owners of the saved searches that NEW items (ids assigned, already routed) match.

    Called by ingest after ``route_items`` in the same transaction (the caller commits). Safe to
    call again for the same items: a (saved search, item) pair is notified once, ever.
    Returns the number of notifications added.
    """
    return _notify(session, items, analyses, agency_filtered_only=False)


def notify_routed_items(session, item_ids) -> int:
    """Notify the saved searches filtered by an agency of items routed to it after their ingest
    (a reassignment, a backfill, a route set back to new / seen / accepted).

    Called by the service that changes the route, in its transaction, after the change (the
    caller commits). Only searches with an agency filter are evaluated: whether an item matches
    the others does not depend on its routes, and they were evaluated at ingest. The routes are
    read as the index reads them (``routed_agencies``), so the alert and the search page filtered
    by that agency agree once the indexer has run. Idempotent like ``notify_new_items``.
    """
    ids = sorted(set(item_ids))
    if not ids or not active_searches().agency_of:
        return 0
    session.flush()  # the route change itself
    items = session.scalars(select(Item).where(Item.id.in_(ids)).execution_options(unscoped=True)).all()
    return _notify(session, list(items), None, agency_filtered_only=True)


def _notify(session, items: list[Item], analyses: Analyses | None, *, agency_filtered_only: bool) -> int:
    active = active_searches()
    if not items or not len(active.ruleset) or (agency_filtered_only and not active.agency_of):
        return 0
    analyses = analyses if analyses is not None else Analyses(items)
    outlet_ids = {i.outlet_id for i in items if i.outlet_id is not None}
    scopes = dict(session.execute(select(Outlet.id, Outlet.scope).where(Outlet.id.in_(outlet_ids))).all()) \
        if outlet_ids else {}
    # The agency filter as the search index stores it (one definition: documents.routed_agencies).
    routes = item_routes(session, [i.id for i in items]) if active.agency_of else {}
    rows = []
    for item in items:
        routed = routed_agencies(routes.get(item.id, ()))
        if agency_filtered_only and not routed:
            continue
        for saved_id, match in active.ruleset.match(_whole(item, analyses), outlet_scope=scopes.get(item.outlet_id),
                                                    outlet_id=item.outlet_id):
            agency = active.agency_of.get(saved_id)
            if agency is None and agency_filtered_only:
                continue
            if agency is not None and agency not in routed:
                continue
            rows.append({"user_id": active.owners[saved_id], "saved_search_id": saved_id, "item_id": item.id,
                         "words": list(dict.fromkeys(c.found for c in match.clauses)), "created_at": utcnow()})
    if not rows:
        return 0
    known: set[tuple[int, int]] = set()
    for chunk in _chunks(sorted({r["item_id"] for r in rows})):
        known.update(session.execute(select(Notification.saved_search_id, Notification.item_id)
                                     .where(Notification.item_id.in_(chunk))))
    rows = [r for r in rows if (r["saved_search_id"], r["item_id"]) not in known]
    if rows:
        session.connection().execute(_insert_ignoring_duplicates(session), rows)
    return len(rows)


def _whole(item: Item, analyses: Analyses) -> AnalyzedItem:
    """The item as a saved search reads it: its whole text, as the search page does (routing's
    analysis, shared when the text is shorter, reads the first ``BODY_CHARS``: a long article's
    words past them were never alerted, an exclusion there never kept one out; a review of the
    alerts)."""
    body = item_body(item)
    if len(body) <= BODY_CHARS:
        return analyses[item.id]
    return analyze_item(item.title, body, body_chars=len(body))


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _insert_ignoring_duplicates(session):
    """INSERT … ON CONFLICT DO NOTHING (a concurrent worker may have notified the same pair)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        return insert(Notification.__table__)
    return dialect_insert(Notification.__table__).on_conflict_do_nothing(
        index_elements=["saved_search_id", "item_id"])


# --- saved searches --------------------------------------------------------------------------


def _clean(owner, name: str, query: str, filters: dict | None) -> tuple[str, str, dict]:
    name = normalize_for_storage(name or "").strip()
    query = normalize_for_storage(query or "").strip()
    if not name:
        raise ServiceError(_("نام جست‌وجو را بنویسید."))
    if len(name) > 200:
        raise ServiceError(_("نام جست‌وجو نباید بیش از ۲۰۰ نویسه باشد."))
    try:
        compile_rule(query, strict=True)
    except RuleSyntaxError as error:
        raise SearchRefused(_("جست‌وجو ذخیره نشد: %(reason)s", reason=refusal_reason(error)), error.position) from None
    clean: dict = {}
    filters = filters or {}
    outlet_id = filters.get("outlet_id")
    if outlet_id not in (None, ""):
        outlet_id = row_id(outlet_id)  # «99999999999999999999» overflowed the driver (a 500)
        if outlet_id is None or db.session.get(Outlet, outlet_id) is None:
            raise ServiceError(_("رسانهٔ برگزیده پیدا نشد."))
        clean["outlet_id"] = outlet_id
    if filters.get("scope"):
        if filters["scope"] not in SCOPES:
            raise ServiceError(_("گسترهٔ رسانه شناخته‌شده نیست."))
        clean["scope"] = filters["scope"]
    if filters.get("agency"):
        if db.session.scalar(select(Agency.id).where(Agency.slug == filters["agency"])) is None:
            raise ServiceError(_("سازمان برگزیده پیدا نشد."))
        check_agency_filter(owner, (filters["agency"],))
        clean["agency"] = filters["agency"]
    if filters.get("sort") in SORTS:
        clean["sort"] = filters["sort"]
    return name, query, clean


def _name_taken(owner, name: str, except_id: int | None = None) -> bool:
    stmt = select(SavedSearch.id).where(SavedSearch.user_id == owner.id, SavedSearch.name == name)
    if except_id is not None:
        stmt = stmt.where(SavedSearch.id != except_id)
    return db.session.scalar(stmt) is not None


def _commit_or_refuse() -> None:
    try:
        db.session.commit()
    except IntegrityError:  # the same name saved at the same moment in another tab
        db.session.rollback()
        raise ServiceError(_("جست‌وجوی دیگری با همین نام دارید؛ نام دیگری برگزینید.")) from None


def create_saved_search(owner, name: str, query: str, filters: dict | None = None, *,
                        is_alert_on: bool = True) -> SavedSearch:
    """Save a search for ``owner`` (refused with a position when its query does not compile)."""
    name, query, filters = _clean(owner, name, query, filters)
    if _name_taken(owner, name):
        raise ServiceError(_("جست‌وجوی دیگری با همین نام دارید؛ نام دیگری برگزینید."))
    saved = SavedSearch(user_id=owner.id, name=name, query=query, filters=filters, is_alert_on=is_alert_on,
                        created_at=utcnow(), updated_at=utcnow())
    db.session.add(saved)
    db.session.flush()
    record("saved_search.created", actor=owner, obj=saved, name=name, query=query, filters=filters,
           alert=is_alert_on)
    _commit_or_refuse()
    return saved


def update_saved_search(saved: SavedSearch, actor, *, name: str, query: str, filters: dict | None = None,
                        is_alert_on: bool = True) -> SavedSearch:
    """Rename a saved search, change its query or filters, turn its alert on or off."""
    _check_owner(saved, actor)
    name, query, filters = _clean(actor, name, query, filters)
    if _name_taken(actor, name, except_id=saved.id):
        raise ServiceError(_("جست‌وجوی دیگری با همین نام دارید؛ نام دیگری برگزینید."))
    before = {"name": saved.name, "query": saved.query, "filters": saved.filters, "alert": saved.is_alert_on}
    saved.name, saved.query, saved.filters, saved.is_alert_on = name, query, filters, is_alert_on
    saved.updated_at = utcnow()
    record("saved_search.updated", actor=actor, obj=saved, before=before,
           after={"name": name, "query": query, "filters": filters, "alert": is_alert_on})
    _commit_or_refuse()
    return saved


def set_alert(saved: SavedSearch, actor, is_alert_on: bool) -> SavedSearch:
    """Turn the alert of a saved search on or off (its notifications are kept)."""
    _check_owner(saved, actor)
    if saved.is_alert_on != is_alert_on:
        saved.is_alert_on, saved.updated_at = is_alert_on, utcnow()
        record("saved_search.alert_on" if is_alert_on else "saved_search.alert_off", actor=actor, obj=saved,
               name=saved.name)
        db.session.commit()
    return saved


def delete_saved_search(saved: SavedSearch, actor) -> None:
    """Delete a saved search and its notifications."""
    _check_owner(saved, actor)
    record("saved_search.deleted", actor=actor, obj=saved, name=saved.name, query=saved.query,
           filters=saved.filters)
    db.session.delete(saved)
    db.session.commit()


def record_run(saved: SavedSearch, actor) -> SavedSearch:
    """Remember when the owner last ran the search (shown on the list; not audited)."""
    _check_owner(saved, actor)
    saved.last_seen_at = utcnow()
    db.session.commit()
    return saved


def _check_owner(obj, actor) -> None:
    if actor is None or obj.user_id != actor.id:
        raise NotFound(_("پیدا نشد."))


def get_saved_search(saved_search_id: int, actor) -> SavedSearch:
    """The actor's saved search (NotFound when it is someone else's or gone)."""
    saved = db.session.scalar(select(SavedSearch).where(SavedSearch.id == saved_search_id,
                                                        SavedSearch.user_id == actor.id))
    if saved is None:
        raise NotFound(_("پیدا نشد."))
    return saved


def saved_searches_of(actor) -> list[tuple[SavedSearch, int, object]]:
    """The actor's saved searches with their unread count and the time of their last notification."""
    stats = {sid: (unread, last) for sid, unread, last in db.session.execute(
        select(Notification.saved_search_id,
               func.count(Notification.id).filter(Notification.read_at.is_(None)),
               func.max(Notification.created_at))
        .where(Notification.user_id == actor.id).group_by(Notification.saved_search_id))}
    searches = db.session.scalars(select(SavedSearch).where(SavedSearch.user_id == actor.id)
                                  .order_by(SavedSearch.name)).all()
    return [(s, *stats.get(s.id, (0, None))) for s in searches]


# --- notifications ---------------------------------------------------------------------------


def get_notification(notification_id: int, actor) -> Notification:
    """The actor's notification (NotFound when it is someone else's or gone)."""
    found = db.session.scalar(select(Notification).where(Notification.id == notification_id,
                                                         Notification.user_id == actor.id))
    if found is None:
        raise NotFound(_("پیدا نشد."))
    return found


def notifications_of(actor, *, unread_only: bool = False, offset: int = 0, limit: int = 50) -> list[Notification]:
    """The actor's notifications, newest first."""
    from sqlalchemy.orm import joinedload

    stmt = (select(Notification).where(Notification.user_id == actor.id)
            .options(joinedload(Notification.item).joinedload(Item.outlet), joinedload(Notification.saved_search)))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return db.session.scalars(stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
                              .offset(offset).limit(limit)).all()


def mark_read(notification: Notification, actor) -> Notification:
    """Mark one notification read (not audited: it changes nothing but the owner's list)."""
    _check_owner(notification, actor)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(actor, saved: SavedSearch | None = None) -> int:
    """Mark every unread notification of the actor (or of one saved search) read; returns how many."""
    stmt = update(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
    if saved is not None:
        _check_owner(saved, actor)
        stmt = stmt.where(Notification.saved_search_id == saved.id)
    result = db.session.execute(stmt.values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount or 0


def unread_count(user) -> int:
    """Unread notifications of ``user`` (one indexed COUNT; the menu shows it on every page)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0
