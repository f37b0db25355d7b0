"""``route_items`` reads a batch stage by stage (the analysis, the rules, the model, the detector: issue 16)
and gives the rows it gave item by item; it still tokenizes only the items a stage reads."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.services.routing import Analyses, create_rule, route_items
from models import ItemRoute, RouteSuggestion
from tests.search_index.item_factory import ItemFactory

COMPLAINT = ("گلایهٔ ساکنان شهرک از رهاشدن پروژهٔ پارک محله؛ چرا کسی پاسخ نمی‌دهد؟",
             "ساکنان شهرک می‌گویند پروژهٔ پارک سه سال است نیمه‌کاره مانده و مسئولان پاسخی نمی‌دهند.")
WATER = ("قطعی آب در روستاهای شهرستان", "اهالی روستا از قطعی آب شرب گلایه دارند و تانکرها دیر می‌رسند.")


def _rows() -> list[tuple]:
    routes = db.session.execute(select(ItemRoute.item_id, ItemRoute.agency_id, ItemRoute.rule_ids, ItemRoute.matched,
                                       ItemRoute.is_question, ItemRoute.question_reasons, ItemRoute.model_id,
                                       ItemRoute.model_probability, ItemRoute.model_words)
                                .order_by(ItemRoute.id)).all()
    suggestions = db.session.execute(select(RouteSuggestion.item_id, RouteSuggestion.agency_id,
                                            RouteSuggestion.probability, RouteSuggestion.words)
                                     .order_by(RouteSuggestion.id)).all()
    return [tuple(r) for r in routes] + [tuple(s) for s in suggestions]


def test_a_batch_gives_the_rows_of_its_items_routed_one_by_one(app, make_agency):
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    make_agency(slug="municipality", name_fa="شهرداری")
    create_rule(water, "قطعی آب", "قطعی آب", actor_label="test")
    factory = ItemFactory()
    local, national = factory.outlet("رسانهٔ محلی", scope="local"), factory.outlet("رسانهٔ ملی", scope="national")

    def batch():
        return [factory.make(*WATER, outlet=local), factory.make(*COMPLAINT, outlet=local),
                factory.make(*COMPLAINT, outlet=national), factory.make(*WATER, outlet=national),
                factory.make("Water cut in the north", "No Persian letter here.", outlet=local),
                factory.make("افتتاح نمایشگاه کتاب استان", "نمایشگاه تا جمعه برپاست.", outlet=local)]

    one_by_one = batch()
    for item in one_by_one:
        route_items(db.session, [item])
    db.session.commit()
    first = _rows()
    db.session.execute(ItemRoute.__table__.delete())
    db.session.execute(RouteSuggestion.__table__.delete())
    together = batch()
    assert route_items(db.session, together) == len([r for r in first if len(r) == 9])
    db.session.commit()
    ids = {new.id: old.id for new, old in zip(together, one_by_one)}
    assert [(ids[row[0]], *row[1:]) for row in _rows()] == first
    assert {row[:2] for row in first} >= {(one_by_one[0].id, water.id), (one_by_one[1].id, None)}


def test_an_item_no_stage_reads_is_not_tokenized(app, make_agency):
    """Persian rules, the model off: an item without an Arabic-script letter is routed by nothing
    and never tokenized, in a batch where the Persian items are."""
    app.config["LEARNING"] = False
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    create_rule(water, "قطعی آب", "قطعی آب", actor_label="test")
    factory = ItemFactory()
    national = factory.outlet("رسانهٔ ملی", scope="national")
    persian, english = factory.make(*WATER, outlet=national), factory.make("Water cut", "No water.", outlet=national)
    analyses = Analyses([persian, english])
    assert route_items(db.session, [persian, english], analyses) == 1
    assert analyses[persian.id]._fields is not None
    assert analyses[english.id]._fields is None
