"""`flask --app app learning …`: the classifier beside the rules (issue 15): train now, the
versions, the drift check, learning on or off per agency."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.cli import usage
from app.cli.usage import json_text
from app.services import ServiceError
from app.services.agencies import agency_by_slug
from app.services.learning import model_versions, set_learning
from app.services.learning_drift import drift_report
from app.services.learning_training import train_model
from search_index.normalization import printable

learning_cli = usage.Group("learning", help="The classifier beside the routing rules: train, versions, drift.")


def _emit(data, as_json: bool, text: str) -> None:
    click.echo(json_text(data, ensure_ascii=False) if as_json else text)


@learning_cli.command("train")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@with_appcontext
def train_command(as_json: bool) -> None:
    """Train a new version from the desk's decisions now; it replaces the active one only if it
    does at least as well on the held-back slice."""
    result = train_model(actor_label="cli")
    _emit(result.as_dict(), as_json,
          f"{result.status} (version {result.model_id}): {result.note}\n"
          f"held back: {json_text(result.figures, ensure_ascii=False)}\n"
          f"active before, same slice: {json_text(result.compared_with, ensure_ascii=False)}")


@learning_cli.command("versions")
@click.option("--json", "as_json", is_flag=True, help="JSON lines, newest first.")
@with_appcontext
def versions_command(as_json: bool) -> None:
    """The stored versions, newest first: status, training date, label counts, figures."""
    for version in model_versions():
        _emit(version, as_json, f"{version['id']:>4} {version['status']:9} {version['source']:7} "
                                f"{version['trained_at']} {version['note']}")


@learning_cli.command("drift")
@click.option("--weeks", type=click.IntRange(2, 104), default=8, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@with_appcontext
def drift_command(weeks: int, as_json: bool) -> None:
    """The share of new items routed, week by week, and a warning when it moves sharply."""
    report = drift_report(weeks)
    lines = [f"{w['week']}  items {w['items']:>6}  routed {w['routed_share']:.1%}  by the model "
             f"{w['model_share']:.1%}" for w in report["weeks"]]
    lines += [f"WARNING: {warning['message']}" for warning in report["warnings"]]
    _emit(report, as_json, "\n".join(lines) or "no items")


@learning_cli.command("switch")
@click.argument("agency_slug")
@click.argument("state", type=click.Choice(["on", "off"], case_sensitive=False))  # «ON», as the README says
@click.option("--json", "as_json", is_flag=True, help='Print {"agency", "learning"} as one JSON object.')
@with_appcontext
def switch_command(agency_slug: str, state: str, as_json: bool) -> None:
    """Turn learning on or off for one agency (its model routes, suggestions and training labels)."""
    try:
        agency = agency_by_slug(agency_slug)
    except ServiceError as error:
        usage.refuse(printable(str(error)), as_json)
    set_learning(agency, state == "on", actor_label="cli")
    _emit({"agency": agency.slug, "learning": agency.learning_enabled}, as_json, f"learning {state} for {agency.slug}")
