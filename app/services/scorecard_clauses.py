"""The directive's 14 clauses as the scorecard names them (one list; the evidence register and
the reports read their titles here).

``kind`` says where a clause's figure comes from: ``measured`` from the work itself (9 press
conferences, 11 contacts, 12 public questions), ``portal`` from the portal's freshness (10), and
``evidence`` from the evidence register (1–8, 13, 14).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.i18n import N_


@dataclass(frozen=True)
class Clause:
    number: int
    title_key: str  # Persian, marked for translation: ``title`` gives it in the reader's language
    kind: str  # measured | portal | evidence

    @property
    def title(self) -> str:
        return _(self.title_key)


CLAUSES: tuple[Clause, ...] = (
    Clause(1, N_("انتصاب مدیر روابط عمومی"), "evidence"),
    Clause(2, N_("حکم مشاور بالاترین مقام در روابط عمومی"), "evidence"),
    Clause(3, N_("شورای اطلاع‌رسانی و جلسات آن"), "evidence"),
    Clause(4, N_("تغییرات ساختاری روابط عمومی"), "evidence"),
    Clause(5, N_("حضور مدیر روابط عمومی در جلسات مدیران"), "evidence"),
    Clause(6, N_("عضویت و مشارکت در شورای هماهنگی روابط عمومی‌ها"), "evidence"),
    Clause(7, N_("دوره‌های آموزشی"), "evidence"),
    Clause(8, N_("حضور در همایش‌ها و جشنواره‌های روابط عمومی"), "evidence"),
    Clause(9, N_("نشست‌های خبری منظم"), "measured"),
    Clause(10, N_("به‌روز بودن پایگاه اطلاع‌رسانی"), "portal"),
    Clause(11, N_("ارتباط مستمر با رسانه‌ها، به‌ویژه رسانه‌های محلی"), "measured"),
    Clause(12, N_("پاسخ به ابهام‌ها و پرسش‌های مطرح در رسانه‌ها"), "measured"),
    Clause(13, N_("تجهیزات روابط عمومی"), "evidence"),
    Clause(14, N_("برون‌سپاری تولید محتوا"), "evidence"),
)
BY_NUMBER = {c.number: c for c in CLAUSES}
EVIDENCE_CLAUSES = tuple(c.number for c in CLAUSES if c.kind == "evidence")

STATUSES = ("met", "partly", "not_met", "no_data")
STATUS_LABELS = {"met": N_("انجام‌شده"), "partly": N_("بخشی انجام‌شده"), "not_met": N_("انجام‌نشده"),
                 "no_data": N_("بی‌داده")}
STATUS_POINTS = {"met": 1.0, "partly": 0.5, "not_met": 0.0}  # the ranking's score; no_data is left out


def clause_title(number: int) -> str:
    return BY_NUMBER[number].title
