"""Routing rules: the list, the form with its tester (matches among the last N items, words
highlighted), each rule's versions, and applying a rule to stored items. Scoping is automatic:
agency users see their own agency's rules; admins and supervisors every agency's."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.policy import (
    ALL_ROLES,
    RULE_EDITORS,
    can_create_rules,
    can_edit_rules,
    sees_all_agencies,
)
from app.scoping import get_or_404
from app.services import NotAllowed, ServiceError
from app.services.agencies import get_agency, list_agencies
from app.services.digits import row_id
from app.services.feeds import outlet_names
from app.services.routing import RuleRefused, create_rule, rule_warnings, update_rule
from app.services.rule_tester import request_backfill, try_rule
from app.services.rules import rule_record, rules_page
from app.web.access import access
from app.web.filters import fa_digits
from app.web.forms.routing import SCOPE_LABELS, TESTER_SIZES, BackfillForm, RuleForm
from app.web.limits import rate_limited
from app.web.navigation import current_locale
from models import Agency, RoutingRule

bp = Blueprint("rules", __name__, url_prefix="/rules")


@bp.route("/")
@access(ALL_ROLES)
def index():
    agency_id = request.args.get("agency", type=row_id)
    found = rules_page(agency_id)
    agencies = list_agencies(order="name") if sees_all_agencies(current_user) else []
    return render_template("rules/index.html", rules=found.rules, counts=found.routed, agencies=agencies,
                           agency_id=agency_id,
                           scope_labels=SCOPE_LABELS, can_create=can_create_rules(current_user))


def _rule_form(rule: RoutingRule | None) -> RuleForm:
    form = RuleForm(obj=rule)
    if sees_all_agencies(current_user):
        agencies = list_agencies(active_only=True, order="name")
        form.agency.choices = [(str(a.id), a.display_name(current_locale())) for a in agencies]
    else:
        form.agency.choices = [(str(current_user.agency_id), current_user.agency.display_name(current_locale()))] \
            if current_user.agency else []
    form.outlets.choices = [(str(i), n) for i, n in outlet_names()]
    form.last.choices = [(str(n), _("%(n)s خبر آخر", n=fa_digits(n))) for n in TESTER_SIZES]
    if request.method == "GET":
        if rule is not None:
            form.agency.data = str(rule.agency_id)
            form.title_only.data = rule.is_title_only
            form.lead.data = rule.reads_lead
            form.scopes.data = list(rule.scopes or ())
            form.outlets.data = [str(i) for i in rule.outlet_ids or ()]
        elif request.args.get("agency", type=row_id):
            form.agency.data = request.args.get("agency")
    return form


def _form_agency(form: RuleForm, rule: RoutingRule | None) -> Agency | None:
    if rule is not None:
        return rule.agency
    if not sees_all_agencies(current_user):
        return current_user.agency
    agency_id = row_id(form.agency.data)
    return get_agency(agency_id) if agency_id is not None else None


def _save_or_test(form: RuleForm, rule: RoutingRule | None):
    """POST of the rule form: "test" shows the tester's matches without saving; "save" saves."""
    form.testing = _testing()
    if not form.validate_on_submit():
        return None, None
    agency = _form_agency(form, rule)
    fields = {"title_only": form.title_only.data, "lead": form.title_only.data and form.lead.data,
              "scopes": form.scopes.data or [],
              "outlet_ids": [i for i in map(row_id, form.outlets.data or ()) if i is not None]}
    try:
        if request.form.get("action") == "test":
            tested = try_rule(form.query.data, agency_id=agency.id if agency else None,
                              last=row_id(form.last.data), **fields)
            _warn(form.query.data)
            return None, tested
        if agency is None:
            form.agency.errors.append(_("سازمان قاعده را برگزینید."))
            return None, None
        if rule is None:
            rule = create_rule(agency, form.name.data, form.query.data, is_active=form.is_active.data,
                               actor=current_user, **fields)
            flash(_("قاعده ذخیره شد و از این پس خبرهای تازه را ارجاع می‌دهد."), "success")
        else:
            update_rule(rule, name=form.name.data, query=form.query.data, is_active=form.is_active.data,
                        actor=current_user, **fields)
            flash(_("تغییرات قاعده ذخیره شد."), "success")
        _warn(form.query.data)
        return redirect(url_for("rules.detail", rule_id=rule.id)), None
    except RuleRefused as error:
        form.query.errors.append(str(error))
    except NotAllowed as error:
        form.agency.errors.append(str(error))
    except ServiceError as error:
        form.name.errors.append(str(error))
    return None, None


def _warn(query: str) -> None:
    for warning in rule_warnings(query):
        flash(warning, "warning")


def _testing() -> bool:
    return request.method == "POST" and request.form.get("action") == "test"


def _status(form: RuleForm) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@bp.route("/new", methods=["GET", "POST"])
@access(RULE_EDITORS)
@rate_limited("rule-test", when=_testing)
def new():
    form = _rule_form(None)
    done, tested = _save_or_test(form, None)
    if done is not None:
        return done
    return render_template("rules/new.html", form=form, rule=None, tested=tested, editable=True), _status(form)


@bp.route("/<int:rule_id>", methods=["GET", "POST"])
@access(ALL_ROLES)
@rate_limited("rule-test", when=_testing)
def detail(rule_id: int):
    """The rule (editable by its editors, read-only otherwise), its tester, versions and backfills."""
    rule = get_or_404(RoutingRule, rule_id)
    form = _rule_form(rule)
    if request.method == "POST" and request.form.get("action") != "test" \
            and not can_edit_rules(current_user, rule.agency_id):
        return ("", 403)
    done, tested = _save_or_test(form, rule)
    if done is not None:
        return done
    record = rule_record(rule)
    return render_template("rules/detail.html", rule=rule, form=form, tested=tested, history=record.history,
                           backfills=record.backfills, routed=record.routed, backfill_form=BackfillForm(),
                           editable=can_edit_rules(current_user, rule.agency_id)), _status(form)


@bp.route("/<int:rule_id>/backfill", methods=["POST"])
@access(RULE_EDITORS)
def backfill(rule_id: int):
    rule = get_or_404(RoutingRule, rule_id)
    form = BackfillForm()
    if not form.validate_on_submit():
        flash(_("بازهٔ زمانی خواسته‌شده پذیرفته نیست."), "danger")
        return redirect(url_for("rules.detail", rule_id=rule.id))
    try:
        request_backfill(rule, None if form.days.data == "all" else int(form.days.data), current_user)
        flash(_("اجرای قاعده روی خبرهای پیشین در نوبت است؛ پیشرفت آن در همین صفحه دیده می‌شود."), "success")
    except NotAllowed:
        return ("", 403)
    except ServiceError as error:
        flash(str(error), "danger")
    return redirect(url_for("rules.detail", rule_id=rule.id))
