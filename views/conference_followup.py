"""What follows a held conference, on its page: the questions journalists asked (each a case with
one click), the commitments made and their follow-up list, the photos (uploaded, served with
authorization) and the coverage suggestions (found, confirmed, rejected).

Thin: each view parses the form, calls one service (app/services/conference_*.py) and redirects
to the conference's section, or shows the refusal on the conference page with what was typed.
Another agency's conference, question, photo or suggestion is a 404.

The forms carry the section to come back to (``anchor``), as the conference page's own forms do.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    render_template,
    request,
    send_file,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.jalali import JalaliDateError, parse_jalali_date
from app.policy import CONFERENCE_READERS, CONFERENCE_WRITERS
from app.services import NotFound
from app.services.conference_commitments import (
    CommitmentInput,
    add_commitment,
    follow_up,
    set_done,
)
from app.services.conference_coverage import decide, find_coverage
from app.services.conference_photos import add_photo, photo_file, remove_photo
from app.services.conference_questions import (
    QuestionInput,
    add_question,
    open_question_case,
)
from app.services.digits import shown_number, shown_ref
from app.web.access import access
from app.web.converters import form_id
from views.conferences import (  # the conference page's action runner and page
    _act,
    _detail,
)

bp = Blueprint("conference_followup", __name__, url_prefix="/conferences")


@bp.route("/<int:conference_id>/questions", methods=["POST"])
@access(CONFERENCE_WRITERS)
def question_add(conference_id: int):
    typed = {key: request.form.get(key, "") for key in
             ("q_text", "q_journalist_id", "q_asked_by_name", "q_outlet_id", "q_outlet_name", "q_answer_summary")}
    data = QuestionInput(text=typed["q_text"], journalist_id=form_id("q_journalist_id"),
                         asked_by_name=typed["q_asked_by_name"], outlet_id=form_id("q_outlet_id"),
                         outlet_name=typed["q_outlet_name"], answer_summary=typed["q_answer_summary"])
    return _act(conference_id, lambda: add_question(conference_id, data, current_user),
                lambda q: _("پرسش ثبت شد."), typed)


@bp.route("/<int:conference_id>/questions/case", methods=["POST"])
@access(CONFERENCE_WRITERS)
def question_case(conference_id: int):
    def done(result):
        if result.created:
            return _("پرونده %(ref)s از این پرسش باز شد.", ref=shown_ref(result.case.ref))
        return _("این پرسش پیش‌تر پرونده %(ref)s شده بود.", ref=shown_ref(result.case.ref))

    return _act(conference_id, lambda: open_question_case(conference_id, form_id("question_id"), current_user), done)


@bp.route("/<int:conference_id>/commitments", methods=["POST"])
@access(CONFERENCE_WRITERS)
def commitment_add(conference_id: int):
    typed = {key: request.form.get(key, "") for key in ("c_text", "c_owner_user_id", "c_owner_label", "c_due_on")}
    due_text = typed["c_due_on"].strip()
    try:
        due_on = parse_jalali_date(due_text) if due_text else None
    except JalaliDateError as error:
        return _detail(conference_id, error=error.message(shown_number), typed=typed, status=400)
    data = CommitmentInput(text=typed["c_text"], owner_user_id=form_id("c_owner_user_id"),
                           owner_label=typed["c_owner_label"], due_on=due_on)
    return _act(conference_id, lambda: add_commitment(conference_id, data, current_user),
                lambda c: _("قول ثبت شد."), typed)


@bp.route("/<int:conference_id>/commitments/state", methods=["POST"])
@access(CONFERENCE_WRITERS)
def commitment_state(conference_id: int):
    done = request.form.get("done") == "1"
    return _act(conference_id, lambda: set_done(conference_id, form_id("commitment_id"), done, current_user),
                lambda c: _("قول انجام‌شده ثبت شد.") if c.is_done else _("قول دوباره باز شد."))


@bp.route("/commitments")
@access(CONFERENCE_READERS)
def commitments():
    found = follow_up(current_user, agency=request.args.get("agency", "").strip(),
                      only_overdue=request.args.get("overdue") == "1")
    return render_template("conferences/commitments.html", found=found), 400 if found.error else 200


@bp.route("/<int:conference_id>/photos", methods=["POST"])
@access(CONFERENCE_WRITERS)
def photo_add(conference_id: int):
    upload = request.files.get("photo")
    caption = request.form.get("caption", "")
    if upload is None or not upload.filename:
        return _detail(conference_id, error=_("فایلی برای بارگذاری برگزیده نشد."), typed={"caption": caption},
                     status=400)
    return _act(conference_id, lambda: add_photo(conference_id, upload.stream, upload.filename, current_user, caption=caption),
                lambda p: _("عکس افزوده شد."), {"caption": caption})


@bp.route("/<int:conference_id>/photos/<int:photo_id>")
@access(CONFERENCE_READERS)
def photo(conference_id: int, photo_id: int):
    try:
        found = photo_file(conference_id, photo_id)
    except NotFound:
        abort(404)
    response = send_file(found.path, mimetype=found.content_type, as_attachment=False,
                         download_name=found.download_name, conditional=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = f'inline; filename="{found.download_name}"'
    return response


@bp.route("/<int:conference_id>/photos/remove", methods=["POST"])
@access(CONFERENCE_WRITERS)
def photo_remove(conference_id: int):
    return _act(conference_id, lambda: remove_photo(conference_id, form_id("photo_id"), current_user),
                lambda name: _("عکس «%(name)s» برداشته شد.", name=name))


@bp.route("/<int:conference_id>/coverage/find", methods=["POST"])
@access(CONFERENCE_WRITERS)
def coverage_find(conference_id: int):
    return _act(conference_id, lambda: find_coverage(conference_id, current_user),
                lambda r: _("%(added)s پیشنهاد تازهٔ بازتاب پیدا شد.", added=shown_number(r.added)))


@bp.route("/<int:conference_id>/coverage/decide", methods=["POST"])
@access(CONFERENCE_WRITERS)
def coverage_decide(conference_id: int):
    state = request.form.get("state", "")
    return _act(conference_id, lambda: decide(conference_id, form_id("coverage_id"), state, current_user),
                lambda row: _("بازتاب تأیید شد.") if row.state == "confirmed" else _("پیشنهاد بازتاب رد شد."))
