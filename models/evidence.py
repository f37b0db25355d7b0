"""The evidence register (directive clauses 1–8, 13 and 14): dated records an agency keeps for
each clause, with a note and an optional file.

The clauses themselves (number, Persian title, whether their records stand) are one tuple here,
``CLAUSES``: the pages, the forms, the scorecard and the translations all read it. A record is
agency-owned (app/scoping.py isolates it). ``is_standing`` marks a record that stays valid until
a later standing record of the same clause supersedes it (an appointment, a decree, a council's
formation, a membership, the equipment): it counts in the period of its date and in every later
period until then. The others are events (a meeting, a course, a festival, a contract), counted
only in the period of their date (app/services/evidence.py, ``evidence_in``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.i18n import N_
from models.agency import Agency
from models.base import AgencyOwned, UTCDateTime, utcnow
from models.user import User

# How a clause's records count: "standing" (every record stands until superseded), "event" (every
# record counts in its own period only), "either" (the form asks: a council's formation or a
# membership stands, a meeting or a contribution is an event).
RECORD_KINDS = ("standing", "event", "either")


@dataclass(frozen=True)
class EvidenceClause:
    number: int
    title: str  # Persian (N_: translated where shown)
    kind: str  # RECORD_KINDS
    standing_label: str = ""  # for kind "either": what a standing record of this clause is
    hint: str = ""  # what to record, shown on the form


CLAUSES: tuple[EvidenceClause, ...] = (
    EvidenceClause(1, N_("انتصاب مدیر روابط عمومی"), "standing",
                   hint=N_("حکم انتصاب مدیر روابط عمومی: چه کسی، از چه تاریخی.")),
    EvidenceClause(2, N_("حکم مشاور رسانه‌ای بالاترین مقام"), "standing",
                   hint=N_("حکم مشاورت مدیر روابط عمومی نزد بالاترین مقام دستگاه.")),
    EvidenceClause(3, N_("شورای اطلاع‌رسانی و جلسه‌های آن"), "either",
                   standing_label=N_("تشکیل یا ترکیب شورا (تا ترکیب بعدی معتبر است)"),
                   hint=N_("تشکیل شورای اطلاع‌رسانی، یا صورت‌جلسهٔ یکی از جلسه‌های آن.")),
    EvidenceClause(4, N_("تغییرات ساختاری روابط عمومی"), "event",
                   hint=N_("تغییر در جایگاه، تشکیلات یا نیروی روابط عمومی.")),
    EvidenceClause(5, N_("جلسه‌هایی که مدیر روابط عمومی به آن‌ها دعوت شد"), "event",
                   hint=N_("جلسهٔ مدیران یا شورای دستگاه که مدیر روابط عمومی در آن حاضر بود.")),
    EvidenceClause(6, N_("عضویت و مشارکت در شورای هماهنگی روابط عمومی‌ها"), "either",
                   standing_label=N_("عضویت در شورا (تا تغییر بعدی معتبر است)"),
                   hint=N_("عضویت در شورای هماهنگی، یا حضور و مشارکت در یکی از برنامه‌های آن.")),
    EvidenceClause(7, N_("دوره‌های آموزشی"), "event",
                   hint=N_("دورهٔ آموزشی که کارکنان روابط عمومی گذراندند.")),
    EvidenceClause(8, N_("همایش‌ها و جشنواره‌های روابط عمومی"), "event",
                   hint=N_("همایش یا جشنواره‌ای که روابط عمومی در آن شرکت کرد.")),
    EvidenceClause(13, N_("تجهیزات روابط عمومی"), "standing",
                   hint=N_("فهرست تجهیزات کنونی (دوربین، رایانه، استودیو…): هر ثبت تازه جای فهرست پیشین را می‌گیرد.")),
    EvidenceClause(14, N_("برون‌سپاری تولید محتوا"), "event",
                   hint=N_("قرارداد یا سفارش تولید محتوا به بیرون از دستگاه.")),
)
CLAUSES_BY_NUMBER = {clause.number: clause for clause in CLAUSES}
EVIDENCE_CLAUSE_NUMBERS = tuple(clause.number for clause in CLAUSES)


class EvidenceRecord(AgencyOwned, db.Model):
    """One dated piece of evidence of an agency for one clause of the directive."""

    __tablename__ = "evidence_records"
    __table_args__ = (Index("ix_evidence_records_agency_clause_day", "agency_id", "clause", "happened_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clause: Mapped[int] = mapped_column(Integer, index=True)  # EVIDENCE_CLAUSE_NUMBERS
    happened_on: Mapped[date] = mapped_column(Date, index=True)  # the local day it happened / took effect
    is_standing: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    # The optional file: stored under <DATA_DIR>/evidence-files/ with a random name, never the uploaded one.
    file_stored_name: Mapped[str | None] = mapped_column(String(100), unique=True)
    file_original_name: Mapped[str] = mapped_column(String(255), default="")  # shown only, never a path
    file_content_type: Mapped[str | None] = mapped_column(String(100))
    file_size_bytes: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def has_file(self) -> bool:
        return self.file_stored_name is not None

    def __repr__(self) -> str:
        return f"<EvidenceRecord {self.id} clause {self.clause}>"
