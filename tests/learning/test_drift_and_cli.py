"""The drift check warns when the share of routed items moves sharply week on week; the learning
commands train, list versions and report drift as JSON."""
from __future__ import annotations

import json
from datetime import timedelta

from app.clock import utcnow
from app.extensions import db
from app.services.learning_drift import drift_report
from models import ItemRoute
from tests.learning.desk_world import build_desk
from tests.search_index.item_factory import ItemFactory


def _week(factory, water, days_ago: int, items: int, routed: int, by_model: int = 0, model_id=None) -> None:
    when = utcnow() - timedelta(days=days_ago)
    for n in range(items):
        item = factory.make(f"خبر {n}", "متن", fetched_at=when, published_at=when, commit=False)
        if n < routed:
            db.session.add(ItemRoute(item_id=item.id, agency_id=water.id, status="new",
                                     model_id=model_id if n < by_model else None))
    db.session.commit()


def test_a_sharp_move_in_the_routed_share_is_a_warning(app, make_agency):
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    factory = ItemFactory()
    _week(factory, water, 15, 40, 12)  # 30 %
    _week(factory, water, 8, 40, 14)  # 35 %: no warning
    _week(factory, water, 1, 40, 2)  # 5 %: a sharp drop
    report = drift_report(weeks=3)
    assert [w["items"] for w in report["weeks"]] == [40, 40, 40]
    assert [w["routed"] for w in report["weeks"]] == [12, 14, 2]
    assert len(report["warnings"]) == 1
    warning = report["warnings"][0]
    assert warning["week"] == report["weeks"][2]["week"] and warning["to"] == 0.05
    assert "۳۵٪" in warning["message"] and "۵٪" in warning["message"]


def test_a_sharp_move_in_the_models_share_is_a_warning_too(app, make_agency):
    """Rules had routed nearly every item; a model that then routed 40 % of them moved the routed
    share by nothing, and no warning came (a review of routing, session 28)."""
    from app.services.learning_training import register_starter_model

    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    model = register_starter_model()
    factory = ItemFactory()
    _week(factory, water, 8, 40, 38)
    _week(factory, water, 1, 40, 38, by_model=16, model_id=model.id)
    warnings = drift_report(weeks=2)["warnings"]
    assert [(w["kind"], w["from"], w["to"]) for w in warnings] == [("model", 0.0, 0.4)]
    assert "مدل ارجاع داد" in warnings[0]["message"] and "۴۰٪" in warnings[0]["message"]


def test_few_items_give_no_warning(app, make_agency):
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    factory = ItemFactory()
    _week(factory, water, 8, 10, 9)
    _week(factory, water, 1, 10, 0)
    assert drift_report(weeks=2)["warnings"] == []


