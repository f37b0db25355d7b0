"""The learning demo: the starter model registered, a month of the water desk, a training that
replaced the starter model, this morning's question routed to the water agency by the model and
flagged by it with its words; running it again adds nothing; with learning off only the starter
model is registered."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.services.agencies import ensure_standard_agencies
from app.services.demo_learning import MORNING, seed_demo_learning
from models import Agency, ClassifierModel, Item, ItemRoute, RouteSuggestion


def _desk(make_user):
    ensure_standard_agencies(actor_label="test")
    water = db.session.scalar(select(Agency).where(Agency.slug == "water"))
    make_user("staff", water, username="water.staff")
    return water


def test_demo_shows_a_model_route_and_suggestions(app, make_user):
    app.config["LEARNING"] = True
    water = _desk(make_user)
    first = seed_demo_learning()
    assert first["decisions"] >= 80 and first["training"] == "active"
    assert first["model_routes"] >= 1 and first["suggestions"] >= 1
    versions = db.session.execute(select(ClassifierModel.source, ClassifierModel.status)
                                  .order_by(ClassifierModel.id)).all()
    assert versions == [("starter", "retired"), ("desk", "active")]
    question = db.session.scalar(select(Item).where(Item.title == MORNING[0][0]))
    route = db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == question.id))
    assert route.agency_id == water.id and route.rule_ids == [] and route.model_words
    assert route.is_question and [r["code"] for r in route.question_reasons] == ["model"]

    counts = (db.session.scalar(select(func.count(Item.id))), db.session.scalar(select(func.count(RouteSuggestion.id))))
    assert seed_demo_learning() == {"decisions": 0, "training": None, "model_routes": 0, "suggestions": 0}
    assert (db.session.scalar(select(func.count(Item.id))),
            db.session.scalar(select(func.count(RouteSuggestion.id)))) == counts
    assert db.session.scalar(select(func.count(ClassifierModel.id))) == 2


def test_with_learning_off_only_the_starter_model(app, make_user):
    _desk(make_user)
    seed_demo_learning()
    seed_demo_learning()
    assert db.session.execute(select(ClassifierModel.source, ClassifierModel.status)).all() == [("starter", "active")]
    assert db.session.scalar(select(func.count(Item.id))) == 0
