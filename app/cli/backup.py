"""`flask --app app backup OUT` and `flask --app app restore IN`: the database and the data
folder's files in one archive, and back onto an empty data folder (then the search index is
rebuilt). A refusal prints its Persian message (`{"error": …}` with --json) and exits 2."""
from __future__ import annotations

import errno
import os
import sqlite3

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.cli import usage
from app.cli.output_files import STDIO, is_stream, not_written, shown, standard_output
from app.cli.usage import json_text
from app.services import ServiceError
from app.services.backup import backup, restore
from app.services.digits import shown_number
from app.services.indexing import LeaseBusy, rebuild


def _refuse(message: str, as_json: bool) -> None:
    usage.refuse(message, as_json)  # «خطا: …» (or {"error"}), exit 2, as every command's refusal (it said «Error:»)


@click.command("backup", cls=usage.Command)
@click.argument("out", type=click.Path())  # a folder is refused in Persian (_out_refusal), not click's English
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@with_appcontext
def backup_command(out: str, as_json: bool) -> None:
    """Write the database and the data folder's files (not the search index) to a new archive OUT."""
    refusal = _out_refusal(out)
    if refusal:
        _refuse(refusal, as_json)
    try:
        summary = backup(out)
    except ServiceError as exc:
        _refuse(str(exc), as_json)
    except (OSError, sqlite3.OperationalError) as exc:
        # A read-only folder or a full disk was a traceback (a fresh round of bad input, session 41);
        # the archive and the copies it holds are written in a folder beside OUT, removed.
        _refuse(not_written(out, _os_error(exc)), as_json)
    data = {"path": summary.path, "database": summary.database, "files": summary.files, "bytes": summary.bytes,
            "schema_revision": summary.schema_revision}
    # Persian, as every command's line (it was English, session 41's note); the database's kind as the JSON's
    click.echo(json_text(data, ensure_ascii=False) if as_json else
               _("پشتیبان در %(path)s نوشته شد: پایگاه دادهٔ %(database)s و %(files)s فایل، %(bytes)s بایت (کلید "
                 "کارساز در آن است: آن را مانند خود پایگاه داده نگه دارید).", path=shown(summary.path),
                 database=summary.database, files=shown_number(summary.files), bytes=shown_number(summary.bytes)))


def _out_refusal(out: str) -> str | None:
    """Why OUT names no new file to write the archive to (session 42's hostile round): «-» wrote it
    into a file named «-» (elsewhere «-» is standard output), exit 0; an empty OUT said the current
    folder was a file already there; a folder got click's English; /dev/stdout «its folder is not
    there». None: it may be written."""
    devices = ("/dev/", "/proc/")  # /dev/stdout of a captured process resolves to «/tmp/#123 (deleted)»
    if out == STDIO or standard_output(out) or is_stream(out) or os.path.abspath(out).startswith(devices) \
            or os.path.realpath(out).startswith(devices):
        return _("پشتیبان فایلی تازه است و در خروجی استاندارد یا دستگاهی («%(path)s») نوشته نمی‌شود؛ نام فایلی "
                 "بدهید، مانند hamzaban-1405-09-12.tar.gz.", path=shown(out))
    if not out.strip():
        return _("نام فایل پشتیبان را بنویسید، مانند hamzaban-1405-09-12.tar.gz.")
    if os.path.isdir(out):
        return _("«%(path)s» پوشه است؛ نام فایلی درون آن بدهید، مانند %(example)s.", path=shown(out),
                 example=shown(os.path.join(out, "hamzaban-1405-09-12.tar.gz")))
    return None


def _os_error(error: OSError | sqlite3.OperationalError) -> OSError:
    """SQLite's copy of the database into the archive's folder fails as SQLite says it: «database or
    disk is full» (SQLITE_FULL), «disk I/O error» (a write refused, SQLITE_IOERR), said as the system's."""
    if isinstance(error, OSError):
        return error
    code = {sqlite3.SQLITE_FULL: errno.ENOSPC, sqlite3.SQLITE_READONLY: errno.EROFS}.get(
        (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF, errno.EIO)  # the primary code of an extended one
    return OSError(code, os.strerror(code))


@click.command("restore", cls=usage.Command)
@click.argument("archive", metavar="IN", type=click.Path())  # a folder: refused in Persian below
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@with_appcontext
def restore_command(archive: str, as_json: bool) -> None:
    """Restore an archive written by `backup` onto an empty data folder, then rebuild the search index."""
    if not archive.strip():  # it looked for a backup named «.»
        _refuse(_("نام فایل پشتیبان را بنویسید، مانند hamzaban-1405-09-12.tar.gz."), as_json)
    if os.path.isdir(archive):  # click's English «File '/tmp' is a directory.»
        _refuse(_("«%(path)s» پوشه است؛ نام فایل پشتیبانِ درون آن را بدهید.", path=shown(archive)), as_json)
    try:
        summary = restore(archive)
    except ServiceError as exc:
        _refuse(str(exc), as_json)
    if not as_json:
        said = (_("پشتیبانِ %(created_at)s بازگردانده شد: پایگاه دادهٔ %(database)s (ساختار آن به‌روز شد) و %(files)s "
                  "فایل؛ نمایهٔ جست‌وجو از نو ساخته می‌شود.") if summary.upgraded else
                _("پشتیبانِ %(created_at)s بازگردانده شد: پایگاه دادهٔ %(database)s و %(files)s فایل؛ نمایهٔ "
                  "جست‌وجو از نو ساخته می‌شود."))
        click.echo(said % {"created_at": summary.created_at, "database": summary.database,
                           "files": shown_number(summary.files)})
    try:
        rebuilt = rebuild(fresh=True, restart=True)
    except LeaseBusy as exc:
        _refuse(str(exc), as_json)
    data = {"database": summary.database, "files": summary.files, "created_at": summary.created_at,
            "schema_revision": summary.schema_revision, "upgraded": summary.upgraded, "indexed": rebuilt.indexed}
    click.echo(json_text(data, ensure_ascii=False) if as_json else
               _("نمایهٔ جست‌وجو از نو ساخته شد: %(items)s خبر.", items=shown_number(rebuilt.indexed)))
