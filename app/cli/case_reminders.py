"""`flask --app app cases remind`: the deadline reminders, breach notices and escalations due now
(what the worker's "case-reminders" job does, with a clock for tests and scripts).

The command belongs to the `cases` group of app/cli/cases.py, which adds it.
"""
from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app import clock
from app.cli import usage
from app.cli.usage import json_text
from app.jalali import JalaliDateError, parse_jalali_datetime
from app.services import ServiceError
from app.services.case_reminders import Sent, due_reminders, send_reminders
from search_index.normalization import printable


def _refuse(message: str, as_json: bool) -> None:
    """Exit 2 with the Persian message: ``{"error": …}`` on stdout with --json, else on stderr."""
    message = printable(message)  # it quotes what --now held: no terminal escape codes
    usage.refuse(message, as_json)  # «خطا: …» on stderr, or {"error"}, exit 2, as every command's refusal


@click.command("remind")
@click.option("--now", "now_text", default=None, metavar="JALALI_DATETIME",
              help="Act as if it were this local time, e.g. 1405/09/20T10:00 (default: now).")
@click.option("--dry-run", is_flag=True,
              help="Show what would be sent (the same lines), store nothing: try a --now before it comes.")
@click.option("--json", "as_json", is_flag=True,
              help='One JSON line per notification sent: {"case", "kind": "reminder|escalation", "to", "level", …}.')
@with_appcontext
def remind_command(now_text: str | None, dry_run: bool, as_json: bool) -> None:
    """Send the case reminders, breach notices and escalations that are due (safe to run again:
    each is sent once)."""
    refusal = usage.not_utf8(click.get_current_context())
    if refusal:
        _refuse(refusal, as_json)
    now = None
    if now_text is not None:
        try:
            now = parse_jalali_datetime(now_text)
        except JalaliDateError as exc:
            _refuse(_("زمان --now خوانده نشد: %(reason)s", reason=str(exc)), as_json)
        if now > clock.utcnow() + timedelta(minutes=1) and not dry_run:
            # Sent now, a future breach's notices are stored as sent, and on the day nothing goes
            # (the review of the commands: 35 notices dated in the future). Looking ahead is --dry-run.
            _refuse(_("زمان --now («%(now)s») هنوز نرسیده است؛ آنچه در آن زمان فرستاده می‌شود را با --dry-run ببینید. "
                      "فرستادن اکنون، یادآوری‌های آن روز را پیش از موعد ثبت می‌کرد و در روز خودش چیزی فرستاده "
                      "نمی‌شد.", now=now_text.strip()), as_json)

    def emit(sent: list[Sent]) -> None:
        for notice in sent:
            click.echo(json_text(notice.as_json(), ensure_ascii=False))

    try:
        if dry_run:
            summary = due_reminders(now)
            if as_json:
                emit(summary.sent)
        else:
            summary = send_reminders(now, actor_label="cli", on_sent=emit if as_json else None)
    except ServiceError as exc:
        _refuse(str(exc), as_json)
    if summary.skipped == "busy":
        _refuse(_("فرایند دیگری هم‌اکنون یادآوری‌های پرونده‌ها را می‌فرستد؛ کمی بعد دوباره اجرا کنید."), as_json)
    if not as_json:
        click.echo(summary.line())
