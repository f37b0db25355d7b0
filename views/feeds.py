"""Feed administration (admins edit, supervisors look): health, try-before-save, OPML."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, URLField
from wtforms.validators import DataRequired, NumberRange, Optional

from app.monitor.opml import MAX_OPML_BYTES, OpmlError
from app.policy import FEED_EDITORS, FEED_READERS
from app.scoping import get_or_404
from app.services import ServiceError
from app.services.agencies import list_agencies
from app.services.feed_health import feed_health, feed_health_rows, recent_items_of_feed
from app.services.feeds import (
    FeedInput,
    check_feed_soon,
    create_feed,
    export_opml,
    import_opml,
    import_starter,
    outlet_names,
    preview_feed,
    set_feed_active,
    update_feed,
)
from app.web.access import access
from app.web.filters import fa_digits
from app.web.forms import BaseForm, Length
from app.web.forms.fields import DigitsIntegerField
from app.web.navigation import current_locale
from app.web.paging import page_arg
from models import Feed

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
PAGE_SIZE = 100
OPML_TYPES = {"", "application/octet-stream", "text/xml", "application/xml", "text/x-opml", "application/x-opml",
              "text/plain"}


class FeedForm(BaseForm):
    url = URLField(_l("نشانی خوراک (RSS یا Atom)"),
                   validators=[DataRequired(_l("نشانی خوراک را بنویسید.")), Length(max=2000)])
    title = StringField(_l("عنوان"), validators=[Length(max=500)])
    outlet = SelectField(_l("رسانه"), choices=[])
    new_outlet = StringField(_l("یا نام رسانهٔ تازه"), validators=[Length(max=200)])
    agency = SelectField(_l("درگاه خبری کدام سازمان است؟"), choices=[])
    poll_interval_minutes = DigitsIntegerField(_l("فاصلهٔ بررسی (دقیقه)"), default=30, validators=[
        NumberRange(min=5, max=1440, message=_l("عددی از ۵ تا ۱۴۴۰ بنویسید."))])
    encoding_override = StringField(_l("رمزگذاری (فقط اگر حروف درست دیده نمی‌شوند، مانند windows-1256)"),
                                    validators=[Optional(), Length(max=40)])
    is_active = BooleanField(_l("فعال"), default=True)


class OpmlForm(BaseForm):
    file = FileField(_l("فایل OPML"))


def _feed_form(feed: Feed | None = None) -> FeedForm:
    form = FeedForm(obj=feed)
    outlets = outlet_names()
    agencies = list_agencies(active_only=True)
    form.outlet.choices = [("", _("— بدون رسانه —"))] + [(str(i), n) for i, n in outlets]
    form.agency.choices = [("", _("— هیچ (خوراک یک رسانه است) —"))] + [(str(a.id), a.display_name(current_locale())) for a in agencies]
    if feed is not None and request.method == "GET":
        form.outlet.data = str(feed.outlet_id or "")
        form.agency.data = str(feed.agency_id or "")
    return form


def _feed_input(form: FeedForm) -> FeedInput:
    return FeedInput(url=form.url.data or "", title=form.title.data or "",
                     outlet_id=int(form.outlet.data) if form.outlet.data else None,
                     new_outlet=form.new_outlet.data or "",
                     agency_id=int(form.agency.data) if form.agency.data else None,
                     poll_interval_minutes=form.poll_interval_minutes.data or 30,
                     encoding_override=form.encoding_override.data or "", is_active=form.is_active.data)


@bp.route("/")
@access(FEED_READERS)
def index():
    state = request.args.get("state", "")
    page = page_arg()
    found = feed_health_rows(state, page=page, page_size=PAGE_SIZE)
    return render_template("feeds/list.html", rows=found.rows, state=state, page=page, has_next=found.has_next,
                           counts=found.counts)


def _save_or_try(form: FeedForm, feed: Feed | None):
    """POST of the feed form: "try" previews without saving, otherwise create or update."""
    preview = None
    if form.validate_on_submit():
        data = _feed_input(form)
        try:
            if request.form.get("action") == "try":
                preview = preview_feed(data.url, data.encoding_override)
            elif feed is None:
                feed = create_feed(data, actor=current_user)
                flash(_("خوراک افزوده شد؛ در نوبت بعدی بررسی می‌شود."), "success")
                return redirect(url_for("feeds.detail", feed_id=feed.id)), None
            else:
                update_feed(feed, data, actor=current_user)
                flash(_("تغییرات ذخیره شد."), "success")
                return redirect(url_for("feeds.detail", feed_id=feed.id)), None
        except ServiceError as exc:
            form.url.errors.append(str(exc))
    return None, preview


@bp.route("/new", methods=["GET", "POST"])
@access(FEED_EDITORS)
def new():
    form = _feed_form()
    done, preview = _save_or_try(form, None)
    if done is not None:
        return done
    status = 400 if request.method == "POST" and form.errors else 200
    return render_template("feeds/form.html", form=form, feed=None, preview=preview), status


@bp.route("/<int:feed_id>")
@access(FEED_READERS)
def detail(feed_id: int):
    health = feed_health(get_or_404(Feed, feed_id))
    return render_template("feeds/detail.html", feed=health.feed, state=health.state, per_day=health.per_day,
                           items=recent_items_of_feed(health.feed))


@bp.route("/<int:feed_id>/edit", methods=["GET", "POST"])
@access(FEED_EDITORS)
def edit(feed_id: int):
    feed = get_or_404(Feed, feed_id)
    form = _feed_form(feed)
    done, preview = _save_or_try(form, feed)
    if done is not None:
        return done
    status = 400 if request.method == "POST" and form.errors else 200
    return render_template("feeds/form.html", form=form, feed=feed, preview=preview), status


@bp.route("/<int:feed_id>/active", methods=["POST"])
@access(FEED_EDITORS)
def toggle(feed_id: int):
    feed = get_or_404(Feed, feed_id)
    active = request.form.get("active", "1" if not feed.is_active else "0") == "1"
    set_feed_active(feed, active, actor=current_user)
    flash(_("خوراک فعال شد.") if active else _("خوراک غیرفعال شد."), "success")
    return redirect(url_for("feeds.detail", feed_id=feed.id))


@bp.route("/<int:feed_id>/check", methods=["POST"])
@access(FEED_EDITORS)
def check(feed_id: int):
    feed = get_or_404(Feed, feed_id)
    check_feed_soon(feed, actor=current_user)
    flash(_("خوراک در نوبت بعدی پردازشگر پس‌زمینه بررسی می‌شود."), "success")
    return redirect(url_for("feeds.detail", feed_id=feed.id))


@bp.route("/export.opml")
@access(FEED_READERS, download=True)
def export():
    return Response(export_opml(), mimetype="text/x-opml",
                    headers={"Content-Disposition": "attachment; filename=hamzaban-feeds.opml"})


def _read_upload(form: OpmlForm) -> bytes | None:
    """The uploaded OPML, or None with the reason put next to the field (nothing is stored)."""
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors.append(_("فایل OPML را برگزینید."))
        return None
    name = upload.filename.lower()
    mimetype = (upload.mimetype or "").lower()
    # Any XML or OPML type a browser names from the system's table: Chromium on Linux sends
    # «text/x-opml+xml», and Hamzaban's own export was refused (a newcomer's walk). The parser
    # reads what the file is; this only turns away a picture or a PDF given an .opml name.
    if not name.endswith((".opml", ".xml")) or not (mimetype in OPML_TYPES or "xml" in mimetype or "opml" in mimetype):
        form.file.errors.append(_("تنها فایل OPML (با پسوند ‎.opml‎ یا ‎.xml‎) پذیرفته می‌شود."))
        return None
    data = upload.stream.read(MAX_OPML_BYTES + 1)
    if len(data) > MAX_OPML_BYTES:
        form.file.errors.append(_("فایل بزرگ‌تر از ۲ مگابایت است و پذیرفته نشد."))
        return None
    return data


@bp.route("/import", methods=["GET", "POST"])
@access(FEED_EDITORS)
def import_file():
    form = OpmlForm()
    if form.validate_on_submit():
        data = _read_upload(form)
        if data is not None:
            try:
                result = import_opml(data, actor=current_user)
            except OpmlError as exc:
                form.file.errors.append(str(exc))
            else:
                flash(_("%(added)s خوراک افزوده شد (%(existing)s خوراک از پیش بود).", added=fa_digits(result["added"]),
                        existing=fa_digits(result["existing"])), "success")
                by_reason: dict[str, list[str]] = {}  # too long, or refused by the address check
                for refused in result["refused"]:
                    by_reason.setdefault(refused["message"], []).append(refused["url"])
                for reason, urls in by_reason.items():
                    flash(_("%(count)s نشانی افزوده نشد (%(urls)s): %(reason)s", count=fa_digits(len(urls)),
                            urls="، ".join(u if len(u) <= 200 else u[:200] + "…" for u in urls), reason=reason),
                          "warning")
                return redirect(url_for("feeds.index"))
    status = 400 if request.method == "POST" and form.errors else 200
    return render_template("feeds/import.html", form=form), status


@bp.route("/import-starter", methods=["POST"])
@access(FEED_EDITORS)
def starter():
    result = import_starter(actor=current_user)
    flash(_("%(added)s خوراک خبرگزاری‌ها غیرفعال افزوده شد؛ هر کدام را که سرور به آن دسترسی دارد فعال کنید.",
            added=fa_digits(result["added"])), "success")
    return redirect(url_for("feeds.index", state="disabled"))
