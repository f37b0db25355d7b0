"""The reports page (every role): pick a report, an agency (one's own for an agency's users, any
for the governorate), a period and a format; a small report is the answer itself, a larger one a
job of the worker whose page shows its progress and then the file (to its owner only)."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
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

from app.policy import REPORT_READERS
from app.services import NotAllowed, NotFound, ServiceError
from app.services.report_jobs import report_file, report_status, start_report
from app.services.reports import (
    FORMATS,
    KINDS,
    Document,
    default_period,
    report_agencies,
)
from app.web.access import access
from app.web.filters import fa_digits
from app.web.limits import rate_limited
from app.web.navigation import current_locale
from search_index.persian import ascii_digits

bp = Blueprint("reports", __name__, url_prefix="/reports")
FORMAT_LABELS = {"pdf": "PDF", "xlsx": "Excel (XLSX)"}


class ReportForm(FlaskForm):
    kind = SelectField(_l("گزارش"), choices=[], validate_choice=False)
    agency = SelectField(_l("سازمان"), choices=[], validate_choice=False)
    period = StringField(_l("دوره"))
    format = SelectField(_l("قالب"), choices=[SelectChoice(k, v) for k, v in FORMAT_LABELS.items()],
                         validate_choice=False)


def _form(formdata=None) -> ReportForm:
    form = ReportForm(formdata=formdata)
    form.kind.choices = [SelectChoice(k, _l(kind.label)) for k, kind in KINDS.items()]
    form.agency.choices = [SelectChoice(slug, name) for slug, name in report_agencies(current_user, current_locale())]
    if formdata is None:  # in the page's digits, as its help writes «۱۴۰۵-۰۹» (the service reads either)
        form.period.data = fa_digits(default_period())
    return form


def _page(form: ReportForm, error: str | None = None, status: int = 200):
    return render_template("reports/index.html", form=form, error=error, kinds=KINDS, formats=FORMATS), status


@bp.route("/")
@access(REPORT_READERS)
def index():
    return _page(_form())


@bp.route("/", methods=["POST"])
@access(REPORT_READERS)
@rate_limited("report")
def build():
    """The report as a file, or the page of its job; a refusal is said on the form, which keeps what was typed."""
    form = _form(request.form)
    if not form.validate():
        return _page(form, status=400)
    period = form.period.data
    if form.kind.data == "digest" and ascii_digits((period or "").strip()) == default_period():
        # the page's month left as it was: a day's digest is today's («1405-09» was refused as no
        # day, though the help says empty is today: a newcomer's walk)
        period = ""
    try:
        result = start_report(form.kind.data, form.agency.data, period, form.format.data,
                              actor=current_user)
    except NotAllowed:
        abort(403)
    except ServiceError as error:
        return _page(form, str(error), 400)
    if isinstance(result, Document):
        return Response(result.data, mimetype=result.mimetype,
                        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'})
    return redirect(url_for("reports.job", token=result.token))


@bp.route("/jobs/<token>")
@access(REPORT_READERS)
def job(token: str):
    """A report being built by the worker (the page refreshes itself) or ready to download."""
    try:
        status = report_status(token, actor=current_user)
    except NotFound:
        abort(404)
    headers = {"Refresh": "2"} if status.state in ("queued", "running") else {}
    return render_template("reports/job.html", status=status, kinds=KINDS), 200, headers


@bp.route("/jobs/<token>/file")
@access(REPORT_READERS, download=True)
def download(token: str):
    """The finished report, for its owner only."""
    try:
        path, name, mimetype = report_file(token, actor=current_user)
    except NotFound:
        abort(404)
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=name)
