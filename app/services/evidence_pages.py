"""The evidence register's pages: an agency's register grouped by clause (with counts and what
stands now), the governorate's overview (every agency × clause), and a record for its form.

An agency's user sees their own agency's register; admins and supervisors pick an agency (or see
the overview). Everything is read through the agency scope (app/scoping.py): another agency's
record is NotFound.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.policy import can_write_evidence, sees_all_agencies
from app.services import NotAllowed, NotFound, ServiceError
from app.services.case_queries import agency_by_slug
from app.services.evidence import get_record
from app.services.evidence_files import ACCEPT, max_bytes, megabytes, served
from models import CLAUSES, Agency, EvidenceClause, EvidenceRecord


@dataclass(frozen=True)
class ClauseSection:
    clause: EvidenceClause
    records: list[EvidenceRecord]  # newest first
    in_force: EvidenceRecord | None  # the newest standing record

    @property
    def count(self) -> int:
        return len(self.records)


@dataclass(frozen=True)
class OverviewRow:
    agency: Agency
    counts: dict[int, int]  # clause → records
    missing: int  # clauses without any record


@dataclass
class RegisterPage:
    agency: Agency | None
    agencies: list[Agency]  # the governorate's choice
    sections: list[ClauseSection] = field(default_factory=list)
    overview: list[OverviewRow] = field(default_factory=list)
    can_write: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    clauses: tuple[EvidenceClause, ...] = CLAUSES


def _active_agencies() -> list[Agency]:
    return list(db.session.scalars(select(Agency).where(Agency.is_active.is_(True)).order_by(Agency.name_order, Agency.id)))


def _sections(agency_id: int) -> list[ClauseSection]:
    records = db.session.scalars(select(EvidenceRecord).options(joinedload(EvidenceRecord.created_by))
                                 .where(EvidenceRecord.agency_id == agency_id)
                                 .order_by(EvidenceRecord.happened_on.desc(), EvidenceRecord.id.desc()))
    by_clause: dict[int, list[EvidenceRecord]] = defaultdict(list)
    for record in records:
        by_clause[record.clause].append(record)
    return [ClauseSection(c, by_clause[c.number], next((r for r in by_clause[c.number] if r.is_standing), None))
            for c in CLAUSES]


def _overview(agencies: list[Agency]) -> list[OverviewRow]:
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for agency_id, clause, n in db.session.execute(
            select(EvidenceRecord.agency_id, EvidenceRecord.clause, func.count())
            .group_by(EvidenceRecord.agency_id, EvidenceRecord.clause)):
        counts[agency_id][clause] = n
    rows = [OverviewRow(a, counts[a.id], sum(1 for c in CLAUSES if not counts[a.id].get(c.number))) for a in agencies]
    return sorted(rows, key=lambda r: (-r.missing, r.agency.name_order))


def register_page(user, agency_slug: str = "") -> RegisterPage:
    """An agency's register (the user's own; the governorate's chosen one) or the overview."""
    governorate = sees_all_agencies(user)
    agencies = _active_agencies() if governorate else []
    page = RegisterPage(None if governorate else getattr(user, "agency", None), agencies)
    if governorate and (agency_slug or "").strip():
        try:
            page.agency = agency_by_slug(agency_slug)
        except ServiceError as error:
            page.errors["agency"] = str(error)
    if page.agency is not None:
        page.sections = _sections(page.agency.id)
        page.can_write = can_write_evidence(user, page.agency.id)
    elif governorate:
        page.overview = _overview(agencies)
    return page


@dataclass(frozen=True)
class FormContext:
    """What the add/edit form needs besides its fields."""

    clauses: tuple[EvidenceClause, ...]
    agencies: list[Agency]  # the governorate picks one; empty for an agency's user
    max_mb: str
    accept: str
    record: EvidenceRecord | None = None


def form_context(user, record_id: int | None = None) -> FormContext:
    """The form's choices (and the record when editing). :raise NotFound, NotAllowed."""
    record = get_record(record_id) if record_id is not None else None
    if record is not None and not can_write_evidence(user, record.agency_id):
        raise NotAllowed(_("ثبت مستندات این سازمان برای نقش شما نیست."))
    agencies = _active_agencies() if sees_all_agencies(user) else []
    return FormContext(CLAUSES, agencies, megabytes(max_bytes()), ACCEPT, record)


def record_file(record_id: int):
    """The file of a record the reader may see. :raise NotFound: another agency's, none, or gone."""
    found = served(get_record(record_id))
    if found is None:
        raise NotFound(_("این سند فایلی ندارد."))
    return found
