"""A form's token is claimed once, even by two requests at the same moment (a double click): the
second waits for the first's commit and is told the form was sent, on SQLite and PostgreSQL."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.clock import utcnow
from app.extensions import db
from app.services.submissions import AlreadySent, claim, new_token, prune
from models import FormSubmission


def test_two_requests_with_one_token_at_once_make_one_claim(app, make_user):
    user = make_user(role="staff")
    token = new_token()
    claim(token, user)  # the first request: claimed, its record being made, not yet committed
    outcome: list[str] = []
    refused_at: list[float] = []

    def second_request():
        with app.app_context():
            try:
                claim(token, None)
                db.session.commit()
                outcome.append("claimed")
            except AlreadySent as sent:
                refused_at.append(time.monotonic())
                outcome.append(str(sent))
            finally:
                db.session.remove()

    other = threading.Thread(target=second_request)
    other.start()
    time.sleep(0.5)  # the second request waits on the first's row (PostgreSQL) or write lock (SQLite)
    committed_at = time.monotonic()
    db.session.commit()
    other.join(timeout=60)
    assert not other.is_alive()
    assert len(outcome) == 1 and "پیش‌تر فرستاده شده" in outcome[0], outcome
    assert refused_at[0] >= committed_at  # it waited for the first: told only once that one committed
    assert db.session.scalar(select(func.count()).select_from(FormSubmission)) == 1


def test_a_claim_rolled_back_with_its_refused_record_may_be_made_again(app, make_user):
    token = new_token()
    claim(token, make_user(role="staff"))
    db.session.rollback()  # the create was refused: the claim goes with it
    claim(token, None)
    db.session.commit()
    with pytest.raises(AlreadySent):
        claim(token, None)


def test_no_token_or_a_malformed_one_is_not_checked_and_old_tokens_are_pruned(app):
    for token in (None, "", "not-a-token", "x" * 500):
        claim(token, None)
        claim(token, None)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(FormSubmission)) == 0
    db.session.add(FormSubmission(token="0" * 32, created_at=utcnow() - timedelta(days=2)))
    db.session.add(FormSubmission(token="1" * 32, created_at=utcnow()))
    db.session.commit()
    assert prune() == 1
    assert db.session.scalars(select(FormSubmission.token)).all() == ["1" * 32]
