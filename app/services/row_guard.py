"""Writing a row only while it still holds what its writer read: the guard against lost updates.

A use case reads a row, checks its state in Python (a status, an owner, a decision), then writes.
Two people acting at once both pass the checks on what they read; without a guard the second
write overwrites the first, or takes a step from a state that no longer holds. ``update_if_unchanged``
makes the write one ``UPDATE … WHERE`` the read columns still hold their values: PostgreSQL
re-reads the row once the first writer commits, SQLite's writer lock serializes the two, so the
second finds no row, is rolled back and refused with the caller's Persian message.
"""
from __future__ import annotations

import hashlib
import json

from sqlalchemy import inspect, update
from sqlalchemy.orm.exc import ObjectDeletedError

from app.clock import utcnow
from app.extensions import db
from app.i18n import N_
from app.services import ServiceError


def update_if_unchanged(obj, values: dict, refusal: str, *, touch: bool = True, **read) -> None:
    """Set ``values`` (column names) on the mapped ``obj`` only if its columns ``read`` still hold
    what was read, in one UPDATE (``updated_at`` too, where the table has one); on success the
    object carries the new values, and the row stays locked until the caller commits.
    :raise ServiceError: ``refusal``, the row changed meanwhile (the session is rolled back: the
    use case is refused whole). ``touch=False``: ``updated_at`` left as it is (a write that only
    takes the row's lock, as an invitation's: the conference itself did not change)."""
    if not updated_if_unchanged(obj, values, touch=touch, **read):
        db.session.rollback()
        raise ServiceError(refusal)


def updated_if_unchanged(obj, values: dict, *, touch: bool = True, **read) -> bool:
    """``update_if_unchanged`` that says False instead of refusing (nothing written, nothing
    rolled back), for a caller that decides what a changed row means (a colleague's same click)."""
    if not values:
        raise ValueError("update_if_unchanged needs a value to set")
    table = inspect(obj).mapper.local_table
    where = [table.c.id == obj.id, *(table.c[name] == value for name, value in read.items())]
    # Set to itself when not touched: a column left out of SET would get its Python onupdate.
    stamped = {"updated_at": utcnow() if touch else table.c.updated_at} if "updated_at" in table.c else {}
    if db.session.execute(update(table).where(*where).values(**values, **stamped)).rowcount != 1:
        return False
    for name, value in values.items():
        setattr(obj, name, value)
    return True


def read_for_update(obj) -> None:
    """Take the row's write lock (PostgreSQL's row lock; SQLite's writer lock) and read the row
    again: a version or a state checked next is the one the caller's write will replace, not one a
    colleague's save made stale between this request's first read and its write. Only when a
    page's version was sent: the lock is held until the caller commits or rolls back."""
    table = inspect(obj).mapper.local_table
    same = {"id": table.c.id} | ({"updated_at": table.c.updated_at} if "updated_at" in table.c else {})
    if db.session.execute(update(table).where(table.c.id == obj.id).values(**same)).rowcount != 1:
        raise ObjectDeletedError(inspect(obj))  # deleted meanwhile: the web's 409 page, not a refresh error
    db.session.refresh(obj)


def changed_since(obj, seen: str | None, version) -> bool:
    """Whether the record changed since an edit page showed it as ``seen`` (``version(obj)`` then):
    compared with the row read again under its write lock (``read_for_update``); False when no
    version was sent (a script, the command line, a page opened before an upgrade)."""
    if not seen:
        return False
    read_for_update(obj)
    return seen != version(obj)


def version_of(values: dict) -> str:
    """A digest of a record's editable values. An edit page carries the one it showed; a save
    from a page read before someone else saved the record is refused (the caller compares it
    with the record's now) rather than putting back, unseen, what they changed."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


class StalePage(ServiceError):
    """A save from an edit page read before someone else saved the record (``STALE_PAGE``)."""


STALE_PAGE = N_("این رکورد پس از باز شدن این صفحه به دست کس دیگری تغییر کرد و تغییرات شما ذخیره نشد. "
                "نوشته‌های شما در فرم مانده است؛ رکورد را در برگه‌ای دیگر ببینید و اگر باز هم همین‌ها را "
                "می‌خواهید، دوباره ذخیره کنید.")
