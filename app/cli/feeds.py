"""`flask --app app feeds …` and `items …`: polling, local files, OPML and the item export."""
from __future__ import annotations

import math
import sys
from datetime import date, datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.cli import usage
from app.cli.output_files import not_written, protected, write_file
from app.cli.usage import ROW_ID, json_text
from app.clock import as_utc, local_midnight, utcnow
from app.extensions import db
from app.jalali import JalaliDateError, parse_jalali_date
from app.monitor.opml import MAX_OPML_BYTES, OpmlError
from app.services import ServiceError
from app.services.digits import shown_number
from app.services.feed_pipeline import poll_feeds
from app.services.feeds import export_opml, import_files, import_opml, import_starter
from app.services.routing_backlog import drain_backlog, routing_after_commit
from app.worker import tune_gc
from models import Feed, Item

feeds_cli = usage.Group("feeds", help="Monitored feeds: poll, import local files, OPML.")
items_cli = usage.Group("items", help="Monitored news items.")


def _emit(data: dict, as_json: bool, text: str) -> None:
    click.echo(json_text(data, ensure_ascii=False) if as_json else text)


def _check_pollable(feed_id: int, as_json: bool) -> None:
    """Refuse (exit 2) a --feed that is not there or is read from a local file: a pass that polled
    nothing would read to a script as "no news"."""
    feed = db.session.get(Feed, feed_id)
    if feed is None:
        usage.refuse(_("خوراکی با شناسهٔ %(id)s نیست.", id=shown_number(feed_id)), as_json)
    if not feed.url.startswith(("http://", "https://")):
        usage.refuse(_("خوراک %(id)s فایلی روی همین رایانه است و از وب خوانده نمی‌شود؛ آن را با "
                       "feeds import-file بخوانید.", id=shown_number(feed_id)), as_json)


def _refuse_held(feed_id: int, as_json: bool) -> None:
    """The one feed asked for was not polled: another process holds its lease (a worker polling it,
    or one killed mid-pass, whose lease runs out). Said, exit 2: «feeds: 0» read as "no news"."""
    db.session.expire_all()
    feed = db.session.get(Feed, feed_id)
    until = as_utc(feed.lease_until) if feed is not None else None
    if until is None or until <= utcnow():
        return  # not held: the claim itself failed (logged); the summary says what was done
    left = math.ceil((until - utcnow()).total_seconds())
    usage.refuse(_("خوراک %(id)s اکنون در دست پردازهٔ دیگری است (کارگری که آن را می‌خواند، یا کارگری که در میانهٔ کار "
                   "بسته شد)؛ %(seconds)s ثانیه دیگر دوباره بخواهید.", id=shown_number(feed_id),
                   seconds=shown_number(left)), as_json)


