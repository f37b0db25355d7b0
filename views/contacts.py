"""The contact log (clause 11): the log with its filters, logging a contact (the quick entry
from a journalist's page posts here too: /contacts/new?journalist=ID), one contact, correcting and
deleting it, and the lapsed-contact list of local outlets.

Thin: parse, call one service (contacts.py acts; contact_pages.py and contact_lapsed.py read),
render or redirect. Another agency's contact is a 404; a bad field is said next to it, with
everything typed kept.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.policy import (
    CONTACT_READERS,
    CONTACT_SETTINGS_EDITORS,
    CONTACT_WRITERS,
    LAPSED_READERS,
)
from app.services import NotAllowed, NotFound, ServiceError
from app.services.contact_lapsed import lapsed_page, set_lapsed_days
from app.services.contact_pages import (
    ContactQuery,
    choices,
    contact_for_edit,
    contact_list,
    contact_page,
)
from app.services.contacts import (
    CHANNEL_LABELS,
    DIRECTION_LABELS,
    DIRECTION_SHORT_LABELS,
    ContactDraft,
    ContactInvalid,
    contact_version,
    delete_contact,
    draft_of,
    log_contact,
    update_contact,
)
from app.web.access import access
from app.web.filters import fa_digits
from app.web.forms.contacts import ContactFilterForm, ContactForm, LapsedSettingForm
from app.web.navigation import current_locale, same_site_path
from app.web.once import abandon, sent_before
from app.web.paging import list_args, page_arg

bp = Blueprint("contacts", __name__, url_prefix="/contacts")
PAGE_SIZE = 50
LABELS = {"channel": CHANNEL_LABELS, "direction": DIRECTION_LABELS, "direction_short": DIRECTION_SHORT_LABELS}


@bp.route("/")
@access(CONTACT_READERS)
def index():
    """The log, newest first; filtered by a journalist or an outlet it is their timeline."""
    form = ContactFilterForm(formdata=request.args)
    form.validate()
    query = ContactQuery(
        journalist=request.args.get("journalist", ""), outlet=request.args.get("outlet", ""),
        channel=request.args.get("channel", ""), direction=request.args.get("direction", ""),
        agency=request.args.get("agency", ""),
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None)
    found = contact_list(current_user, query, page=page_arg(),
                         page_size=PAGE_SIZE)
    form.set_choices(found.journalists, found.outlets, found.agencies, current_locale())
    for name, message in found.errors.items():
        getattr(form, name).errors = [*getattr(form, name).errors, message]
    args = list_args("page")
    return render_template("contacts/list.html", form=form, found=found, args=args, labels=LABELS)


def _form_page(form: ContactForm, template: str, status: int = 200, **context):
    return render_template(template, form=form, labels=LABELS, **context), status


@bp.route("/new", methods=["GET", "POST"])
@access(CONTACT_WRITERS)
def new():
    """Log a contact: now, we called them, by phone unless changed; Enter in any field submits."""
    form = ContactForm()
    if form.validate_on_submit():
        if repeated := sent_before("contacts.index", back=same_site_path(form.next.data)):
            return repeated
        try:
            contact = log_contact(form.draft(), current_user)
        except ContactInvalid as invalid:
            abandon()
            form.show_errors(invalid.errors)
        except NotAllowed:
            abort(403)
        else:
            flash(_("تماس «%(topic)s» ثبت شد.", topic=contact.topic), "success")
            return redirect(same_site_path(form.next.data) or url_for("contacts.index"))
    elif request.method == "GET":
        form.fill(ContactDraft(journalist=request.args.get("journalist", ""), outlet=request.args.get("outlet", "")))
        form.next.data = same_site_path(request.args.get("next")) or ""
    # The quick entry: with the journalist (or outlet) chosen, the cursor waits in the topic.
    first = form.topic if form.journalist.data or form.outlet.data else form.journalist
    first.render_kw = {**(first.render_kw or {}), "autofocus": True}
    journalists, outlets = choices()
    form.set_choices(journalists, outlets)
    return _form_page(form, "contacts/new.html", 400 if form.errors else 200)


@bp.route("/<int:contact_id>")
@access(CONTACT_READERS)
def detail(contact_id: int):
    try:
        page = contact_page(contact_id, current_user)
    except NotFound:
        abort(404)
    return render_template("contacts/detail.html", page=page, contact=page.contact, labels=LABELS)


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
@access(CONTACT_WRITERS)
def edit(contact_id: int):
    """Correct a contact (whoever logged it, or the agency's manager)."""
    form = ContactForm()
    try:
        page, journalists, outlets = contact_for_edit(contact_id, current_user)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    if form.validate_on_submit():
        try:
            update_contact(contact_id, form.draft(), current_user, seen=form.seen.data)
        except ContactInvalid as invalid:
            form.show_errors(invalid.errors)
            if "seen" in invalid.errors:  # saving the page again: the typed values, knowingly
                form.seen.data = contact_version(page.contact)
        else:
            flash(_("تماس ویرایش شد."), "success")
            return redirect(url_for("contacts.detail", contact_id=contact_id))
    elif request.method == "GET":
        form.fill(draft_of(page.contact))
        form.seen.data = contact_version(page.contact)
    form.set_choices(journalists, outlets)
    return _form_page(form, "contacts/edit.html", 400 if form.errors else 200, contact=page.contact)


@bp.route("/<int:contact_id>/delete", methods=["POST"])
@access(CONTACT_WRITERS)
def delete(contact_id: int):
    try:
        delete_contact(contact_id, current_user)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    flash(_("تماس حذف شد."), "success")
    return redirect(url_for("contacts.index"))


@bp.route("/lapsed")
@access(LAPSED_READERS)
def lapsed():
    """Local outlets with no contact in more than N days: an agency's own; the governorate picks."""
    page = lapsed_page(current_user, request.args.get("agency", ""), request.args.get("days", ""))
    form = LapsedSettingForm(data={"days": page.setting_days})
    return render_template("contacts/lapsed.html", page=page, form=form)


@bp.route("/lapsed/settings", methods=["POST"])
@access(CONTACT_SETTINGS_EDITORS)
def lapsed_settings():
    form = LapsedSettingForm()
    if form.validate_on_submit():
        try:
            days = set_lapsed_days(form.days.data, current_user)
        except ServiceError as error:
            # next to the field, what was typed kept (a redirect put the old number back: session 42's walk)
            form.days.errors = [str(error)]
            page = lapsed_page(current_user, "", "")
            return render_template("contacts/lapsed.html", page=page, form=form), 400
        else:
            flash(_("رسانهٔ محلی پس از %(days)s روز بی‌تماس، ازدست‌رفته شمرده می‌شود.", days=fa_digits(days)),
                  "success")
    return redirect(url_for("contacts.lapsed"))
