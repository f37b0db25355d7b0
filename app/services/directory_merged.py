"""Where a record merged away went: the record that holds its history now (session 46).

A merge naming a record merged before (`directory merge-journalists 2 3` after 2 went into 1) was refused
«این خبرنگار در فهرست نیست»: which of the two ids, and where it went, was not said.

    missing_record(kind, keep_id, duplicate_id) -> str | None
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from models import AuditEntry, Journalist, Outlet


def merged_away(kind: str, record_id: int) -> tuple[int, str] | None:
    """(id, name) of the record that holds the history of ``record_id``, merged away (``kind`` "journalist" or
    "outlet"), followed through later merges to a record still there; None when no merge removed it."""
    model = Journalist if kind == "journalist" else Outlet
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == f"{kind}.merged")
                                      .order_by(AuditEntry.id)))
    current, after = record_id, 0
    for _step in range(100):  # each merge removed a record: a chain, no loop
        entry = next((e for e in entries if e.id > after and (e.details or {}).get("removed_id") == current), None)
        if entry is None:
            return None
        holder = db.session.get(model, entry.object_id)
        # SQLite gives a deleted record's id again: a record made after the merge holds none of its history
        if holder is not None and not (holder.created_at and entry.created_at and holder.created_at > entry.created_at):
            return holder.id, holder.name
        current, after = entry.object_id, entry.id
    return None


def missing_record(kind: str, keep_id: int, duplicate_id: int) -> str | None:
    """Which of a merge's two ids is not in the directory, and where it was merged, in Persian; None if both are."""
    model = Journalist if kind == "journalist" else Outlet
    for record_id in (keep_id, duplicate_id):
        if db.session.get(model, record_id) is not None:
            continue
        holder = merged_away(kind, record_id)
        what = _("خبرنگار") if kind == "journalist" else _("رسانهٔ")
        if holder is None:
            return _("%(what)s شمارهٔ %(id)s در فهرست نیست؛ چیزی تغییر نکرد.", what=what, id=record_id)
        return _("%(what)s شمارهٔ %(id)s در فهرست نیست: پیش‌تر در «%(name)s» (%(now_id)s) ادغام شده است؛ ادغام را با "
                 "%(now_id)s بکنید. چیزی تغییر نکرد.", what=what, id=record_id, name=holder[1], now_id=holder[0])
    return None
