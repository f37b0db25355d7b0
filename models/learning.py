"""Triage that learns (issue 15): the stored versions of the text classifier and the inbox's
suggestions below a model's routing threshold."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.base import AgencyOwned, UTCDateTime, utcnow

if TYPE_CHECKING:
    from models.agency import Agency
    from models.item import Item

# candidate: trained, not (yet) compared; active: the one that classifies new items (one at a
# time); retired: was active, replaced by a better one; rejected: scored worse than the active one.
MODEL_STATES = ("candidate", "active", "retired", "rejected")
SUGGESTION_STATES = ("new", "accepted", "dismissed")


class ClassifierModel(db.Model):
    """One trained version of the classifier: its arrays (app.learning.model.TextModel as .npz),
    when and from what it was trained, and its figures on the held-back slice — with the figures
    of the model that was active then, on the same slice, when it was compared."""

    __tablename__ = "classifier_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # starter (shipped) or desk (trained here)
    status: Mapped[str] = mapped_column(String(16), default="candidate", index=True)
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    trained_by: Mapped[str] = mapped_column(String(200), default="")  # a user's name, "worker" or "cli"
    label_counts: Mapped[dict] = mapped_column(JSON, default=dict)  # label -> {"positive", "negative"}
    figures: Mapped[dict] = mapped_column(JSON, default=dict)  # this model on the held-back slice
    compared_with: Mapped[dict] = mapped_column(JSON, default=dict)  # the active model then, same slice
    note: Mapped[str] = mapped_column(Text, default="")  # why it was kept or rejected
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RouteSuggestion(AgencyOwned, db.Model):
    """The model thinks an item may be the agency's, below the routing threshold: shown in the
    agency's inbox only, where staff accept it (it becomes a route) or dismiss it. Both are
    labels for the next training."""

    __tablename__ = "route_suggestions"
    __table_args__ = (Index("uq_route_suggestions_item_agency", "item_id", "agency_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("classifier_models.id", ondelete="SET NULL"))
    probability: Mapped[float] = mapped_column(Float)
    words: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    route_id: Mapped[int | None] = mapped_column(Integer)  # the route made when accepted

    item: Mapped[Item] = relationship()
    agency: Mapped[Agency] = relationship()
