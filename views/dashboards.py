"""The dashboards of directive work: the province's (/province) and an agency's own
(/agency-dashboard, or /agency-dashboard/<slug> for the governorate). Both take ``?period=``
(1405-09, 1405-S3, 1405). Thin: parse, call one service, render.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from app.policy import (
    AGENCY_DASHBOARD_READERS,
    PROVINCE_DASHBOARD_READERS,
    sees_all_agencies,
)
from app.services import NotFound
from app.services.province_dashboard import agency_dashboard, province_dashboard
from app.web.access import access

bp = Blueprint("dashboards", __name__)


@bp.route("/province")
@access(PROVINCE_DASHBOARD_READERS)
def province():
    page = province_dashboard(current_user, request.args.get("period"))
    return render_template("dashboards/province.html", page=page)


@bp.route("/agency-dashboard")
@access(AGENCY_DASHBOARD_READERS)
def agency():
    """The user's own agency; the governorate has none and goes to the province's."""
    if sees_all_agencies(current_user):
        return redirect(url_for("dashboards.province", period=request.args.get("period") or None))
    return _agency_page(None)


@bp.route("/agency-dashboard/<agency_slug>")
@access(AGENCY_DASHBOARD_READERS)
def agency_by_slug(agency_slug: str):
    return _agency_page(agency_slug)


def _agency_page(slug: str | None):
    try:
        page = agency_dashboard(current_user, slug, request.args.get("period"))
    except NotFound:
        abort(404)
    return render_template("dashboards/agency.html", page=page)
