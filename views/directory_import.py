"""«ورود از فایل»: the media directory's import from CSV or XLSX (upload → preview with the column
mapping → confirm, all or nothing) and its export (issue 12, item 4).

Thin: each view parses the request, calls one service of app/services/directory_uploads.py or
directory_export.py and renders or redirects. Another user's upload is a 404. Who may: the
directory's writers import and export (app/policy.py, DIRECTORY_IMPORTERS / _EXPORTERS).
"""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.file import FileField

from app.policy import (
    DIRECTORY_EXPORTERS,
    DIRECTORY_IMPORTERS,
    can_export_directory,
    can_import_directory,
)
from app.services import NotAllowed, NotFound, ServiceError
from app.services.directory_export import export_directory
from app.services.directory_sheet import HEADERS, MAP_TARGETS, MAX_BYTES, SCOPE_WORDS
from app.services.directory_uploads import (
    cancel_import,
    confirm_import,
    preview_import,
    start_import,
)
from app.web.access import access
from app.web.filters import fa_digits
from app.web.forms import BaseForm

bp = Blueprint("directory_import", __name__, url_prefix="/directory/import")
# The mapping's choices on the preview page: the template's headers, and the journalist's notes.
TARGET_LABELS = {**HEADERS, "notes": _l("یادداشت"), "surname": _l("نام خانوادگی")}
STATUS_LABELS = {"new": _l("خبرنگار تازه"), "outlet": _l("رسانه"), "duplicate": _l("تکراری"), "error": _l("خطا")}


class UploadForm(BaseForm):
    file = FileField(_l("فایل CSV یا XLSX"))


def _mapping() -> dict[int, str] | None:
    """The mapping form's choices (``map-<column>`` → field), or None before it was sent."""
    if request.values.get("mapped") != "1":
        return None
    return {int(key[4:]): value for key, value in request.values.items()
            if key.startswith("map-") and key[4:].isascii() and key[4:].isdecimal() and len(key) < 10 and value in ("", *MAP_TARGETS)}


def _page(form: UploadForm, status: int = 200):
    return render_template("directory_import/index.html", form=form, headers=HEADERS.values(),
                           scopes=SCOPE_WORDS.values(), max_mb=fa_digits(MAX_BYTES // (1024 * 1024)),
                           can_import=can_import_directory(current_user),
                           can_export=can_export_directory(current_user)), status


@bp.route("/", methods=["GET", "POST"])
@access(DIRECTORY_IMPORTERS | DIRECTORY_EXPORTERS)
def index():
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors.append(_("فایل CSV یا XLSX را برگزینید."))
        else:
            try:
                token = start_import(current_user, upload.filename, upload.stream.read(MAX_BYTES + 1))
            except ServiceError as error:
                form.file.errors.append(str(error))
            else:
                return redirect(url_for("directory_import.preview", upload_token=token))
    return _page(form, 400 if request.method == "POST" else 200)


def _call(service, *args):
    """The service's answer; another user's, an expired or an unknown upload is a 404."""
    try:
        return service(current_user, *args)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)


def _render_preview(preview, status: int = 200):
    return render_template("directory_import/preview.html", preview=preview, targets=TARGET_LABELS,
                           status_labels=STATUS_LABELS), status


@bp.route("/<upload_token>")
@access(DIRECTORY_IMPORTERS)
def preview(upload_token: str):
    return _render_preview(_call(preview_import, upload_token, _mapping()))


@bp.route("/<upload_token>/confirm", methods=["POST"])
@access(DIRECTORY_IMPORTERS)
def confirm(upload_token: str):
    try:
        outcome = confirm_import(current_user, upload_token, _mapping())
    except NotFound:  # a second click on «ذخیرهٔ همه» (the first stored it), or a preview kept no longer:
        # the import page with a word on it (a plain «پیدا نشد» page before), still a 404 (another's upload)
        flash(_("این فایل دیگر در انتظار ذخیره نیست: یا پیش‌تر ذخیره شد (فهرست رسانه‌ها و خبرنگاران را ببینید) یا "
                "زمان پیش‌نمایش آن گذشت؛ اگر ذخیره نشده است، آن را دوباره بفرستید."), "info")
        return _page(UploadForm(formdata=None), 404)
    except NotAllowed:
        abort(403)
    except ServiceError as error:  # the directory changed under the import: nothing stored
        flash(str(error), "danger")
        return redirect(url_for("directory_import.preview", upload_token=upload_token))
    if outcome.report is None:
        flash(_("هیچ سطری ذخیره نشد: سطرهای نادرست را در فایل درست کنید و دوباره بفرستید."), "danger")
        return _render_preview(outcome.preview, 400)
    counts = outcome.report.as_dict()
    if outcome.report.stored:
        journalists, outlets, duplicates = (counts["journalists_new"], counts["outlets_new"],
                                            len(counts["duplicates"]))
        # each count with its noun: «1 new journalists» in English (session 46)
        flash(_("%(journalists)s و %(outlets)s ذخیره شد؛ %(duplicates)s کنار گذاشته شد.",
                journalists=ngettext("%(count)s خبرنگار تازه", "%(count)s خبرنگار تازه", journalists,
                                     count=fa_digits(journalists)),
                outlets=ngettext("%(count)s رسانهٔ تازه", "%(count)s رسانهٔ تازه", outlets, count=fa_digits(outlets)),
                duplicates=ngettext("%(count)s سطر تکراری", "%(count)s سطر تکراری", duplicates,
                                    count=fa_digits(duplicates))), "success")
    else:
        duplicates = len(counts["duplicates"])
        flash(ngettext("چیز تازه‌ای در فایل نبود؛ همهٔ %(duplicates)s سطر تکراری بودند.",
                       "چیز تازه‌ای در فایل نبود؛ همهٔ %(duplicates)s سطر تکراری بودند.", duplicates,
                       duplicates=fa_digits(duplicates)), "info")
    return redirect(url_for("directory_import.index"))


@bp.route("/<upload_token>/cancel", methods=["POST"])
@access(DIRECTORY_IMPORTERS)
def cancel(upload_token: str):
    _call(cancel_import, upload_token)
    flash(_("فایل کنار گذاشته شد و چیزی ذخیره نشد."), "info")
    return redirect(url_for("directory_import.index"))


@bp.route("/export", methods=["POST"])
@access(DIRECTORY_EXPORTERS)
def export():
    form = BaseForm()
    if not form.validate_on_submit():
        return _page(UploadForm(), 400)
    try:
        file = export_directory(request.form.get("format", ""), actor=current_user)
    except ServiceError as error:
        flash(str(error), "danger")
        return redirect(url_for("directory_import.index"))
    return Response(file.data, mimetype=file.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{file.filename}"'})
