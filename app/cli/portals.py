"""`flask --app app portals …`: clause 10 from the shell.

``portals check [--json]`` checks the portal page of every agency without a portal feed once (the
worker's job "portal-checks"): one line per portal, then the summary; with --json one object:
{"checked", "baseline", "changed", "unchanged", "not_modified", "failed", "skipped",
"portals": [{"agency", "url", "outcome", "status", "error", "change_id"}]}.
``portals freshness [--period 1405-09] [--json]`` prints each agency's figures (JSON lines:
app/services/portal_freshness.PortalFigures.as_dict), stalest first.
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app import clock
from app.cli import usage
from app.cli.cases import JSON_OPTION, CliRefused, refusals
from app.cli.usage import json_text, not_blank
from app.jalali import format_jalali_date, jalali_month_range, to_jalali
from app.services.case_stats import parse_period
from app.services.digits import shown_number
from app.services.portal_checks import check_portals
from app.services.portal_freshness import portal_figures, rank_stalest

portals_cli = usage.Group("portals", help="Agencies' portals (clause 10): page checks and freshness.")


@portals_cli.command("check")
@JSON_OPTION
@with_appcontext
@refusals
def check_command(as_json) -> None:
    """Check the portal pages of agencies without a portal feed for a change (one pass)."""
    summary = check_portals()
    if as_json:
        click.echo(json_text(summary.as_dict(), ensure_ascii=False))
        return
    for result in summary.results:
        click.echo(f"{result.outcome:<13} {result.agency:<16} {result.url}  {result.error_code or ''}".rstrip())
    click.echo(summary.line())


@portals_cli.command("freshness")
@click.option("--period", default=None, callback=not_blank, help="A Jalali month: 1405-09 (default: this month).")
@JSON_OPTION
@with_appcontext
@refusals
def freshness_command(period, as_json) -> None:
    """Each agency's portal freshness for a Jalali month, stalest first."""
    if period.strip():
        year, month = parse_period(period)
    else:
        today = to_jalali(clock.local_today())
        year, month = today.year, today.month
    first = jalali_month_range(year, month)[0]
    if first > clock.local_today():  # "stale" agencies in a month none of which was lived (round 5)
        raise CliRefused(_("ماه %(period)s هنوز آغاز نشده است (از %(first)s)؛ ماه جاری یا ماهی پیش از آن را "
                           "بنویسید.", period=shown_number(f"{year:04d}-{month:02d}"),
                           first=format_jalali_date(first)))
    for figures in rank_stalest(list(portal_figures(*jalali_month_range(year, month)).values())):
        data = figures.as_dict()
        if as_json:
            click.echo(json_text(data, ensure_ascii=False))
        else:
            days = "-" if data["days_since_update"] is None else data["days_since_update"]
            flag = "STALE" if data["stale"] else ""
            click.echo(f"{data['agency']:<16} updates {data['updates']:>3}  days {days:>4}  {flag}".rstrip())
