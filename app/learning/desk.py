"""What the desk's decisions say about an item: the labels a model is trained on (issue 15).

A pure function over plain tuples, shared by the service that turns stored decisions into
training examples and by the benches that simulate a desk (bench/eval_learning.py), so both
learn from the same reading of a decision:

==========================  =================================================================
decision                    label(s)
==========================  =================================================================
``(ACCEPT, agency)``        the agency: positive
``(DISMISS, agency)``       the agency: negative
``(REASSIGN, from, to)``    the sender: negative; the receiver: positive
``(ADD, agency)``           the agency: positive (staff route an item the rules missed)
``(MARK,)`` / ``(CASE,)``   ``question``: positive (marked as a public question; a case opened)
``(UNMARK,)``               ``question``: negative
==========================  =================================================================

Decisions are read in the order given (oldest first): a later decision about a label replaces an
earlier one (accepted, then dismissed, is a negative). Implicit negatives: once an item has at
least one decision, each of ``agencies`` that the item was never routed to (``routes``) and that
no decision made positive is a negative: staff who worked on the item saw it was not theirs.
An agency routed to but not decided on stays unlabelled (nobody said), and ``question`` has no
implicit label.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.learning.model import QUESTION, agency_label

ACCEPT, DISMISS, REASSIGN, ADD = "accept", "dismiss", "reassign", "add"
MARK, UNMARK, CASE = "mark", "unmark", "case"
KINDS = (ACCEPT, DISMISS, REASSIGN, ADD, MARK, UNMARK, CASE)


def labels_from_decisions(decisions: Iterable[Sequence], routes: Iterable[str] = (),
                          agencies: Iterable[str] = ()) -> dict[str, bool]:
    """The labels (``agency:<slug>`` and ``question`` → True/False) that ``decisions`` about one
    item give, plus the implicit negatives among ``agencies`` (slugs) for an item with a decision
    and no route (``routes``: slugs the item was routed to, by a rule or the model)."""
    labels: dict[str, bool] = {}
    decided = False
    for decision in decisions:
        kind = decision[0]
        decided = True
        if kind == ACCEPT or kind == ADD:
            labels[agency_label(decision[1])] = True
        elif kind == DISMISS:
            labels[agency_label(decision[1])] = False
        elif kind == REASSIGN:
            labels[agency_label(decision[1])] = False
            labels[agency_label(decision[2])] = True
        elif kind == MARK or kind == CASE:
            labels[QUESTION] = True
        elif kind == UNMARK:
            labels[QUESTION] = False
        else:
            raise ValueError(f"unknown decision {kind!r}")
    if decided:
        routed = set(routes)
        for slug in agencies:
            label = agency_label(slug)
            if slug not in routed and label not in labels:
                labels[label] = False
    return labels
