"""The evidence register (directive clauses 1–8, 13, 14): the reads. Writes are in
``evidence_records.py``, the files in ``evidence_files.py``; the clauses are ``models.CLAUSES``.

Which records count in a period (``evidence_in``, what the scorecard reads):

- an **event** record (``is_standing`` false: a meeting, a course, a festival, a structural
  change, an outsourcing contract) counts in the period its day falls in, and only there;
- a **standing** record (an appointment, an advisor decree, a council's formation, a membership,
  the equipment list) counts in the period of its day too, and in every later period until a
  later standing record of the same clause supersedes it: for a period, the newest standing
  record dated before the period's first day is carried into it (``carried`` = True).

Clauses 1, 2 and 13 are always standing, 4, 5, 7, 8 and 14 always events; for 3 and 6 each
record says which it is (the council or the membership stands, its meetings and contributions
are events). Everything is read through the agency scope (app/scoping.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.jalali import format_jalali_date
from app.scoping import current_scope
from app.services import NotFound
from models import CLAUSES_BY_NUMBER, EVIDENCE_CLAUSE_NUMBERS, Agency, EvidenceRecord

SNIPPET_CHARS = 120

__all__ = ["EvidenceRef", "evidence_in", "snippet"]


@dataclass(frozen=True)
class EvidenceRef:
    """One record behind a clause's evidence in a period (JSON-able with ``as_dict``)."""

    id: int
    agency_id: int
    clause: int
    date: date
    note: str  # the start of the note (SNIPPET_CHARS)
    is_standing: bool
    carried: bool  # a standing record dated before the period, still in force in it
    has_file: bool

    def as_dict(self) -> dict:
        return {"id": self.id, "clause": self.clause, "date": self.date.isoformat(),
                "date_jalali": format_jalali_date(self.date, digits="en"), "note": self.note,
                "is_standing": self.is_standing, "carried": self.carried, "has_file": self.has_file}


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _ref(record: EvidenceRecord, carried: bool) -> EvidenceRef:
    return EvidenceRef(record.id, record.agency_id, record.clause, record.happened_on, snippet(record.note),
                       record.is_standing, carried, record.has_file)


def _agency_ids(agency_ids: list[int] | None) -> list[int]:
    """The agencies asked for, as the scope lets them through (None: every active agency)."""
    query = select(Agency.id).order_by(Agency.id)
    scope = current_scope()
    if scope is not None:
        query = query.where(Agency.id == scope)
    if agency_ids is None:
        query = query.where(Agency.is_active.is_(True))
    else:
        query = query.where(Agency.id.in_(list(agency_ids)))
    return list(db.session.scalars(query))


def evidence_in(first: date, last: date, agency_ids: list[int] | None = None) -> dict[int, dict[int, list[EvidenceRef]]]:
    """agency id → clause (every one of 1–8, 13, 14) → the records that count for the days
    ``first`` … ``last`` (both included): those dated in it, then the standing record carried
    into it (see the module's docstring). Records in date order, carried ones first.
    ``agency_ids`` None: every active agency the scope sees."""
    ids = _agency_ids(agency_ids)
    result: dict[int, dict[int, list[EvidenceRef]]] = {a: {c: [] for c in EVIDENCE_CLAUSE_NUMBERS} for a in ids}
    if not ids:
        return result
    newest_before = (select(EvidenceRecord.agency_id, EvidenceRecord.clause,
                            func.max(EvidenceRecord.happened_on).label("day"))
                     .where(EvidenceRecord.agency_id.in_(ids), EvidenceRecord.is_standing.is_(True),
                            EvidenceRecord.happened_on < first)
                     .group_by(EvidenceRecord.agency_id, EvidenceRecord.clause).subquery())
    carried = db.session.scalars(
        select(EvidenceRecord).join(newest_before, (EvidenceRecord.agency_id == newest_before.c.agency_id)
                                    & (EvidenceRecord.clause == newest_before.c.clause)
                                    & (EvidenceRecord.happened_on == newest_before.c.day))
        .where(EvidenceRecord.is_standing.is_(True)).order_by(EvidenceRecord.id))
    for record in carried:
        if record.clause in CLAUSES_BY_NUMBER:
            result[record.agency_id][record.clause].append(_ref(record, True))
    dated = db.session.scalars(
        select(EvidenceRecord).where(EvidenceRecord.agency_id.in_(ids), EvidenceRecord.happened_on >= first,
                                     EvidenceRecord.happened_on <= last)
        .order_by(EvidenceRecord.happened_on, EvidenceRecord.id))
    for record in dated:
        if record.clause in CLAUSES_BY_NUMBER:
            result[record.agency_id][record.clause].append(_ref(record, False))
    return result


def get_record(record_id: int) -> EvidenceRecord:
    """One record through the scope. :raise NotFound: absent or another agency's."""
    record = db.session.scalar(select(EvidenceRecord).where(EvidenceRecord.id == record_id))
    if record is None:
        raise NotFound(_("این سند در دفتر مستندات نیست."))
    return record
