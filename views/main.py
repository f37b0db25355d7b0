"""The dashboard every user lands on after login."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.policy import ALL_ROLES
from app.services.dashboard import dashboard_for
from app.web.access import access

bp = Blueprint("main", __name__)


@bp.route("/")
@access(ALL_ROLES)
def index():
    return render_template("main/index.html", board=dashboard_for(current_user))


@bp.route("/healthz")
@access(public=True)
def healthz():
    """Liveness probe for the process supervisor: answers without touching the session."""
    return {"status": "ok"}
