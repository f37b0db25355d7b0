"""The scorecard as a document: ``report scorecard --format xlsx|pdf`` (the same figures as its
JSON lines, app/services/scorecard.py), rendered by app/services/documents.py.

XLSX: one right-to-left sheet, a row per figure of each clause of each agency (agency, clause,
title, status, figure, value: numbers as numbers, and the figure's JSON key last), and a sheet of
the agencies' scores. PDF: an agency per section, a row per clause with its figures and status.
The figures are the page's (scorecard_pages.FIGURES), under the page's Persian labels.
"""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _

from app.jalali import format_jalali_date
from app.services.documents import Sheet, render_pdf, write_workbook
from app.services.scorecard import AgencyScorecard, ClauseRow
from app.services.scorecard_clauses import STATUS_LABELS
from app.services.scorecard_pages import EVIDENCE_FIGURES, FIGURE_LABELS, FIGURES


def _value(key: str, value):
    """A figure as a reader sees it: yes/no, a Jalali day, a number (kept a number)."""
    if isinstance(value, bool):
        return _("بله") if value else _("خیر")
    if key == "latest_update" and value:
        return format_jalali_date(date.fromisoformat(value))
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)


def figures_shown(row: ClauseRow) -> list[tuple[str, str, object]]:
    """(JSON key, Persian label, value) of the figures the scorecard page shows for ``row``."""
    keys = FIGURES.get(row.clause, EVIDENCE_FIGURES)
    return [(key, _(FIGURE_LABELS[key]), _value(key, row.figures[key])) for key in keys if key in row.figures]


def scorecard_document(cards: list[AgencyScorecard], fmt: str) -> bytes:
    """The scorecards as ``fmt`` ("xlsx" or "pdf")."""
    with force_locale("fa"):
        title = _("کارنامهٔ بخشنامه")
        statuses = {k: _(v) for k, v in STATUS_LABELS.items()}
        if fmt == "pdf":
            return render_pdf("reports/doc_scorecard.html", cards=cards, title=title, statuses=statuses,
                              figures_shown=figures_shown)
        rows = [(card.agency.name_fa, card.period.key, row.clause, row.title, statuses.get(row.status, row.status),
                 label, value, key)
                for card in cards for row in card.clauses for key, label, value in figures_shown(row)]
        scores = [(card.agency.name_fa, card.period.key, card.score, *card.counts.values()) for card in cards]
        return write_workbook([
            Sheet(title, [_("سازمان"), _("دوره"), _("بند"), _("عنوان"), _("وضعیت"), _("شاخص"), _("مقدار"), _("کلید")],
                  rows, (24, 10, 6, 40, 16, 30, 12, 24)),
            Sheet(_("امتیاز"), [_("سازمان"), _("دوره"), _("امتیاز"), statuses["met"], statuses["partly"],
                                statuses["not_met"], statuses["no_data"]], scores, (24, 10, 10, 12, 14, 12, 12))])
