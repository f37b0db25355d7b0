"""`flask --app app report …`: the directive scorecard and the reports from the shell.

``report scorecard --period 1405-09 [--agency SLUG] [--format json|xlsx|pdf] [--out FILE]``
gives the figures the scorecard page shows (issue 13's contract). As JSON: one line per agency,
``{"agency": "water", "period": "1405-09", "clauses": [{"clause": 12, "figures": {…}, "status":
"met|partly|not_met|no_data", "records": {"cases": ["1405-000012", …]}}, …]}`` with every clause
1–14 in order (besides: "agency_name", "as_of", "score", and each clause's "title"). The period
is a month (1405-09), a season (1405-S3, «پاییز ۱۴۰۵») or a year (1405). An unknown agency or an
unreadable period, or an ``--out`` that cannot be written, prints a Persian message and exits 2.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app import clock
from app.cli import output_files, usage
from app.cli.output_files import not_written, protected, write_file
from app.cli.usage import json_text, not_blank
from app.jalali import format_jalali_date
from app.services import ServiceError
from app.services.case_queries import agency_by_slug
from app.services.report_periods import parse_report_period
from app.services.report_scorecard import scorecard_document
from app.services.scorecard import scorecards

report_cli = usage.Group("report", help="The directive scorecard and the reports (issue 13).")
FORMATS = ("json", "xlsx", "pdf")


def _refuse(message: str) -> None:
    click.echo(_("خطا: %(message)s", message=message), err=True)
    sys.exit(2)


def _write(path: Path, data: bytes) -> None:
    """Write the report to ``path``; a folder that is not there, or one not writable, is refused
    (exit 2, a Persian message) instead of a traceback, and so is a file of the installation."""
    refusal = protected(path)
    if refusal:
        _refuse(refusal)
    try:
        write_file(path, data)
    except OSError as error:
        _refuse(not_written(path, error))


@report_cli.command("scorecard")
@click.option("--period", default=None, callback=not_blank, help="A Jalali month (1405-09), season (1405-S3) or year (1405).")
@click.option("--agency", "agency_slug", default=None, callback=not_blank, help="Only this agency (its slug).")
@click.option("--format", "fmt", default="json", help="json (JSON lines), xlsx or pdf.")
@click.option("--out", "out", default=None, callback=not_blank, help="Write to this file instead of standard output.")
@with_appcontext
def scorecard_command(period: str, agency_slug: str, fmt: str, out: str) -> None:
    """The scorecard of every active agency (or one) for a Jalali period, one JSON line per agency."""
    try:
        chosen = parse_report_period(period)
        agency = agency_by_slug(agency_slug) if agency_slug.strip() else None
    except ServiceError as error:
        _refuse(str(error))
    if chosen.first > clock.local_today():  # as `contacts stats`: "so far" figures taken before the period began
        _refuse(_("دورهٔ %(period)s هنوز آغاز نشده است (از %(first)s)؛ دوره‌ای را بنویسید که آغاز شده است.",
                  period=chosen.name, first=format_jalali_date(chosen.first)))
    fmt = fmt.strip().lower()  # «PDF», as `report cases` reads it
    if fmt not in FORMATS:
        _refuse(_("قالب «%(format)s» شناخته نیست؛ یکی از json، xlsx یا pdf را بنویسید.", format=fmt))
    to_stdout = bool(out) and output_files.standard_output(out)  # «-», «/dev/stdout»: the document alone there
    mismatch = output_files.format_mismatch(out, fmt) if out and not to_stdout else None
    if mismatch:
        _refuse(mismatch)
    if to_stdout and fmt != "json":
        refusal = output_files.stdout_refusal(out, False, fmt, f"scorecard.{fmt}")
        if refusal:
            _refuse(refusal)
    cards = scorecards(chosen, agency_id=agency.id if agency else None)
    if to_stdout and fmt != "json":
        data = scorecard_document(cards, fmt)
        refusal = output_files.write_standard_output(data)
        if refusal:
            _refuse(refusal)
        click.echo(_("گزارش در خروجی استاندارد نوشته شد (%(bytes)s بایت).", bytes=len(data)), err=True)
        return
    if fmt != "json":  # the same cards as a document (app/services/report_scorecard.py)
        data = scorecard_document(cards, fmt)
        path = Path(out or f"scorecard-{agency.slug if agency else 'province'}-{chosen.key}.{fmt}")
        _write(path, data)
        click.echo(_("گزارش در %(path)s نوشته شد (%(bytes)s بایت).", path=str(path), bytes=len(data)))
        return
    lines = [json_text(card.as_dict(), ensure_ascii=False) for card in cards]
    if out and not to_stdout:
        _write(Path(out), "".join(line + "\n" for line in lines).encode("utf-8"))
        return
    for line in lines:
        click.echo(line)
