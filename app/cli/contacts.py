"""`flask --app app contacts …`: the lapsed-contact list and the contact figures from the shell.

``contacts lapsed --agency SLUG [--days 30] [--today 1405/09/10] --json`` prints JSON lines, one
object per lapsed local outlet: "outlet" (its name) and "days" (since the agency's last contact,
null when never), with "outlet_id", "scope", "city", "last_contact" (ISO) and
"last_contact_jalali". That is the contract of issue 12. A bad date, number of days or agency
exits 2 with {"error": "<Persian message>"} (on standard error as text without --json).
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from app import clock
from app.cli import usage
from app.cli.cases import JSON_OPTION, CliRefused, refusals
from app.cli.usage import json_text, not_blank
from app.jalali import format_jalali_date, jalali_month_range, parse_jalali_date
from app.services.case_queries import agency_by_slug
from app.services.contact_lapsed import lapsed_days, lapsed_outlets, parse_days
from app.services.contact_stats import contact_figures, parse_period
from app.services.digits import shown_number
from app.services.record_days import refuse_before_records

contacts_cli = usage.Group("contacts", help="The contact log (clause 11): lapsed local outlets, figures.")


@contacts_cli.command("lapsed")
@click.option("--agency", "agency_slug", default="", help="The agency's slug (required).")
@click.option("--days", "days_text", default=None, callback=not_blank, help="More than this many days without contact (default: the setting, 30).")
@click.option("--today", "today_text", default=None, callback=not_blank, help="Count as of this Jalali day, e.g. 1405/09/10 (default today).")
@JSON_OPTION
@with_appcontext
@refusals
def lapsed_command(agency_slug, days_text, today_text, as_json) -> None:
    """The agency's local outlets with no contact in more than N days (JSON lines with --json)."""
    if not agency_slug.strip():  # checked here, not by click: a missing agency is a refusal like a bad one
        raise CliRefused(_("سازمان را با --agency و شناسهٔ آن بگویید، مانند --agency water."))
    agency = agency_by_slug(agency_slug)
    days = parse_days(days_text) if days_text.strip() else lapsed_days()
    today = parse_jalali_date(today_text) if today_text.strip() else None
    if today is not None and today > clock.local_today():
        raise CliRefused(_("روز --today (%(today)s) هنوز نیامده است؛ امروز یا روزی پیش از آن را بنویسید.",
                           today=format_jalali_date(today)))
    if today is not None:  # «1300/01/01»: every outlet «never contacted» (session 40's note)
        refuse_before_records(today, today_text)
    rows = lapsed_outlets(agency.id, days=days, today=today)
    if as_json:
        for row in rows:
            click.echo(json_text(row.as_dict(), ensure_ascii=False))
        return
    click.echo(ngettext("رسانه‌های محلی بی‌تماس %(agency)s (بیش از %(days)s روز): %(n)s",
                        "رسانه‌های محلی بی‌تماس %(agency)s (بیش از %(days)s روز): %(n)s", days,
                        agency=agency.name_fa, days=shown_number(days), n=shown_number(len(rows))))
    for row in rows:
        last = row.as_dict()["last_contact_jalali"] or "-"
        click.echo(f"{'-' if row.days is None else row.days:>5}  {last:<10}  {row.city or '-':<14}  {row.outlet}")


@contacts_cli.command("stats")
@click.option("--period", default="", help="A Jalali month: 1405-09.")
@click.option("--agency", "agency_slug", default=None, callback=not_blank, help="Only this agency.")
@click.option("--today", "today_text", default=None, callback=not_blank, help="Count as of this Jalali day (default today).")
@JSON_OPTION
@with_appcontext
@refusals
def stats_command(period, agency_slug, today_text, as_json) -> None:
    """The contact figures of a Jalali month, one line per agency."""
    year, month = parse_period(period)
    agency = agency_by_slug(agency_slug) if agency_slug.strip() else None
    today = parse_jalali_date(today_text) if today_text.strip() else None
    if today is not None and today > clock.local_today():  # as `lapsed`: days not yet lived are not counted
        raise CliRefused(_("روز --today (%(today)s) هنوز نیامده است؛ امروز یا روزی پیش از آن را بنویسید.",
                           today=format_jalali_date(today)))
    first, label = jalali_month_range(year, month)[0], f"{year:04d}-{month:02d}"
    refuse_before_records(jalali_month_range(year, month)[1], period)
    if today is not None:
        refuse_before_records(today, today_text)
    if first > clock.local_today():  # figures «as of» a day before the month: none of it lived yet
        raise CliRefused(_("ماه %(period)s هنوز آغاز نشده است (از %(first)s)؛ ماه جاری یا ماهی پیش از آن را "
                           "بنویسید.", period=shown_number(label),
                           first=format_jalali_date(first)))
    if today is not None and today < first:
        raise CliRefused(_("روز --today (%(today)s) پیش از آغاز ماه %(period)s است؛ روزی از همان ماه یا پس از آن "
                           "بنویسید.", today=format_jalali_date(today), period=shown_number(label)))
    for figures in contact_figures(year, month, agency_id=agency.id if agency else None, today=today):
        name = agency.name_fa if agency is not None else agency_by_slug(figures.agency).name_fa
        data = {**figures.as_dict(), "agency_name": name}  # as the scorecard's line (session 43)
        if as_json:
            click.echo(json_text(data, ensure_ascii=False))
        else:
            # its slug, period, date and figures as the JSON gives them (README; a review of the commands, round 8)
            click.echo(_("%(agency)s، ماه %(period)s تا %(as_of)s — رسانهٔ محلی با تماس: %(contacted)s از %(local)s، "
                         "تماس‌ها: %(contacts)s", agency=f"{name} ({data['agency']})", period=data["period"],
                         as_of=data["as_of_jalali"], contacted=data["local_outlets_contacted"],
                         local=data["local_outlets"], contacts=data["contacts"]))
