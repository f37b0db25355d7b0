"""The working-day calendar (admins): holidays by Jalali year, weekly rest days, a deadline calculator."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.i18n import digit_style
from app.jalali import MAX_YEAR, MIN_YEAR, format_jalali_date, jalali_today, to_jalali
from app.policy import CALENDAR_EDITORS
from app.scoping import get_or_404
from app.services import ServiceError
from app.services.holidays import (
    add_holiday,
    holiday_by_id,
    remove_holiday,
    set_rest_days,
    update_holiday,
)
from app.services.lunar_holidays import (
    confirm_holiday,
    confirm_lunar_year,
    lunar_year_range,
    propose_lunar_year,
    year_overview,
)
from app.services.working_days import add_working_days, get_rest_days
from app.web.access import access
from app.web.filters import fa_digits
from app.web.forms.calendar import (
    WEEKDAY_CHOICES,
    DeadlineForm,
    DeleteForm,
    HolidayForm,
    RestDaysForm,
)
from models import Holiday

bp = Blueprint("calendar", __name__, url_prefix="/admin/calendar")


def _year_arg() -> int:
    year = request.args.get("year", type=int) or jalali_today().year
    if not MIN_YEAR <= year <= MAX_YEAR:
        abort(404)
    return year


@bp.route("/")
@access(CALENDAR_EDITORS)
def holidays():
    year = _year_arg()
    overview = year_overview(year)
    return render_template(
        "calendar/holidays.html", year=year, holidays=overview["holidays"], lunar=overview["lunar"],
        lunar_warnings=overview["warnings"], lunar_years=lunar_year_range(),
        rest_day_labels=[label for value, label in WEEKDAY_CHOICES if value in overview["rest_days"]],
        min_year=MIN_YEAR, max_year=MAX_YEAR,
    )


@bp.route("/holidays/new", methods=["GET", "POST"])
@access(CALENDAR_EDITORS)
def holiday_add():
    form = HolidayForm()
    if form.validate_on_submit():
        try:
            holiday = add_holiday(form.day.data, form.name.data, actor=current_user)
        except ServiceError as exc:
            form.day.errors.append(str(exc))
        else:
            flash(_("تعطیلی «%(name)s» در %(day)s افزوده شد.", name=holiday.name,
                    day=format_jalali_date(holiday.day)), "success")
            return redirect(url_for("calendar.holidays", year=to_jalali(holiday.day).year))
    status = 400 if request.method == "POST" and form.errors else 200
    return render_template("calendar/holiday_form.html", form=form), status


@bp.route("/holidays/<int:holiday_id>/delete", methods=["POST"])
@access(CALENDAR_EDITORS)
def holiday_delete(holiday_id: int):
    holiday = get_or_404(Holiday, holiday_id)
    year = to_jalali(holiday.day).year
    if DeleteForm().validate_on_submit():
        name, day = holiday.name, holiday.day
        # The page's button stands on a row that says «ثابت خورشیدی»: the choice is the administrator's (session 43:
        # the shell's `holidays remove` asks for --statutory).
        remove_holiday(holiday, actor=current_user, statutory=True)
        flash(_("تعطیلی «%(name)s» در %(day)s حذف شد.", name=name, day=format_jalali_date(day)), "success")
    return redirect(url_for("calendar.holidays", year=year))


@bp.route("/holidays/<int:holiday_id>/edit", methods=["GET", "POST"])
@access(CALENDAR_EDITORS)
def holiday_edit(holiday_id: int):
    """Move a holiday (a lunar one by a day, as the official calendar says) or rename it; saving confirms it.

    The list's «a day earlier / later» buttons post here with the day already changed.
    """
    holiday = get_or_404(Holiday, holiday_id)
    form = HolidayForm(obj=holiday)
    if form.validate_on_submit():
        old_day = holiday.day
        try:
            update_holiday(holiday, form.day.data, form.name.data, actor=current_user)
        except ServiceError as exc:
            if holiday_by_id(holiday_id) is None:  # removed by another at that instant: its row is gone, so the
                flash(str(exc), "danger")  # list, not this page of it (it answered 409 «changed meanwhile»)
                return redirect(url_for("calendar.holidays", year=to_jalali(old_day).year))
            form.day.errors.append(str(exc))
        else:
            if holiday.day != old_day:
                flash(_("تعطیلی «%(name)s» از %(old)s به %(day)s برده و تأیید شد.", name=holiday.name,
                        old=format_jalali_date(old_day), day=format_jalali_date(holiday.day)), "success")
            else:
                flash(_("تعطیلی «%(name)s» در %(day)s ذخیره و تأیید شد.", name=holiday.name,
                        day=format_jalali_date(holiday.day)), "success")
            return redirect(url_for("calendar.holidays", year=to_jalali(holiday.day).year))
    status = 400 if request.method == "POST" and form.errors else 200
    nearby = [] if holiday.is_fixed_solar else [
        (_("یک روز زودتر"), holiday.day - timedelta(days=1)), (_("یک روز دیرتر"), holiday.day + timedelta(days=1))]
    return render_template("calendar/holiday_edit.html", form=form, holiday=holiday, nearby=nearby,
                           year=to_jalali(holiday.day).year), status


@bp.route("/holidays/<int:holiday_id>/confirm", methods=["POST"])
@access(CALENDAR_EDITORS)
def holiday_confirm(holiday_id: int):
    holiday = get_or_404(Holiday, holiday_id)
    if confirm_holiday(holiday, actor=current_user):
        flash(_("تعطیلی «%(name)s» در %(day)s تأیید شد.", name=holiday.name,
                day=format_jalali_date(holiday.day)), "success")
    else:
        flash(_("تعطیلی «%(name)s» از پیش تأییدشده بود.", name=holiday.name), "info")
    return redirect(url_for("calendar.holidays", year=to_jalali(holiday.day).year))


@bp.route("/lunar/propose", methods=["POST"])
@access(CALENDAR_EDITORS)
def lunar_propose():
    """Propose a year's lunar holidays from the Hijri calendar (running it again adds nothing)."""
    try:
        result = propose_lunar_year(request.form.get("year", ""), actor=current_user)
    except ServiceError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("calendar.holidays"))
    if result.added:
        flash(_("%(count)s تعطیلی قمری سال %(year)s پیشنهاد شد و «در انتظار تأیید» است؛ "
                "آن‌ها را با تقویم رسمی کشور بسنجید، روزی را که فرق دارد جابه‌جا کنید و تأیید کنید.",
                count=fa_digits(len(result.added)), year=fa_digits(result.year)), "success")
    else:
        flash(_("تعطیلی قمری تازه‌ای برای سال %(year)s نماند: همه پیش‌تر پیشنهاد شده‌اند "
                "یا آن روز از پیش تعطیل است.", year=fa_digits(result.year)), "info")
    return redirect(url_for("calendar.holidays", year=result.year))


