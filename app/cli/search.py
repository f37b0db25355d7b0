"""`flask --app app search …`: query the index, rebuild it from the database, verify it."""
from __future__ import annotations

import time
import unicodedata

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.cli import usage
from app.cli.usage import json_text
from app.extensions import db
from app.services.indexing import LeaseBusy, drain, fix, get_checkpoint, rebuild, verify
from app.services.search import SearchRequest
from app.services.search_export import MAX_ROWS, iter_results
from app.services.search_export import plain as _plain

search_cli = usage.Group("search", help="Full-text search: query, rebuild, verify, drain.")


@search_cli.command("query")
@click.argument("text")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, MAX_ROWS),
              help=f"Results to print (at most {MAX_ROWS}; fetched page by page).")
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0),
              help="Results to skip first (with --limit: the next page of a long listing).")
@click.option("--newest", is_flag=True, help="Newest first instead of by relevance.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per result line.")
@with_appcontext
def query_command(text: str, limit: int, offset: int, newest: bool, as_json: bool) -> None:
    """Search like the search page does; print the results (JSON lines with --json)."""
    nothing = _("عبارتی برای جست‌وجو وارد نشده است.")  # the search page's warning, the same words
    if all(unicodedata.category(ch)[0] in "ZC" for ch in text):  # spaces, ZWNJ, marks: nothing to look for
        # refused, as every refusal (it printed nothing and exited 0: a script read "no news")
        usage.refuse(nothing, as_json)
    state = {"first": None}

    def first_page(page) -> None:
        if state["first"] is None:
            state["first"] = page
            if "empty" in page.warning_codes and not page.total:  # only punctuation («؟!»، «...»): no word
                usage.refuse(nothing, as_json)
            for warning in page.warnings:
                click.echo(warning, err=True)
            if page.index_missing:  # exit 2 as every refusal ({"error"} under --json), not 1 in English
                usage.refuse(_("نمایهٔ جست‌وجو هنوز ساخته نشده است؛ «flask --app app search rebuild» را اجرا کنید."),
                             as_json)

    request = SearchRequest(text=text, sort="newest" if newest else "relevance")
    for result in iter_results(request, offset=offset, limit=limit, on_page=first_page):
        item, hit = result.item, result.hit
        row = {
            "id": item.id, "title": item.title, "link": item.link,
            "published": item.published_at.isoformat() if item.published_at else None,
            "score": round(hit.score, 4), "snippet": hit.snippet_html,
        }
        if as_json:
            click.echo(json_text(row, ensure_ascii=False))
        else:
            click.echo(f"{item.id}\t{row['score']}\t{item.title}\n\t{_plain(hit.snippet_html)[:200]}")
    page = state["first"]
    if not as_json and page is not None:
        click.echo(f"{page.total} results in {page.elapsed_ms:.0f} ms", err=True)


@search_cli.command("rebuild")
@click.option("--fresh", is_flag=True, help="Empty the index first (after a schema or analyzer change).")
@click.option("--restart", is_flag=True, help="Ignore the checkpoint of an interrupted rebuild.")
@click.option("--batch", "batch_size", type=click.IntRange(100, 100_000), default=None,
              help="Documents per index commit and checkpoint (default SEARCH_REBUILD_BATCH, 50000).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@with_appcontext
def rebuild_command(fresh: bool, restart: bool, batch_size: int | None, as_json: bool) -> None:
    """Rebuild the index from the database; an interrupted rebuild resumes where it stopped."""
    checkpoint = None if restart else get_checkpoint()
    if checkpoint and not as_json:
        click.echo(f"resuming after item {checkpoint['last_id']}")
    state = {"bar": None, "started": time.perf_counter(), "done": 0}

    def rate(_item) -> str:
        seconds = time.perf_counter() - state["started"]
        return f"{state['done'] / seconds:.0f} items/s" if seconds > 0 and state["done"] else ""

    def on_start(total: int) -> None:
        if not as_json:
            state["bar"] = click.progressbar(length=total, label="indexing", item_show_func=rate,
                                             show_pos=True).__enter__()

    def on_progress(count: int) -> None:
        state["done"] += count
        if state["bar"] is not None:
            state["bar"].update(count)

    try:
        summary = rebuild(fresh=fresh, restart=restart, batch_size=batch_size, on_start=on_start,
                          on_progress=on_progress)
    except LeaseBusy as exc:  # exit 2, as `search drain` when busy, and every refusal
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)
            state["bar"] = None
        usage.refuse(str(exc), as_json)
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)
    data = {"indexed": summary.indexed, "removed": summary.removed, "resumed_after": summary.resumed_after,
            "seconds": round(summary.seconds, 1), "items_per_second": round(summary.rate, 1),
            "backend": summary.backend}
    click.echo(json_text(data) if as_json else
               f"indexed {summary.indexed} items in {summary.seconds:.1f} s ({summary.rate:.0f} items/s), "
               f"removed {summary.removed} stale documents; search engine: {summary.backend}")


@search_cli.command("drain")
@click.option("--batch", "batch_size", type=click.IntRange(1, 100_000), default=None,
              help="Outbox rows per index commit (default SEARCH_INDEX_BATCH, 500).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@with_appcontext
def drain_command(batch_size: int | None, as_json: bool) -> None:
    """Index what the search outbox holds now (the worker does this every few seconds).

    Exit status 2 when nothing could be written: another process holds the writer lease
    ("busy"), or the index is of an older schema version ("outdated": the reason, kept rows
    wait for `search rebuild`)."""
    summary = drain(batch_size=batch_size)
    data = {k: getattr(summary, k) for k in ("rows", "indexed", "deleted", "batches", "remaining", "busy")}
    data["outdated"] = summary.outdated or None  # why nothing was written: run `search rebuild`
    click.echo(json_text(data, ensure_ascii=False) if as_json else summary.line())
    if summary.busy or summary.outdated:
        raise SystemExit(2)


@search_cli.command("verify")
@click.option("--fix", "do_fix", is_flag=True, help="Re-index missing and stale documents, delete extra ones.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@with_appcontext
def verify_command(do_fix: bool, as_json: bool) -> None:
    """Compare the index with the database; list missing, extra and stale documents."""
    report = verify()
    fixed = 0 if do_fix else None
    if do_fix and not report.ok:
        try:
            fixed = fix(report)
        except LeaseBusy as exc:
            usage.refuse(str(exc), as_json)
    data = {"ok": report.ok, "index_count": report.index_count, "db_count": report.db_count,
            "schema_ok": report.schema_ok, "missing": report.missing, "extra": report.extra,
            "stale": report.stale, "backend": current_app.config["SEARCH_BACKEND"]}
    # always there (a script reads one shape): null without --fix, the counts with it, zeros when
    # there was nothing to mend (it was left out then, and without --fix: session 29's note)
    data["fixed"] = {"written": fixed, "deleted": len(report.extra)} if fixed is not None else None
    db.session.rollback()
    if as_json:
        click.echo(json_text(data))
    else:
        click.echo(f"index: {report.index_count} documents, database: {report.db_count} "
                   f"(search engine: {current_app.config['SEARCH_BACKEND']})")
        if not report.schema_ok:
            click.echo("the index was built with another schema version: run `search rebuild --fresh`")
        for name in ("missing", "extra", "stale"):
            keys = data[name]
            click.echo(f"{name}: {len(keys)}" + (f"  {' '.join(keys[:50])}" + (" …" if len(keys) > 50 else "")
                                                 if keys else ""))
        if fixed:
            click.echo(f"fixed: {fixed} written, {len(report.extra)} deleted")
    if not report.ok and fixed is None:
        raise SystemExit(1)
