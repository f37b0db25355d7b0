"""`flask --app app report cases|media|digest …`: a report of one agency and period written to a
file, the same document the reports page gives.

``--period`` a Jalali month (1405-09), season (1405-S3 or «پاییز ۱۴۰۵») or year (1405); for
``digest`` a Jalali day (1405/09/12, default today). ``--agency SLUG`` (required), ``--format
pdf|xlsx`` (default pdf), ``--out FILE`` (default: the file's own name in the current folder).
A bad option, or an ``--out`` that cannot be written, exits 2 with a Persian message (``{"error": …}`` with --json). ``report digest
--send`` mails today's press digest of every agency now (``report digest-mail --on|--off``
turns the worker's daily e-mail on or off).
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.cli.cases import JSON_OPTION, CliActor, CliRefused, refusals
from app.cli.output_files import (
    NO_OVERWRITE_OPTION,
    format_mismatch,
    not_written,
    overwrite_refusal,
    protected,
    replaces,
    shown,
    standard_output,
    stdout_refusal,
    write_file,
    write_standard_output,
)
from app.cli.report import report_cli
from app.cli.usage import json_text, not_blank
from app.services.digits import shown_number
from app.services.press_digest import send_press_digests, set_digest_setting
from app.services.reports import build_report, parse_report


def _options(command):
    for option in reversed((
            click.option("--period", default=None, callback=not_blank, help="Jalali month 1405-09, season 1405-S3, year 1405 (digest: a day)."),
            click.option("--agency", "agency_slug", default=None, callback=not_blank, help="The agency's slug."),
            click.option("--format", "fmt", default="pdf", help="pdf or xlsx."),
            click.option("--out", "out", default=None, callback=not_blank, help="The file to write (default: its own name here)."),
            NO_OVERWRITE_OPTION,
            JSON_OPTION)):
        command = option(command)
    return command


def _write(kind: str, period: str, agency_slug: str, fmt: str, out: str, as_json: bool, no_overwrite: bool) -> None:
    spec = parse_report(kind, agency_slug, period, fmt, actor=CliActor())
    if out and standard_output(out):  # «-», «/dev/stdout»: the document alone there, the line on stderr
        refusal = stdout_refusal(out, as_json, spec.format, spec.filename)
        if refusal:
            raise CliRefused(refusal)
        document = build_report(spec, actor=None)
        refusal = write_standard_output(document.data)
        if refusal:
            raise CliRefused(refusal)
        click.echo(_("گزارش در خروجی استاندارد نوشته شد (%(bytes)s بایت).", bytes=shown_number(len(document.data))),
                   err=True)
        return
    refusal = format_mismatch(out, spec.format) if out else None  # a PDF named .xlsx: nothing opens it
    if refusal:
        raise CliRefused(refusal)
    document = build_report(spec, actor=None)
    path = Path(out or document.filename)
    refusal = protected(path) or overwrite_refusal(path, no_overwrite)
    if refusal:
        raise CliRefused(refusal)
    replaced = replaces(path)
    try:
        write_file(path, document.data, no_overwrite=no_overwrite)  # a file come since the check is refused too
    except OSError as error:  # a folder that is not there, or not writable: exit 2, not a traceback
        raise CliRefused(not_written(path, error)) from None
    if as_json:
        click.echo(json_text({"file": str(path), "bytes": len(document.data), "kind": kind,
                               "agency": spec.agency.slug, "period": spec.period_key, "format": spec.format,
                               "replaced": replaced},
                              ensure_ascii=False))
    elif replaced:
        click.echo(_("گزارش در %(path)s نوشته شد (%(bytes)s بایت) و جای فایلی را گرفت که بود.", path=shown(path),
                     bytes=shown_number(len(document.data))))
    else:
        click.echo(_("گزارش در %(path)s نوشته شد (%(bytes)s بایت).", path=shown(path),
                     bytes=shown_number(len(document.data))))


@report_cli.command("cases")
@_options
@with_appcontext
@refusals
def cases_command(period, agency_slug, fmt, out, no_overwrite, as_json) -> None:
    """Clause 12: the agency's public-question cases in the period, with the period's totals."""
    _write("cases", period, agency_slug, fmt, out, as_json, no_overwrite)


@report_cli.command("media")
@_options
@with_appcontext
@refusals
def media_command(period, agency_slug, fmt, out, no_overwrite, as_json) -> None:
    """Clauses 9 and 11: conferences against the cadence, contacts, local outlets and lapsed ones."""
    _write("media", period, agency_slug, fmt, out, as_json, no_overwrite)


@report_cli.command("digest")
@_options
@click.option("--send", is_flag=True, help="Mail today's digest of every agency now (once a day each).")
@with_appcontext
@refusals
def digest_command(period, agency_slug, fmt, out, no_overwrite, as_json, send) -> None:
    """The daily press digest of an agency: the day's items routed to it, one per story."""
    if send:
        unread = [name for name, value in (("--period", period), ("--agency", agency_slug), ("--out", out),
                                           ("--no-overwrite", no_overwrite),
                                           ("--format", "" if fmt == "pdf" else fmt)) if value]
        if unread:  # not dropped in silence: «--agency water» mailed all twenty agencies (round 5)
            raise CliRefused(_("--send امروزِ همهٔ سازمان‌ها را می‌فرستد و %(options)s را نمی‌خواند؛ آن را بردارید.",
                               options="، ".join(unread)))
        line = send_press_digests(current_app._get_current_object(), force=True)
        click.echo(json_text({"result": line}, ensure_ascii=False) if as_json else line)
        return
    _write("digest", period, agency_slug, fmt, out, as_json, no_overwrite)


@report_cli.command("digest-mail")
@click.option("--on/--off", "enabled", required=True, help="Turn the daily e-mail on or off.")
@click.option("--hour", default=None, callback=not_blank, help="The local hour it is sent from (0-23; default 18).")
@JSON_OPTION
@with_appcontext
@refusals
def digest_mail_command(enabled, hour, as_json) -> None:
    """Turn the worker's daily press-digest e-mail on or off (the setting press_digest)."""
    value = set_digest_setting(enabled, hour or None, actor=None)
    # Persian, as every command's line (it was English: session 42's hostile round); the hour in the line's digits
    said = (_("رایانامهٔ خلاصهٔ خبری روزانه: روشن، از ساعت %(hour)s") if value["enabled"] else
            _("رایانامهٔ خلاصهٔ خبری روزانه: خاموش (ساعت آن: %(hour)s)"))
    click.echo(json_text(value) if as_json else said % {"hour": shown_number(f"{value['hour']:02d}:00")})
