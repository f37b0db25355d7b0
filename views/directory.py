"""The media directory (clause 11): «رسانه‌ها و خبرنگاران». Outlet and journalist lists with
filters, one outlet's and one journalist's page (with the blocks other features add through
``directory_pages.PAGE_SECTIONS``), the forms, and each agency's own notes.

Thin: each view parses the request, calls one service (directory.py / directory_journalists.py
to change, directory_notes.py for notes, directory_pages.py to read) and renders or redirects. A
refused form answers 400 with each Persian message next to its field and everything typed kept;
a likely duplicate answers 409 with links to the existing records and a box to create anyway.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.policy import (
    DIRECTORY_DEACTIVATORS,
    DIRECTORY_EDITORS,
    DIRECTORY_NOTE_WRITERS,
    DIRECTORY_READERS,
    FEED_READERS,
    can_edit_directory,
    sees_all_agencies,
)
from app.services import NotAllowed, NotFound, ServiceError
from app.services.digits import row_id, shown_number
from app.services.directory import (
    DuplicateFound,
    InvalidInput,
    create_outlet,
    get_outlet,
    outlet_version,
    set_outlet_active,
    update_outlet,
)
from app.services.directory_journalists import (
    create_journalist,
    get_journalist,
    journalist_version,
    set_journalist_active,
    update_journalist,
)
from app.services.directory_merge import (
    journalist_pair,
    merge_candidates,
    merge_journalists,
    merge_outlets,
    outlet_pair,
)
from app.services.directory_notes import add_note, delete_note
from app.services.directory_pages import (
    JournalistQuery,
    OutletQuery,
    city_choices,
    journalist_list,
    journalist_page,
    outlet_choices,
    outlet_list,
    outlet_page,
)
from app.web.access import access
from app.web.forms.directory import (
    CHANNEL_LABELS,
    HANDLE_LABELS,
    OUTLET_KIND_LABELS,
    PHONE_LABEL_LABELS,
    JournalistFilterForm,
    JournalistForm,
    NoteForm,
    OutletFilterForm,
    OutletForm,
)
from app.web.forms.fields import SCOPE_LABELS
from app.web.paging import list_args, page_arg
from models import HANDLE_KINDS, OUTLET_KINDS, OUTLET_SCOPES

bp = Blueprint("directory", __name__, url_prefix="/directory")
PAGE_SIZE = 50
LABELS = {"kind": OUTLET_KIND_LABELS, "scope": SCOPE_LABELS, "channel": CHANNEL_LABELS, "handle": HANDLE_LABELS,
          "phone": PHONE_LABEL_LABELS}


def _page() -> int:
    return page_arg()


def _args() -> dict:
    return list_args("page")


def _show(template: str, **context):
    return render_template(template, labels=LABELS, show_agency=sees_all_agencies(current_user),
                           can_edit=can_edit_directory(current_user), handle_kinds=HANDLE_KINDS,
                           can_read_feeds=current_user.role in FEED_READERS, **context)


@bp.route("/")
@access(DIRECTORY_READERS)
def index():
    return redirect(url_for("directory.outlets"))


# --- outlets -----------------------------------------------------------------------------------


@bp.route("/outlets")
@access(DIRECTORY_READERS)
def outlets():
    form = OutletFilterForm(formdata=request.args)
    form.city.choices = [("", _("همه"))] + [(c, c) for c in city_choices()]
    query = OutletQuery(q=form.q.data or "", scope=form.scope.data if form.scope.data in OUTLET_SCOPES else "",
                        kind=form.kind.data if form.kind.data in OUTLET_KINDS else "", city=form.city.data or "",
                        inactive=bool(form.inactive.data))
    found = outlet_list(query, page=_page(), page_size=PAGE_SIZE)
    return _show("directory/outlets.html", form=form, found=found, args=_args())


def _put_errors(form, errors: dict[str, str]) -> list[str]:
    """Each service error next to its field; the ones without a field are returned."""
    general = []
    for name, message in errors.items():
        if name.startswith("phones-"):
            index = int(name.split("-")[1])
            form.phones.entries[index].form.number.errors = [message]
        elif name in form._fields and name != "phones":
            form[name].errors = [*form[name].errors, message]
        else:
            general.append(message)
    return general


@contextmanager
def _version_kept(form, current):
    """A save refused because the record changed since the page was read: the page comes back
    with what was typed and the record's version now, so saving again means "mine, knowingly"."""
    try:
        yield
    except InvalidInput as refused:
        if "version" in refused.errors:
            form.seen.data = current()
        raise


def _save_form(template: str, form, context: dict, save):
    """POST of a directory form: ``save()`` stores and returns the page to go to. A refused field
    is 400 with its message next to it, a likely duplicate 409 with the existing records."""
    if form.validate_on_submit():
        try:
            return redirect(save())
        except DuplicateFound as found:
            context["duplicates"] = found.duplicates
            return _show(template, form=form, **context), 409
        except InvalidInput as refused:
            context["general"] = _put_errors(form, refused.errors)
        except NotAllowed:
            abort(403)
    status = 400 if request.method == "POST" else 200
    return _show(template, form=form, **context), status


