"""`flask --app app alerts …`: the saved-search e-mail digest."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.cli import usage
from app.cli.usage import json_text
from app.services.alert_digest import send_digests

alerts_cli = usage.Group("alerts", help="Saved-search alerts: the e-mail digest.")


@alerts_cli.command("send-digest")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@with_appcontext
def send_digest_command(as_json: bool) -> None:
    """E-mail each user the notifications not yet e-mailed (what the worker does; safe to run again)."""
    summary = send_digests(actor_label="cli")
    click.echo(json_text(summary.as_dict(), ensure_ascii=False) if as_json else summary.line())
