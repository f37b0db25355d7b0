"""The scorecard's status rules, which the governorate sets (the settings row ``scorecard.rules``;
defaults in app/services/settings.py and the README), and the status each clause gets by them.

- Clause 9: met when the conferences held reach the period's share of the agency's target;
  partly at ``c9_partly_pct`` % of it; no_data without a target.
- Clause 10: met when the portal is not stale; partly when it was updated in the period but is
  stale now; not_met otherwise; no_data without a portal to watch.
- Clause 11: met with ``c11_met_min`` local outlets contacted in the period, partly with
  ``c11_partly_min``; no_data when the directory has no local outlet.
- Clause 12: met when ``c12_met_pct`` % of the answers were on time and no case is more than
  ``c12_overdue_days`` days past its deadline; partly at ``c12_partly_pct`` %; without answers
  in the period, met unless a case is that late (not_met then); no_data with no case at all.
- Evidence clauses (1–8, 13, 14): met with ``cN_met_min`` records dated in the period or
  standing, partly with fewer but at least one, not_met with none.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.extensions import db
from app.i18n import N_
from app.policy import can_edit_scorecard_rules
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from app.services.digits import shown_number
from app.services.scorecard_clauses import EVIDENCE_CLAUSES
from app.services.settings import DEFAULTS, get_setting, set_setting
from search_index.persian import ascii_digits

SETTING_KEY = "scorecard.rules"


@dataclass(frozen=True)
class RuleField:
    key: str
    label: str  # Persian, marked for translation
    low: int
    high: int


FIELDS: tuple[RuleField, ...] = (
    RuleField("c9_partly_pct", N_("بند ۹: «بخشی» از چند درصد هدف دوره"), 1, 100),
    RuleField("c11_met_min", N_("بند ۱۱: «انجام‌شده» با تماس با چند رسانهٔ محلی"), 1, 500),
    RuleField("c11_partly_min", N_("بند ۱۱: «بخشی» با تماس با چند رسانهٔ محلی"), 1, 500),
    RuleField("c12_met_pct", N_("بند ۱۲: «انجام‌شده» از چند درصد پاسخ به‌موقع"), 0, 100),
    RuleField("c12_partly_pct", N_("بند ۱۲: «بخشی» از چند درصد پاسخ به‌موقع"), 0, 100),
    RuleField("c12_overdue_days", N_("بند ۱۲: بیشترین روزِ گذشته از مهلت برای «انجام‌شده»"), 0, 365),
    *(RuleField(f"c{n}_met_min", N_("بند %(n)s: شمار مدرک برای «انجام‌شده»"), 1, 100) for n in EVIDENCE_CLAUSES),
)
PAIRS = (("c11_partly_min", "c11_met_min"), ("c12_partly_pct", "c12_met_pct"))


def field_label(field: RuleField) -> str:
    number = field.key[1:].split("_")[0]
    return _(field.label, n=shown_number(number)) if "%(n)s" in field.label else _(field.label)


def defaults() -> dict[str, int]:
    return dict(DEFAULTS[SETTING_KEY])


def current_rules() -> dict[str, int]:
    """The stored rules over the defaults (a key missing or out of range keeps its default)."""
    rules = defaults()
    stored = get_setting(SETTING_KEY)
    if isinstance(stored, dict):
        for field in FIELDS:
            value = stored.get(field.key)
            if isinstance(value, int) and not isinstance(value, bool) and field.low <= value <= field.high:
                rules[field.key] = value
    return rules


def parse_rules(form: dict) -> tuple[dict[str, int], dict[str, str]]:
    """The rules as typed (any digits): (rules, errors by field key); an error keeps the current value."""
    rules, errors = current_rules(), {}
    for field in FIELDS:
        typed = str(form.get(field.key, "") or "").strip()
        text = ascii_digits(typed)
        if not (text.isascii() and text.isdigit() and field.low <= int(text) <= field.high):
            errors[field.key] = _(  # the number as typed, in the typist's digits
                "«%(label)s» باید عددی درست از %(low)s تا %(high)s باشد (نوشته‌شده: %(value)s).",
                label=field_label(field), low=shown_number(field.low), high=shown_number(field.high),
                value=typed or "-")
            continue
        rules[field.key] = int(text)
    for low, high in PAIRS:
        if low not in errors and high not in errors and rules[low] > rules[high]:
            errors[low] = _("مرز «بخشی» نمی‌تواند از مرز «انجام‌شده» بیشتر باشد.")
    return rules, errors


def save_rules(form: dict, actor) -> dict[str, int]:
    """Store the rules (admins and supervisors), audited with what changed, commit.
    :raise NotAllowed: another role. :raise RulesRejected: a bad value (nothing is stored)."""
    if not can_edit_scorecard_rules(actor):
        raise NotAllowed(_("قاعده‌های کارنامه را ناظران استانداری و مدیر سامانه تعیین می‌کنند."))
    old = current_rules()
    rules, errors = parse_rules(form)
    if errors:
        raise RulesRejected(errors)
    changes = {key: [old[key], value] for key, value in rules.items() if old.get(key) != value}
    if changes:
        set_setting(SETTING_KEY, rules)
        record("scorecard.rules_changed", actor=actor, key=SETTING_KEY, changes=changes)
    db.session.commit()
    return rules


class RulesRejected(ServiceError):
    """Some rule values are wrong; ``errors`` maps each field key to its Persian message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(_("قاعده‌ها ذخیره نشد؛ خطاهای فرم را درست کنید."))
        self.errors = errors


# --- the statuses ---------------------------------------------------------------------------------


def conference_status(figures: dict, rules: dict) -> str:
    if not figures.get("target_count"):
        return "no_data"
    held, target = figures["held"], figures["target"]
    if held >= target:
        return "met"
    return "partly" if held * 100 >= target * rules["c9_partly_pct"] else "not_met"


def portal_status(figures: dict) -> str:
    if not figures or figures.get("stale") is None:
        return "no_data"
    if not figures["stale"]:
        return "met"
    return "partly" if figures.get("updates", 0) > 0 else "not_met"


def contact_status(figures: dict, rules: dict) -> str:
    if not figures.get("local_outlets"):
        return "no_data"
    reached = figures["local_outlets_contacted"]
    if reached >= rules["c11_met_min"]:
        return "met"
    return "partly" if reached >= rules["c11_partly_min"] else "not_met"


def case_status(figures: dict, rules: dict) -> str:
    if not (figures["opened"] or figures["answered"] or figures["open"]):
        return "no_data"
    late = (figures.get("overdue_longest_days") or 0) > rules["c12_overdue_days"]
    pct = figures["on_time_pct"]
    if pct is None:
        return "not_met" if late else "met"
    if pct >= rules["c12_met_pct"] and not late:
        return "met"
    return "partly" if pct >= rules["c12_partly_pct"] else "not_met"


def evidence_status(number: int, figures: dict, rules: dict) -> str:
    if not figures or figures.get("records") is None:
        return "no_data"
    count = figures["records"]
    if count >= rules[f"c{number}_met_min"]:
        return "met"
    return "partly" if count > 0 else "not_met"