def _outlet_form(outlet_id: int | None):
    try:
        outlet = get_outlet(outlet_id) if outlet_id is not None else None
    except NotFound:
        abort(404)
    form = OutletForm(obj=outlet)
    if outlet is not None and request.method == "GET":
        form.seen.data = outlet_version(outlet)

    def save() -> str:
        if outlet is None:
            created = create_outlet(form.to_input(), actor=current_user,
                                    allow_duplicate=bool(form.allow_duplicate.data))
            flash(_("رسانه افزوده شد."), "success")
            return url_for("directory.outlet", outlet_id=created.id)
        with _version_kept(form, lambda: outlet_version(outlet)):
            update_outlet(outlet.id, form.to_input(), actor=current_user, seen=form.seen.data)
        flash(_("تغییرات ذخیره شد."), "success")
        return url_for("directory.outlet", outlet_id=outlet.id)

    return _save_form("directory/outlet_form.html", form, {"outlet": outlet, "duplicates": [], "general": []}, save)


@bp.route("/outlets/new", methods=["GET", "POST"])
@access(DIRECTORY_EDITORS)
def new_outlet():
    return _outlet_form(None)


@bp.route("/outlets/<int:outlet_id>/edit", methods=["GET", "POST"])
@access(DIRECTORY_EDITORS)
def edit_outlet(outlet_id: int):
    return _outlet_form(outlet_id)


@bp.route("/outlets/<int:outlet_id>")
@access(DIRECTORY_READERS)
def outlet(outlet_id: int, note_form: NoteForm | None = None, status: int = 200):
    try:
        page = outlet_page(outlet_id, current_user)
    except NotFound:
        abort(404)
    g.page_path = url_for("directory.outlet", outlet_id=outlet_id)  # also when shown as a refused note's answer
    return _show("directory/outlet.html", page=page, outlet=page.subject, note_form=note_form or NoteForm()), status


@bp.route("/outlets/<int:outlet_id>/active", methods=["POST"])
@access(DIRECTORY_DEACTIVATORS)
def outlet_active(outlet_id: int):
    try:
        set_outlet_active(outlet_id, request.form.get("active") == "1", actor=current_user)
    except NotFound:
        abort(404)
    return redirect(url_for("directory.outlet", outlet_id=outlet_id))


# --- journalists -------------------------------------------------------------------------------


@bp.route("/journalists")
@access(DIRECTORY_READERS)
def journalists():
    form = JournalistFilterForm(formdata=request.args)
    form.outlet.choices = [("", _("همه"))] + [(str(i), n) for i, n in outlet_choices()]
    outlet_id = request.args.get("outlet", type=row_id)
    query = JournalistQuery(q=form.q.data or "", outlet_id=outlet_id, beat=form.beat.data or "",
                            scope=form.scope.data if form.scope.data in OUTLET_SCOPES else "",
                            inactive=bool(form.inactive.data))
    found = journalist_list(query, page=_page(), page_size=PAGE_SIZE)
    return _show("directory/journalists.html", form=form, found=found, args=_args())


def _journalist_form(journalist_id: int | None):
    try:
        journalist = get_journalist(journalist_id) if journalist_id is not None else None
    except NotFound:
        abort(404)
    form = JournalistForm.for_journalist(journalist)(
        data=JournalistForm.data_of(journalist) if journalist is not None and request.method == "GET" else None)
    form.outlets.choices = outlet_choices(keep=[o.id for o in journalist.outlets] if journalist else [])
    if request.method == "GET" and journalist is None and request.args.get("outlet", type=row_id):
        form.outlets.data = [request.args.get("outlet", type=row_id)]
    if request.method == "GET" and journalist is not None:
        form.seen.data = journalist_version(journalist)

    def save() -> str:
        if journalist is None:
            created = create_journalist(form.to_input(), actor=current_user,
                                        allow_duplicate=bool(form.allow_duplicate.data))
            flash(_("خبرنگار افزوده شد."), "success")
            return url_for("directory.journalist", journalist_id=created.id)
        with _version_kept(form, lambda: journalist_version(journalist)):
            update_journalist(journalist.id, form.to_input(), actor=current_user, seen=form.seen.data)
        flash(_("تغییرات ذخیره شد."), "success")
        return url_for("directory.journalist", journalist_id=journalist.id)

    return _save_form("directory/journalist_form.html", form,
                      {"journalist": journalist, "duplicates": [], "general": []}, save)


@bp.route("/journalists/new", methods=["GET", "POST"])
@access(DIRECTORY_EDITORS)
def new_journalist():
    return _journalist_form(None)


@bp.route("/journalists/<int:journalist_id>/edit", methods=["GET", "POST"])
@access(DIRECTORY_EDITORS)
def edit_journalist(journalist_id: int):
    return _journalist_form(journalist_id)


