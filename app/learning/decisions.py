"""Desk decisions → training labels (pure: the service reads the decisions, the benches simulate
them). What each decision says:

- a route **accepted** → the item is the agency's; **dismissed** → it is not;
- **reassigned** → not the sender's; the receiving route → the receiver's (unless the receiver
  dismissed it in turn);
- a suggestion **accepted** → the agency's; **dismissed** → not;
- a question **marked** / **unmarked** (the latest correction wins) → question / not;
- a **case opened** from the item → a public question;
- a route handled (accepted, dismissed, reassigned) whose question flag nobody corrected → the
  flag as it stood (staff read the item and left it);
- implicit negatives: an item with at least one decision is not the business of an agency that
  neither routes, receives nor was suggested it (``pending``: a route or suggestion not decided
  yet gives no label) — the desk saw where it went.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from app.learning.model import QUESTION, agency_label


class Decision(NamedTuple):
    kind: str  # accepted, dismissed, reassigned, received, suggestion_accepted, suggestion_dismissed,
    #            question_marked, question_unmarked, case_opened, flag_kept, pending
    agency: str | None = None  # the agency's slug (None for question decisions)
    flag: bool | None = None  # flag_kept: the route's question flag


POSITIVE = {"accepted", "received", "suggestion_accepted"}
NEGATIVE = {"dismissed", "reassigned", "suggestion_dismissed"}


def labels_from_decisions(decisions: Iterable[Decision], agencies: Iterable[str]) -> dict[str, bool]:
    """The labels one item's decisions give (oldest decision first), over ``agencies`` (slugs
    whose learning is on: other agencies' decisions are left out)."""
    agencies = set(agencies)
    labels: dict[str, bool] = {}
    question: bool | None = None
    kept: bool | None = None
    touched: set[str] = set()
    for decision in decisions:
        if decision.kind in POSITIVE or decision.kind in NEGATIVE:
            if decision.agency in agencies:
                touched.add(decision.agency)
                label = agency_label(decision.agency)
                labels[label] = decision.kind in POSITIVE
        elif decision.kind == "question_marked" or decision.kind == "case_opened":
            question = True
        elif decision.kind == "question_unmarked":
            question = False
        elif decision.kind == "flag_kept":
            kept = bool(decision.flag) if kept is None else kept or bool(decision.flag)
        elif decision.kind == "pending" and decision.agency in agencies:  # not decided yet: no label
            touched.add(decision.agency)
    if not labels and question is None and kept is None:
        return {}
    for slug in agencies - touched:
        labels[agency_label(slug)] = False
    if question is not None:
        labels[QUESTION] = question
    elif kept is not None:
        labels[QUESTION] = kept
    return labels
