"""`flask --app app backup OUT` and `flask --app app restore IN`: the database and the data
folder's files in one archive, and back onto an empty data folder (then the search index is
rebuilt). A refusal prints its Persian message (`{"error": …}` with --json) and exits 2."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from app.cli import usage
from app.cli.usage import json_text
from app.services import ServiceError
from app.services.backup import backup, restore
from app.services.indexing import LeaseBusy, rebuild


def _refuse(message: str, as_json: bool) -> None:
    if as_json:
        click.echo(json_text({"error": message}, ensure_ascii=False))
    else:
        click.echo(f"Error: {message}", err=True)
    sys.exit(2)


@click.command("backup", cls=usage.Command)
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@with_appcontext
def backup_command(out: str, as_json: bool) -> None:
    """Write the database and the data folder's files (not the search index) to a new archive OUT."""
    try:
        summary = backup(out)
    except ServiceError as exc:
        _refuse(str(exc), as_json)
    data = {"path": summary.path, "database": summary.database, "files": summary.files, "bytes": summary.bytes,
            "schema_revision": summary.schema_revision}
    click.echo(json_text(data, ensure_ascii=False) if as_json else
               f"backup written to {summary.path}: {summary.database} database and {summary.files} files, "
               f"{summary.bytes} bytes (it holds the secret key: keep it like the database)")


@click.command("restore", cls=usage.Command)
@click.argument("archive", metavar="IN", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@with_appcontext
def restore_command(archive: str, as_json: bool) -> None:
    """Restore an archive written by `backup` onto an empty data folder, then rebuild the search index."""
    try:
        summary = restore(archive)
    except ServiceError as exc:
        _refuse(str(exc), as_json)
    if not as_json:
        click.echo(f"restored the backup of {summary.created_at}: {summary.database} database"
                   f"{' (schema brought up to date)' if summary.upgraded else ''}, {summary.files} files; "
                   "rebuilding the search index")
    try:
        rebuilt = rebuild(fresh=True, restart=True)
    except LeaseBusy as exc:
        _refuse(str(exc), as_json)
    data = {"database": summary.database, "files": summary.files, "created_at": summary.created_at,
            "schema_revision": summary.schema_revision, "upgraded": summary.upgraded, "indexed": rebuilt.indexed}
    click.echo(json_text(data, ensure_ascii=False) if as_json else
               f"search index rebuilt: {rebuilt.indexed} items")
