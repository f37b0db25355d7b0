"""Portal freshness (clause 10): each agency's portal, stalest first, with its updates per Jalali
month; the governorate sets how many days without a change make a portal stale.

Thin: parse, call one service (portal_pages.py reads, portal_freshness.py changes the setting),
render or redirect.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.policy import PORTAL_READERS, PORTAL_SETTINGS_EDITORS
from app.services import ServiceError
from app.services.portal_freshness import set_stale_days
from app.services.portal_pages import portal_page
from app.web.access import access
from app.web.filters import fa_digits
from app.web.forms.evidence import StaleSettingForm

bp = Blueprint("portals", __name__, url_prefix="/portals")


@bp.route("/")
@access(PORTAL_READERS)
def index():
    page = portal_page(current_user)
    return render_template("portals/list.html", page=page, form=StaleSettingForm(data={"days": page.stale_days}))


@bp.route("/settings", methods=["POST"])
@access(PORTAL_SETTINGS_EDITORS)
def settings():
    form = StaleSettingForm()
    if form.validate_on_submit():
        try:
            days = set_stale_days(form.days.data, current_user)
        except ServiceError as error:
            # next to the field, what was typed kept (a redirect put the old number back: session 42's walk)
            form.days.errors = [str(error)]
            return render_template("portals/list.html", page=portal_page(current_user), form=form), 400
        else:
            flash(_("درگاهی که بیش از %(days)s روز به‌روز نشود، کهنه شمرده می‌شود.", days=fa_digits(days)), "success")
    return redirect(url_for("portals.index"))
