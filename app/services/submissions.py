"""A form that creates a record acts once: the second click of an impatient user on a slow
intranet, or the same form sent again after «back», creates nothing twice.

Each such form carries a random token (``new_token``, rendered into the page); the view claims
it (``claim``) before it creates the record, in the same transaction, so the claim commits with
the record and is rolled back with it (a refused form may be corrected and sent again). A second
request with the token finds it claimed: on PostgreSQL its INSERT waits for the first to commit,
on SQLite the writer lock orders the two; either way it fails on the primary key and is told,
in Persian, that the form was already sent. A request without a token (a script, a page opened
before this check) is not checked. Tokens older than ``KEEP`` are pruned hourly.
"""
from __future__ import annotations

import re
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from app.clock import utcnow
from app.extensions import db
from app.services import ServiceError
from models import FormSubmission

KEEP = timedelta(days=1)
_TOKEN = re.compile(r"[0-9a-f]{32}")


class AlreadySent(ServiceError):
    """The form was sent before and its record made: nothing is done again."""


def new_token() -> str:
    """The token a form that creates a record carries (32 hex digits)."""
    return secrets.token_hex(16)


def claim(token: str | None, user) -> None:
    """Mark the form carrying ``token`` as acted on, in the caller's transaction (call it before
    the create; the create's commit commits it). :raise AlreadySent: it was sent before."""
    if not token or not _TOKEN.fullmatch(token):
        return
    db.session.add(FormSubmission(token=token, user_id=getattr(user, "id", None), created_at=utcnow()))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AlreadySent(_("این فرم پیش‌تر فرستاده شده و آنچه ساخت ثبت شده است؛ چیزی دوباره ثبت نشد.")) from None


def abandon() -> None:
    """The create that followed ``claim`` was refused: roll the claim back with it now, and the
    write lock it took (SQLite's whole database), before the form is shown again."""
    db.session.rollback()


def prune(now=None) -> int:
    """Forget tokens older than ``KEEP`` (the worker's hourly housekeeping); commits."""
    deleted = db.session.execute(delete(FormSubmission).where(FormSubmission.created_at < (now or utcnow()) - KEEP)).rowcount
    db.session.commit()
    return deleted
