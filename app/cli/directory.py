"""`flask --app app directory import|export|merge-journalists|merge-outlets`: the media directory's
sheet from and to the shell, and two records of one journalist or outlet made one.

``directory import FILE [--dry-run] --json`` prints ``{"outlets_new", "journalists_new",
"duplicates", "errors": [{"row", "column", "message"}], "warnings", "rows", "stored", "encoding"}`` (the
CSV's encoding read, directory_encoding.py; null for an XLSX) and exits 2,
storing nothing, when any row is bad or the file is refused (then ``"error"`` holds the reason
too); columns that are not the template's (nor its phone's and e-mail's common other names:
directory_sheet.ALIASES) are ignored, each with a warning on standard error.
``directory export --format csv|xlsx OUT`` writes the same sheet. ``directory merge-journalists
KEEP DUPLICATE [--dry-run] [--json]`` (and ``merge-outlets``) moves the duplicate's history to the
record kept and removes it (app/services/directory_merge.py), printing ``{"kept": {"id", "name"},
"removed": {"id", "name"}, "moved": {…}, "filled": […], "differing": {…}, "stored"}``. All act as
the shell (audited as "cli").
"""
from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from app.cli import output_files, usage
from app.cli.cases import CliActor
from app.cli.output_files import (
    NO_OVERWRITE_OPTION,
    STDIO,
    OutputFile,
    StreamOutput,
    folder_refusal,
    format_mismatch,
    is_stream,
    not_written,
    overwrite_refusal,
    protected,
    shown,
    standard_output,
    stdout_refusal,
)
from app.cli.standard_input import stdin_bytes
from app.cli.usage import ROW_ID, json_text
from app.extensions import db
from app.services import NotFound, ServiceError
from app.services.digits import shown_number
from app.services.directory_export import export_directory
from app.services.directory_import import ImportReport, import_table
from app.services.directory_merge import Merged, merge_journalists, merge_outlets, merged_before, refuse_reused_id
from app.services.directory_merged import missing_record
from app.services.directory_sheet import MAX_BYTES, SheetRefused, read_table

directory_cli = usage.Group("directory", help="The media directory: import and export its sheet (CSV, XLSX).")


def _refusal(message: str, row: int | None = None, column: str | None = None, encoding: str | None = None) -> dict:
    """The import's JSON when the file (or the command line: usage.Group) is refused: every key
    («encoding»: the CSV's when it was read before the refusal, else null)."""
    return {"error": message, "outlets_new": 0, "journalists_new": 0, "duplicates": [],
            "errors": [{"row": row, "column": column, "message": message}], "warnings": [], "rows": 0,
            "stored": False, "encoding": encoding, "outlets_planned": 0, "journalists_planned": 0}


def _refused(error: ServiceError, as_json: bool, encoding: str | None = None) -> None:
    db.session.rollback()
    if as_json:
        click.echo(json_text(_refusal(str(error), getattr(error, "row", None), getattr(error, "column", None),
                                      encoding), ensure_ascii=False))
    else:
        click.echo(_("خطا: %(message)s", message=str(error)), err=True)
    sys.exit(2)


def _read(path: Path) -> bytes:
    """The file's bytes (up to one past the limit). :raise ServiceError: a folder, not there, a link
    to nothing, or unreadable (the reason in Persian)."""
    if str(path) == STDIO:  # «directory import -»: the file piped in
        return stdin_bytes().read(MAX_BYTES + 1)  # closed («<&-»): refused, as a file not there
    try:  # is_dir() and exists() raise too (a name too long: ENAMETOOLONG was a traceback)
        if path.is_dir():
            raise ServiceError(_("«%(path)s» پوشه است، نه فایل؛ نشانی خود فایل CSV یا XLSX را بدهید.",
                                 path=shown(path)))
        if not path.exists():  # not is_file(): a pipe (/dev/stdin, <(…)) is there to be read
            if path.is_symlink():
                raise ServiceError(_("«%(path)s» پیوندی است به فایلی که نیست (یا پیوندهایی که به هم می‌رسند)؛ "
                                     "نشانی خود فایل را بدهید.", path=shown(path)))
            raise ServiceError(_("فایل «%(path)s» پیدا نشد.", path=shown(path)))
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)  # read_table refuses the larger ones
    except OSError as error:
        raise ServiceError(_("فایل «%(path)s» خوانده نشد: %(reason)s", path=shown(path),
                             reason=_read_reason(error))) from None


