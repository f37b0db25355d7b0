"""Key/value settings kept in the database (editable by admins at run time)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.extensions import db
from app.services import ServiceError
from app.services.audit import record
from app.services.digits import shown_number
from models import Setting, utcnow
from search_index.persian import ascii_digits, fold_pasted

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
    # The daily press digest e-mailed to each agency's managers (app/services/press_digest.py): off
    # until turned on; sent once a day from this local hour.
    "press_digest": {"enabled": False, "hour": 18},
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


@dataclass(frozen=True)
class DaysSetting:
    """A setting holding a number of days from ``minimum`` to ``maximum`` (its default in DEFAULTS):
    read, parsed as typed and saved by the modules that own it (portal_freshness, contact_lapsed)."""

    key: str
    minimum: int
    maximum: int

    def value(self) -> int:
        """The setting when it is a whole number in range, else its default."""
        value = get_setting(self.key)
        ok = isinstance(value, int) and not isinstance(value, bool) and self.minimum <= value <= self.maximum
        return value if ok else DEFAULTS[self.key]

    def parse(self, text) -> int:
        """A number of days as typed (any digits). :raise ServiceError: not a whole number in range."""
        # copied from a Persian line: its direction marks and ZWNJ, as case numbers (fold_pasted)
        value = fold_pasted(ascii_digits(str(text if text is not None else ""))).strip()
        if not (value.isascii() and value.isdigit() and self.minimum <= int(value) <= self.maximum):
            raise ServiceError(_("شمار روزها باید عددی از %(min)s تا %(max)s باشد (نوشته‌شده: %(value)s).",
                                 min=shown_number(self.minimum), max=shown_number(self.maximum),
                                 value=str(text or "")))
        return int(value)

    def save(self, text, actor) -> int:
        """Parse and store the days, audited, commit; the caller has checked that ``actor`` may.
        :raise ServiceError: see ``parse``."""
        days = self.parse(text)
        set_setting(self.key, days, actor=actor, audit=True)
        db.session.commit()
        return days