@bp.route("/journalists/<int:journalist_id>")
@access(DIRECTORY_READERS)
def journalist(journalist_id: int, note_form: NoteForm | None = None, status: int = 200):
    try:
        page = journalist_page(journalist_id, current_user)
    except NotFound:
        abort(404)
    g.page_path = url_for("directory.journalist", journalist_id=journalist_id)  # also after a refused note
    return _show("directory/journalist.html", page=page, journalist=page.subject,
                 note_form=note_form or NoteForm()), status


@bp.route("/journalists/<int:journalist_id>/active", methods=["POST"])
@access(DIRECTORY_DEACTIVATORS)
def journalist_active(journalist_id: int):
    try:
        set_journalist_active(journalist_id, request.form.get("active") == "1", actor=current_user)
    except NotFound:
        abort(404)
    return redirect(url_for("directory.journalist", journalist_id=journalist_id))


# --- merging a record entered twice ------------------------------------------------------------

_MERGE = {"journalist": (get_journalist, journalist_pair, merge_journalists, "directory.journalist", "journalist_id"),
          "outlet": (get_outlet, outlet_pair, merge_outlets, "directory.outlet", "outlet_id")}


@bp.route("/journalists/<int:journalist_id>/merge", methods=["GET", "POST"])
@access(DIRECTORY_DEACTIVATORS)
def merge_journalist(journalist_id: int):
    return _merge("journalist", journalist_id)


@bp.route("/outlets/<int:outlet_id>/merge", methods=["GET", "POST"])
@access(DIRECTORY_DEACTIVATORS)
def merge_outlet(outlet_id: int):
    return _merge("outlet", outlet_id)


def _merge(kind: str, record_id: int):
    """Merge a record entered twice into this one: pick the duplicate (the look-alikes offered, or
    its number), see what will move, confirm (app/services/directory_merge.py)."""
    get, pair, do_merge, page, id_arg = _MERGE[kind]
    try:
        kept = get(record_id)
    except NotFound:
        abort(404)
    typed = (request.values.get("duplicate") or "").strip()
    duplicate_id = row_id(typed.lstrip("#"))
    error, preview, duplicate = None, None, None
    if typed and duplicate_id is None:
        error = _("شمارهٔ رکورد تکراری را با رقم بنویسید (شماره در نشانی صفحهٔ آن هست).")
    elif duplicate_id is not None:
        try:
            if request.method == "POST":
                merged = do_merge(record_id, duplicate_id, actor=current_user)
                flash(_("«%(removed)s» در این رکورد ادغام شد و رکورد تکراری برداشته شد.", removed=merged.removed_name),
                      "success")
                return redirect(url_for(page, **{id_arg: record_id}))
            preview = do_merge(record_id, duplicate_id, actor=current_user, dry_run=True)
            kept, duplicate = pair(record_id, duplicate_id)  # loaded again: the preview rolled back
        except NotFound:
            error = _("رکوردی با شمارهٔ %(number)s در فهرست نیست.", number=shown_number(duplicate_id))
        except NotAllowed:
            abort(403)
        except ServiceError as refused:
            error = str(refused)
    return _show("directory/merge.html", kind=kind, kept=kept, duplicate=duplicate, preview=preview, error=error,
                 typed=typed, candidates=merge_candidates(kind, kept), page_endpoint=page, id_arg=id_arg), \
        400 if error else 200


# --- each agency's notes -----------------------------------------------------------------------


def _add_note(back: str, page_again, **subject):
    """Add the posted note; refused, the subject's page again (400) with the note still typed in
    its form (a note over its length was lost to the redirect)."""
    form = NoteForm()
    if not form.validate_on_submit():
        for error in form.body.errors or [_("یادداشت ذخیره نشد؛ دوباره بفرستید.")]:
            flash(error, "danger")
        return page_again(note_form=form, status=400)
    try:
        add_note(current_user, form.body.data, **subject)
    except NotFound:
        abort(404)
    except ServiceError as refused:
        flash(str(refused), "danger")
        return page_again(note_form=form, status=400)
    flash(_("یادداشت ذخیره شد."), "success")
    return redirect(back)


@bp.route("/outlets/<int:outlet_id>/notes", methods=["POST"])
@access(DIRECTORY_NOTE_WRITERS)
def outlet_note(outlet_id: int):
    return _add_note(url_for("directory.outlet", outlet_id=outlet_id) + "#notes",
                     functools.partial(outlet, outlet_id), outlet_id=outlet_id)


@bp.route("/journalists/<int:journalist_id>/notes", methods=["POST"])
@access(DIRECTORY_NOTE_WRITERS)
def journalist_note(journalist_id: int):
    return _add_note(url_for("directory.journalist", journalist_id=journalist_id) + "#notes",
                     functools.partial(journalist, journalist_id), journalist_id=journalist_id)


@bp.route("/notes/<int:note_id>/delete", methods=["POST"])
@access(DIRECTORY_NOTE_WRITERS)
def note_delete(note_id: int):
    try:
        kind, subject_id = delete_note(note_id, current_user)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    flash(_("یادداشت پاک شد."), "success")
    if kind == "journalist":
        return redirect(url_for("directory.journalist", journalist_id=subject_id) + "#notes")
    return redirect(url_for("directory.outlet", outlet_id=subject_id) + "#notes")
