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

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app import clock
from app.cli import output_files, usage
from app.cli.output_files import (
    NO_OVERWRITE_OPTION,
    not_written,
    overwrite_refusal,
    protected,
    replaces,
    shown,
    write_file,
)
from app.cli.usage import json_text, not_blank
from app.jalali import format_jalali_date
from app.services import ServiceError
from app.services.case_queries import agency_by_slug
from app.services.digits import shown_number
from app.services.record_days import refuse_before_records
from app.services.report_periods import parse_report_period
from app.services.report_scorecard import scorecard_document
from app.services.scorecard import scorecards

report_cli = usage.Group("report", help="The directive scorecard and the reports (issue 13).")
FORMATS = ("json", "xlsx", "pdf")


def _refuse(message: str, as_json: bool = False) -> None:
    usage.refuse(message, as_json)  # {"error": …} on standard output under --json, else «خطا: …» on standard error


def _write(path: Path, data: bytes, as_json: bool, no_overwrite: bool) -> bool:
    """Write the report to ``path`` (whether it replaced a file there); a folder that is not there,
    or one not writable, is refused (exit 2, a Persian message) instead of a traceback, and so is a
    file of the installation, and one there already under --no-overwrite."""
    refusal = protected(path) or overwrite_refusal(path, no_overwrite)
    if refusal:
        _refuse(refusal, as_json)
    replaced = replaces(path)
    try:
        write_file(path, data, no_overwrite=no_overwrite)  # a file come since the check is refused too
    except OSError as error:
        _refuse(not_written(path, error), as_json)
    return replaced


@report_cli.command("scorecard")
@click.option("--period", default=None, callback=not_blank, help="A Jalali month (1405-09), season (1405-S3) or year (1405).")
@click.option("--agency", "agency_slug", default=None, callback=not_blank, help="Only this agency (its slug).")
@click.option("--format", "fmt", default="json", help="json (JSON lines), xlsx or pdf.")
@click.option("--out", "out", default=None, callback=not_blank, help="Write to this file instead of standard output.")
@NO_OVERWRITE_OPTION
@click.option("--json", "as_json", is_flag=True,
              help="Refusals as {\"error\"}; with --out, print {file, bytes, kind, agency, period, format, replaced}.")
@with_appcontext
def scorecard_command(period: str, agency_slug: str, fmt: str, out: str, no_overwrite: bool, as_json: bool) -> None:
    """The scorecard of every active agency (or one) for a Jalali period, one JSON line per agency."""
    try:
        chosen = parse_report_period(period)
        refuse_before_records(chosen.last, period)  # «1305» for «1405»: every agency «not met»
        agency = agency_by_slug(agency_slug) if agency_slug.strip() else None
    except ServiceError as error:
        _refuse(str(error), as_json)
    if chosen.first > clock.local_today():  # as `contacts stats`: "so far" figures taken before the period began
        _refuse(_("دورهٔ %(period)s هنوز آغاز نشده است (از %(first)s)؛ دوره‌ای را بنویسید که آغاز شده است.",
                  period=chosen.name, first=format_jalali_date(chosen.first)), as_json)
    fmt = fmt.strip().lower()  # «PDF», as `report cases` reads it
    if fmt not in FORMATS:
        _refuse(_("قالب «%(format)s» شناخته نیست؛ یکی از json، xlsx یا pdf را بنویسید.", format=fmt), as_json)
    to_stdout = bool(out) and output_files.standard_output(out)  # «-», «/dev/stdout»: the document alone there
    mismatch = output_files.format_mismatch(out, fmt) if out and not to_stdout else None
    if mismatch:
        _refuse(mismatch, as_json)
    if to_stdout and (fmt != "json" or as_json):  # JSON lines to «-» with --json: they are the JSON asked for
        refusal = output_files.stdout_refusal(out, False, fmt, f"scorecard.{fmt}")
        if refusal:
            _refuse(refusal, as_json)
    cards = scorecards(chosen, agency_id=agency.id if agency else None)
    if to_stdout and fmt != "json":
        data = scorecard_document(cards, fmt)
        refusal = output_files.write_standard_output(data)
        if refusal:
            _refuse(refusal, as_json)
        click.echo(_("گزارش در خروجی استاندارد نوشته شد (%(bytes)s بایت).", bytes=shown_number(len(data))), err=True)
        return
    if fmt != "json":  # the same cards as a document (app/services/report_scorecard.py)
        data = scorecard_document(cards, fmt)
        path = Path(out or f"scorecard-{agency.slug if agency else 'province'}-{chosen.key}.{fmt}")
    else:
        data = "".join(json_text(card.as_dict(), ensure_ascii=False) + "\n" for card in cards).encode("utf-8")
        path = Path(out) if out and not to_stdout else None
    if path is None:  # the JSON lines on standard output, the contract's (issue 13)
        click.echo(data.decode("utf-8"), nl=False)
        return
    replaced = _write(path, data, as_json, no_overwrite)
    if as_json:
        click.echo(json_text({"file": str(path), "bytes": len(data), "kind": "scorecard",
                              "agency": agency.slug if agency else None, "period": chosen.key, "format": fmt,
                              "replaced": replaced}, ensure_ascii=False))
    elif fmt == "json":
        return  # written as before: nothing on standard output (a cron line mails what it prints)
    elif replaced:
        click.echo(_("گزارش در %(path)s نوشته شد (%(bytes)s بایت) و جای فایلی را گرفت که بود.", path=shown(path),
                     bytes=shown_number(len(data))))
    else:
        click.echo(_("گزارش در %(path)s نوشته شد (%(bytes)s بایت).", path=shown(path), bytes=shown_number(len(data))))
