"""`flask --app app routing …`: load the starter pack; route JSON lines offline (nothing stored);
route the backlog the ingests left (``routing backlog``)."""
from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.cli import usage
from app.cli.standard_input import StdinClosed, stdin_bytes
from app.cli.usage import ROW_ID, DigitChoice, json_text
from app.extensions import db
from app.rules.analysis import analyze_item
from app.rules.detector import detect_public_question
from app.rules.starter_rules import starter_ruleset
from app.services import ServiceError
from app.services.digits import shown_number
from app.services.learning import EMPTY, active_model, classify, tester_agencies
from app.services.routing import active_rules, load_starter_rules
from app.services.routing_backlog import drain_backlog
from app.services.rule_tester import request_backfill, run_backfills
from app.services.starter_update import update_starter_rules
from app.worker import tune_gc
from models import Agency, RoutingRule, RuleBackfill

routing_cli = usage.Group("routing", help="Routing rules: starter pack, offline test, the backlog.")


@routing_cli.command("load-starter")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--update", is_flag=True,
              help="Also set loaded starter rules to the shipped version; rules edited by hand are kept.")
@with_appcontext
def load_starter_command(as_json: bool, update: bool) -> None:
    """Add the starter rules for the standard agencies (safe to run again); with --update, also bring
    the starter rules loaded from an older pack to the shipped queries (each change audited), except
    those an agency created or edited by hand, which are kept and listed."""
    result = update_starter_rules(actor_label="cli") if update else load_starter_rules(actor_label="cli")
    if as_json:
        click.echo(json_text(result, ensure_ascii=False))
        return
    click.echo(f"rules added: {result['added']}, already there or agency missing: {result['skipped']}")
    if update:
        click.echo(f"rules updated to the shipped version: {len(result['updated'])}, already as shipped: "
                   f"{result['unchanged']}, edited by hand and kept: {len(result['kept'])}")
        for name in result["kept"]:
            click.echo(f"  kept (edited by hand): {name}")


@routing_cli.command("apply")
@click.argument("rule_id", type=ROW_ID)
@click.option("--days", type=DigitChoice(["7", "30", "90", "all"]), default="30", show_default=True,
              help="Stored items published in the last N days, or all of them.")
@with_appcontext
def apply_command(rule_id: int, days: str) -> None:
    """Apply a saved rule to stored items now (what the rule page's "run on earlier items" asks
    the worker to do); items already routed to the rule's agency are not routed again."""
    rule = db.session.get(RoutingRule, rule_id)
    if rule is None:
        usage.refuse(_("قاعده‌ای با شناسهٔ %(id)s نیست.", id=shown_number(rule_id)), False)
    try:
        backfill = request_backfill(rule, None if days == "all" else int(days), actor_label="cli")
    except ServiceError as error:
        usage.refuse(str(error), False)  # «خطا: …», exit 2, as every command's refusal
    run_backfills()
    backfill = db.session.get(RuleBackfill, backfill.id)
    click.echo(f"items checked: {backfill.checked}, routes added: {backfill.added}")


@routing_cli.command("backlog")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@with_appcontext
def backlog_command(as_json: bool) -> None:
    """Route the items the ingests queued for routing after their commit (FEED_ROUTING=after_commit;
    what the worker's routing-backlog job does); safe to run again, or beside the worker."""
    tune_gc()  # the worker's collector thresholds: routing makes millions of short-lived objects
    total = drain_backlog()
    click.echo(json_text(total, ensure_ascii=False) if as_json
               else f"items routed: {total['items']}, routes added: {total['routes']}, "
                    f"notifications: {total['notifications']}, left: {total['left']}")


def _router():
    """A function (item's analysis, outlet scope) → ([(agency slug, rule name, Match)] that route,
    those held because the title is about a foreign place, that place as written): the database's
    active rules, else the starter pack; as routing at ingest does (``RuleSet.route``)."""
    from sqlalchemy import select

    active = active_rules()
    if len(active.ruleset):
        slugs = dict(db.session.execute(select(Agency.id, Agency.slug)).all())
        ruleset, name_of = active.ruleset, lambda key: (slugs[active.rules[key][0]], active.rules[key][1])
    else:
        ruleset, name_of = starter_ruleset(), lambda key: (key.agency, key.name)

    def route(analyzed, scope):
        found = ruleset.route(analyzed, outlet_scope=scope)
        return ([(*name_of(key), match) for key, match in found.routes],
                [(*name_of(key), match) for key, match in found.held], found.abroad)
    return route


_TEXT_KEYS = ("title", "summary", "text", "outlet_scope")


