"""The inbox's suggestions (issue 15): accept makes the item the agency's, dismiss says it is
not; only the agency's writers (or the governorate) decide, once."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.scoping import agency_scope
from app.services import NotAllowed, ServiceError
from app.services.learning_suggestions import (
    accept_suggestion,
    dismiss_suggestion,
    new_suggestions,
)
from models import AuditEntry, ItemRoute, RouteSuggestion, SearchOutbox, User
from tests.search_index.item_factory import ItemFactory
from tests.services.concurrency import elsewhere


@pytest.fixture
def desk(app, make_agency, make_user):
    water = make_agency(slug="water", name_fa="آب و فاضلاب")
    power = make_agency(slug="power", name_fa="توزیع برق")
    item = ItemFactory().make("اهالی کوی بهاران یک هفته است با سطل آب می‌برند", "آب قطع است.")
    other = ItemFactory().make("خاموشی در شهرک صنعتی", "برق قطع است.")
    suggestion = RouteSuggestion(item_id=item.id, agency_id=water.id, model_id=None, probability=0.62,
                                 words=["اهالی", "سطل"])
    theirs = RouteSuggestion(item_id=other.id, agency_id=power.id, model_id=None, probability=0.41, words=["برق"])
    db.session.add_all([suggestion, theirs])
    db.session.commit()
    return {"water": water, "power": power, "item": item, "suggestion": suggestion, "theirs": theirs,
            "staff": make_user(role="staff", agency=water), "viewer": make_user(role="viewer", agency=water),
            "power_staff": make_user(role="staff", agency=power), "supervisor": make_user(role="supervisor")}


def test_accept_makes_an_accepted_route_with_the_models_words(desk):
    db.session.query(SearchOutbox).delete()
    db.session.commit()
    route = accept_suggestion(desk["suggestion"], desk["staff"])
    db.session.expire_all()
    route = db.session.get(ItemRoute, route.id)
    assert (route.agency_id, route.status, route.rule_ids) == (desk["water"].id, "accepted", [])
    assert (route.model_probability, route.model_words) == (0.62, ["اهالی", "سطل"])
    assert route.status_changed_by_id == desk["staff"].id
    suggestion = db.session.get(RouteSuggestion, desk["suggestion"].id)
    assert (suggestion.status, suggestion.decided_by_id, suggestion.route_id) == ("accepted", desk["staff"].id, route.id)
    assert suggestion.decided_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "route_suggestion.accepted"))
    assert entry.actor_id == desk["staff"].id and entry.details["route_id"] == route.id
    assert entry.agency_id == desk["water"].id
    assert db.session.scalar(select(SearchOutbox.doc_id).where(SearchOutbox.doc_type == "item")) == desk["item"].id


def test_accept_revives_a_dismissed_route(desk):
    old = ItemRoute(item_id=desk["item"].id, agency_id=desk["water"].id, rule_ids=[], matched=[], status="dismissed")
    db.session.add(old)
    db.session.commit()
    route = accept_suggestion(desk["suggestion"], desk["staff"])
    assert route.id == old.id and route.status == "accepted" and route.model_probability == 0.62
    assert db.session.scalar(select(db.func.count(ItemRoute.id))) == 1


def test_dismiss_is_recorded(desk):
    dismiss_suggestion(desk["suggestion"], desk["staff"])
    db.session.expire_all()
    suggestion = db.session.get(RouteSuggestion, desk["suggestion"].id)
    assert (suggestion.status, suggestion.decided_by_id, suggestion.route_id) == ("dismissed", desk["staff"].id, None)
    assert db.session.scalar(select(ItemRoute)) is None
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_id == suggestion.id)) == \
        "route_suggestion.dismissed"


def test_a_decided_suggestion_is_refused_with_a_message(desk):
    accept_suggestion(desk["suggestion"], desk["staff"])
    with pytest.raises(ServiceError, match="پیش‌تر پذیرفته شده است"):
        dismiss_suggestion(desk["suggestion"], desk["staff"])
    with pytest.raises(ServiceError, match="پیش‌تر پذیرفته شده است"):
        accept_suggestion(desk["suggestion"], desk["supervisor"])
    dismiss_suggestion(desk["theirs"], desk["power_staff"])
    with pytest.raises(ServiceError, match="پیش‌تر کنار گذاشته شده است"):
        accept_suggestion(desk["theirs"], desk["power_staff"])
    assert db.session.scalar(select(db.func.count(AuditEntry.id)).where(
        AuditEntry.action.like("route_suggestion.%"))) == 2


def test_only_the_agencys_writers_and_the_governorate_decide(desk):
    with pytest.raises(NotAllowed, match="برای سازمان شما نیست"):
        accept_suggestion(desk["suggestion"], desk["power_staff"])
    with pytest.raises(NotAllowed):
        dismiss_suggestion(desk["suggestion"], desk["viewer"])
    assert db.session.get(RouteSuggestion, desk["suggestion"].id).status == "new"
    route = accept_suggestion(desk["theirs"], desk["supervisor"])  # the governorate: every agency
    assert route.agency_id == desk["power"].id


def test_new_suggestions_are_scoped(desk):
    with agency_scope(desk["water"].id):
        assert [s.id for s in new_suggestions()] == [desk["suggestion"].id]
    with agency_scope(None):
        assert [s.id for s in new_suggestions()] == [desk["suggestion"].id, desk["theirs"].id]
    dismiss_suggestion(desk["suggestion"], desk["staff"])
    with agency_scope(desk["water"].id):
        assert new_suggestions() == []


def test_a_suggestion_dismissed_meanwhile_is_not_accepted(app, desk):
    """Two people on the inbox page at once: one dismissed the suggestion while the other's accept
    was on its way; the accept is refused, the item stays out of the agency's inbox and the
    training keeps the one label («not the agency's»)."""
    suggestion, staff = desk["suggestion"], desk["staff"]
    assert suggestion.status == "new"  # what the accepting request read
    supervisor_id = desk["supervisor"].id
    assert elsewhere(app, lambda: dismiss_suggestion(db.session.get(RouteSuggestion, suggestion.id),
                                                     db.session.get(User, supervisor_id))) == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        accept_suggestion(suggestion, staff)
    db.session.expire_all()
    again = db.session.get(RouteSuggestion, suggestion.id)
    assert (again.status, again.decided_by_id, again.route_id) == ("dismissed", supervisor_id, None)
    assert db.session.scalar(select(ItemRoute)) is None
    assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == suggestion.id)).all() == \
        ["route_suggestion.dismissed"]