@bp.route("/lunar/confirm", methods=["POST"])
@access(CALENDAR_EDITORS)
def lunar_confirm():
    """Confirm every lunar holiday of a year still waiting for confirmation."""
    year = request.form.get("year", "")
    try:
        count = confirm_lunar_year(year, actor=current_user)
    except ServiceError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("calendar.holidays"))
    if count:
        flash(_("%(count)s تعطیلی قمری سال %(year)s تأیید شد.", count=fa_digits(count), year=fa_digits(year)),
              "success")
    else:
        flash(_("تعطیلی‌ای در انتظار تأیید نبود."), "info")
    return redirect(url_for("calendar.holidays", year=year))


@bp.route("/rest-days", methods=["GET", "POST"])
@access(CALENDAR_EDITORS)
def rest_days():
    form = RestDaysForm()
    if request.method == "GET":
        form.days.data = sorted(get_rest_days())
    if form.validate_on_submit():
        try:
            set_rest_days(form.days.data or [], actor=current_user)
        except ServiceError as exc:
            form.days.errors.append(str(exc))
        else:
            flash(_("روزهای تعطیل هفته ذخیره شد."), "success")
            return redirect(url_for("calendar.holidays"))
    status = 400 if request.method == "POST" and form.errors else 200
    return render_template("calendar/rest_days.html", form=form), status


@bp.route("/deadline")
@access(CALENDAR_EDITORS)
def deadline():
    """Read-only calculator: a GET form (no CSRF needed), so a result can be linked to."""
    submitted = "start" in request.args
    form = DeadlineForm(formdata=request.args if submitted else None, meta={"csrf": False})
    result = None
    if submitted and form.validate():
        result = add_working_days(form.start.data, form.days.data)
    # in the reader's digits: an English page said «۱۲ working days after ۱۴۰۵/۰۹/۰۱» (session 42's walk)
    explanation = result.explain(digit_style()) if result else None
    # each skipped day's reason so too: «weekly rest day ,جمعه» on the English page (the review of session 42's pages)
    skipped = [(day, why["reason"] or stored) for (day, stored), why in zip(result.skipped, result.reasons(digit_style()))] \
        if result else []
    return render_template("calendar/deadline.html", form=form, result=result, explanation=explanation, skipped=skipped)
