"""The search page (every role): one box with phrase, exclusion and «یا» syntax, and filters."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from app.policy import ALL_ROLES
from app.services import NotFound, ServiceError
from app.services.digits import row_id
from app.services.feeds import outlet_names
from app.services.search import (
    AgencyFilterRefused,
    SearchRequest,
    filter_agencies,
    search,
)
from app.services.search_export import DIRECT_ROWS, MAX_ROWS
from app.services.search_export_jobs import (
    DirectExport,
    export_file,
    export_status,
    start_export,
)
from app.web.access import access
from app.web.forms.fields import SCOPE_LABELS, JalaliDateField
from app.web.forms.routing import STATUS_LABELS
from app.web.limits import rate_limited
from app.web.navigation import current_locale
from app.web.paging import list_args
from models import OUTLET_SCOPES
from search_index.persian import normalize_for_storage

bp = Blueprint("search", __name__, url_prefix="/search")
PER_PAGE = 20
MAX_PAGE = 500
SORT_LABELS = {"relevance": _l("مرتبط‌ترین"), "newest": _l("تازه‌ترین")}


class SearchForm(FlaskForm):
    """The query string of the search page (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("جست‌وجو"), filters=[lambda v: normalize_for_storage(v).strip() if v else v])
    outlet = SelectField(_l("رسانه"), choices=[], validate_choice=False)
    scope = SelectField(_l("گسترهٔ رسانه"), choices=[], validate_choice=False)
    agency = SelectField(_l("سازمان"), choices=[], validate_choice=False)
    status = SelectField(_l("وضعیت ارجاع"), choices=[], validate_choice=False)
    since = JalaliDateField(_l("از تاریخ"), validators=[Optional()])
    until = JalaliDateField(_l("تا تاریخ"), validators=[Optional()])
    sort = SelectField(_l("ترتیب"), choices=[SelectChoice(k, v) for k, v in SORT_LABELS.items()],
                       validate_choice=False)


def _choices(form: SearchForm) -> None:
    form.outlet.choices = [SelectChoice("", _l("همهٔ رسانه‌ها"))] + [SelectChoice(str(i), n) for i, n in outlet_names()]
    form.scope.choices = [SelectChoice("", _l("همه"))] + [SelectChoice(s, SCOPE_LABELS[s]) for s in OUTLET_SCOPES]
    form.agency.choices = [SelectChoice("", _l("همهٔ سازمان‌ها"))] + [  # my own agency; supervisors
        SelectChoice(slug, name) for slug, name in filter_agencies(current_user, current_locale())]  # admins: all
    form.status.choices = [SelectChoice("", _l("هر وضعیتی"))] + [SelectChoice(k, v) for k, v in STATUS_LABELS.items()]


def _request(form: SearchForm, page: int, collapse: bool = False) -> SearchRequest:
    """The search request of a validated form; a filter with a bad value is left out. The page
    collapses copies of one story (``collapse``); the export lists every copy."""
    outlet_id = row_id(form.outlet.data)
    return SearchRequest(
        text=form.q.data or "",
        outlet_ids=(outlet_id,) if outlet_id is not None else (),
        scopes=(form.scope.data,) if form.scope.data in OUTLET_SCOPES else (),
        agencies=(form.agency.data,) if form.agency.data else (),
        statuses=(form.status.data,) if form.status.data in STATUS_LABELS else (),
        date_from=form.since.data if not form.since.errors else None,
        date_to=form.until.data if not form.until.errors else None,
        sort=form.sort.data if form.sort.data in SORT_LABELS else "relevance",
        page=page, per_page=PER_PAGE, collapse=collapse,
    )


@bp.route("/")
@access(ALL_ROLES)
@rate_limited("search", when=lambda: bool(request.args.get("q", "").strip()))
def index():
    form = SearchForm(formdata=request.args)
    _choices(form)
    form.validate()
    page_number = min(max(1, request.args.get("page", 1, type=int)), MAX_PAGE)
    page = None
    if form.q.data:
        try:
            page = search(_request(form, page_number, collapse=True), actor=current_user)  # one result per story
        except AgencyFilterRefused as refused:  # another agency's routes: said, not silently empty
            field = form.agency if form.agency.data else form.status  # (a status needs my agency)
            field.errors = [*field.errors, str(refused)]
    args = list_args("page")
    return render_template("search/index.html", form=form, page=page, args=args, scope_labels=SCOPE_LABELS,
                           export_max=MAX_ROWS, export_direct=DIRECT_ROWS, statuses=STATUS_LABELS)


@bp.route("/export", methods=["POST"])
@access(ALL_ROLES)
@rate_limited("export")
def export():
    """The results of the search in the form as CSV or XLSX: the file, or the page of its job."""
    form = SearchForm(formdata=request.form)
    form.validate()
    try:
        result = start_export(_request(form, 1), request.form.get("format", ""), actor=current_user)
    except ServiceError as error:
        flash(str(error), "danger")
        return redirect(url_for("search.index", **{k: v for k, v in request.form.items()
                                                   if k in form._fields and v}))
    if isinstance(result, DirectExport):
        return Response(result.data, mimetype=result.mimetype,
                        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'})
    return redirect(url_for("search.export_progress", token=result.token))


@bp.route("/exports/<token>")
@access(ALL_ROLES)
def export_progress(token: str):
    """A large export being prepared (the page refreshes itself) or ready to download."""
    try:
        status = export_status(token, actor=current_user)
    except NotFound:
        abort(404)
    headers = {"Refresh": "2"} if status.state in ("queued", "running") else {}  # the page polls itself
    return render_template("search/export.html", status=status), 200, headers


@bp.route("/exports/<token>/file")
@access(ALL_ROLES)
def export_download(token: str):
    """The finished export file, for its owner only."""
    try:
        path, name, mimetype = export_file(token, actor=current_user)
    except NotFound:
        abort(404)
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=name)