@feeds_cli.command("poll")
@click.option("--feed", "feed_id", type=ROW_ID, default=None, help="Poll only this feed (due or not).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@with_appcontext
def poll_command(feed_id: int | None, as_json: bool) -> None:
    """One pass over the due feeds (what the worker does every FEED_POLL_EVERY_SECONDS)."""
    if feed_id is not None:
        _check_pollable(feed_id, as_json)
    tune_gc()  # the worker's collector thresholds: storing and routing make millions of short-lived objects
    summary = poll_feeds(current_app.config, feed_id=feed_id)
    if feed_id is not None and not summary.feeds:
        _refuse_held(feed_id, as_json)
    if routing_after_commit():
        drain_backlog()  # what this pass stored is routed when the command returns (the worker has a job)
    _emit(summary.as_dict(), as_json, summary.line())


@feeds_cli.command("import-file")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--outlet", "outlet_name", default=None, help="The outlet these files come from (created if new).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@with_appcontext
def import_file_command(paths: tuple[str, ...], outlet_name: str | None, as_json: bool) -> None:
    """Read local feed files through the same pipeline as polling (safe to run again)."""
    tune_gc()  # as the worker runs the same pipeline
    try:
        result = import_files(list(paths), outlet_name=outlet_name)
    except ServiceError as error:  # the --outlet name is refused (empty, or «؛» in it): nothing stored
        db.session.rollback()
        if as_json:
            click.echo(json_text({"error": str(error)}, ensure_ascii=False))
        else:
            click.echo(_("خطا: %(message)s", message=str(error)), err=True)
        sys.exit(2)
    text = (f"files={result['files']} new={result['items_new']} updated={result['items_updated']} "
            f"duplicate={result['items_duplicate']} empty={result['items_empty']} errors={len(result['errors'])}")
    if not as_json:
        text += "".join(f"\n  {e['path']}: {e['message']}" for e in result["errors"])
        text += "".join(f"\n  {w['path']}: " + _("هشدار: %(message)s", message=w["message"]) for w in result["warnings"])
    _emit(result, as_json, text)


@feeds_cli.command("import-opml")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--disabled", is_flag=True, help="Add the feeds disabled.")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def import_opml_command(path: str, disabled: bool, as_json: bool) -> None:
    """Add the feeds listed in an OPML file (known addresses are skipped)."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_OPML_BYTES + 1)
    try:
        result = import_opml(data, active=not disabled, actor_label="cli")
    except OpmlError as exc:  # not OPML, a DOCTYPE, too large: nothing stored, exit 2 as every refusal
        db.session.rollback()
        usage.refuse(str(exc), as_json)
    _emit(result, as_json, _opml_line(result, disabled) + "".join(
        "\n" + _("نپذیرفت %(url)s: %(message)s", url=r["url"], message=r["message"]) for r in result["refused"]))


@feeds_cli.command("export-opml")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write to a file (default: stdout).")
@with_appcontext
def export_opml_command(output: str | None) -> None:
    """Write every monitored web feed as OPML."""
    refusal = protected(output) if output else None
    if refusal:
        usage.refuse(refusal, False)
    data = export_opml()
    if output:
        try:
            write_file(output, data)
        except OSError as error:  # a folder that is not there, or not writable: exit 2, not a traceback
            usage.refuse(not_written(output, error), False)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@feeds_cli.command("import-starter")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def import_starter_command(as_json: bool) -> None:
    """Add the public feeds of the major Iranian news agencies, disabled (enable where reachable)."""
    result = import_starter(actor_label="cli")
    _emit(result, as_json, _opml_line(result, disabled=True))


def _opml_line(result: dict, disabled: bool) -> str:
    """The plain line of an OPML import, in Persian as every command's (it was «listed=1 added=0 existing=1»);
    feeds added disabled are said so (the starter's line said «(disabled)» until session 47's Persian line)."""
    counts = {"listed": shown_number(result["listed"]), "added": shown_number(result["added"]),
              "existing": shown_number(result["existing"])}
    if result["added"] and disabled:
        return _("فهرست %(listed)s خوراک داشت: %(added)s غیرفعال افزوده شد (هر یک را که در دسترس است فعال کنید)، "
                 "%(existing)s پیش‌تر بود.", **counts)
    if result["added"]:
        return _("فهرست %(listed)s خوراک داشت: %(added)s افزوده شد، %(existing)s پیش‌تر بود.", **counts)
    return _("فهرست %(listed)s خوراک داشت: %(added)s افزوده شد، %(existing)s پیش‌تر بود؛ چیزی تغییر نکرد.", **counts)


def _since(ctx, param, value) -> date | None:
    """The day typed (Jalali, or ISO Gregorian); the command makes it a local midnight (the app's
    zone is known only inside the app context, which a parameter callback runs before)."""
    if not value:
        return None
    try:
        day = parse_jalali_date(value)
    except JalaliDateError as jalali_error:
        try:
            day = datetime.strptime(value.strip(), "%Y-%m-%d").date()  # an ISO Gregorian date
        except ValueError:
            raise click.BadParameter(str(jalali_error)) from None
    return day


def item_record(item) -> dict:
    """One line of `items export`."""
    return {
        "id": item.id, "feed": item.feed.url, "feed_id": item.feed_id,
        "outlet": item.outlet.name if item.outlet else None,
        "title": item.title, "link": item.link,
        "published": as_utc(item.published_at).isoformat(),
        "published_is_estimated": item.published_is_estimated,
        "summary_html": item.summary_html, "text": item.text, "cluster": item.cluster_id,
    }


@items_cli.command("export")
@click.option("--since", callback=_since, default=None,
              help="Items published on or after this Jalali date (1405/09/01; ISO 2026-11-22 also read).")
@click.option("--json", "as_json", is_flag=True, help="JSON lines (one object per item).")
@with_appcontext
def items_export_command(since: date | None, as_json: bool) -> None:
    """Export items, oldest first: JSON lines with --json, else one short line per item."""
    query = select(Item).options(joinedload(Item.feed), joinedload(Item.outlet)).order_by(Item.published_at, Item.id)
    if since is not None:
        query = query.where(Item.published_at >= local_midnight(since))
    for item in db.session.scalars(query.execution_options(yield_per=500)):
        record = item_record(item)
        if as_json:
            click.echo(json_text(record, ensure_ascii=False))
        else:
            click.echo(f"{record['id']}\t{record['published']}\t{record['outlet'] or ''}\t{record['title']}")
