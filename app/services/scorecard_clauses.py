"""The directive's 14 clauses as the scorecard names them: the titles of 9–12 here, those of the
evidence clauses from the evidence register's list (models.CLAUSES), so each title is written once.

``kind`` says where a clause's figure comes from: ``measured`` from the work itself (9 press
conferences, 11 contacts, 12 public questions), ``portal`` from the portal's freshness (10), and
``evidence`` from the evidence register (1–8, 13, 14).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.i18n import N_
from models import CLAUSES as EVIDENCE_CLAUSES_OF_REGISTER


@dataclass(frozen=True)
class Clause:
    number: int
    title_key: str  # Persian, marked for translation: ``title`` gives it in the reader's language
    kind: str  # measured | portal | evidence

    @property
    def title(self) -> str:
        return _(self.title_key)


# The measured clauses' titles are here; the evidence clauses' are the register's (models.CLAUSES).
_MEASURED = {
    9: Clause(9, N_("نشست‌های خبری منظم"), "measured"),
    10: Clause(10, N_("به‌روز بودن پایگاه اطلاع‌رسانی"), "portal"),
    11: Clause(11, N_("ارتباط مستمر با رسانه‌ها، به‌ویژه رسانه‌های محلی"), "measured"),
    12: Clause(12, N_("پاسخ به ابهام‌ها و پرسش‌های مطرح در رسانه‌ها"), "measured"),
}
CLAUSES: tuple[Clause, ...] = tuple(sorted(
    [*_MEASURED.values(), *(Clause(c.number, c.title, "evidence") for c in EVIDENCE_CLAUSES_OF_REGISTER)],
    key=lambda c: c.number))
BY_NUMBER = {c.number: c for c in CLAUSES}
EVIDENCE_CLAUSES = tuple(c.number for c in CLAUSES if c.kind == "evidence")

STATUSES = ("met", "partly", "not_met", "no_data")
STATUS_LABELS = {"met": N_("انجام‌شده"), "partly": N_("بخشی انجام‌شده"), "not_met": N_("انجام‌نشده"),
                 "no_data": N_("بی‌داده")}
STATUS_POINTS = {"met": 1.0, "partly": 0.5, "not_met": 0.0}  # the ranking's score; no_data is left out


def clause_title(number: int) -> str:
    return BY_NUMBER[number].title
