"""Writing the audit trail (inside the caller's transaction; the caller commits)."""
from __future__ import annotations

from app.extensions import db
from models import AuditEntry


def record(action: str, *, actor=None, actor_label: str = "", obj=None, agency_id: int | None = None,
           **details) -> AuditEntry:
    """Add an audit entry for `action` on `obj` by `actor` to the current session."""
    if agency_id is None and obj is not None:
        agency_id = getattr(obj, "agency_id", None)
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_label=actor_label or getattr(actor, "username", "") or "system",
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None) if obj is not None else None,
        agency_id=agency_id,
        details=details,
    )
    db.session.add(entry)
    return entry


# Persian labels of the actions, for the pages (unknown actions show their code).
ACTION_LABELS = {
    "login.succeeded": "ورود موفق",
    "login.failed": "ورود ناموفق",
    "login.refused_locked": "تلاش برای ورود به حساب قفل‌شده",
    "account.locked": "قفل شدن حساب",
    "account.unlocked": "برداشتن قفل حساب",
    "user.created": "ساخت کاربر",
    "user.updated": "ویرایش کاربر",
    "user.password_changed": "تغییر گذرواژه",
    "agency.created": "ساخت سازمان",
    "agency.updated": "ویرایش سازمان",
    "holiday.added": "افزودن تعطیلی",
    "holiday.removed": "حذف تعطیلی",
    "setting.changed": "تغییر تنظیمات",
}


def action_label(action: str) -> str:
    from flask_babel import gettext

    label = ACTION_LABELS.get(action)
    return gettext(label) if label else action
