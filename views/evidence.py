"""The evidence register (clauses 1–8, 13, 14): an agency's register grouped by clause, the
governorate's overview, adding, correcting and deleting a record, and its file.

Thin: parse, call one service (evidence_records.py acts; evidence_pages.py reads), render or
redirect. Another agency's record or file is a 404; a bad field is said next to it with what was
typed kept (a file must be chosen again: a browser never refills a file field).
"""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.policy import EVIDENCE_READERS, EVIDENCE_WRITERS
from app.services import NotAllowed, NotFound
from app.services.evidence_pages import form_context, record_file, register_page
from app.services.evidence_records import (
    EvidenceDraft,
    EvidenceInvalid,
    Upload,
    add_record,
    delete_record,
    draft_of,
    record_version,
    update_record,
)
from app.web.access import access
from app.web.forms.evidence import EvidenceForm
from app.web.navigation import current_locale
from app.web.once import abandon, sent_before

bp = Blueprint("evidence", __name__, url_prefix="/evidence")


def _upload() -> Upload:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return Upload()
    return Upload(upload.stream, upload.filename)


def _register_url(record) -> str:
    return url_for("evidence.index", agency=record.agency.slug, _anchor=f"clause-{record.clause}")


@bp.route("/")
@access(EVIDENCE_READERS)
def index():
    page = register_page(current_user, request.args.get("agency", ""))
    return render_template("evidence/register.html", page=page)


def _form(form: EvidenceForm, context, status: int):
    form.set_choices(context.clauses, context.agencies, current_locale())
    return render_template("evidence/form.html", form=form, context=context), status


@bp.route("/new", methods=["GET", "POST"])
@access(EVIDENCE_WRITERS)
def new():
    form = EvidenceForm()
    context = form_context(current_user)
    if form.validate_on_submit():
        if repeated := sent_before("evidence.index"):
            return repeated
        try:
            record = add_record(form.draft(), _upload(), current_user)
        except EvidenceInvalid as invalid:
            abandon()
            form.show_errors(invalid.errors)
        except NotAllowed:
            abort(403)
        else:
            flash(_("سند در دفتر مستندات ثبت شد."), "success")
            return redirect(_register_url(record))
    elif request.method == "GET":
        form.fill(EvidenceDraft(clause=request.args.get("clause", ""), agency=request.args.get("agency", "")))
    return _form(form, context, 400 if form.errors else 200)


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@access(EVIDENCE_WRITERS)
def edit(record_id: int):
    form = EvidenceForm()
    try:
        context = form_context(current_user, record_id)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    if form.validate_on_submit():
        try:
            record = update_record(record_id, form.draft(), _upload(), current_user,
                                   remove_file=bool(form.remove_file.data), seen=form.seen.data)
        except EvidenceInvalid as invalid:
            form.show_errors(invalid.errors)
            if "seen" in invalid.errors:  # saving the page again: the typed values, knowingly
                context = form_context(current_user, record_id)
                form.seen.data = record_version(context.record)
        else:
            flash(_("سند ویرایش شد."), "success")
            return redirect(_register_url(record))
    elif request.method == "GET":
        form.fill(draft_of(context.record))
        form.seen.data = record_version(context.record)
    return _form(form, context, 400 if form.errors else 200)


@bp.route("/<int:record_id>/delete", methods=["POST"])
@access(EVIDENCE_WRITERS)
def delete(record_id: int):
    try:
        context = form_context(current_user, record_id)
        slug = context.record.agency.slug
        clause = delete_record(record_id, current_user)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    flash(_("سند از دفتر مستندات حذف شد."), "success")
    return redirect(url_for("evidence.index", agency=slug, _anchor=f"clause-{clause}"))


@bp.route("/<int:record_id>/file")
@access(EVIDENCE_READERS, download=True)
def file(record_id: int):
    """The record's file, as an attachment, never sniffed by the browser."""
    try:
        found = record_file(record_id)
    except NotFound:
        abort(404)
    response = send_file(found.path, mimetype=found.content_type, as_attachment=True,
                         download_name=found.download_name, conditional=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
