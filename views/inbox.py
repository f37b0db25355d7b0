"""The agency inbox, a triage desk: by default what still needs me (handled items leave; the
status filter brings them back), with the rules, words and question cues that brought each item;
one-click actions per row (accept, dismiss, reassign or ask for it with a reason, mark or unmark
as a public question) that keep their place in the queue (the next row), the bulk actions on the
ticked rows, and the keyboard (static/js/triage.js; the page works without it). Scoping is
automatic."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.policy import (
    ALL_ROLES,
    CASE_WRITERS,
    REASSIGN_ROLES,
    REQUEST_ROLES,
    TRIAGE_ROLES,
    can_reassign,
    can_triage,
)
from app.scoping import get_or_404
from app.services import NotAllowed, ServiceError
from app.services.agencies import get_agency
from app.services.digits import row_id
from app.services.inbox import ALL, InboxFilters, inbox_page
from app.services.learning_suggestions import accept_suggestion, dismiss_suggestion
from app.services.question_labels import label_question
from app.services.rules import rule_names
from app.services.triage import (
    decide_request,
    reassign,
    request_reassignment,
    triage_routes,
)
from app.web.access import access
from app.web.filters import fa_digits
from app.web.forms.fields import SCOPE_LABELS
from app.web.forms.routing import STATUS_LABELS, InboxFilterForm
from app.web.navigation import remember_inbox_counts
from app.web.paging import list_args, page_arg
from models import OUTLET_SCOPES, Agency, ItemRoute, RouteSuggestion

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
PAGE_SIZE = 50


def _filters() -> InboxFilterForm:
    form = InboxFilterForm(formdata=request.args)
    form.status.choices = [("", _("در انتظار من (صف)")), (ALL, _("همه، با رسیدگی‌شده‌ها"))] + [
        (k, str(v)) for k, v in STATUS_LABELS.items()]
    form.scope.choices = [("", _("همه"))] + [(s, str(SCOPE_LABELS[s])) for s in OUTLET_SCOPES]
    form.rule.choices = [("", _("همه"))] + [(str(i), n) for i, n in rule_names()]
    form.validate()
    return form


def _inbox_filters(form: InboxFilterForm) -> InboxFilters:
    """The valid filters of the form (a bad value is left out, and shown next to its field)."""
    return InboxFilters(
        status=form.status.data or None, scope=form.scope.data or None,
        agency_id=row_id(form.agency.data),
        rule_id=row_id(form.rule.data),
        since=form.since.data if not form.since.errors else None,
        until=form.until.data if not form.until.errors else None,
        question=bool(form.question.data), requests=bool(form.requests.data), unassigned=bool(form.unassigned.data))


@bp.route("/")
@access(ALL_ROLES)
def index():
    form = _filters()
    page = page_arg()
    found = inbox_page(current_user, _inbox_filters(form), page=page, page_size=PAGE_SIZE)
    remember_inbox_counts(found.counts)
    role = current_user.role
    locale = str(get_locale() or "fa")
    agency_options = [(a.id, a.display_name(locale)) for a in found.agencies]  # the rows' select, named once
    form.agency.choices = [("", _("همه"))] + [(str(a_id), name) for a_id, name in agency_options]
    args = list_args("page")
    return render_template("inbox/index.html", form=form, routes=found.routes, total=found.total,
                           has_next=found.has_next, page=page, args=args, statuses=STATUS_LABELS,
                           new_count=found.counts.new, pending=found.counts.pending,
                           unassigned=found.counts.unassigned, can_triage=can_triage(current_user),
                           can_reassign=can_reassign(current_user), can_request=role in REQUEST_ROLES,
                           can_open_case=role in CASE_WRITERS,
                           agencies=found.agencies, agency_options=agency_options, suggestions=found.suggestions, queue=form.status.data not in STATUS_LABELS and
                           form.status.data != ALL)


def _back(next_row: bool = False):
    """Back where the action was taken (the inbox with its filters, or the item's page); after a
    row's action, at the row that followed it (``next``): the next item to triage."""
    referrer = request.referrer
    url = referrer if referrer and referrer.startswith(request.host_url) else url_for("inbox.index")
    following = request.form.get("next", "")
    if next_row and row_id(following) is not None:
        url = url.split("#")[0] + f"#route-{following}"
    return redirect(url)


def _done(status: str, n: int) -> str:
    """What was done, with the number in the reader's digits: «۱ خبر پذیرفته شد.»"""
    count = fa_digits(n)
    if status == "accepted":
        return ngettext("%(count)s خبر پذیرفته شد.", "%(count)s خبر پذیرفته شد.", n, count=count)
    if status == "dismissed":
        return ngettext("%(count)s خبر کنار گذاشته شد.", "%(count)s خبر کنار گذاشته شد.", n, count=count)
    if status == "seen":
        return ngettext("%(count)s خبر «دیده‌شده» شد و در صف ماند.", "%(count)s خبر «دیده‌شده» شد و در صف ماند.",
                        n, count=count)
    return ngettext("%(count)s خبر دوباره «تازه» شد.", "%(count)s خبر دوباره «تازه» شد.", n, count=count)


def _route_ids() -> list[int]:
    """The chosen route ids; a value that is not an id counts as an unknown route (refused)."""
    return [-1 if (i := row_id(v)) is None else i for v in request.form.getlist("route_id")]


@bp.route("/mark", methods=["POST"])
@access(TRIAGE_ROLES)
def mark():
    """Accept, dismiss, mark seen or new: one row's button, or the ticked rows (bulk)."""
    status = request.form.get("status", "")
    try:
        routes = triage_routes(_route_ids(), status, current_user)
    except NotAllowed:
        return ("", 403)
    except ServiceError as error:
        flash(str(error), "warning")
        return _back()
    flash(_done(status, len(routes)), "success")
    return _back(next_row=True)


def _route_and_agency() -> tuple[ItemRoute, Agency | None]:
    route_id = request.form.get("route_id", type=row_id)
    if route_id is None:
        abort(400)
    route = get_or_404(ItemRoute, route_id)  # another agency's route is a 404 (scoping)
    return route, get_agency(request.form.get("agency_id", 0, type=row_id))


def _act(action, done):
    """Run one triage service call; a refusal is a 403, a bad input a message on the inbox.
    ``done`` is the message, or a function of the service's result that gives it."""
    try:
        result = action()
    except NotAllowed:
        return ("", 403)
    except ServiceError as error:
        flash(str(error), "danger")
        return _back()
    flash(done(result) if callable(done) else done, "success")
    return _back(next_row=True)


@bp.route("/reassign", methods=["POST"])
@access(REASSIGN_ROLES)
def reassign_route():
    route, agency = _route_and_agency()
    return _act(lambda: reassign(route, agency, request.form.get("reason", ""), current_user),
                lambda target: _("خبر به %(agency)s ارجاع شد.", agency=target.agency.display_name(
                    str(get_locale() or "fa"))))


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


@bp.route("/question", methods=["POST"])
@access(TRIAGE_ROLES)
def question():
    """Mark (flagged=1) or unmark (flagged=0) a route as a public question: a stored correction."""
    route, _agency = _route_and_agency()
    flagged = request.form.get("flagged", "")
    if flagged not in ("0", "1"):
        flash(_("روشن نیست خبر پرسش مردمی هست یا نه؛ چیزی تغییر نکرد."), "warning")
        return _back()
    return _act(lambda: label_question(route, flagged == "1", current_user), lambda label: (
        _("نشان پرسش مردمی این خبر همین بود؛ چیزی تغییر نکرد.") if label is None else
        _("خبر پرسش یا گلایهٔ مردمی نشان خورد.") if label.is_flagged else
        _("نشان پرسش یا گلایهٔ مردمی از خبر برداشته شد.")))


@bp.route("/suggestion", methods=["POST"])
@access(TRIAGE_ROLES)
def suggestion():
    """Accept (decision=accept: the item becomes the agency's, accepted) or dismiss the
    classifier's suggestion; another agency's suggestion is a 404 (scoping)."""
    suggestion_id = request.form.get("suggestion_id", type=row_id)
    if suggestion_id is None:
        abort(400)
    found = get_or_404(RouteSuggestion, suggestion_id)
    decision = request.form.get("decision", "")
    if decision not in ("accept", "dismiss"):
        flash(_("روشن نیست پیشنهاد پذیرفته شود یا کنار برود؛ چیزی تغییر نکرد."), "warning")
        return _back()
    try:
        if decision == "accept":
            accept_suggestion(found, current_user)
        else:
            dismiss_suggestion(found, current_user)
    except NotAllowed as error:
        return render_template("errors/error.html", status=403, title=_("دسترسی ندارید"), message=str(error)), 403
    except ServiceError as error:  # decided already: said on the inbox
        flash(str(error), "warning")
        return _back()
    flash(_("پیشنهاد پذیرفته شد؛ خبر در صندوق سازمان ماند.") if decision == "accept" else
          _("پیشنهاد کنار گذاشته شد."), "success")
    return _back()
