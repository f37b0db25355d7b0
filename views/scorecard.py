"""The directive scorecard (issue 13): the province's agencies ranked for a Jalali period (the
governorate; an agency's user is sent to their own agency's), one agency's 14 clause rows with
the records behind each figure, and the governorate's status rules.

Thin: each view parses the request, calls one service (app/services/scorecard_pages.py,
scorecard_rules.py) and renders or redirects. Another agency's scorecard is a 404, as the scope
would not find it.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.policy import (
    SCORECARD_PROVINCE_ROLES,
    SCORECARD_READERS,
    SCORECARD_RULE_EDITORS,
)
from app.services import NotFound
from app.services.conference_cadence import PERIOD_LABELS
from app.services.scorecard_clauses import CLAUSES, STATUS_LABELS
from app.services.scorecard_pages import (
    RECORD_KINDS,
    agency_scorecard,
    own_agency_slug,
    province_scorecard,
)
from app.services.scorecard_rules import (
    FIELDS,
    RulesRejected,
    current_rules,
    save_rules,
)
from app.web.access import access
from app.web.forms.scorecard import ScorecardRulesForm

bp = Blueprint("scorecard", __name__, url_prefix="/scorecard")
# A figure's list, by the reader: the governorate's case list names the agency, an agency's does not.
DRILL_ENDPOINTS = {"cases": ("cases.all_cases", "cases.agency"), "conferences": ("conferences.index",) * 2,
                   "contacts": ("contacts.index",) * 2, "evidence": ("evidence.index",) * 2,
                   "portal": ("portals.index",) * 2}
RECORD_ENDPOINTS = {"cases": ("cases.detail", "ref"), "conferences": ("conferences.detail", "conference_id"),
                    "contacts": ("contacts.detail", "contact_id"), "outlets": ("directory.outlet", "outlet_id"),
                    "feeds": ("feeds.detail", "feed_id")}


def _governorate() -> bool:
    return current_user.role in SCORECARD_PROVINCE_ROLES


def drill_url(drill) -> str | None:
    """The link of a figure's list, or None when that page is not part of this installation."""
    endpoint = DRILL_ENDPOINTS[drill.kind][0 if _governorate() else 1]
    if endpoint not in current_app.view_functions:
        return None
    args = dict(drill.args)
    if drill.kind == "cases" and not _governorate():
        args.pop("agency", None)
    return url_for(endpoint, **args)


def record_url(link) -> str | None:
    endpoint, arg = RECORD_ENDPOINTS.get(link.kind, (None, None))
    if endpoint is None or endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **{arg: link.key})


@bp.app_context_processor
def _helpers():
    return {"scorecard_drill_url": drill_url, "scorecard_record_url": record_url}


@bp.route("/")
@access(SCORECARD_READERS)
def index():
    """The governorate: every agency ranked; an agency's user: their own agency's scorecard."""
    period = request.args.get("period", "")
    if not _governorate():
        slug = own_agency_slug(current_user)
        if slug is None:
            abort(404)
        return redirect(url_for("scorecard.agency", agency_slug=slug, **({"period": period} if period else {})))
    page = province_scorecard(current_user, period)
    return render_template("scorecard/province.html", page=page, clauses=CLAUSES, status_labels=STATUS_LABELS,
                           can_edit_rules=current_user.role in SCORECARD_RULE_EDITORS)


@bp.route("/rules", methods=["GET", "POST"])
@access(SCORECARD_RULE_EDITORS)
def rules():
    """The status rules (defaults in the README); a bad value is said next to it, nothing is saved."""
    form = ScorecardRulesForm() if request.method == "POST" else ScorecardRulesForm(
        data={key: str(value) for key, value in current_rules().items()})
    form.label_fields()
    if form.validate_on_submit():
        try:
            save_rules(form.values(), current_user)
        except RulesRejected as refused:
            for key, message in refused.errors.items():
                form[key].errors = [message]
            flash(str(refused), "danger")
            return render_template("scorecard/rules.html", form=form, fields=FIELDS), 400
        flash(_("قاعده‌های کارنامه ذخیره شد."), "success")
        return redirect(url_for("scorecard.rules"))
    return render_template("scorecard/rules.html", form=form, fields=FIELDS)


@bp.route("/<agency_slug>")
@access(SCORECARD_READERS)
def agency(agency_slug: str):
    """One agency's 14 clause rows for the period, each figure linked to the records behind it."""
    try:
        page = agency_scorecard(current_user, agency_slug, request.args.get("period", ""))
    except NotFound:
        abort(404)
    return render_template("scorecard/agency.html", page=page, status_labels=STATUS_LABELS,
                           record_kinds=RECORD_KINDS, period_labels=PERIOD_LABELS, governorate=_governorate())
