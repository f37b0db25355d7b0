"""The scorecard as a document: ``report scorecard --format xlsx|pdf`` (the same figures as its
JSON lines, app/services/scorecard.py), rendered by app/services/documents.py.

XLSX: one right-to-left sheet, a row per figure of each clause of each agency (agency, clause,
title, status, figure, value: numbers as numbers), and a sheet of the agencies' scores. PDF: an
agency per section, a row per clause with its figures and status.
"""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from app.services.documents import Sheet, render_pdf, write_workbook
from app.services.scorecard import AgencyScorecard
from app.services.scorecard_clauses import STATUS_LABELS


def _value(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def scorecard_document(cards: list[AgencyScorecard], fmt: str) -> bytes:
    """The scorecards as ``fmt`` ("xlsx" or "pdf")."""
    with force_locale("fa"):
        title = _("کارنامهٔ بخشنامه")
        statuses = {k: _(v) for k, v in STATUS_LABELS.items()}
        if fmt == "pdf":
            return render_pdf("reports/doc_scorecard.html", cards=cards, title=title, statuses=statuses)
        rows = [(card.agency.name_fa, card.period.key, row.clause, row.title, statuses.get(row.status, row.status),
                 figure, _value(value))
                for card in cards for row in card.clauses for figure, value in row.figures.items()]
        scores = [(card.agency.name_fa, card.period.key, card.score, *card.counts.values()) for card in cards]
        return write_workbook([
            Sheet(title, [_("سازمان"), _("دوره"), _("بند"), _("عنوان"), _("وضعیت"), _("شاخص"), _("مقدار")], rows,
                  (24, 10, 6, 40, 16, 30, 12)),
            Sheet(_("امتیاز"), [_("سازمان"), _("دوره"), _("امتیاز"), statuses["met"], statuses["partly"],
                                statuses["not_met"], statuses["no_data"]], scores, (24, 10, 10, 12, 14, 12, 12))])
