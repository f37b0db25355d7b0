"""Key/value settings kept in the database (editable by admins at run time)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import Text, cast, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.services.audit import record
from models import Setting

_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)  # a free lease's time

# Defaults for every setting; the calendar and the worker read these.
DEFAULTS: dict[str, object] = {
    # Weekly rest days, Python weekday numbers (Monday=0 … Friday=4, Saturday=5, Sunday=6).
    "calendar.rest_days": [4],
    "worker.heartbeat": None,
}


def get_setting(key: str):
    row = db.session.get(Setting, key)
    return row.value if row is not None else DEFAULTS.get(key)


def set_setting(key: str, value, *, actor=None, audit: bool = False) -> None:
    """Store a setting and commit (audited when a person changes it)."""
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value)
        db.session.add(row)
    else:
        row.value = value
    if audit:
        record("setting.changed", actor=actor, key=key, value=value)
    db.session.commit()


# --- leases: one holder at a time across processes (the index writer, the digest sender) -------


def claim_lease(key: str, owner: str, seconds: float) -> bool:
    """Take or renew the lease ``key``; True when ``owner`` holds it now (commits). A lease not
    renewed for ``seconds`` is free for the next claimer."""
    now = datetime.now(timezone.utc)
    if db.session.get(Setting, key) is None:
        try:
            db.session.add(Setting(key=key, value="", updated_at=_EPOCH))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another process created it first
    mine = cast(Setting.value, Text).in_([f'"{owner}"'])
    result = db.session.execute(
        update(Setting)
        .where(Setting.key == key, (Setting.updated_at < now - timedelta(seconds=seconds)) | mine)
        .values(value=owner, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def release_lease(key: str, owner: str) -> None:
    """Give the lease back at once (the next claimer need not wait for it to expire)."""
    db.session.execute(
        update(Setting).where(Setting.key == key, cast(Setting.value, Text).in_([f'"{owner}"']))
        .values(value="", updated_at=_EPOCH).execution_options(synchronize_session=False)
    )
    db.session.commit()
