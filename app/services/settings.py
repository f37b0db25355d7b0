"""Key/value settings kept in the database (editable by admins at run time)."""
from __future__ import annotations

from app.extensions import db
from app.services.audit import record
from models import Setting, utcnow

# Defaults for every setting; the calendar and the worker read these.
DEFAULTS: dict[str, object] = {
    # Weekly rest days, Python weekday numbers (Monday=0 … Friday=4, Saturday=5, Sunday=6).
    "calendar.rest_days": [4],
    # Working days to answer a public-question case, by priority (app/services/case_deadlines.py).
    "cases.deadline_days": {"urgent": 2, "normal": 5, "low": 10},
    # Case reminders (app/services/case_reminders.py): remind `days_before` working days before the
    # deadline; escalate to the supervisors `escalate_after` working days after it.
    "cases.reminders": {"days_before": 1, "escalate_after": 2},
    # Lapsed contact (app/services/contact_lapsed.py): a local outlet with no contact from an agency
    # in more than this many days is listed on the agency's dashboard.
    "contacts.lapsed_days": 30,
    # The scorecard's status rules (app/services/scorecard_rules.py; README "The directive scorecard"):
    # clause 9 partly at c9_partly_pct % of the period's target; clause 11 met/partly at that many
    # local outlets contacted; clause 12 met at c12_met_pct % answered on time with nothing more than
    # c12_overdue_days days past its deadline, partly at c12_partly_pct %; an evidence clause N met
    # with cN_met_min records in the period (or standing), partly with fewer but at least one.
    "scorecard.rules": {"c9_partly_pct": 50, "c11_met_min": 3, "c11_partly_min": 1, "c12_met_pct": 80,
                        "c12_partly_pct": 50, "c12_overdue_days": 7,
                        **{f"c{n}_met_min": 1 for n in (1, 2, 3, 4, 5, 6, 7, 8, 13, 14)}},
    # Portal freshness (app/services/portal_freshness.py): a portal with no update in more than this
    # many days is stale (clause 10).
    "portal.stale_days": 7,
    "worker.heartbeat": None,
}


def get_setting(key: str):
    row = db.session.get(Setting, key)
    return row.value if row is not None else DEFAULTS.get(key)


def set_setting(key: str, value, *, actor=None, audit: bool = False) -> None:
    """Store a setting in the caller's unit of work (audited when a person changes it); the
    use case that calls it commits (``record_heartbeat`` is one)."""
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value)
        db.session.add(row)
    else:
        row.value = value
    if audit:
        record("setting.changed", actor=actor, key=key, value=value)


def record_heartbeat(pid: int) -> None:
    """The worker is alive (the dashboard shows it): one short transaction."""
    set_setting("worker.heartbeat", {"at": utcnow().isoformat(), "pid": pid})
    db.session.commit()
