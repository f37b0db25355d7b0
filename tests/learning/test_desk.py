"""labels_from_decisions: what each desk decision teaches the model (issue 15)."""
import pytest

from app.learning.desk import (
    ACCEPT,
    ADD,
    CASE,
    DISMISS,
    MARK,
    REASSIGN,
    UNMARK,
    labels_from_decisions,
)

AGENCIES = ("water", "power", "roads", "health")


def test_no_decision_no_label_not_even_implicit():
    assert labels_from_decisions([], routes=["water"], agencies=AGENCIES) == {}


def test_accept_and_dismiss_label_their_agency_and_the_unrouted_are_negatives():
    labels = labels_from_decisions([(ACCEPT, "water")], routes=["water", "power"], agencies=AGENCIES)
    # power was routed but nobody decided: unlabelled; roads and health were never routed: negatives
    assert labels == {"agency:water": True, "agency:roads": False, "agency:health": False}
    labels = labels_from_decisions([(DISMISS, "water")], routes=["water"], agencies=AGENCIES)
    assert labels["agency:water"] is False and labels["agency:power"] is False


def test_reassignment_is_negative_for_the_sender_positive_for_the_receiver():
    labels = labels_from_decisions([(REASSIGN, "water", "power")], routes=["water"], agencies=AGENCIES)
    assert labels == {"agency:water": False, "agency:power": True, "agency:roads": False,
                      "agency:health": False}


def test_added_agency_is_positive_even_without_a_route():
    labels = labels_from_decisions([(ADD, "roads")], routes=[], agencies=AGENCIES)
    assert labels["agency:roads"] is True and labels["agency:water"] is False


def test_question_marks_and_cases():
    assert labels_from_decisions([(MARK,)])["question"] is True
    assert labels_from_decisions([(CASE,)])["question"] is True
    assert labels_from_decisions([(UNMARK,)])["question"] is False
    # a question decision alone still makes the unrouted agencies negatives (any decision counts)
    assert labels_from_decisions([(UNMARK,)], agencies=("water",)) == {"question": False, "agency:water": False}


def test_a_later_decision_replaces_an_earlier_one():
    labels = labels_from_decisions([(ACCEPT, "water"), (DISMISS, "water"), (MARK,), (UNMARK,)],
                                   routes=["water"])
    assert labels == {"agency:water": False, "question": False}
    labels = labels_from_decisions([(DISMISS, "water"), (REASSIGN, "power", "water")], routes=["water", "power"])
    assert labels == {"agency:water": True, "agency:power": False}


def test_unknown_decision_is_refused():
    with pytest.raises(ValueError):
        labels_from_decisions([("ignore", "water")])
