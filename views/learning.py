"""The classifier's page (issue 15), for the system administrator: its versions and how each did
on the held-back slice, "train again now", learning on or off per agency, the drift check."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.policy import LEARNING_MANAGERS
from app.services import NotAllowed
from app.services.agencies import get_agency
from app.services.digits import row_id
from app.services.learning import set_learning
from app.services.learning_pages import learning_overview
from app.services.learning_training import request_training
from app.web.access import access

bp = Blueprint("learning", __name__, url_prefix="/learning")


@bp.route("/")
@access(LEARNING_MANAGERS)
def index():
    return render_template("learning/index.html", overview=learning_overview())


@bp.route("/train", methods=["POST"])
@access(LEARNING_MANAGERS)
def train():
    """Ask for a training now: the worker's learning job runs it within a minute."""
    try:
        request_training(current_user)
    except NotAllowed:
        abort(403)
    flash(_("درخواست آموزش دوباره ثبت شد؛ کارگزار پس‌زمینه تا یک دقیقهٔ دیگر مدل تازه را می‌سازد و "
            "تنها اگر دست‌کم به خوبی نسخهٔ فعال باشد جای آن را می‌گیرد."), "success")
    return redirect(url_for("learning.index"))


@bp.route("/switch", methods=["POST"])
@access(LEARNING_MANAGERS)
def switch():
    """Learning on (state=on) or off (state=off) for one agency."""
    agency = get_agency(request.form.get("agency_id", 0, type=row_id))
    state = request.form.get("state", "")
    if agency is None or state not in ("on", "off"):
        flash(_("سازمان یا وضعیت یادگیری روشن نیست؛ چیزی تغییر نکرد."), "warning")
        return redirect(url_for("learning.index"))
    try:
        set_learning(agency, state == "on", current_user)
    except NotAllowed:
        abort(403)
    name = agency.display_name(str(get_locale() or "fa"))
    flash(_("یادگیری برای %(agency)s روشن شد.", agency=name) if state == "on" else
          _("یادگیری برای %(agency)s خاموش شد: سامانه دیگر برای آن ارجاع و پیشنهاد نمی‌سازد.", agency=name),
          "success")
    return redirect(url_for("learning.index"))
