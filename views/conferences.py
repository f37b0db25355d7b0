"""Press conferences (clause 9): the list, planning and editing, one conference's page with its
status moves, invitations (RSVP, attendance) and minutes, the printable invitation list, its
CSV, the ICS files, and the governorate's cadence page.

Thin: each view parses the request, calls one service (app/services/conference*.py) and renders
or redirects. Another agency's conference is a 404 (the scope does not find it); a refused or
bad action shows its Persian message on the page (what was typed is kept) and changes nothing.
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
from flask_login import current_user

from app.jalali import JalaliDateError, parse_jalali_date
from app.policy import (
    CADENCE_EDITORS,
    CADENCE_READERS,
    CONFERENCE_READERS,
    CONFERENCE_WRITERS,
    can_edit_cadence,
)
from app.services import NotFound, ServiceError
from app.services.conference_cadence import (
    PERIOD_LABELS,
    cadence_rows,
    get_agency_for_cadence,
    set_cadence,
)
from app.services.conference_calendar import CalendarFile, agency_feed, conference_ics
from app.services.conference_inputs import (
    ConferenceDraft,
    draft_of,
)
from app.services.conference_invitations import (
    SCOPE_LABELS,
    InviteRequest,
    invitations_csv,
    invite,
    record_attendance,
    remove_invitation,
    set_rsvp,
)
from app.services.conference_pages import (
    ConferenceListQuery,
    conference_page,
    list_conferences,
    printable_invitations,
)
from app.services.conference_timeline import (
    EVENT_LABELS,
    MOVE_LABELS,
    RSVP_LABELS,
    STATUS_LABELS,
)
from app.services.conferences import (
    MoveRequest,
    conference_version,
    edit_conference,
    get_conference,
    move_conference,
    plan_conference,
    save_minutes,
)
from app.services.digits import row_id, shown_number
from app.web.access import access
from app.web.converters import form_anchor, form_id
from app.web.forms import say_under_field
from app.web.forms.conferences import CadenceForm, ConferenceFilterForm, ConferenceForm
from app.web.navigation import current_locale
from app.web.once import abandon, sent_before
from app.web.paging import list_args, page_arg

bp = Blueprint("conferences", __name__, url_prefix="/conferences")
LABELS = {"status": STATUS_LABELS, "rsvp": RSVP_LABELS, "move": MOVE_LABELS, "event": EVENT_LABELS,
          "scope": SCOPE_LABELS, "period": PERIOD_LABELS}


def _ids(name: str) -> list[int]:
    return [i for i in map(row_id, request.form.getlist(name)) if i is not None]


@bp.route("/")
@access(CONFERENCE_READERS)
def index():
    form = ConferenceFilterForm(formdata=request.args)
    form.validate()
    query = ConferenceListQuery(status=form.status.data or "", agency=form.agency.data or "",
                                date_from=form.date_from.data if not form.date_from.errors else None,
                                date_to=form.date_to.data if not form.date_to.errors else None)
    found = list_conferences(current_user, query, page=page_arg())
    form.set_choices(found.agencies, current_locale())
    for name, message in found.errors.items():
        getattr(form, name).errors = [*getattr(form, name).errors, message]
    args = list_args("page")
    return render_template("conferences/list.html", form=form, found=found, labels=LABELS, args=args,
                           can_plan=current_user.role in CONFERENCE_WRITERS,
                           show_cadence=current_user.role in CADENCE_READERS)


def _draft(form: ConferenceForm) -> ConferenceDraft:
    return ConferenceDraft(title=form.title.data or "", topics=form.topics.data or "", day=form.day.data,
                           start_time=form.start_time.data or "", duration_minutes=form.duration_minutes.data,
                           place=form.place.data or "", spokespeople=form.spokespeople.data or "")


def _form_error(form: ConferenceForm, error: ServiceError) -> None:
    """The refusal under its field (``error.field``), else above the form."""
    message = say_under_field(form, error)
    if message is not None:
        form.form_errors.append(message)


@bp.route("/new", methods=["GET", "POST"])
@access(CONFERENCE_WRITERS)
def new():
    form = ConferenceForm()
    if form.validate_on_submit():
        if repeated := sent_before("conferences.index"):
            return repeated
        try:
            conference = plan_conference(_draft(form), current_user)
        except ServiceError as error:
            abandon()
            _form_error(form, error)
        else:
            flash(_("نشست «%(title)s» برنامه‌ریزی شد.", title=conference.title), "success")
            return redirect(url_for("conferences.detail", conference_id=conference.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("conferences/form.html", form=form, conference=None), status


@bp.route("/<int:conference_id>/edit", methods=["GET", "POST"])
@access(CONFERENCE_WRITERS)
def edit(conference_id: int):
    try:
        conference = get_conference(conference_id)
    except NotFound:
        abort(404)
    form = ConferenceForm(obj=draft_of(conference) if request.method == "GET" else None)
    if request.method == "GET":
        form.seen.data = conference_version(conference)
    if form.validate_on_submit():
        try:
            edit_conference(conference_id, _draft(form), current_user, seen=form.seen.data)
        except ServiceError as error:
            _form_error(form, error)
            form.seen.data = conference_version(get_conference(conference_id))  # saving again: knowingly
        else:
            flash(_("تغییرات نشست ذخیره شد."), "success")
            return redirect(url_for("conferences.detail", conference_id=conference_id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("conferences/form.html", form=form, conference=conference), status


def _detail(conference_id: int, *, error: str = "", typed: dict | None = None, status: int = 200):
    try:
        page = conference_page(conference_id, current_user)
    except NotFound:
        abort(404)
    return render_template("conferences/detail.html", page=page, conference=page.conference, labels=LABELS,
                           error=error, typed=typed or {}), status


@bp.route("/<int:conference_id>")
@access(CONFERENCE_READERS)
def detail(conference_id: int):
    return _detail(conference_id)


def _act(conference_id: int, action, done, typed: dict | None = None):
    """Run one action: another agency's conference is a 404; a refusal or bad input is shown on
    the page with what was typed, and nothing has changed."""
    try:
        result = action()
    except NotFound:
        abort(404)
    except ServiceError as error:
        return _detail(conference_id, error=str(error), typed=typed, status=400)
    flash(done(result), "success")  # numbers come through shown_number; titles and names as typed
    return redirect(url_for("conferences.detail", conference_id=conference_id) + form_anchor())


@bp.route("/<int:conference_id>/move", methods=["POST"])
@access(CONFERENCE_WRITERS)
def move(conference_id: int):
    to_status, day_text = request.form.get("to", ""), (request.form.get("day") or "").strip()
    typed = {"to": to_status, "day": day_text, "start_time": request.form.get("start_time", ""),
             "reason": request.form.get("reason", "")}
    try:
        day = parse_jalali_date(day_text) if day_text else None
    except JalaliDateError as error:
        return _detail(conference_id, error=error.message(shown_number), typed=typed, status=400)
    req = MoveRequest(to_status=to_status, day=day, start_time=typed["start_time"], reason=typed["reason"])
    return _act(conference_id, lambda: move_conference(conference_id, req, current_user),
                lambda c: _("نشست «%(title)s» اکنون «%(status)s» است.", title=c.title,
                            status=_(STATUS_LABELS[c.status])), typed)


@bp.route("/<int:conference_id>/invite", methods=["POST"])
@access(CONFERENCE_WRITERS)
def invite_people(conference_id: int):
    req = InviteRequest(journalist_ids=_ids("journalist_id"), outlet_ids=_ids("outlet_id"),
                        scopes=request.form.getlist("scope"))
    return _act(conference_id, lambda: invite(conference_id, req, current_user),
                lambda r: _("%(added)s دعوت افزوده شد؛ %(skipped)s مورد پیش‌تر دعوت شده بود.",
                            added=shown_number(r.added), skipped=shown_number(r.skipped)) if r.skipped
                else _("%(added)s دعوت افزوده شد.", added=shown_number(r.added)))


@bp.route("/<int:conference_id>/rsvp", methods=["POST"])
@access(CONFERENCE_WRITERS)
def rsvp(conference_id: int):
    state = request.form.get("rsvp", "")
    return _act(conference_id, lambda: set_rsvp(conference_id, form_id("invitation_id"), state, current_user),
                lambda i: _("پاسخ دعوت ثبت شد: %(state)s.", state=_(RSVP_LABELS[i.rsvp])))


@bp.route("/<int:conference_id>/uninvite", methods=["POST"])
@access(CONFERENCE_WRITERS)
def uninvite(conference_id: int):
    return _act(conference_id, lambda: remove_invitation(conference_id, form_id("invitation_id"), current_user),
                lambda name: _("دعوت «%(name)s» برداشته شد.", name=name))


@bp.route("/<int:conference_id>/attendance", methods=["POST"])
@access(CONFERENCE_WRITERS)
def attendance(conference_id: int):
    return _act(conference_id, lambda: record_attendance(conference_id, _ids("attended"), current_user),
                lambda count: _("حضور ثبت شد: %(count)s نفر.", count=shown_number(count)))


@bp.route("/<int:conference_id>/minutes", methods=["POST"])
@access(CONFERENCE_WRITERS)
def minutes(conference_id: int):
    text = request.form.get("minutes", "")
    return _act(conference_id, lambda: save_minutes(conference_id, text, current_user),
                lambda c: _("صورت‌جلسه ذخیره شد."), {"minutes": text})


@bp.route("/<int:conference_id>/invitations/print")
@access(CONFERENCE_READERS)
def invitations_print(conference_id: int):
    try:
        printable = printable_invitations(conference_id)
    except NotFound:
        abort(404)
    return render_template("conferences/print.html", printable=printable, conference=printable.conference,
                           labels=LABELS)


@bp.route("/<int:conference_id>/invitations.csv")
@access(CONFERENCE_READERS, download=True)
def invitations_file(conference_id: int):
    try:
        data, filename = invitations_csv(conference_id)
    except NotFound:
        abort(404)
    return Response(data, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _ics(file: CalendarFile) -> Response:
    return Response(file.data, mimetype=file.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{file.filename}"'})


@bp.route("/<int:conference_id>/calendar.ics")
@access(CONFERENCE_READERS, download=True)
def calendar_one(conference_id: int):
    try:
        return _ics(conference_ics(conference_id))
    except NotFound:
        abort(404)


@bp.route("/calendar.ics")
@access(CONFERENCE_READERS, download=True)
def calendar_feed():
    try:
        return _ics(agency_feed(current_user, request.args.get("agency", "")))
    except NotFound:
        abort(404)


@bp.route("/cadence")
@access(CADENCE_READERS)
def cadence():
    show_all = request.args.get("all") == "1"
    return render_template("conferences/cadence.html", rows=cadence_rows(behind_only=not show_all),
                           show_all=show_all, labels=LABELS, can_edit=can_edit_cadence(current_user))


@bp.route("/cadence/<int:agency_id>", methods=["GET", "POST"])
@access(CADENCE_EDITORS)
def cadence_edit(agency_id: int):
    try:
        agency = get_agency_for_cadence(agency_id)
    except NotFound:
        abort(404)
    form = CadenceForm(obj=agency if request.method == "GET" else None)
    form.set_choices()
    if form.validate_on_submit():
        try:
            set_cadence(agency_id, form.conference_target.data, form.conference_target_period.data or "",
                        current_user)
        except ServiceError as error:
            form.conference_target.errors = [str(error)]
        else:
            flash(_("هدف نشست‌های خبری «%(name)s» ذخیره شد.", name=agency.display_name(current_locale())), "success")
            return redirect(url_for("conferences.cadence", all="1"))
    return render_template("conferences/cadence_form.html", form=form, agency=agency), \
        400 if form.conference_target.errors else 200
