"""Case notifications: deadline reminders, breach notices and escalations (every role; each user
sees only their own). Reading marks nothing: a notification is marked read by a POST only."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.policy import ALL_ROLES, CASE_SETTINGS_EDITORS
from app.services import NotFound, ServiceError, case_notifications
from app.services.case_reminders import reminder_days, set_reminder_days
from app.web.access import access
from app.web.filters import fa_digits
from app.web.forms.reminders import ReminderSettingsForm
from app.web.paging import page_arg

bp = Blueprint("reminders", __name__, url_prefix="/reminders")


def _case_url(notification) -> str:
    """The case's page (the list, at the notice, when the case is gone)."""
    if notification.case is not None:
        return url_for("cases.detail", ref=notification.case.ref)
    return url_for("reminders.index") + f"#case-notification-{notification.id}"


@bp.route("/")
@access(ALL_ROLES)
def index():
    page = page_arg()
    return render_template("reminders/index.html", **case_notifications.reminders_page(
        current_user, unread_only=request.args.get("unread") == "1", page=page))


@bp.route("/read-all", methods=["POST"])
@access(ALL_ROLES)
def read_all():
    count = case_notifications.mark_all_read(current_user)
    flash(_("%(n)s یادآوری خوانده شد.", n=fa_digits(count)) if count else _("یادآوری نخوانده‌ای نبود."), "success")
    return redirect(url_for("reminders.index"))


@bp.route("/<int:case_notification_id>/read", methods=["POST"])
@access(ALL_ROLES)
def read(case_notification_id: int):
    try:
        case_notifications.read_notification(case_notification_id, current_user)
    except NotFound:
        abort(404)
    return redirect(url_for("reminders.index"))


@bp.route("/<int:case_notification_id>/open", methods=["GET", "POST"])
@access(ALL_ROLES)
def open_notification(case_notification_id: int):
    """Open a notification: POST (the list, the button of the GET page) marks it read and shows the
    case; GET (the link in the e-mail digest) only shows that button: a GET changes nothing."""
    try:
        if request.method == "GET":
            return render_template("reminders/open.html", n=case_notifications.get_notification(
                case_notification_id, current_user))
        notification = case_notifications.read_notification(case_notification_id, current_user)
    except NotFound:
        abort(404)
    return redirect(_case_url(notification))


@bp.route("/settings", methods=["GET", "POST"])
@access(CASE_SETTINGS_EDITORS)
def settings():
    """When reminders and escalations go out, in working days (administrators)."""
    form = ReminderSettingsForm(data=reminder_days() if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            saved = set_reminder_days({"days_before": form.days_before.data,
                                       "escalate_after": form.escalate_after.data}, current_user)
        except ServiceError as error:
            form.days_before.errors = [*form.days_before.errors, str(error)]
        else:
            flash(_("یادآوری %(before)s روز کاری پیش از موعد و ارجاع به ناظران %(after)s روز کاری پس از آن.",
                    before=fa_digits(saved["days_before"]), after=fa_digits(saved["escalate_after"])), "success")
            return redirect(url_for("reminders.settings"))
    return render_template("reminders/settings.html", form=form)