def _read_reason(error: OSError) -> str:
    """Why a file could not be read, in Persian for the usual reasons (the system's words else)."""
    reasons = {errno.EACCES: _("اجازهٔ خواندن آن نیست"), errno.EPERM: _("اجازهٔ خواندن آن نیست"),
               errno.ENAMETOOLONG: _("نام فایل بیش از اندازه بلند است"), errno.EISDIR: _("این نام یک پوشه است"),
               errno.EIO: _("دیسک آن را نداد (خطای ورودی و خروجی)"), errno.ELOOP: _("پیوندهایش به هم می‌رسند")}
    return reasons.get(error.errno) or error.strerror or str(error)


def _duplicate_of(duplicate: dict) -> str:
    """What a duplicate row matched: the journalist in the directory or an earlier row, by phone or name."""
    by = _("هم‌تلفن") if duplicate["by"] == "phone" else _("هم‌نام")
    if duplicate["of_row"] is not None:
        return _("— %(by)s با سطر %(row)s", by=by, row=shown_number(duplicate["of_row"]))
    # the id as the JSON gives it: a script passes it back (merge-journalists; a review, round 9)
    return _("— %(by)s با خبرنگار شمارهٔ %(id)s در فهرست", by=by, id=duplicate["journalist_id"])


def _text_report(report: ImportReport, dry_run: bool) -> None:
    data = report.as_dict()
    for error in data["errors"]:  # on standard error, «خطا: …», as every refusal; the report's line stays on stdout
        click.echo(_("خطا: %(message)s", message=_("سطر %(row)s، ستون «%(column)s»: %(message)s",
                                                   row=shown_number(error["row"]), column=error["column"],
                                                   message=error["message"])), err=True)
    for duplicate in data["duplicates"]:
        click.echo(_("سطر %(row)s تکراری است (%(name)s)", row=shown_number(duplicate["row"]), name=duplicate["name"])
                   + " " + _duplicate_of(duplicate))
    state = (_("آزمایشی؛ چیزی ذخیره نشد") if dry_run else _("ذخیره شد") if data["stored"]
             else _("چیزی ذخیره نشد"))
    click.echo(_("رسانهٔ تازه: %(outlets)s، خبرنگار تازه: %(journalists)s، تکراری: %(duplicates)s، خطا: %(errors)s — "
                 "%(state)s", outlets=shown_number(data["outlets_new"]),
                 journalists=shown_number(data["journalists_new"]), duplicates=shown_number(len(data["duplicates"])),
                 errors=shown_number(len(data["errors"])), state=state))


@directory_cli.command("import")
# As typed (Path("") is «.», a folder nobody typed), in bytes: a name that is not UTF-8 is read (not_utf8
# refuses a str holding one), and shown with «�» (output_files.shown).
@click.argument("file", type=click.Path(path_type=bytes))
@click.option("--dry-run", is_flag=True, help="Check the file and report; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def import_command(file: bytes, dry_run: bool, as_json: bool) -> None:
    """Import journalists and outlets from a CSV or XLSX with the template's Persian headers; all or nothing."""
    table = None
    if not file.strip():  # «directory import "$FILE"» with the variable empty (session 42's hostile round)
        _refused(ServiceError(_("نام فایل را بنویسید: نشانی فایل CSV یا XLSX، یا «-» برای ورودی استاندارد.")), as_json)
    file = Path(os.fsdecode(file))
    try:
        table = read_table(_read(file), file.name)
        report = import_table(table, actor=CliActor(), actor_label="cli", filename=shown(file.name),
                              dry_run=dry_run)
    except (SheetRefused, ServiceError) as error:
        _refused(error, as_json, table.encoding if table is not None else getattr(error, "encoding", None))
        return
    for warning in report.plan.warnings:
        click.echo(_("هشدار: %(message)s", message=warning), err=True)
    data = report.as_dict()
    if report.plan.errors:  # "error" first, as a file refused whole and every other command's exit 2 give it
        rows = len({error["row"] for error in data["errors"]})
        data = {"error": ngettext("%(rows)s سطر فایل خطا دارد (هر یک در «errors»)؛ چیزی ذخیره نشد.",
                                  "%(rows)s سطر فایل خطا دارد (هر یک در «errors»)؛ چیزی ذخیره نشد.", rows,
                                  rows=shown_number(rows)), **data}
    if as_json:
        click.echo(json_text(data, ensure_ascii=False))
    else:
        _text_report(report, dry_run)
    if report.plan.errors:
        sys.exit(2)


import_command.json_refusal = _refusal  # a usage error (no FILE, an unknown option) under --json


@directory_cli.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice(["csv", "xlsx"], case_sensitive=False),
              help="csv or xlsx")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print {path, journalists, outlets, replaced}.")
