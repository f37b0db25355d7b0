"""Staff correct the public-question detector: mark or unmark a routed item as a public question.

Each correction is stored as a label (who, when, which item and agency, what the route said
before and what it says now) for later learning, and the route's ``is_question`` follows it. The
detector's reasons stay on the route: they show what the detector saw, right or wrong.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.policy import can_triage
from app.services import NotAllowed
from app.services.audit import record
from models import ItemRoute, QuestionLabel, utcnow


def label_question(route: ItemRoute, is_flagged: bool, actor) -> QuestionLabel | None:
    """Mark (``is_flagged``) or unmark ``route`` as a public question; returns the stored label,
    or None when the route already said so (nothing to correct, nothing stored)."""
    if not can_triage(actor):
        raise NotAllowed(_("شما اجازهٔ تغییر نشان پرسش مردمی را ندارید."))
    was_flagged = bool(route.is_question)
    if was_flagged == is_flagged:
        return None
    label = QuestionLabel(item_id=route.item_id, route_id=route.id, agency_id=route.agency_id,
                          user_id=getattr(actor, "id", None), was_flagged=was_flagged,
                          is_flagged=is_flagged, created_at=utcnow())
    db.session.add(label)
    route.is_question = is_flagged
    db.session.flush()
    record("item_route.question_marked" if is_flagged else "item_route.question_unmarked", actor=actor,
           obj=route, item_id=route.item_id, label_id=label.id)
    # The search index does not carry is_question: nothing to reindex.
    db.session.commit()
    return label


def labels_of_item(item_id: int) -> list[QuestionLabel]:
    """The corrections of one item that the request's scope shows, oldest first."""
    return db.session.scalars(select(QuestionLabel).where(QuestionLabel.item_id == item_id)
                              .order_by(QuestionLabel.id)).all()
