"""The agency inbox: items routed to my agency with the rules, words and question cues that
brought them; bulk mark seen / dismiss; reassignment by supervisors. Scoping is automatic."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.navigation import ALL
from app.scoping import get_or_404
from app.security import access
from app.services import NotAllowed, ServiceError
from app.services.routing import REASSIGN_ROLES, TRIAGE_ROLES, reassign, set_routes_status
from models import ROUTE_STATUSES, Agency, Item, ItemRoute

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
PAGE_SIZE = 50
STATUS_LABELS = {"new": _l("تازه"), "seen": _l("دیده‌شده"), "accepted": _l("پذیرفته"),
                 "dismissed": _l("کنار گذاشته"), "reassigned": _l("ارجاع‌شده به سازمان دیگر")}
BULK_STATUSES = ("seen", "dismissed")


@bp.route("/")
@access(ALL)
def index():
    status = request.args.get("status", "")
    question = request.args.get("question") == "1"
    page = max(1, request.args.get("page", 1, type=int))
    query = (select(ItemRoute).join(Item, ItemRoute.item_id == Item.id)
             .options(joinedload(ItemRoute.item).joinedload(Item.outlet), joinedload(ItemRoute.agency)))
    if status in ROUTE_STATUSES:
        query = query.where(ItemRoute.status == status)
    if question:
        query = query.where(ItemRoute.is_question)
    routes = db.session.scalars(query.order_by(Item.published_at.desc(), ItemRoute.id.desc())
                                .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).unique().all()
    new_count = db.session.scalar(select(func.count(ItemRoute.id)).where(ItemRoute.status == "new"))
    agencies = (db.session.scalars(select(Agency).where(Agency.is_active).order_by(Agency.name_fa)).all()
                if current_user.role in REASSIGN_ROLES else [])
    args = {k: v for k, v in (("status", status), ("question", "1" if question else "")) if v}
    return render_template("inbox/index.html", routes=routes[:PAGE_SIZE], has_next=len(routes) > PAGE_SIZE,
                           page=page, args=args, status=status, question=question, statuses=STATUS_LABELS,
                           new_count=new_count, can_triage=current_user.role in TRIAGE_ROLES,
                           agencies=agencies)


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
    return redirect(request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                    else url_for("inbox.index"))


@bp.route("/reassign", methods=["POST"])
@access(REASSIGN_ROLES)
def reassign_route():
    route_id = request.form.get("route_id", type=int)
    if route_id is None:
        abort(400)
    route = get_or_404(ItemRoute, route_id)  # another agency's route is a 404 (scoping)
    agency = db.session.get(Agency, request.form.get("agency_id", 0, type=int))
    try:
        if agency is None:
            raise ServiceError(_("سازمان مقصد را برگزینید."))
        reassign(route, agency, request.form.get("reason", ""), current_user)
        flash(_("خبر به سازمان دیگر ارجاع شد."), "success")
    except NotAllowed:
        return ("", 403)
    except ServiceError as error:
        flash(str(error), "danger")
    return redirect(url_for("inbox.index"))
