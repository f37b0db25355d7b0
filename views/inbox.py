"""The agency inbox: items routed to my agency with the rules, words and question cues that
brought them; filters; bulk mark seen / dismiss; reassignment by supervisors, requested by the
agency's staff. Scoping is automatic."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.policy import (
    ALL_ROLES,
    REASSIGN_ROLES,
    REQUEST_ROLES,
    TRIAGE_ROLES,
    can_reassign,
    can_triage,
)
from app.scoping import get_or_404
from app.services import NotAllowed, ServiceError
from app.services.agencies import get_agency
from app.services.inbox import InboxFilters, inbox_page, routes_by_ids
from app.services.rules import rule_names
from app.services.triage import (
    decide_request,
    reassign,
    request_reassignment,
    set_routes_status,
)
from app.web.access import access
from app.web.forms.fields import SCOPE_LABELS
from app.web.forms.routing import STATUS_LABELS, InboxFilterForm
from models import OUTLET_SCOPES, Agency, ItemRoute

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
PAGE_SIZE = 50
BULK_STATUSES = ("seen", "accepted", "dismissed")


def _filters() -> InboxFilterForm:
    form = InboxFilterForm(formdata=request.args)
    form.status.choices = [("", _("همه"))] + [(k, str(v)) for k, v in STATUS_LABELS.items()]
    form.scope.choices = [("", _("همه"))] + [(s, str(SCOPE_LABELS[s])) for s in OUTLET_SCOPES]
    form.rule.choices = [("", _("همه"))] + [(str(i), n) for i, n in rule_names()]
    form.validate()
    return form


def _inbox_filters(form: InboxFilterForm) -> InboxFilters:
    """The valid filters of the form (a bad value is left out, and shown next to its field)."""
    return InboxFilters(
        status=form.status.data or None, scope=form.scope.data or None,
        rule_id=int(form.rule.data) if (form.rule.data or "").isdigit() else None,
        since=form.since.data if not form.since.errors else None,
        until=form.until.data if not form.until.errors else None,
        question=bool(form.question.data), requests=bool(form.requests.data), unassigned=bool(form.unassigned.data))


@bp.route("/")
@access(ALL_ROLES)
def index():
    form = _filters()
    page = max(1, request.args.get("page", 1, type=int))
    found = inbox_page(current_user, _inbox_filters(form), page=page, page_size=PAGE_SIZE)
    role = current_user.role
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("inbox/index.html", form=form, routes=found.routes, total=found.total,
                           has_next=found.has_next, page=page, args=args, statuses=STATUS_LABELS,
                           new_count=found.counts.new, pending=found.counts.pending,
                           unassigned=found.counts.unassigned, can_triage=can_triage(current_user),
                           can_reassign=can_reassign(current_user), can_request=role in REQUEST_ROLES,
                           agencies=found.agencies)


def _back():
    referrer = request.referrer
    return redirect(referrer if referrer and referrer.startswith(request.host_url) else url_for("inbox.index"))


@bp.route("/mark", methods=["POST"])
@access(TRIAGE_ROLES)
def mark():
    status = request.form.get("status", "")
    ids = [int(v) for v in request.form.getlist("route_id") if v.isdigit()]
    routes = routes_by_ids(ids)
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
    return route, get_agency(request.form.get("agency_id", 0, type=int))


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
