"""A move asked again: the case is already where it was sent (session 44; the command refuses it, session 45).

A script re-run (a cron line retried, a loop started again after a failure) sent `cases move REF
--to closed` to a case it had closed, and was refused, exit 2 («… «بسته» است و از این وضعیت به
«بسته» نمی‌رود»), where `cases open` run again answers with its case and ``"existing": true``. A case
already in the status asked, holding what the options name (the assignee, the agency, the case it
was merged into, the link, the answer, the reason), is the move done: ``moved_already`` says so and
changes nothing. One that holds something else than what was typed is refused, naming it (returned
as done, the re-run would drop what it typed in silence); a user who could not have made a move
into that status is refused as the move refuses them. `cases move` refuses the move done as well,
exit 2 (issue 11: a move to the status the case is in is none of the workflow's), with ``"already": true``
beside its error (app/cli/cases.py): these functions tell that refusal from the others.

    moved_already(case, to_status, actor, *, assignee, reason, link, answer, into, agency) -> bool
    move_once(case, to_status, actor, **the same) -> bool   (``move`` unless moved already; True: moved now)
    unread_again(case, to_status, given) -> [(option, [moves that read it])]   (as unread_inputs)
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.policy import can_move_case, role_of
from app.services import NotAllowed, ServiceError
from app.services.case_inputs import shortened
from app.services.case_links import held_links
from app.services.case_workflow import (
    ANSWER_MAX,
    MOVE_READS,
    NOT_ALLOWED,
    TEXT_MAX,
    TRANSITIONS,
    clean_link,
    clean_text,
    move,
    status_named_with_code,
)
from app.services.digits import shown_ref
from models import CaseEvent, PublicQuestion

QUOTED = 61  # a text quoted in a refusal: about its first 60 characters, on one line


def _moves_into(to_status: str) -> list[str]:
    return [name for (_before, after), name in TRANSITIONS.items() if after == to_status]


def unread_again(case: PublicQuestion, to_status: str, given: dict[str, str]) -> list[tuple[str, list[str]]]:
    """``unread_inputs`` of a case already in ``to_status``: the inputs of ``given`` that no move into
    it reads (``--link`` with ``--to closed``), each with the moves that do read it; [] otherwise."""
    if case.status != to_status:
        return []
    reads = set().union(*(MOVE_READS.get(name, ()) for name in _moves_into(to_status)))
    return [(option, [f"{status_named_with_code(before)} → {status_named_with_code(after)}"
                      for (before, after), reader in TRANSITIONS.items() if field in MOVE_READS.get(reader, ())])
            for option, field in given.items() if field not in reads]


def _last_reason(case: PublicQuestion) -> str:
    """The words of the move that brought the case to its status (its timeline's last such move)."""
    event = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "moved",
                                                      CaseEvent.to_status == case.status)
                              .order_by(CaseEvent.id.desc()).limit(1))
    return event.text if event is not None else ""


def _differs(case: PublicQuestion, *, reason, link, answer, into, agency) -> tuple[str, str] | None:
    """(what the case holds, what was typed) of the first input that is not what the case holds; None."""
    if agency is not None and agency.id != case.agency_id:
        return (case.agency.name_fa if case.agency else "—"), agency.name_fa
    if into is not None and case.merged_into_id not in (into.id, into.merged_into_id):
        return (shown_ref(case.merged_into.ref) if case.merged_into else "—"), shown_ref(into.ref)
    if link is not None:
        typed = clean_link(link)
        held = held_links(case, typed.url)  # its host's capitals, a final «/»: the same page (case_links)
        if not held:
            return "، ".join(p.url for p in case.publications) or "—", typed.url
        if typed.label and all(p.label != typed.label for p in held):  # a label typed is not dropped in silence
            return "، ".join(p.label or "—" for p in held), typed.label
    if answer is not None and clean_text(answer, ANSWER_MAX, _("متن پاسخ")) != case.answer:
        return shortened(case.answer, QUOTED), shortened(clean_text(answer, ANSWER_MAX, _("متن پاسخ")), QUOTED)
    reason = clean_text(reason, TEXT_MAX, _("دلیل"))
    if reason:  # kept on the timeline of every move, and as a rejection's reason
        held = (case.reject_reason if case.status == "rejected" else _last_reason(case)) or ""
        if reason != held:
            return shortened(held, QUOTED) or "—", shortened(reason, QUOTED)
    return None


def moved_already(case: PublicQuestion, to_status: str, actor, *, assignee=None, reason: str | None = None,
                  link=None, answer: str | None = None, into: PublicQuestion | None = None, agency=None) -> bool:
    """Whether ``case`` is already in ``to_status`` as the move asked would leave it (the arguments of
    ``move``): True changes nothing; False when the move is to be made (another status, or another
    assignee: a reassignment).

    :raise NotAllowed: ``actor`` may make no move into ``to_status`` on this case.
    :raise ServiceError: the case is there holding another agency, merge target, link, answer or reason.
    """
    to_status = (to_status or "").strip()
    moves = _moves_into(to_status)
    if case.status != to_status or not moves:  # «--to new»: no move leads there, as before
        return False
    if to_status == "assigned":
        if assignee is None and role_of(actor) in ("manager", "staff"):
            assignee = actor  # as ``move``: the --by user
        if assignee is None or assignee.id != case.assignee_id:
            return False  # another assignee: a reassignment, ``move``'s to check
    if not any(can_move_case(actor, name, case.agency_id, case.assignee_id) for name in moves):
        raise NotAllowed(_(NOT_ALLOWED[moves[0]]))
    differs = _differs(case, reason=reason, link=link, answer=answer, into=into, agency=agency)
    if differs is not None:
        raise ServiceError(_("پرونده %(ref)s پیش‌تر «%(status)s» شده است با «%(held)s»، نه «%(asked)s»؛ چیزی "
                             "تغییر نکرد. آن را در صفحهٔ همان پرونده تغییر دهید.", ref=shown_ref(case.ref),
                             status=status_named_with_code(to_status), held=differs[0], asked=differs[1]))
    return True


def move_once(case: PublicQuestion, to_status: str, actor, **terms) -> bool:
    """``move`` (``terms``: its keyword arguments) unless ``moved_already``: True when moved now, False
    when the case was there. A move that lost to the same move made at the same instant (two runs of one
    script: ``move`` refuses the row changed meanwhile) is the case there too, if it holds what was asked.
    :raise NotAllowed, ServiceError: as ``move`` and ``moved_already``."""
    if moved_already(case, to_status, actor, **terms):
        return False
    try:
        move(case, to_status, actor, **terms)
    except ServiceError:
        db.session.rollback()
        db.session.refresh(case)  # as the other run left it
        if not moved_already(case, to_status, actor, **terms):
            raise
        return False
    return True
