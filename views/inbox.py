"""The agency inbox: items routed to my agency with the rules, words and question cues that
brought them; filters; bulk mark seen / dismiss; reassignment by supervisors, requested by the
agency's staff. Scoping is automatic."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.web.forms.fields import SCOPE_LABELS
from app.web.forms.routing import STATUS_LABELS, InboxFilterForm
from app.jalali import tehran_midnight
from app.web.navigation import ALL
from app.scoping import get_or_404
from app.web.access import access
from app.services import NotAllowed, ServiceError
from app.services.triage import (REASSIGN_ROLES, REQUEST_ROLES, TRIAGE_ROLES, decide_request, reassign,
                                 request_reassignment, routes_of_rule, set_routes_status)
from models import OUTLET_SCOPES, ROUTE_STATUSES, Agency, Item, ItemRoute, Outlet, RoutingRule

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
PAGE_SIZE = 50
BULK_STATUSES = ("seen", "accepted", "dismissed")


def _filters() -> InboxFilterForm:
    form = InboxFilterForm(formdata=request.args)
    form.status.choices = [("", _("همه"))] + [(k, str(v)) for k, v in STATUS_LABELS.items()]
    form.scope.choices = [("", _("همه"))] + [(s, str(SCOPE_LABELS[s])) for s in OUTLET_SCOPES]
    rules = db.session.execute(select(RoutingRule.id, RoutingRule.name).order_by(RoutingRule.name)).all()
    form.rule.choices = [("", _("همه"))] + [(str(i), n) for i, n in rules]
    form.validate()
    return form


def _filtered(query, form: InboxFilterForm):
    """The inbox query narrowed by the valid filters (a bad value is left out and shown)."""
    if form.status.data in ROUTE_STATUSES:
        query = query.where(ItemRoute.status == form.status.data)
    if form.scope.data in OUTLET_SCOPES:
        query = query.where(Item.outlet_id.in_(select(Outlet.id).where(Outlet.scope == form.scope.data)))
    if (form.rule.data or "").isdigit():
        query = query.where(routes_of_rule(int(form.rule.data)))
    if form.since.data and not form.since.errors:
        query = query.where(Item.published_at >= tehran_midnight(form.since.data))
    if form.until.data and not form.until.errors:
        query = query.where(Item.published_at < tehran_midnight(form.until.data + timedelta(days=1)))
    if form.question.data:
        query = query.where(ItemRoute.is_question)
    if form.requests.data:
        query = query.where(ItemRoute.request_at.is_not(None))
    if form.unassigned.data:
        query = query.where(ItemRoute.agency_id.is_(None))
    return query


@bp.route("/")
@access(ALL)
def index():
    form = _filters()
    page = max(1, request.args.get("page", 1, type=int))
    query = _filtered(select(ItemRoute).join(Item, ItemRoute.item_id == Item.id), form)
    total = db.session.scalar(query.with_only_columns(func.count(ItemRoute.id)).order_by(None))
    routes = db.session.scalars(
        query.options(joinedload(ItemRoute.item).joinedload(Item.outlet), joinedload(ItemRoute.agency),
                      joinedload(ItemRoute.request_agency))
        .order_by(Item.published_at.desc(), ItemRoute.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).unique().all()
    new_count = db.session.scalar(select(func.count(ItemRoute.id)).where(ItemRoute.status == "new"))
    pending = db.session.scalar(select(func.count(ItemRoute.id)).where(ItemRoute.request_at.is_not(None)))
    unassigned = db.session.scalar(select(func.count(ItemRoute.id)).where(
        ItemRoute.agency_id.is_(None), ItemRoute.status == "new"))
    role = current_user.role
    agencies = (db.session.scalars(select(Agency).where(Agency.is_active).order_by(Agency.name_fa)).all()
                if role in REASSIGN_ROLES or role in REQUEST_ROLES else [])
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("inbox/index.html", form=form, routes=routes[:PAGE_SIZE], total=total,
                           has_next=len(routes) > PAGE_SIZE, page=page, args=args, statuses=STATUS_LABELS,
                           new_count=new_count, pending=pending, unassigned=unassigned, can_triage=role in TRIAGE_ROLES,
                           can_reassign=role in REASSIGN_ROLES, can_request=role in REQUEST_ROLES,
                           agencies=agencies)


def _back():
    referrer = request.referrer
    return redirect(referrer if referrer and referrer.startswith(request.host_url) else url_for("inbox.index"))


@bp.route("/mark", methods=["POST"])
@access(TRIAGE_ROLES)
def mark():
    status = request.form.get("status", "")
    ids = [int(v) for v in request.form.getlist("route_id") if v.isdigit()]
    routes = db.session.scalars(select(ItemRoute).where(ItemRoute.id.in_(ids))).all() if ids else []
    if status not in BULK_STATUSES or not routes:
        flash(_("خبری برگزیده نشد."), "warning")
    else:
        set_routes_status(routes, status, current_user)
        flash(_("وضعیت %(n)s خبر تغییر کرد.", n=len(routes)), "success")
    return _back()


def _route_and_agency() -> tuple[ItemRoute, Agency | None]:
    route_id = request.form.get("route_id", type=int)
    if route_id is None:
        abort(400)
    route = get_or_404(ItemRoute, route_id)  # another agency's route is a 404 (scoping)
    return route, db.session.get(Agency, request.form.get("agency_id", 0, type=int))


def _act(action, done: str):
    """Run one triage service call; a refusal is a 403, a bad input a message on the inbox."""
    try:
        action()
        flash(done, "success")
    except NotAllowed:
        return ("", 403)
    except ServiceError as error:
        flash(str(error), "danger")
    return _back()


@bp.route("/reassign", methods=["POST"])
@access(REASSIGN_ROLES)
def reassign_route():
    route, agency = _route_and_agency()
    return _act(lambda: reassign(route, agency, request.form.get("reason", ""), current_user),
                _("خبر به سازمان دیگر ارجاع شد."))


@bp.route("/request", methods=["POST"])
@access(REQUEST_ROLES)
def request_route():
    """A staff user asks the governorate's supervisors to send the item to another agency."""
    route, agency = _route_and_agency()
    return _act(lambda: request_reassignment(route, agency, request.form.get("reason", ""), current_user),
                _("درخواست ارجاع فرستاده شد؛ ناظر استانداری دربارهٔ آن تصمیم می‌گیرد."))


@bp.route("/decide", methods=["POST"])
@access(REASSIGN_ROLES)
def decide():
    route, _agency = _route_and_agency()
    approve = request.form.get("decision") == "approve"
    return _act(lambda: decide_request(route, approve, current_user, request.form.get("note", "")),
                _("خبر ارجاع شد.") if approve else _("درخواست ارجاع رد شد."))
