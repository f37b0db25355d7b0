"""The classifier learns from the desk: decisions become labels, a new version is kept only when
it does at least as well on the held-back slice, and a kept one routes what the rules miss, with
the words that weighed most."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from app.extensions import db
from app.learning.features import item_features
from app.learning.model import QUESTION, agency_label
from app.rules.analysis import analyze_item
from app.services.learning import active_model
from app.services.learning_training import (
    desk_examples,
    held_back,
    learning_job,
    request_training,
    train_model,
)
from app.services.question_labels import label_question
from app.services.routing import create_rule, route_items
from app.services.triage import set_routes_status
from models import AuditEntry, ClassifierModel, ItemRoute, RouteSuggestion
from tests.learning.desk_world import article, build_desk, triage
from tests.search_index.item_factory import ItemFactory


@pytest.fixture
def desk(app, make_agency, make_user):
    app.config["LEARNING"] = True
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    power = make_agency(slug="power", name_fa="شرکت توزیع نیروی برق")
    supervisor = make_user("supervisor")
    world = build_desk(water, power, actor=supervisor)
    return {"water": water, "power": power, "supervisor": supervisor, **world}


def _routes(item_id):
    return {r.agency_id: r for r in db.session.scalars(select(ItemRoute).where(ItemRoute.item_id == item_id))}


def test_decisions_become_labels_on_the_items_staff_triaged(desk):
    examples = dict(desk_examples())
    topics = {item.id: topic for item, topic, _ in desk["items"]}
    pending = {(s.item_id, s.agency_id) for s in db.session.scalars(select(RouteSuggestion))}
    for item_id, example in examples.items():
        for agency in (desk["water"], desk["power"]):
            label = example.labels.get(agency_label(agency.slug))
            if (item_id, agency.id) in pending:  # the model's suggestion, not decided: no label yet
                assert label is None
            else:
                assert label == (topics[item_id] == agency.slug), (topics[item_id], example.labels)
    # every item went through the desk: a route accepted or dismissed, or none (an implicit
    # negative only counts on an item that had a decision)
    assert len(examples) == len({r.item_id for r in db.session.scalars(select(ItemRoute)) if r.status != "new"})


def test_a_training_from_a_good_desk_replaces_the_starter_model_and_routes_what_the_rules_miss(desk):
    result = train_model(actor_label="test")
    assert result.status == "active", result.note
    versions = db.session.scalars(select(ClassifierModel).order_by(ClassifierModel.id)).all()
    assert [(v.source, v.status) for v in versions] == [("starter", "retired"), ("desk", "active")]
    kept = versions[1]
    assert kept.figures["routing"]["f1"] >= kept.compared_with["routing"]["f1"]
    assert kept.label_counts[agency_label("water")]["positive"] > 0
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "classifier.trained")) is not None
    assert active_model().id == kept.id

    # A water item that never says «آب» (the rule's word): the rules miss it, the model routes it.
    factory = ItemFactory()
    item = factory.make("ترکیدگی لوله در شهرک گلستان",
                        "تانکرهای آبرسانی هر روز به منطقه اعزام می‌شوند. لوله‌های فرسوده شبکه توزیع تعویض می‌شود. "
                        "مخزن ذخیره تا پایان ماه تکمیل می‌شود.", commit=False)
    route_items(db.session, [item])
    db.session.commit()
    route = _routes(item.id)[desk["water"].id]
    assert route.rule_ids == [] and route.model_id == kept.id and route.model_probability >= 0.5
    assert route.model_words and all(word in item.title + " " + item.text for word in route.model_words)


def test_a_worse_model_is_kept_aside_and_the_active_one_stays(desk):
    assert train_model(actor_label="test").status == "active"
    good = active_model().id
    # Staff now get every decision of the training slice backwards (the held-back slice keeps its
    # true labels): the model trained on it is worse there, and is not used.
    routes = db.session.scalars(select(ItemRoute).where(ItemRoute.agency_id.is_not(None))).all()
    flip = [r for r in routes if not held_back(r.item_id)]
    set_routes_status([r for r in flip if r.status == "accepted"], "seen", desk["supervisor"])
    accepted = [r for r in flip if r.status == "dismissed"]
    seen = [r for r in flip if r.status == "seen"]
    set_routes_status(accepted, "accepted", desk["supervisor"])
    set_routes_status(seen, "dismissed", desk["supervisor"])
    result = train_model(actor_label="test")
    assert result.status == "rejected"
    assert result.figures["routing"]["f1"] < result.compared_with["routing"]["f1"]
    assert active_model().id == good
    assert "بدتر" in result.note


def test_too_few_decisions_train_nothing_and_say_so(app, make_agency):
    app.config["LEARNING"] = True
    make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    result = train_model(actor_label="test")
    assert result.status == "nothing" and "کافی نیست" in result.note
    # the starter model is registered as the first version and stays active
    assert [(v.source, v.status) for v in db.session.scalars(select(ClassifierModel))] == [("starter", "active")]


def test_an_agency_with_learning_off_gets_no_model_route_and_does_not_train(desk):
    desk["power"].learning_enabled = False
    db.session.commit()
    result = train_model(actor_label="test")
    assert agency_label("power") not in result.label_counts
    rng = random.Random(3)
    item = ItemFactory().make(*article(rng, "power"), commit=False)
    route_items(db.session, [item])
    db.session.commit()
    assert desk["power"].id not in {a for a, r in _routes(item.id).items() if r.model_id is not None}
    assert db.session.scalar(select(RouteSuggestion).where(RouteSuggestion.item_id == item.id,
                                                           RouteSuggestion.agency_id == desk["power"].id)) is None


def test_a_marked_question_is_learnt(desk):
    # Staff mark the residents' questions the detector missed.
    for item, _topic, question in desk["items"]:
        for route in _routes(item.id).values():
            if route.agency_id is not None and question and not route.is_question:
                label_question(route, True, desk["supervisor"])
    examples = dict(desk_examples())
    questions = {item.id for item, _, q in desk["items"] if q}
    assert all(examples[i].labels[QUESTION] for i in questions if i in examples)
    result = train_model(actor_label="test")
    assert result.label_counts[QUESTION]["positive"] >= 10
    assert result.status == "active", result.note
    item = ItemFactory().make("ترکیدگی لوله در بلوار معلم",
                              "اهالی بلوار معلم می‌پرسند چه زمانی مشکل برطرف می‌شود و چرا کسی پاسخگو نیست. "
                              "لوله‌های فرسوده شبکه توزیع تعویض می‌شود.", commit=False)
    plain = ItemFactory().make("تعویض لوله‌های فرسوده در بلوار معلم",
                               "لوله‌های فرسوده شبکه توزیع تعویض می‌شود. مخزن ذخیره آب شرب تا پایان ماه تکمیل "
                               "می‌شود.", commit=False)
    route_items(db.session, [item, plain])
    db.session.commit()
    model = active_model().model

    def question(made):
        features = item_features(analyze_item(made.title, made.text), ngrams=model.uses_ngrams)
        return model.predict(features, floor=0.0)[QUESTION]

    # The model learnt the residents' question: it weighs the question far above the same news
    # without it. Whether it crosses the label's routing threshold depends on the cross-validated
    # cut of this small desk (the browser test drives the flagged case end to end); when it
    # does, the route carries the model's reason with its words.
    asked, not_asked = question(item), question(plain)
    assert asked.probability > max(0.5, 2 * not_asked.probability), (asked, not_asked)
    flagged = [r for r in _routes(item.id).values() if r.is_question]
    assert flagged
    if asked.routes:
        assert any(reason["code"] == "model" and reason["text"] == "پیشنهاد سامانه"
                   for reason in flagged[0].question_reasons)


def test_the_worker_trains_on_request_and_then_waits(app, desk, make_user):
    app_ = app
    admin = make_user("admin")
    assert learning_job(app_) == "classifier: active (version 2)"  # never trained: due
    assert learning_job(app_) == "nothing to do"
    request_training(admin)
    assert learning_job(app_).startswith("classifier: ")
    assert learning_job(app_) == "nothing to do"


def test_the_starter_set_trains_beside_the_desk_where_its_articles_are(app, make_agency):
    from tests.conftest import shared_data

    corpus = shared_data("persian-news")  # skips when ../shared is absent
    app.config.update(LEARNING=True, LEARNING_STARTER_CORPUS=str(corpus))
    make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    make_agency(slug="agriculture", name_fa="جهاد کشاورزی")
    result = train_model(actor_label="test")
    # trained on the starter set's dev rows (no desk decision yet): nothing held back to compare
    # with, so the shipped model stays active
    assert result.label_counts[agency_label("agriculture")]["positive"] >= 10
    assert result.status == "rejected" and "برچسب" in result.note
    assert "۰ خبرِ میز" in result.note and "خبر از مجموعهٔ برچسب‌خوردهٔ آغازین" in result.note
    assert active_model().id != result.model_id


def test_a_corpus_that_is_not_there_is_said_and_the_desk_trains_alone(desk, app):
    app.config["LEARNING_STARTER_CORPUS"] = "/nowhere/persian-news"
    result = train_model(actor_label="test")
    assert result.status == "active"
    assert agency_label("agriculture") not in result.label_counts


def test_one_desks_decisions_are_learnt_against_the_news_nobody_decided_about(app, make_agency, make_user):
    """One agency's pilot: its desk decides only about its own candidates (the rule «آب» took them),
    so a model learnt from those alone weighed any news's words and, after seed-demo's month of the
    water desk, sent 1,054 of the 1,500 real articles — world news and sport too — to the water agency
    (a review of routing, session 28). The news no desk decided about and no agency was given trains
    as every agency's negatives: the other news is not routed to water."""
    app.config["LEARNING"] = True
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    make_agency(slug="power", name_fa="شرکت توزیع نیروی برق")
    staff = make_user("supervisor")
    rng = random.Random(11)
    create_rule(water, "آب", "آب", actor_label="test")
    factory = ItemFactory()
    outlet = factory.outlet("خبرگزاری استان", scope="provincial")
    said = " به گزارش خبرنگار ما، مردم این هفته در گزارش‌ها از آن گفتند."  # words of any news
    desk_items, background = [], []
    for n in range(40):
        title, text = article(rng, "water")
        desk_items.append((factory.make(title, text + said, outlet=outlet, commit=False), "water"))
        if n % 3 == 0:
            title, text = article(rng, "other")
            desk_items.append((factory.make(title, text + " آب و هوای منطقه معتدل بود." + said, outlet=outlet,
                                            commit=False), "other"))
    for _n in range(150):
        title, text = article(rng, rng.choice(["other", "power"]))
        background.append(factory.make(title, text + said, outlet=outlet, commit=False))
    db.session.flush()
    route_items(db.session, [item for item, _ in desk_items] + background)
    db.session.commit()
    triage([(item, topic, False) for item, topic in desk_items], {water.id: "water"}, staff)
    result = train_model(actor_label="test")
    assert result.status == "active", result.note
    kept = db.session.get(ClassifierModel, result.model_id)
    assert kept.label_counts[agency_label("water")]["negative"] > 100  # the background, not the 14 dismissed
    others = [factory.make(*article(random.Random(n), "other"), commit=False) for n in range(20)]
    for item in others:
        item.text += said
    db.session.flush()
    route_items(db.session, others)
    db.session.commit()
    assert not [r for r in db.session.scalars(select(ItemRoute).where(ItemRoute.item_id.in_([i.id for i in others])))
                if r.agency_id == water.id]
    # The labels the desk model could not learn (no power decisions) are read by the starter model, as
    # before the training (the desk model took every other agency's model routes away when it became
    # active: a review of routing, session 28).
    from app.learning.features import item_features
    from app.rules.analysis import analyze_item
    from app.services.learning import classify, starter_model

    active = active_model()
    assert agency_label("power") in active.inherited and agency_label("water") not in active.inherited
    analyzed = analyze_item("خاموشی گسترده در شهر", "قطع برق و خاموشی‌های پی‌درپی؛ شرکت توزیع نیروی برق از "
                            "تعمیر ترانسفورماتور و کابل‌های شبکه برق خبر داد.")
    starter = starter_model()
    expected = starter.predict(item_features(analyzed, ngrams=starter.uses_ngrams, keep=starter.keep)).get(
        agency_label("power"))
    got = classify(analyzed, {"power", "water"}, active)
    power = got.routes.get("power") or got.suggested.get("power")
    assert (power.probability if power else None) == (expected.probability if expected and expected.words else None)
    # Those routes and suggestions name the starter's stored version, not the desk version that
    # did not learn the label (session 28's note: they carried the desk version's id).
    starter_id = db.session.scalar(select(ClassifierModel.id).where(ClassifierModel.source == "starter"))
    assert got.model_for("power") == starter_id != active.id and got.model_for("water") == active.id
    outage = factory.make("خاموشی گسترده در شهر", "قطع برق و خاموشی‌های پی‌درپی؛ شرکت توزیع نیروی برق از "
                          "تعمیر ترانسفورماتور و کابل‌های شبکه برق خبر داد." + said, outlet=outlet, commit=False)
    db.session.flush()
    route_items(db.session, [outage])
    db.session.commit()
    named = [r.model_id for r in db.session.scalars(select(ItemRoute).where(ItemRoute.item_id == outage.id))
             if r.model_probability is not None]
    named += [s.model_id for s in db.session.scalars(select(RouteSuggestion).where(RouteSuggestion.item_id == outage.id))]
    assert named and set(named) == {starter_id}
