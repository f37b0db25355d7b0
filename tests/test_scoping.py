"""Agency isolation lives in one place: every query of an agency-owned model is scoped."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.scoping import NO_AGENCY, agency_scope, get_or_404, scope_for_user
from app.services.audit import record
from models import AuditEntry, User


@pytest.fixture
def two_agencies(make_agency, make_user):
    a, b = make_agency(slug="alpha"), make_agency(slug="beta")
    ua, ub = make_user(role="staff", agency=a), make_user(role="staff", agency=b)
    record("test.a", actor=ua, obj=ua)
    record("test.b", actor=ub, obj=ub)
    db.session.commit()
    ids = (a.id, b.id, ua.id, ub.id)
    db.session.expunge_all()  # nothing cached: every read below goes to the database
    return ids


def test_scoped_queries_see_only_their_agency(two_agencies):
    a, _b, ua_id, ub_id = two_agencies
    with agency_scope(a):
        assert set(db.session.scalars(select(User.id))) == {ua_id}
        assert [e.action for e in db.session.scalars(select(AuditEntry))] == ["test.a"]
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1
        assert db.session.get(User, ub_id) is None
        with pytest.raises(NotFound):
            get_or_404(User, ub_id)
    db.session.expunge_all()
    with agency_scope(None):
        assert set(db.session.scalars(select(User.id))) == {ua_id, ub_id}


def test_joins_and_relationships_are_scoped_too(two_agencies):
    a, _b, ua_id, _ub_id = two_agencies
    with agency_scope(a):
        joined = db.session.scalars(select(AuditEntry).join(User, AuditEntry.actor_id == User.id)).all()
        assert {e.actor_id for e in joined} == {ua_id}


def test_scope_for_each_role(make_user, make_agency):
    agency = make_agency()
    assert scope_for_user(make_user(role="admin")) is None
    assert scope_for_user(make_user(role="supervisor")) is None
    for role in ("manager", "staff", "viewer"):
        assert scope_for_user(make_user(role=role, agency=agency)) == agency.id
    assert scope_for_user(None) == NO_AGENCY


def test_unscoped_option_is_explicit(two_agencies):
    a, _b, ua_id, ub_id = two_agencies
    with agency_scope(a):
        everyone = db.session.scalars(select(User.id).execution_options(unscoped=True)).all()
    assert set(everyone) == {ua_id, ub_id}