def test_learning_commands(app, make_agency, make_user):
    app.config["LEARNING"] = True
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    power = make_agency(slug="power", name_fa="شرکت توزیع نیروی برق")
    build_desk(water, power, actor=make_user("supervisor"))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["learning", "train", "--json"])
    assert result.exit_code == 0, result.output
    trained = json.loads(result.output)
    assert trained["status"] == "active" and set(trained) >= {"model_id", "note", "figures", "compared_with",
                                                              "label_counts"}
    result = runner.invoke(args=["learning", "versions", "--json"])
    versions = [json.loads(line) for line in result.output.splitlines()]
    assert [(v["source"], v["status"]) for v in versions] == [("desk", "active"), ("starter", "retired")]
    result = runner.invoke(args=["learning", "drift", "--json", "--weeks", "2"])
    assert set(json.loads(result.output)) == {"weeks", "warnings"}
    result = runner.invoke(args=["learning", "switch", "power", "off", "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == {"agency": "power", "learning": False}
    assert not db.session.get(type(power), power.id).learning_enabled
    result = runner.invoke(args=["learning", "switch", "شرکت توزیع نیروی برق", "on", "--json"])  # its Persian name
    assert result.exit_code == 0 and json.loads(result.output) == {"agency": "power", "learning": True}
    result = runner.invoke(args=["learning", "switch", "nowhere", "off"])
    assert result.exit_code != 0 and "nowhere" in result.output


def test_routing_test_reports_rule_and_model_routes_apart(app):
    app.config["LEARNING"] = True
    line = json.dumps({"id": 7, "title": "آبرسانی سیار به روستاهای بخش مرکزی با تانکر",
                       "text": "شرکت آب و فاضلاب روستایی: تانکرها هر روز به روستاهای بی‌آب اعزام می‌شوند."},
                      ensure_ascii=False)
    result = app.test_cli_runner().invoke(args=["routing", "test", "--json"], input=line + "\n")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) >= {"id", "agencies", "question", "reasons", "routes", "rule_agencies", "model_agencies",
                        "suggested", "model", "question_model"}
    assert out["agencies"] == out["rule_agencies"] + out["model_agencies"]
    assert "water" in out["agencies"]
    for entry in out["model"]:
        assert set(entry) == {"agency", "probability", "words", "routes"}


def test_the_registered_shipped_models_routes_count_as_the_models(app, make_agency):
    """Registered (as `init` does: tests/test_migrations.py), the shipped model's routes name its
    version and `learning drift` counts them (unregistered, they carried none and the model's
    share read 0 on an installation that had not trained yet)."""
    from app.services.learning_training import register_starter_model
    from app.services.routing import route_items

    app.config["LEARNING"] = True
    register_starter_model()
    city = make_agency(slug="municipality", name_fa="شهرداری")
    factory = ItemFactory()
    items = [factory.make("آسفالت معابر شهر", "شهرداری آسفالت خیابان‌ها و معابر شهری را آغاز کرد؛ شهردار از "
                          f"لکه‌گیری و شیب‌بندی معابر گفت. {n}", commit=False) for n in range(3)]
    db.session.flush()
    route_items(db.session, items)
    db.session.commit()
    routes = db.session.query(ItemRoute).filter(ItemRoute.agency_id == city.id).all()
    assert routes and all(r.model_id is not None for r in routes)
    assert drift_report(weeks=1)["weeks"][-1]["by_model"] == 3


def test_a_release_with_another_starter_model_registers_it(app, tmp_path, monkeypatch):
    """Registered once, the first shipped model stayed in force for good: a release's retrained
    starter never reached an installation that had not trained (the review of session 29). A new
    file is a new version, active in place of the old starter, not in place of a desk's version."""
    from app.learning.model import TextModel
    from app.services import learning_training
    from app.services.learning import STARTER_MODEL, active_model
    from models import ClassifierModel

    first = learning_training.register_starter_model()
    assert learning_training.register_starter_model().id == first.id  # the same file: the same version
    shipped = TextModel.from_bytes(STARTER_MODEL.read_bytes())
    shipped.meta = {**shipped.meta, "trained_on": "a later release"}
    newer = tmp_path / "starter_model.npz"
    newer.write_bytes(shipped.to_bytes())
    monkeypatch.setattr(learning_training, "STARTER_MODEL", newer)
    second = learning_training.register_starter_model()
    assert second.id != first.id and (first.status, second.status) == ("retired", "active")
    assert active_model().id == second.id and second.note == "a later release"
    db.session.query(ClassifierModel).filter(ClassifierModel.id == second.id).update({"status": "retired"})
    desk = ClassifierModel(source="desk", status="active", trained_by="test", label_counts={}, figures={},
                           note="", payload=first.payload)
    db.session.add(desk)
    db.session.commit()
    shipped.meta = {**shipped.meta, "trained_on": "a third release"}
    newer.write_bytes(shipped.to_bytes())
    third = learning_training.register_starter_model()
    assert third.status == "retired" and active_model().id == desk.id  # the desk's version stays in force
