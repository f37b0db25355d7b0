"""The inbox's suggestions (issue 15): the classifier thinks an item may be an agency's, below
the agency's routing threshold. Staff accept one (the item becomes the agency's, as an accepted
route that keeps the model's probability and words) or dismiss it; both are labels for the next
training (app/services/learning_training.desk_decisions).

Reads go through the request's agency scope (an agency sees its own suggestions, the governorate
every agency's). An agency whose learning is switched off gets no new suggestions; the ones it
already has stay until someone decides them.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.policy import can_triage, sees_all_agencies
from app.services import NotAllowed, ServiceError
from app.services.alerts import notify_routed_items
from app.services.audit import record
from app.services.row_guard import update_if_unchanged
from models import Item, ItemRoute, RouteSuggestion, utcnow
from models.search_outbox import enqueue

LIMIT = 50


def _unscoped(stmt):
    return stmt.execution_options(unscoped=True)


def new_suggestions(limit: int = LIMIT) -> list[RouteSuggestion]:
    """The suggestions nobody decided yet, as the request's scope sees them, the likeliest first
    (with their item, its outlet and the agency loaded)."""
    return db.session.scalars(
        select(RouteSuggestion).join(Item, RouteSuggestion.item_id == Item.id)
        .options(joinedload(RouteSuggestion.item).joinedload(Item.outlet), joinedload(RouteSuggestion.agency))
        .where(RouteSuggestion.status == "new")
        .order_by(RouteSuggestion.probability.desc(), Item.published_at.desc(), RouteSuggestion.id.desc())
        .limit(limit)).unique().all()


def suggestions_of_item(item_id: int) -> list[RouteSuggestion]:
    """One item's undecided suggestions that the request's scope shows (the item's page)."""
    return db.session.scalars(select(RouteSuggestion).options(joinedload(RouteSuggestion.agency))
                              .where(RouteSuggestion.item_id == item_id, RouteSuggestion.status == "new")
                              .order_by(RouteSuggestion.probability.desc())).all()


def _may_decide(suggestion: RouteSuggestion, actor) -> None:
    """:raise NotAllowed: a viewer, or a user of another agency. :raise ServiceError: decided."""
    if not can_triage(actor):
        raise NotAllowed(_("شما اجازهٔ تصمیم دربارهٔ پیشنهادهای سامانه را ندارید."))
    if not sees_all_agencies(actor) and getattr(actor, "agency_id", None) != suggestion.agency_id:
        raise NotAllowed(_("این پیشنهاد برای سازمان شما نیست."))
    if suggestion.status == "accepted":
        raise ServiceError(_("این پیشنهاد پیش‌تر پذیرفته شده است؛ چیزی تغییر نکرد."))
    if suggestion.status == "dismissed":
        raise ServiceError(_("این پیشنهاد پیش‌تر کنار گذاشته شده است؛ چیزی تغییر نکرد."))


def _decided(suggestion: RouteSuggestion, status: str, actor) -> None:
    # Only while nobody decided it meanwhile: an accept and a dismiss at once would both be
    # audited, the second label overwriting the first (and two accepts would make the route twice).
    update_if_unchanged(suggestion, {"status": status, "decided_by_id": getattr(actor, "id", None),
                                     "decided_at": utcnow()},
                        _("کس دیگری هم‌زمان دربارهٔ این پیشنهاد تصمیم گرفت؛ چیزی تغییر نکرد. صفحه را دوباره بخوانید."),
                        status="new")


def accept_suggestion(suggestion: RouteSuggestion, actor) -> ItemRoute:
    """Accept a suggestion: the agency's route of the item (made, or revived when one was
    dismissed or sent away) becomes ``accepted`` and keeps the model's probability and words.
    Audited; the item is queued for reindexing (the index carries the routes). Returns the route.

    :raise NotAllowed: not the user's agency, or a viewer.
    :raise ServiceError: the suggestion was decided already.
    """
    _may_decide(suggestion, actor)
    _decided(suggestion, "accepted", actor)
    route = db.session.scalar(_unscoped(select(ItemRoute).where(
        ItemRoute.item_id == suggestion.item_id, ItemRoute.agency_id == suggestion.agency_id)))
    before = None
    if route is None:
        # The question flag as the item's other routes carry it (routing decided it once per item).
        sibling = db.session.scalar(_unscoped(select(ItemRoute).where(ItemRoute.item_id == suggestion.item_id)
                                              .order_by(ItemRoute.id).limit(1)))
        route = ItemRoute(item_id=suggestion.item_id, agency_id=suggestion.agency_id, rule_ids=[], matched=[],
                          is_question=bool(sibling and sibling.is_question),
                          question_reasons=list(sibling.question_reasons or []) if sibling else [],
                          model_id=suggestion.model_id, model_probability=suggestion.probability,
                          model_words=list(suggestion.words or []))
        db.session.add(route)
    else:
        before = route.status
        if not route.rule_ids and route.model_id is None:
            route.model_id, route.model_probability = suggestion.model_id, suggestion.probability
            route.model_words = list(suggestion.words or [])
    route.status, route.status_changed_by_id, route.status_changed_at = "accepted", getattr(actor, "id", None), utcnow()
    db.session.flush()
    suggestion.route_id = route.id
    record("route_suggestion.accepted", actor=actor, obj=suggestion, item_id=suggestion.item_id,
           route_id=route.id, route_before=before, probability=suggestion.probability, words=suggestion.words)
    enqueue(db.session, "item", suggestion.item_id)
    notify_routed_items(db.session, [suggestion.item_id])  # the agency's saved searches filtered by it
    db.session.commit()
    return route


def dismiss_suggestion(suggestion: RouteSuggestion, actor) -> RouteSuggestion:
    """Dismiss a suggestion: the item is not the agency's (a label for the next training).

    :raise NotAllowed: not the user's agency, or a viewer.
    :raise ServiceError: the suggestion was decided already.
    """
    _may_decide(suggestion, actor)
    _decided(suggestion, "dismissed", actor)
    record("route_suggestion.dismissed", actor=actor, obj=suggestion, item_id=suggestion.item_id,
           probability=suggestion.probability, words=suggestion.words)
    db.session.commit()
    return suggestion
