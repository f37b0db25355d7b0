"""Saved searches and notifications (every role; each user sees only their own)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.policy import ALL_ROLES
from app.services import NotFound, ServiceError, alerts
from app.services.agencies import agency_names
from app.services.feeds import outlet_names
from app.services.search import AgencyFilterRefused, filter_agencies
from app.web.access import access
from app.web.filters import fa_digits
from app.web.forms.alerts import SavedSearchForm
from app.web.forms.fields import SCOPE_LABELS
from app.web.navigation import current_locale
from app.web.paging import page_arg
from models import OUTLET_SCOPES

bp = Blueprint("alerts", __name__, url_prefix="/alerts")
PAGE_SIZE = 50


def _own_saved(saved_search_id: int):
    try:
        return alerts.get_saved_search(saved_search_id, current_user)
    except NotFound:
        abort(404)


def _own_notification(notification_id: int):
    try:
        return alerts.get_notification(notification_id, current_user)
    except NotFound:
        abort(404)


def _back(default: str) -> str:
    ref = request.referrer
    return ref if ref and ref.startswith(request.host_url) else default


# --- notifications ---------------------------------------------------------------------------


@bp.route("/")
@access(ALL_ROLES)
def notifications():
    unread_only = request.args.get("unread") == "1"
    page = page_arg()
    rows = alerts.notifications_of(current_user, unread_only=unread_only, offset=(page - 1) * PAGE_SIZE,
                                   limit=PAGE_SIZE + 1)
    return render_template("alerts/notifications.html", notifications=rows[:PAGE_SIZE],
                           has_next=len(rows) > PAGE_SIZE, page=page, unread_only=unread_only,
                           unread=alerts.unread_count(current_user))


@bp.route("/read-all", methods=["POST"])
@access(ALL_ROLES)
def read_all():
    count = alerts.mark_all_read(current_user)
    flash(_("%(n)s اعلان خوانده شد.", n=fa_digits(count)) if count else _("اعلان نخوانده‌ای نبود."), "success")
    return redirect(url_for("alerts.notifications"))


@bp.route("/<int:notification_id>/read", methods=["POST"])
@access(ALL_ROLES)
def read(notification_id: int):
    alerts.mark_read(_own_notification(notification_id), current_user)
    return redirect(_back(url_for("alerts.notifications")))


@bp.route("/<int:notification_id>/open", methods=["GET", "POST"])
@access(ALL_ROLES)
def open_notification(notification_id: int):
    """Open a notification: POST (the notifications page, the button of the GET page) marks it
    read and shows the item; GET (the link in the e-mail digest) only shows that button, so a
    link scanner or a cross-site navigation changes nothing."""
    if request.method == "GET":
        return render_template("alerts/open.html", notification=_own_notification(notification_id))
    notification = alerts.mark_read(_own_notification(notification_id), current_user)
    return redirect(url_for("items.detail", item_id=notification.item_id))


# --- saved searches --------------------------------------------------------------------------


def _form(**kwargs) -> SavedSearchForm:
    form = SavedSearchForm(**kwargs)
    form.outlet.choices = [SelectChoice("", _l("همهٔ رسانه‌ها"))] + [SelectChoice(str(i), n) for i, n in outlet_names()]
    form.scope.choices = [SelectChoice("", _l("همه"))] + [SelectChoice(s, SCOPE_LABELS[s]) for s in OUTLET_SCOPES]
    form.agency.choices = [SelectChoice("", _l("همهٔ سازمان‌ها"))] + [  # my own agency; supervisors
        SelectChoice(slug, name) for slug, name in filter_agencies(current_user, current_locale())]  # admins: all
    return form


def _refused(form: SavedSearchForm, error: ServiceError) -> None:
    field = form.q if isinstance(error, alerts.SearchRefused) else \
        form.agency if isinstance(error, AgencyFilterRefused) else form.name
    field.errors = [*field.errors, str(error)]


@bp.route("/saved")
@access(ALL_ROLES)
def saved():
    return render_template("alerts/saved.html", rows=alerts.saved_searches_of(current_user),
                           outlets=dict(outlet_names()), agencies=agency_names(), scope_labels=SCOPE_LABELS)


@bp.route("/saved/new", methods=["GET", "POST"])
@access(ALL_ROLES)
def new_saved():
    """Save a search: the search page posts here; GET ?q=… fills the form from a search URL."""
    if request.method == "GET":
        args = request.args
        form = _form(formdata=None, data={"q": args.get("q", ""), "name": args.get("q", "")[:200],
                                          "outlet": args.get("outlet", ""), "scope": args.get("scope", ""),
                                          "agency": args.get("agency", ""), "sort": args.get("sort", ""),
                                          "is_alert_on": True})
    else:
        form = _form()
    if form.validate_on_submit():
        try:
            created = alerts.create_saved_search(current_user, form.name.data, form.q.data, form.filters(),
                                                 is_alert_on=form.is_alert_on.data)
        except ServiceError as error:
            _refused(form, error)
        else:
            flash(_("جست‌وجوی «%(name)s» ذخیره شد.", name=created.name) + " " + (
                _("خبرهای تازه‌ای که با آن مطابق باشند در «اعلان‌ها» می‌آیند.") if created.is_alert_on else ""),
                "success")
            return redirect(url_for("alerts.saved"))
    return render_template("alerts/saved_form.html", form=form, saved=None), 400 if form.errors else 200


@bp.route("/saved/<int:saved_search_id>", methods=["GET", "POST"])
@access(ALL_ROLES)
def edit_saved(saved_search_id: int):
    saved_search = _own_saved(saved_search_id)
    filters = saved_search.filters or {}
    form = _form(data={"name": saved_search.name, "q": saved_search.query,
                       "outlet": str(filters.get("outlet_id") or ""), "scope": filters.get("scope", ""),
                       "agency": filters.get("agency", ""), "sort": filters.get("sort", ""),
                       "is_alert_on": saved_search.is_alert_on})
    if form.validate_on_submit():
        try:
            alerts.update_saved_search(saved_search, current_user, name=form.name.data, query=form.q.data,
                                       filters=form.filters(), is_alert_on=form.is_alert_on.data)
        except ServiceError as error:
            _refused(form, error)
        else:
            flash(_("تغییرات ذخیره شد."), "success")
            return redirect(url_for("alerts.saved"))
    return render_template("alerts/saved_form.html", form=form, saved=saved_search), 400 if form.errors else 200


@bp.route("/saved/<int:saved_search_id>/alert", methods=["POST"])
@access(ALL_ROLES)
def set_alert(saved_search_id: int):
    saved_search = _own_saved(saved_search_id)
    alerts.set_alert(saved_search, current_user, request.form.get("on") == "1")
    flash(_("هشدار «%(name)s» روشن شد.", name=saved_search.name) if saved_search.is_alert_on
          else _("هشدار «%(name)s» خاموش شد.", name=saved_search.name), "success")
    return redirect(url_for("alerts.saved"))


@bp.route("/saved/<int:saved_search_id>/delete", methods=["POST"])
@access(ALL_ROLES)
def delete_saved(saved_search_id: int):
    saved_search = _own_saved(saved_search_id)
    name = saved_search.name
    alerts.delete_saved_search(saved_search, current_user)
    flash(_("جست‌وجوی «%(name)s» حذف شد.", name=name), "success")
    return redirect(url_for("alerts.saved"))


@bp.route("/saved/<int:saved_search_id>/run", methods=["POST"])
@access(ALL_ROLES)
def run_saved(saved_search_id: int):
    """Open the search page with the saved query and filters (a POST: it records the run)."""
    saved_search = alerts.record_run(_own_saved(saved_search_id), current_user)
    filters = saved_search.filters or {}
    args = {"q": saved_search.query, "outlet": filters.get("outlet_id"), "scope": filters.get("scope"),
            "agency": filters.get("agency"), "sort": filters.get("sort") or "newest"}
    return redirect(url_for("search.index", **{k: v for k, v in args.items() if v}))