def _input_line(raw: bytes, number: int) -> tuple[dict | None, dict | None]:
    """One line of ``routing test``'s input: (the object, None), (None, None) for a blank line, or
    (None, the refusal printed in its place: {"line", "id", "error"}) for a line that is not a JSON
    object with text values, so that the output keeps one line per input and the others go on."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, {"line": number, "id": None,
                      "error": _("سطر %(line)s با نویسه‌گذاری UTF-8 نوشته نشده است.", line=shown_number(number))}
    line = line.removeprefix("\ufeff") if number == 1 else line
    if not line.strip():
        return None, None
    try:
        doc = json.loads(line)
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        return None, {"line": number, "id": None,
                      "error": _("سطر %(line)s یک شیء JSON نیست؛ هر سطر را مانند "
                                 "{\"id\": 1, \"title\": \"…\", \"summary\": \"…\", \"text\": \"…\"} بنویسید.",
                                 line=shown_number(number))}
    for key in _TEXT_KEYS:
        if doc.get(key) is not None and not isinstance(doc[key], str):
            return None, {"line": number, "id": doc.get("id"),
                          "error": _("در سطر %(line)s مقدار «%(key)s» باید متن باشد.", line=shown_number(number),
                                     key=key)}
    return doc, None


@routing_cli.command("test")
@click.option("--json", "as_json", is_flag=True, help="JSON lines out (the only format for now).")
@with_appcontext
def test_command(as_json: bool) -> None:
    """Route JSON lines {"id","title","summary","text"} from stdin with the active rules, the
    classifier and the detector; print per line {"id","agencies","question","reasons","routes",
    "rule_agencies","model_agencies","suggested","model","question_model"}: ``agencies`` is the
    union that would be routed (rule routes first, then model routes); ``suggested`` the
    agencies the model proposes below their threshold (the inbox's suggestions); ``reasons`` the
    question's reasons (the detector's codes, and "model" when the model flags it); ``routes``
    each matching rule with the words that matched, as the rule writes them (``word``) and as
    the item does (``found``: «تانکرها» for the rule word «تانکر»); ``model`` each model route and
    suggestion {"agency","probability","words","routes"} (the words that weighed most);
    ``question_model`` the model's question call {"probability","words"} or null; ``held`` the
    title-only rules' matches that route nothing because the title is about a foreign place
    {"agency","rule","place"} (app/rules/places.py). Stores nothing.
    A line that is not a JSON object with text values gets {"line","id","error"} (Persian) in its
    place, the next lines go on, and the command exits 2."""
    route = _router()
    learning = tester_agencies()
    model = active_model() if learning else None
    refused = False
    try:
        lines = stdin_bytes()
    except StdinClosed as closed:
        usage.refuse(str(closed), as_json)
    for number, raw in enumerate(lines, 1):
        doc, refusal = _input_line(raw, number)
        if refusal is not None:
            refused = True
            click.echo(json_text(refusal, ensure_ascii=False))
            continue
        if doc is None:
            continue
        title = doc.get("title") or ""
        body = "\n".join(part for part in (doc.get("summary") or "", doc.get("text") or "") if part)
        analyzed = analyze_item(title, body)
        detection = detect_public_question(title, body, item=analyzed)
        routed, held, abroad = route(analyzed, doc.get("outlet_scope"))
        rule_agencies = list(dict.fromkeys(slug for slug, _, _ in routed))
        classified = classify(analyzed, learning, model) if model is not None else EMPTY
        model_agencies = [slug for slug in classified.routes if slug not in rule_agencies]
        suggested = [slug for slug in classified.suggested if slug not in rule_agencies]
        routes = [{"agency": slug, "rule": name,
                   "words": [{"word": c.label, "found": c.found} for c in match.clauses]}
                  for slug, name, match in routed]
        question = detection.is_question or classified.question is not None
        reasons = [r.code for r in detection.reasons] + (["model"] if classified.question is not None else [])
        model_routes = [{"agency": slug, "probability": round(p.probability, 3), "words": list(p.words),
                         "routes": slug in model_agencies}
                        for slug, p in [*classified.routes.items(), *classified.suggested.items()]
                        if slug in model_agencies or slug in suggested]
        question_model = ({"probability": round(classified.question.probability, 3),
                           "words": list(classified.question.words)} if classified.question is not None else None)
        click.echo(json_text({"id": doc.get("id"), "agencies": rule_agencies + model_agencies, "question": question,
                               "reasons": reasons, "routes": routes, "rule_agencies": rule_agencies,
                               "model_agencies": model_agencies, "suggested": suggested, "model": model_routes,
                               "question_model": question_model,
                               "held": [{"agency": slug, "rule": name, "place": abroad} for slug, name, _ in held]},
                              ensure_ascii=False))
    if refused:
        sys.exit(2)