@NO_OVERWRITE_OPTION
@with_appcontext
def export_command(fmt: str, out: Path, as_json: bool, no_overwrite: bool) -> None:
    """Write the directory as the import's template: one row per journalist, outlets alone after them."""
    fmt = fmt.lower()
    if standard_output(out):
        _export_to_stdout(fmt, as_json, str(out))
        return
    mismatch = format_mismatch(out, fmt)  # a CSV in a file named .xlsx: Excel refuses to open it
    if mismatch:
        usage.refuse(mismatch, as_json)
    # Checked before the export is audited: a folder that is not there must not leave an entry
    # saying the phone numbers were taken away.
    if not str(out).strip() or str(out) == ".":
        usage.refuse(_("نام فایل خروجی را بنویسید، مانند directory.csv؛ چیزی نوشته نشد."), as_json)
    if out.is_dir():
        usage.refuse(_("«%(path)s» پوشه است؛ نام فایلی درون آن را بنویسید، مانند %(example)s؛ چیزی نوشته نشد.",
                         path=shown(out), example=shown(out / f"directory.{fmt}")), as_json)
    refusal = protected(out) or overwrite_refusal(out, no_overwrite)
    if refusal:
        usage.refuse(refusal, as_json)
    replaced = output_files.replaces(out)
    folder = out.parent
    refusal = None if is_stream(out) else folder_refusal(folder)  # which: not there, a read-only disk, no permission
    if refusal:
        usage.refuse(refusal, as_json)
    try:
        # owner-only: people's phones. Prepared beside OUT before the export is audited (a full disk
        # leaves no entry), put in place after the entry is committed (export_directory).
        output = OutputFile(out, private=True, no_overwrite=no_overwrite)  # a file come since the check: refused
        result = export_directory(fmt, actor=CliActor(), actor_label="cli", delivery=output)
    except ServiceError as error:
        db.session.rollback()
        usage.refuse(str(error), as_json)
    except OSError as error:  # a pipe or device named OUT may take part of it
        db.session.rollback()
        usage.refuse(not_written(out, error, output.written, len(output.data)), as_json)
    data = {"path": shown(out), "journalists": result.journalists, "outlets": result.outlets, "replaced": replaced}
    said = (_("%(journalists)s و %(outlets)s در %(path)s نوشته شد و جای فایلی را گرفت که بود.")
            if replaced else _("%(journalists)s و %(outlets)s در %(path)s نوشته شد."))
    click.echo(json_text(data, ensure_ascii=False) if as_json else
               said % {"path": shown(out), **_counted(result)})


def _export_to_stdout(fmt: str, as_json: bool, typed: str) -> None:
    """«directory export --format csv -»: the file on standard output, the summary on standard error."""
    refusal = stdout_refusal(typed, as_json, fmt, f"directory.{fmt}")  # --json (round 10), a workbook to a terminal (session 36)
    if refusal:
        usage.refuse(refusal, as_json)
    try:  # written once the export's entry is committed: a paused reader holds no lock (export_directory)
        output = StreamOutput(sys.stdout.buffer)
        result = export_directory(fmt, actor=CliActor(), actor_label="cli", delivery=output)
    except ServiceError as error:
        db.session.rollback()
        usage.refuse(str(error), as_json)
    except OSError as error:  # the reader of the pipe went away, before the first byte or after some
        db.session.rollback()
        usage.refuse(not_written(STDIO, error, output.written, len(output.data)), as_json)
    click.echo(_("%(journalists)s و %(outlets)s در خروجی استاندارد نوشته شد.", **_counted(result)), err=True)


def _counted(result) -> dict[str, str]:
    """An export's counts as the summary says them, each with its noun: «1 journalists» in English (session 46)."""
    return {"journalists": ngettext("%(count)s خبرنگار", "%(count)s خبرنگار", result.journalists,
                                    count=shown_number(result.journalists)),
            "outlets": ngettext("%(count)s رسانه", "%(count)s رسانه", result.outlets, count=shown_number(result.outlets))}


