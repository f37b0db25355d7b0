"""Monitored news items (every role): the latest items with filters, and one item's page."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from app.policy import ALL_ROLES, can_triage
from app.scoping import get_or_404
from app.services.case_pages import item_case_panel
from app.services.digits import row_id
from app.services.feeds import outlet_names
from app.services.items import ItemFilters, item_detail, items_page
from app.services.triage import mark_item_seen
from app.web.access import access
from app.web.forms.fields import SCOPE_LABELS, JalaliDateField, LongSelect
from app.web.forms.routing import STATUS_LABELS
from app.web.paging import list_args, page_arg
from models import OUTLET_SCOPES, Item

bp = Blueprint("items", __name__, url_prefix="/items")
PAGE_SIZE = 50


class ItemFilterForm(FlaskForm):
    """Filters read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    outlet = SelectField(_l("رسانه"), choices=[], validate_choice=False, widget=LongSelect())
    scope = SelectField(_l("گسترهٔ رسانه"), choices=[], validate_choice=False)
    since = JalaliDateField(_l("از تاریخ"), validators=[Optional()])
    until = JalaliDateField(_l("تا تاریخ"), validators=[Optional()])



@bp.route("/")
@access(ALL_ROLES)
def latest():
    form = ItemFilterForm(formdata=request.args)
    form.outlet.choices = [("", _l("همهٔ رسانه‌ها"))] + [(str(i), n) for i, n in outlet_names()]
    form.scope.choices = [("", _l("همه"))] + [(s, SCOPE_LABELS[s]) for s in OUTLET_SCOPES]
    form.validate()
    page = page_arg()
    found = items_page(ItemFilters(
        outlet_id=row_id(form.outlet.data),
        scope=form.scope.data or None,
        since=form.since.data if not form.since.errors else None,
        until=form.until.data if not form.until.errors else None), page=page, page_size=PAGE_SIZE)
    args = list_args("page")
    return render_template("items/list.html", form=form, stories=found.stories, page=page, has_next=found.has_next,
                           args=args, statuses=STATUS_LABELS)


@bp.route("/<int:item_id>")
@access(ALL_ROLES)
def detail(item_id: int):
    """The item's page: reading it changes nothing (opening it from the inbox is `open_item`)."""
    found = item_detail(get_or_404(Item, item_id))
    return render_template("items/detail.html", item=found.item, cluster_items=found.cluster_items,
                           other_feeds=found.other_feeds, routes=found.routes, statuses=STATUS_LABELS,
                           can_triage=can_triage(current_user), case_panel=item_case_panel(item_id, current_user))


@bp.route("/<int:item_id>/open", methods=["POST"])
@access(ALL_ROLES)
def open_item(item_id: int):
    """Open an item from the inbox: my agency's new route of it becomes seen, then its page."""
    mark_item_seen(get_or_404(Item, item_id).id, current_user)
    return redirect(url_for("items.detail", item_id=item_id))
