"""`flask --app app calendar …`: count working days and edit holidays from the shell."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.cli import usage
from app.cli.usage import json_text
from app.extensions import db
from app.i18n import digit_style
from app.jalali import MAX_YEAR, MIN_YEAR, JalaliDateError, format_jalali_date, parse_jalali_date, to_jalali
from app.policy import ADMIN
from app.services import ServiceError
from app.services.digits import shown_number
from app.services.holidays import add_holiday_once, holidays_of_year, remove_holiday, removed_from, statutory_refusal
from app.services.lunar_holidays import SKIP_HOLIDAY, lunar_year_range, propose_lunar_year
from app.services.record_days import refuse_before_records
from app.services.working_days import add_working_days
from models import Holiday
from models.calendar import KIND_FIXED_SOLAR

calendar_cli = usage.Group("calendar", help="The working-day calendar: deadlines and holidays.")


def _date_arg(ctx, param, value):
    try:
        return parse_jalali_date(value)
    except JalaliDateError as exc:
        raise click.BadParameter(str(exc)) from exc


class _CliAdmin:
    """The actor of calendar edits made from the shell (audited as "cli")."""

    id = None
    role = ADMIN
    username = "cli"


# A deadline is days or weeks away: 2,000 working days is some eight years. 100,000 printed one
# 1.2 MB line of skipped days ending in the year 1725 (a review of the commands).
MAX_WORKING_DAYS = 2_000


@calendar_cli.command("add-working-days")
@click.argument("start", callback=_date_arg)
@click.argument("n", type=usage.digits(0, MAX_WORKING_DAYS))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (ASCII digits, Jalali dates).")
@with_appcontext
def add_working_days_command(start, n: int, as_json: bool) -> None:
    """The day N working days after START (START itself not counted), and the days skipped."""
    try:  # «1300/01/01 10» counted over a calendar the installation never had (session 40's note)
        refuse_before_records(start, format_jalali_date(start, digits="en"), counted=False)
    except ServiceError as exc:
        usage.refuse(str(exc), as_json)
    result = add_working_days(start, n)
    if to_jalali(result.due).year > MAX_YEAR:  # «1500/01/03» was printed: a day no command reads back (session 43)
        usage.refuse(ngettext("%(n)s روز کاری پس از %(start)s از پایان سال %(last)s، آخرین سال تقویم همزبان، می‌گذرد؛ "
                              "روزی نزدیک‌تر یا شمار کمتری بنویسید.",
                              "%(n)s روز کاری پس از %(start)s از پایان سال %(last)s، آخرین سال تقویم همزبان، می‌گذرد؛ "
                              "روزی نزدیک‌تر یا شمار کمتری بنویسید.", n, n=shown_number(n),
                              start=format_jalali_date(start, digits=digit_style()),
                              last=shown_number(MAX_YEAR)), as_json)
    years = range(to_jalali(result.start).year, to_jalali(result.due).year + 1)
    warnings = [warning for warning in map(_calendar_gap, years) if warning]
    if as_json:
        click.echo(json_text({**result.as_dict(), "warnings": warnings}, ensure_ascii=False))
    else:
        click.echo(result.explain())
        for warning in warnings:
            click.echo(_("هشدار: %(warning)s", warning=warning), err=True)


def _calendar_gap(year: int) -> str | None:
    """What the calendar lacks to count ``year`` right, or None. A year with no holiday (not seeded yet)
    was counted as if it had none, unsaid: «1408/12/28 3» fell on Nowruz (a review of the commands,
    round 4). One with its fixed solar holidays alone (lunar ones never proposed nor entered) was
    counted without Eid or Ashura, unsaid too (session 43)."""
    holidays = holidays_of_year(year)
    if not holidays:
        return _("سال %(year)s هیچ تعطیلی‌ای در تقویم ندارد؛ تنها تعطیلی‌های هفتگی شمرده شد.", year=shown_number(year))
    if any(holiday.kind != KIND_FIXED_SOLAR for holiday in holidays):
        return None
    first, last = lunar_year_range()
    if first <= year <= last:
        return _("سال %(year)s تعطیلی قمری‌ای در تقویم ندارد (عید فطر، عاشورا …)؛ بی آن‌ها شمرده شد. آن‌ها را با "
                 "«calendar propose-lunar --year %(typed)s» پیشنهاد دهید.", year=shown_number(year), typed=year)
    return _("سال %(year)s تعطیلی قمری‌ای در تقویم ندارد (عید فطر، عاشورا …) و پیشنهاد آن‌ها تنها تا سال %(last)s "
             "شدنی است؛ تنها تعطیلی‌های ثابت خورشیدی و هفتگی شمرده شد.", year=shown_number(year),
             last=shown_number(last))


holidays_cli = usage.Group("holidays", help="List, add and remove holidays.")
calendar_cli.add_command(holidays_cli)


@holidays_cli.command("list")
@click.argument("year", type=usage.digits(MIN_YEAR, MAX_YEAR))
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@with_appcontext
def holidays_list_command(year: int, as_json: bool) -> None:
    """The holidays of a Jalali YEAR."""
    for holiday in holidays_of_year(year):
        row = {"date": format_jalali_date(holiday.day, digits="en"), "name": holiday.name,
               "fixed_solar": holiday.is_fixed_solar, "kind": holiday.kind, "status": holiday.status}
        if as_json:
            click.echo(json_text(row, ensure_ascii=False))
        elif holiday.is_proposed:
            click.echo(_("%(date)s  %(name)s  (در انتظار تأیید)", date=row["date"], name=holiday.name))
        else:
            click.echo(f"{row['date']}  {holiday.name}")


@holidays_cli.command("add")
@click.argument("day", metavar="DATE", callback=_date_arg)
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help='Print one JSON object: {"date", "name", "added"} (false: it was there).')
@with_appcontext
def holidays_add_command(day, name: str, as_json: bool) -> None:
    """Add a holiday on the Jalali DATE (e.g. this year's lunar holidays)."""
    try:  # run again with the same name (a script re-run): "added": false, exit 0 (session 44)
        holiday, added = add_holiday_once(day, name, actor=_CliAdmin())
    except ServiceError as exc:
        usage.refuse(str(exc), as_json)  # «خطا: …» (or {"error"}), exit 2, as every command's refusal
    if as_json:
        click.echo(json_text({"date": format_jalali_date(holiday.day, digits="en"), "name": holiday.name,
                              "added": added}, ensure_ascii=False))
        return
    said = (_("تعطیلی %(day)s «%(name)s» افزوده شد.") if added else
            _("تعطیلی %(day)s «%(name)s» پیش‌تر ثبت شده است؛ چیزی تغییر نکرد."))
    click.echo(said % {"day": format_jalali_date(holiday.day, digits="en"), "name": holiday.name})


@holidays_cli.command("remove")
@click.argument("day", metavar="DATE", callback=_date_arg)
@click.option("--statutory", is_flag=True, help="Remove a fixed solar (statutory) holiday too, e.g. Nowruz (audited).")
@click.option("--json", "as_json", is_flag=True,
              help='Print one JSON object: {"date", "name", "removed"} (false: it was removed before).')
@with_appcontext
def holidays_remove_command(day, statutory: bool, as_json: bool) -> None:
    """Remove the holiday on the Jalali DATE (a fixed solar one only with --statutory)."""
    holiday = db.session.scalar(select(Holiday).where(Holiday.day == day))
    if holiday is not None and holiday.kind == KIND_FIXED_SOLAR and not statutory:
        usage.refuse(statutory_refusal(holiday) + " " + _("اگر به‌راستی امسال تعطیل نیست، فرمان را با --statutory "
                                                          "دوباره بزنید."), as_json)
    name = holiday.name if holiday is not None else ""
    if holiday is not None and remove_holiday(holiday, actor=_CliAdmin(), statutory=statutory):
        if as_json:
            click.echo(json_text({"date": format_jalali_date(day, digits="en"), "name": name, "removed": True},
                                 ensure_ascii=False))
        else:
            click.echo(_("تعطیلی %(day)s «%(name)s» برداشته شد.", day=format_jalali_date(day, digits="en"), name=name))
        return
    # run again, or removed by another process meanwhile: "removed": false, exit 0, as add's
    if (name := removed_from(day)) is not None:
        if as_json:
            click.echo(json_text({"date": format_jalali_date(day, digits="en"), "name": name, "removed": False},
                                 ensure_ascii=False))
        else:
            click.echo(_("تعطیلی %(day)s «%(name)s» پیش‌تر برداشته شده است؛ چیزی تغییر نکرد.",
                         day=format_jalali_date(day, digits="en"), name=name))
        return
    usage.refuse(_("روز %(day)s تعطیل ثبت‌شده‌ای نیست.", day=format_jalali_date(day)), as_json)


@calendar_cli.command("propose-lunar")
@click.option("--year", default="", help="The Jalali year, e.g. 1406.")
@click.option("--json", "as_json", is_flag=True,
              help='Print one JSON object: {"year", "added": [...], "skipped": [...]} (Jalali dates).')
@with_appcontext
def propose_lunar_command(year: str, as_json: bool) -> None:
    """Propose the year's lunar holidays from the Hijri calendar, to confirm (running it again adds nothing).

    A refused year exits 2 (with {"error": ...} under --json).
    """
    try:
        result = propose_lunar_year(year, actor=_CliAdmin())
    except ServiceError as exc:
        usage.refuse(str(exc), as_json)  # «خطا: …» (or {"error"}), exit 2, as every command's refusal
    if as_json:
        click.echo(json_text(result.as_dict(), ensure_ascii=False))
        return
    click.echo(_("%(year)s: %(added)s تعطیلی قمری پیشنهاد شد (در انتظار تأیید)، %(skipped)s کنار گذاشته شد.",
                 year=result.year, added=shown_number(len(result.added)),  # counts in the line's digits (session 42)
                 skipped=shown_number(len(result.skipped))))
    for proposal in result.added:
        click.echo(f"  + {format_jalali_date(proposal.day, digits='en')}  {proposal.name}")
    for proposal, reason, other in result.skipped:
        why = _("خود تعطیل است: %(other)s", other=other) if reason == SKIP_HOLIDAY else _("پیش‌تر پیشنهاد شده")
        click.echo(f"  - {format_jalali_date(proposal.day, digits='en')}  {proposal.name}  ({why})")
