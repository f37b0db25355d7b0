"""What the dashboard shows a user (read-only; scoped by the agency scope of the request)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app.clock import utcnow
from app.extensions import db
from app.policy import can_read_audit, sees_all_agencies
from app.services.lunar_holidays import lunar_warnings_for
from app.services.settings import get_setting
from models import Agency, AuditEntry, User


def worker_status() -> dict:
    """When the worker last reported; `alive` when within two minutes."""
    beat = get_setting("worker.heartbeat")
    if not beat:
        return {"alive": False, "at": None}
    at = datetime.fromisoformat(beat["at"])
    age = (utcnow() - at).total_seconds()
    return {"alive": age < 120, "at": at}


def dashboard_for(user) -> dict:
    board = {
        "agency": user.agency,
        "recent_audit": db.session.scalars(
            select(AuditEntry).order_by(AuditEntry.created_at.desc()).limit(8)
        ).all() if can_read_audit(user) else [],
        "worker": worker_status(),
        "lunar_warnings": lunar_warnings_for(user),
    }
    if sees_all_agencies(user):
        board["agency_count"] = db.session.scalar(select(func.count()).select_from(Agency).where(Agency.is_active))
        board["user_count"] = db.session.scalar(select(func.count()).select_from(User))
    return board
