"""The dashboard every user lands on after login."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from app.policy import ALL_ROLES
from app.services.dashboard import dashboard_for
from app.web.access import access
from app.web.navigation import remember_inbox_counts

bp = Blueprint("main", __name__)


@bp.route("/")
@access(ALL_ROLES)
def index():
    board = dashboard_for(current_user)
    if board.inbox_counts is not None:
        remember_inbox_counts(board.inbox_counts)  # the menu's badge: not counted a second time
    return render_template("main/index.html", board=board)


@bp.route("/healthz")
@access(public=True)
def healthz():
    """Liveness probe for the process supervisor: answers without touching the session."""
    return {"status": "ok"}


@bp.route("/favicon.ico")
@access(public=True)
def favicon():
    """The pages name their icon; a file opened in a tab of its own (a photo, a PDF) has no page to
    name it, and the browser asks here: a 404 in the console and the log each time until session 48."""
    return current_app.send_static_file("img/favicon.svg")
