"""The search outbox: every change that affects search, written in the same transaction.

The single indexer drains it into the search index; a row is removed only after the index commit.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from models.base import UTCDateTime, utcnow

DOC_TYPES = ("item",)  # cases and press conferences come later


class SearchOutbox(db.Model):
    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    doc_id: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(8), default="upsert")  # upsert | delete
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def enqueue(session, doc_type: str, doc_id: int, op: str = "upsert") -> None:
    """Add an outbox row to `session` (the caller's transaction)."""
    session.add(SearchOutbox(doc_type=doc_type, doc_id=doc_id, op=op))
