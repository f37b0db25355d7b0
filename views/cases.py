"""Public-question cases (clause 12): my cases, my agency's cases, every agency's cases (the
governorate), their CSV/XLSX export, one case's page with the actions its reader may take, and
opening a case from a monitored item or by hand.

Thin: each view parses the request, calls one service (app/services/case_pages.py to read,
case_desk.py and case_export.py to act) and renders or redirects. Another agency's case is a 404
(the scope does not find it); a refused or illegal action shows its Persian message on the case
page and changes nothing.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.i18n import digit_style
from app.policy import (
    AGENCY_CASES_ROLES,
    ALL_CASES_ROLES,
    ALL_ROLES,
    CASE_READERS,
    CASE_WRITERS,
    MY_CASES_ROLES,
    sees_all_agencies,
)
from app.services import NotAllowed, NotFound, ServiceError
from app.services.case_desk import (
    CaseDraft,
    MoveForm,
    add_case_link,
    add_case_note,
    decide_case_coverage,
    move_case,
    open_from_item,
    open_manual,
    save_case_answer,
    transfer_case,
)
from app.services.case_export import export_cases
from app.services.case_pages import (
    MOVE_LABELS,
    CaseListQuery,
    agency_choices,
    case_list,
    case_page,
    item_case_panel,
)
from app.services.case_timeline import (
    CHANNEL_LABELS,
    EVENT_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    PUBLICATION_KIND_LABELS,
    STATUS_LABELS,
)
from app.services.cases import ManualSource
from app.services.digits import shown_ref
from app.web.access import access
from app.web.converters import form_anchor, form_id
from app.web.forms import say_under_field
from app.web.forms.cases import (
    CaseFilterForm,
    ManualCaseForm,
    OpenCaseForm,
    publication_kind_choices,
)
from app.web.navigation import current_locale
from app.web.once import abandon, sent_before
from app.web.paging import list_args, page_arg
from search_index.persian import to_persian_digits

bp = Blueprint("cases", __name__, url_prefix="/cases")
PAGE_SIZE = 50
LABELS = {"status": STATUS_LABELS, "kind": KIND_LABELS, "priority": PRIORITY_LABELS, "channel": CHANNEL_LABELS,
          "place": PUBLICATION_KIND_LABELS, "event": EVENT_LABELS, "move": MOVE_LABELS}
LIST_ENDPOINTS = {"mine": "cases.mine", "agency": "cases.agency", "all": "cases.all_cases"}
EXPORT_ENDPOINTS = {"mine": "cases.export_mine", "agency": "cases.export_agency", "all": "cases.export_all"}


def _digits(text: str) -> str:
    return to_persian_digits(text) if digit_style() == "fa" else text


# --- lists ---------------------------------------------------------------------------------------


def _filter_form() -> tuple[CaseFilterForm, CaseListQuery]:
    form = CaseFilterForm(formdata=request.args)
    form.validate()
    query = CaseListQuery(
        status=request.args.get("status", "open"), overdue=bool(form.overdue.data), kind=form.kind.data or "",
        agency=form.agency.data or "", assignee=form.assignee.data or "",
        opened_from=form.opened_from.data if not form.opened_from.errors else None,
        opened_to=form.opened_to.data if not form.opened_to.errors else None)
    return form, query


def _list(list_name: str, title: str):
    form, query = _filter_form()
    found = case_list(current_user, list_name, query, page=page_arg(),
                      page_size=PAGE_SIZE)
    form.set_choices(found.agencies, found.assignees, current_locale())
    for name, message in found.errors.items():
        getattr(form, name).errors = [*getattr(form, name).errors, message]
    args = list_args("page", "format")
    return render_template("cases/list.html", title=title, list_name=list_name, form=form, found=found, args=args,
                           labels=LABELS, endpoint=LIST_ENDPOINTS[list_name],
                           export_endpoint=EXPORT_ENDPOINTS[list_name],
                           show_agency=sees_all_agencies(current_user), show_assignee=list_name != "mine")


@bp.route("/")
@access(ALL_ROLES)
def index():
    """The reader's own list: my cases, else my agency's, else every agency's."""
    if current_user.role in MY_CASES_ROLES:
        return redirect(url_for("cases.mine"))
    return redirect(url_for("cases.all_cases" if current_user.role in ALL_CASES_ROLES else "cases.agency"))


@bp.route("/mine")
@access(MY_CASES_ROLES)
def mine():
    return _list("mine", _("پرونده‌های من"))


@bp.route("/agency")
@access(AGENCY_CASES_ROLES)
def agency():
    return _list("agency", _("پرونده‌های سازمان"))


@bp.route("/all")
@access(ALL_CASES_ROLES)
def all_cases():
    return _list("all", _("همهٔ پرونده‌ها"))