def _merge(merge, keep: int, duplicate: int, dry_run: bool, as_json: bool) -> None:
    unchanged = False
    kind = "journalist" if merge is merge_journalists else "outlet"
    try:
        refuse_reused_id(kind, keep, duplicate)  # a re-run after SQLite gave the id to a new record
        merged: Merged = merge(keep, duplicate, actor=CliActor(), actor_label="cli", dry_run=dry_run)
    except NotFound as error:  # run again (a script re-run): the merge made before, "unchanged": true, exit 0
        db.session.rollback()
        try:
            before = merged_before(kind, keep, duplicate)
        except NotFound:
            before = None
        if before is None:  # which id, and where it went when merged away (session 46)
            usage.refuse(missing_record(kind, keep, duplicate) or str(error), as_json)
        (merged, now_in), unchanged = before, True
    except ServiceError as error:
        db.session.rollback()
        usage.refuse(str(error), as_json)
    if unchanged:  # "now_in": the record holding the duplicate's history now (the kept one, or its own merge's)
        if as_json:
            click.echo(json_text(merged.as_json() | {"stored": False, "unchanged": True, "now_in": {
                "id": now_in[0], "name": now_in[1]}}, ensure_ascii=False))
        elif now_in[0] == merged.kept_id:
            click.echo(_("«%(removed)s» (%(removed_id)s) پیش‌تر در «%(kept)s» (%(kept_id)s) ادغام شده است؛ چیزی "
                         "تغییر نکرد.", removed=merged.removed_name, removed_id=merged.removed_id,
                         kept=merged.kept_name, kept_id=merged.kept_id))
        else:
            click.echo(_("«%(removed)s» (%(removed_id)s) پیش‌تر در «%(kept)s» (%(kept_id)s) ادغام شده است و آن نیز سپس "
                         "در «%(now)s» (%(now_id)s)؛ چیزی تغییر نکرد.", removed=merged.removed_name,
                         removed_id=merged.removed_id, kept=merged.kept_name, kept_id=merged.kept_id, now=now_in[1],
                         now_id=now_in[0]))
        return
    if as_json:
        click.echo(json_text(merged.as_json() | {"stored": not dry_run, "unchanged": False}, ensure_ascii=False))
        return
    moved = "، ".join(f"{shown_number(count)} {word}" for count, word in merged.moved_shown()) or _("هیچ")
    text = (_("«%(removed)s» (%(removed_id)s) در «%(kept)s» (%(kept_id)s) ادغام می‌شود؛ جابه‌جا: %(moved)s. "
              "(آزمایشی: چیزی تغییر نکرد.)") if dry_run else
            _("«%(removed)s» (%(removed_id)s) در «%(kept)s» (%(kept_id)s) ادغام شد و رکورد تکراری برداشته شد؛ "
              "جابه‌جا: %(moved)s."))
    click.echo(text % {"removed": merged.removed_name, "removed_id": merged.removed_id,  # ids as the JSON's
                       "kept": merged.kept_name, "kept_id": merged.kept_id, "moved": moved})
    if merged.filled:  # said as the page says it (a review of the commands, round 7: only the JSON had it)
        click.echo(_("از رکورد تکراری پر شد: %(fields)s", fields="، ".join(merged.filled_shown())))
    for name, value in merged.differing_shown():
        click.echo(_("ناهمسان، مقدار «%(kept)s» ماند: %(field)s = «%(value)s»", kept=merged.kept_name, field=name,
                     value=value), err=True)


@directory_cli.command("merge-journalists")
@click.argument("keep", type=ROW_ID)
@click.argument("duplicate", type=ROW_ID)
@click.option("--dry-run", is_flag=True, help="Say what would move; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def merge_journalists_command(keep: int, duplicate: int, dry_run: bool, as_json: bool) -> None:
    """Merge journalist DUPLICATE into KEEP (ids): phones, outlets, contacts, notes, invitations move; DUPLICATE is removed."""
    _merge(merge_journalists, keep, duplicate, dry_run, as_json)


@directory_cli.command("merge-outlets")
@click.argument("keep", type=ROW_ID)
@click.argument("duplicate", type=ROW_ID)
@click.option("--dry-run", is_flag=True, help="Say what would move; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def merge_outlets_command(keep: int, duplicate: int, dry_run: bool, as_json: bool) -> None:
    """Merge outlet DUPLICATE into KEEP (ids): journalists, feeds, items, contacts, notes move; DUPLICATE is removed."""
    _merge(merge_outlets, keep, duplicate, dry_run, as_json)
