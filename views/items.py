"""Monitored news items (every role): the latest items with filters, and one item's page."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template, request
from flask_login import current_user
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectField
from wtforms.validators import Optional

from app.extensions import db
from app.web.forms.fields import SCOPE_LABELS, JalaliDateField
from app.jalali import tehran_midnight
from app.web.navigation import ALL
from app.scoping import get_or_404
from app.web.access import access
from app.web.forms.routing import STATUS_LABELS
from app.services.triage import TRIAGE_ROLES, mark_seen_on_open, routes_of_item
from models import OUTLET_SCOPES, Feed, Item, ItemSighting, Outlet

bp = Blueprint("items", __name__, url_prefix="/items")
PAGE_SIZE = 50


class ItemFilterForm(FlaskForm):
    """Filters read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    outlet = SelectField(_l("رسانه"), choices=[], validate_choice=False)
    scope = SelectField(_l("گسترهٔ رسانه"), choices=[], validate_choice=False)
    since = JalaliDateField(_l("از تاریخ"), validators=[Optional()])
    until = JalaliDateField(_l("تا تاریخ"), validators=[Optional()])



@bp.route("/")
@access(ALL)
def latest():
    form = ItemFilterForm(formdata=request.args)
    outlets = db.session.execute(select(Outlet.id, Outlet.name).order_by(Outlet.name)).all()
    form.outlet.choices = [("", _l("همهٔ رسانه‌ها"))] + [(str(i), n) for i, n in outlets]
    form.scope.choices = [("", _l("همه"))] + [(s, SCOPE_LABELS[s]) for s in OUTLET_SCOPES]
    form.validate()
    query = select(Item).options(joinedload(Item.outlet), joinedload(Item.feed))
    if form.outlet.data and form.outlet.data.isdigit():
        query = query.where(Item.outlet_id == int(form.outlet.data))
    if form.scope.data in OUTLET_SCOPES:
        query = query.join(Outlet, Item.outlet_id == Outlet.id).where(Outlet.scope == form.scope.data)
    if form.since.data and not form.since.errors:
        query = query.where(Item.published_at >= tehran_midnight(form.since.data))
    if form.until.data and not form.until.errors:
        query = query.where(Item.published_at < tehran_midnight(form.until.data + timedelta(days=1)))
    page = max(1, request.args.get("page", 1, type=int))
    rows = db.session.scalars(query.order_by(Item.published_at.desc(), Item.id.desc())
                              .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("items/list.html", form=form, items=rows[:PAGE_SIZE], page=page,
                           has_next=len(rows) > PAGE_SIZE, args=args)


@bp.route("/<int:item_id>")
@access(ALL)
def detail(item_id: int):
    item = get_or_404(Item, item_id)
    cluster_items = []
    if item.cluster_id is not None:
        cluster_items = db.session.scalars(
            select(Item).options(joinedload(Item.outlet), joinedload(Item.feed))
            .where(Item.cluster_id == item.cluster_id, Item.id != item.id)
            .order_by(Item.published_at, Item.id)).all()
    other_feeds = db.session.scalars(
        select(Feed).options(joinedload(Feed.outlet)).join(ItemSighting, ItemSighting.feed_id == Feed.id)
        .where(ItemSighting.item_id == item.id, Feed.id != item.feed_id).order_by(Feed.id)).all()
    routes = routes_of_item(item.id)
    mark_seen_on_open(routes, current_user)
    return render_template("items/detail.html", item=item, cluster_items=cluster_items, other_feeds=other_feeds,
                           routes=routes, statuses=STATUS_LABELS,
                           can_triage=current_user.role in TRIAGE_ROLES)