def _export(list_name: str):
    """The list with the page's filters as a file; a filter it cannot use is said on the list instead."""
    form, query = _filter_form()
    try:
        bad_dates = [*form.opened_from.errors, *form.opened_to.errors]
        if bad_dates:
            raise ServiceError(bad_dates[0])
        file = export_cases(current_user, list_name, query, request.args.get("format", ""))
    except ServiceError as error:
        flash(str(error), "danger")
        return redirect(url_for(LIST_ENDPOINTS[list_name], **list_args("format")))
    return Response(file.data, mimetype=file.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{file.filename}"'})


@bp.route("/mine/export")
@access(MY_CASES_ROLES, download=True)
def export_mine():
    return _export("mine")


@bp.route("/agency/export")
@access(AGENCY_CASES_ROLES, download=True)
def export_agency():
    return _export("agency")


@bp.route("/all/export")
@access(ALL_CASES_ROLES, download=True)
def export_all():
    return _export("all")


# --- opening a case ------------------------------------------------------------------------------


def _draft(form: OpenCaseForm) -> CaseDraft:
    return CaseDraft(title=form.title.data or "", question=form.question.data or "", kind=form.kind.data or "",
                     priority=form.priority.data or "", agency=form.agency.data or "", notes=form.notes.data or "",
                     opened_on=form.opened_on.data, accept=bool(form.accept.data))


@bp.route("/from-item/<int:item_id>", methods=["GET", "POST"])
@access(CASE_WRITERS)
def open_item(item_id: int):
    """Open a case from a monitored item (the item page's form; the inbox's «open a case» posts
    here too: every field may be left out, ``accept=y`` accepts the case at once)."""
    form = OpenCaseForm()
    error = None
    if form.validate_on_submit():
        if repeated := sent_before("cases.index"):
            return repeated
        try:
            case = open_from_item(item_id, _draft(form), current_user)
        except NotFound:
            abort(404)
        except ServiceError as refused:
            abandon()
            error = say_under_field(form, refused, {} if sees_all_agencies(current_user) else {"agency": ""})
        else:
            flash(_digits(_("پرونده %(ref)s باز شد.", ref=shown_ref(case.ref))), "success")
            return redirect(url_for("cases.detail", ref=case.ref))
    try:
        panel = item_case_panel(item_id, current_user)
    except NotFound:
        abort(404)
    if request.method == "GET":
        form.title.data, form.agency.data = panel.item.title, panel.agency_slug
        form.opened_on.data = panel.raised_on  # shown, so it can be changed
    form.set_choices(panel.agencies, current_locale())
    return render_template("cases/open_item.html", form=form, panel=panel, item=panel.item, error=error,
                           choose_agency=sees_all_agencies(current_user)), 400 if request.method == "POST" else 200


@bp.route("/new", methods=["GET", "POST"])
@access(CASE_WRITERS)
def new():
    """A question raised outside the monitored feeds: TV, radio, print, social media, a press conference."""
    form = ManualCaseForm()
    error = None
    if form.validate_on_submit():
        manual = ManualSource(channel=form.channel.data or "", outlet_name=form.outlet.data or "",
                              programme=form.programme.data or "", reported_on=form.reported_on.data)
        if repeated := sent_before("cases.index"):
            return repeated
        try:
            case = open_manual(_draft(form), manual, current_user)
        except ServiceError as refused:
            abandon()
            error = say_under_field(form, refused, {"outlet_name": "outlet"} | (
                {} if sees_all_agencies(current_user) else {"agency": ""}))
        else:
            flash(_digits(_("پرونده %(ref)s باز شد.", ref=shown_ref(case.ref))), "success")
            return redirect(url_for("cases.detail", ref=case.ref))
    if request.method == "GET" and not sees_all_agencies(current_user):
        form.agency.data = getattr(current_user.agency, "slug", "")
    form.set_choices(agency_choices(current_user), current_locale())
    return render_template("cases/new.html", form=form, error=error,
                           choose_agency=sees_all_agencies(current_user)), 400 if request.method == "POST" else 200


# --- one case ------------------------------------------------------------------------------------


@bp.route("/<ref>")
@access(CASE_READERS)
def detail(ref: str):
    return _detail_page(ref)


# The input a refused case form's message is said under (aria-invalid, aria-describedby) when the
# refusal names none: that form's one typed input. It was said at the top of the page with no field
# marked (session 43's note). A refusal of the actor (NotAllowed) stays at the top.
_REFUSED_INPUT = {"move-merge": "into", "move-publish": "link", "move-reject": "reason", "move-reopen": "reason",
                  "move-return": "reason", "move-transfer": "reason", "link": "link", "answer": "answer", "note": "note"}
# Every input the page can mark (cases/_refusal.html): a refusal naming another (a field the form
# does not have) is said under the form's typed input, not marked nowhere and so said nowhere.
_MARKABLE = set(_REFUSED_INPUT.items()) | {("move-transfer", "agency")}


def _detail_page(ref: str, sent=None, status: int = 200, refusal: dict | None = None):
    """The case page; ``sent``: the form a refused action sent, its fields shown again as typed;
    ``refusal``: its message and the input it is said under."""
    try:
        page = case_page(ref, current_user)
    except NotFound:
        abort(404)
    g.page_path = url_for("cases.detail", ref=ref)  # also when shown as a refused POST's answer

    def kept(form: str, field: str, default: str = "") -> str:
        """What the refused form ``form`` sent in ``field``; ``default`` in every other form."""
        return sent.get(field, default) if sent is not None and sent.get("form") == form else default

    return render_template("cases/detail.html", page=page, case=page.case, labels=LABELS,
                           publication_kinds=publication_kind_choices(), kept=kept, refusal=refusal), status


def _act(ref: str, action, done):
    """Run one action on case ``ref``: another agency's case is a 404; a refusal (NotAllowed) or a
    bad input (ServiceError) is its Persian message on the case page again (400), with what the
    form sent still in it (a reason, an answer, a note is not lost to a mistyped case number or
    a length), and nothing has changed."""
    try:
        result = action()
    except NotFound:
        abort(404)
    except ServiceError as error:
        form = request.form.get("form", "")
        named = (form, error.field) in _MARKABLE
        field = None if isinstance(error, NotAllowed) else (error.field if named else _REFUSED_INPUT.get(form))
        if not field:
            flash(str(error), "danger")
        return _detail_page(ref, request.form, 400, {"form": form, "field": field, "message": str(error)} if field else None)
    flash(_digits(done(result)), "success")
    return redirect(url_for("cases.detail", ref=ref) + form_anchor())


@bp.route("/<ref>/move", methods=["POST"])
@access(CASE_WRITERS)
def move(ref: str):
    form = MoveForm(
        to_status=request.form.get("to", ""), assignee_id=form_id("assignee_id"), into_ref=request.form.get("into", ""),
        agency=request.form.get("agency", ""), reason=request.form.get("reason", ""),
        answer=request.form.get("answer") if "answer" in request.form else None,
        link=request.form.get("link", ""), link_kind=request.form.get("link_kind", "portal"),
        link_label=request.form.get("link_label", ""), answer_seen=request.form.get("answer_seen") or None)
    return _act(ref, lambda: move_case(ref, form, current_user), _moved)


def _moved(case) -> str:
    """The page's word after a move; a case accepted for the agency a supervisor picked names it."""
    status = _(STATUS_LABELS.get(case.status, case.status))
    if case.status == "accepted" and request.form.get("agency") and case.agency is not None:
        return _("پرونده %(ref)s اکنون «%(status)s» است؛ سازمان پاسخ‌گو: «%(agency)s».", ref=shown_ref(case.ref), status=status,
                 agency=case.agency.display_name(str(get_locale())))
    return _("پرونده %(ref)s اکنون «%(status)s» است.", ref=shown_ref(case.ref), status=status)


@bp.route("/<ref>/transfer", methods=["POST"])
@access(CASE_WRITERS)
def transfer(ref: str):
    """The governorate sends an open case to another agency (with a reason)."""
    return _act(ref, lambda: transfer_case(ref, request.form.get("agency", ""), request.form.get("reason", ""),
                                           current_user),
                lambda case: _("پرونده %(ref)s به «%(agency)s» فرستاده شد و آن‌جا «%(status)s» است.", ref=shown_ref(case.ref),
                               agency=case.agency.display_name(str(get_locale())),
                               status=_(STATUS_LABELS.get(case.status, case.status))))


@bp.route("/<ref>/answer", methods=["POST"])
@access(CASE_WRITERS)
def answer(ref: str):
    return _act(ref, lambda: save_case_answer(ref, request.form.get("answer", ""), current_user,
                                              request.form.get("answer_seen") or None),
                lambda case: _("پاسخ پرونده %(ref)s ذخیره شد.", ref=shown_ref(case.ref)))


@bp.route("/<ref>/note", methods=["POST"])
@access(CASE_WRITERS)
def note(ref: str):
    return _act(ref, lambda: add_case_note(ref, request.form.get("note", ""), current_user),
                lambda case: _("یادداشت به پرونده %(ref)s افزوده شد.", ref=shown_ref(case.ref)))


@bp.route("/<ref>/link", methods=["POST"])
@access(CASE_WRITERS)
def link(ref: str):
    return _act(ref, lambda: add_case_link(ref, request.form.get("link", ""), request.form.get("link_kind", "portal"),
                                           request.form.get("link_label", ""), current_user),
                lambda case: _("نشانی انتشار به پرونده %(ref)s افزوده شد.", ref=shown_ref(case.ref)))


@bp.route("/<ref>/coverage", methods=["POST"])
@access(CASE_WRITERS)
def coverage(ref: str):
    """Confirm or dismiss an item suggested as one that reported the published answer."""
    state = request.form.get("state", "")
    return _act(ref, lambda: decide_case_coverage(ref, form_id("item_id"), state, current_user),
                lambda row: _("خبر «%(title)s» بازتاب پاسخ شمرده شد.", title=row.item.title or "")
                if row.state == "confirmed" else _("پیشنهاد «%(title)s» کنار گذاشته شد.", title=row.item.title or ""))
