"""A manual question opened again: the case that already holds it (session 43).

A script re-run (a cron line retried, a loop started again after a failure) opened the same manual
question twice: two cases, two reference numbers, each reminded and counted. ``open_manual_once``
returns the case of the agency that still holds the same question (not rejected, not merged) —
the same title, question, outlet, channel, programme and day, compared as the search reads them
(Arabic «ي/ك», a ZWNJ as a space, spacing folded; words kept apart) — instead of opening a second one; a re-run that asks
another priority or kind for it is refused (what it typed would be dropped).

    open_manual_once(actor, **open_case_arguments) -> (PublicQuestion, opened: bool)
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.jalali import format_jalali_date
from app.services import ServiceError
from app.services.case_timeline import KIND_LABELS, PRIORITY_LABELS
from app.services.case_workflow import HOLDING, case_holding
from app.services.cases import build_case, check_case_opening
from app.services.digits import shown_ref
from app.services.directory_keys import name_key
from models import PublicQuestion
from search_index.normalization import normalize


def _key(text: str | None) -> str:
    """``text`` as the search reads it, word by word: a ZWNJ is a space, spacing is one space. Not the
    directory's name key, which joins the words («علی رضایی» is «علیرضایی»): «حقوق بهروز» (a man's name)
    and «حقوق به‌روز» (wages paid on time) were one question, the second dropped as «existing» (a review,
    session 43)."""
    words = normalize(text or "").replace("\u200c", " ").split()
    return " ".join(w for n, w in enumerate(words) if not (w == "ی" and n and words[n - 1].endswith("ه")))


def _source_key(text: str | None) -> str:
    return name_key(text or "", length=None)  # an outlet's or a programme's name, as the directory knows it


def manual_twin(checked: dict, *, other_than: int | None = None) -> PublicQuestion | None:
    """The case holding the manual question ``checked`` (``check_case_opening``'s answer) describes, or None."""
    manual, agency = checked["manual"], checked["agency"]
    query = (select(PublicQuestion)
             .where(PublicQuestion.status.in_(HOLDING), PublicQuestion.opened_on == checked["opened_on"],
                    PublicQuestion.agency_id.is_(None) if agency is None else PublicQuestion.agency_id == agency.id)
             .order_by(PublicQuestion.id).execution_options(unscoped=True))
    if other_than is not None:
        query = query.where(PublicQuestion.id != other_than)
    wanted = (_key(checked["title"]), _key(checked["question"]))
    source = (manual.channel, _source_key(manual.outlet_name), _source_key(manual.programme))
    for case in db.session.scalars(query):
        if (_key(case.title), _key(case.question)) == wanted and any(
                (s.item_id is None and (s.channel, _source_key(s.outlet_name), _source_key(s.programme)) == source)
                for s in case.sources):
            return case
    return None


def _refuse_other_terms(twin: PublicQuestion, checked: dict, *, item: bool = False) -> None:
    """A re-run that changed --priority, --kind (or, from an item, --opened) is not the same command:
    returned as it is, the case would drop what was typed in silence. :raise ServiceError: naming
    the case and what differs."""
    shown = {"priority": lambda value: _(PRIORITY_LABELS[value]), "kind": lambda value: _(KIND_LABELS[value]),
             "opened_on": format_jalali_date}
    for field in ("priority", "kind", "opened_on") if item else ("priority", "kind"):
        held, asked = getattr(twin, field), checked[field]
        if held != asked:
            said = (_("برای این خبر پیش‌تر پرونده %(ref)s باز شده است و «%(held)s» است، نه «%(asked)s»؛ پروندهٔ تازه‌ای "
                      "باز نشد. آن را در صفحهٔ همان پرونده تغییر دهید.") if item else
                    _("همین پرسش (همان رسانه، مجرا و روز) پیش‌تر در پرونده %(ref)s باز شده است و «%(held)s» "
                      "است، نه «%(asked)s»؛ پروندهٔ تازه‌ای باز نشد. آن را در صفحهٔ همان پرونده تغییر دهید."))
            raise ServiceError(said % {"ref": shown_ref(twin.ref), "held": shown[field](held),
                                       "asked": shown[field](asked)})


def open_item_once(actor, **arguments) -> tuple[PublicQuestion, bool]:
    """``open_case`` from an item, unless the agency has a case holding it: that case and False (a
    script re-run was refused, exit 2, where the same manual entry is answered with its case).
    :raise NotAllowed, ServiceError: as ``open_case``; another priority, kind or day than the case's."""
    checked = check_case_opening(actor, **arguments)
    agency = checked["agency"]
    try:
        case = build_case(actor, **checked)
        db.session.commit()
    except ServiceError:
        db.session.rollback()
        twin = case_holding([checked["item"].id], agency.id if agency is not None else None)
        if twin is None:
            raise
        _refuse_other_terms(twin, checked, item=True)
        return twin, False
    except Exception:
        db.session.rollback()
        raise
    return case, True


def open_manual_once(actor, **arguments) -> tuple[PublicQuestion, bool]:
    """``open_case`` for a manual entry, unless a case holds the same question: that case and False.
    The check is made again once the year's reference counter is held (``build_case``): two runs
    started together open one case. :raise NotAllowed, ServiceError: as ``open_case``."""
    checked = check_case_opening(actor, **arguments)
    try:
        case = build_case(actor, **checked)
        twin = manual_twin(checked, other_than=case.id)
        if twin is not None:
            db.session.rollback()  # the new case and its reference number with it
            twin = db.session.get(PublicQuestion, twin.id)
            _refuse_other_terms(twin, checked)
            return twin, False
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return case, True
