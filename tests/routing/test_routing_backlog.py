"""Routing after the ingest's commit (FEED_ROUTING=after_commit, app/services/routing_backlog.py):
the same routes as routing inside the ingest, nothing lost by a crash between the two commits,
nothing routed twice."""
from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import func, insert, select

from app import create_app
from app.extensions import db
from app.services import routing_backlog
from app.services.agencies import ensure_standard_agencies
from app.services.routing import load_starter_rules
from app.services.routing_backlog import backlog_size, drain_backlog
from app.worker import run_loop, scheduled_jobs
from models import Item, ItemRoute, RoutingBacklog, item_route_rules
from tests.monitor.test_ingest import DEMO, cli_import


def routes() -> list[tuple]:
    """Every route by its item's guid and agency, with what routing wrote on it."""
    rows = db.session.execute(select(Item.guid, ItemRoute.agency_id, ItemRoute.rule_ids, ItemRoute.matched,
                                     ItemRoute.is_question, ItemRoute.question_reasons)
                              .join(Item, Item.id == ItemRoute.item_id).execution_options(unscoped=True))
    return sorted(json.dumps(list(row), ensure_ascii=False, sort_keys=True) for row in rows)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def starter(app):
    ensure_standard_agencies(actor_label="test")
    load_starter_rules(actor_label="test")


def test_the_same_routes_either_way(app, starter, tmp_path):
    """The demo feeds routed after the commit (this database) and inside the ingest (a second,
    SQLite, database): the same routes, rule for rule and word for word."""
    cli_import(app, *DEMO)
    after_commit = routes()
    assert after_commit and backlog_size() == 0
    other = create_app({"TESTING": True, "SECRET_KEY": "test", "DATA_DIR": str(tmp_path / "other"),
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/other.db", "LEARNING": False,
                        "FEED_ROUTING": "in_transaction"})
    with other.app_context():
        db.create_all()
        ensure_standard_agencies(actor_label="test")
        load_starter_rules(actor_label="test")
        cli_import(other, *DEMO)
        assert count(RoutingBacklog) == 0
        in_transaction = routes()
        db.session.remove()
        db.engine.dispose()
    assert after_commit == in_transaction


def test_a_crash_between_the_commit_and_the_drain_loses_nothing(app, starter, monkeypatch):
    from app.services import feeds

    monkeypatch.setattr(feeds, "drain_backlog", lambda **kw: None)  # killed after the ingest's commits
    cli_import(app, *DEMO)
    queued = backlog_size()
    assert queued == count(Item) and count(ItemRoute) == 0
    monkeypatch.undo()

    def crash(*args, **kwargs):  # the drain dies after routing, before its commit
        raise RuntimeError("killed")

    monkeypatch.setattr(routing_backlog, "notify_new_items", crash)
    with pytest.raises(RuntimeError):
        drain_backlog()
    db.session.rollback()
    assert backlog_size() == queued and count(ItemRoute) == 0  # the rows stay, no half-written routes
    monkeypatch.undo()
    done = drain_backlog()
    assert done["items"] == queued and done["routes"] == count(ItemRoute) > 0 and done["left"] == 0
    links = count(item_route_rules)
    assert drain_backlog() == {"batches": 0, "items": 0, "routes": 0, "notifications": 0, "left": 0}
    assert count(ItemRoute) == done["routes"] and count(item_route_rules) == links


def test_a_stale_row_routes_nothing_twice(app, starter):
    """An item routed meanwhile (e.g. a rule applied to stored items) whose row is still queued:
    the drain adds no second route to the same agency."""
    cli_import(app, *DEMO)
    before = routes()
    routed = sorted(set(db.session.scalars(select(ItemRoute.item_id))))
    db.session.execute(insert(RoutingBacklog), [{"item_id": i} for i in routed])
    db.session.commit()
    assert drain_backlog(batch=3)["routes"] == 0
    assert routes() == before and backlog_size() == 0


def test_the_worker_job_and_the_command_drain_the_backlog(app, starter, monkeypatch):
    from app.services import feeds

    monkeypatch.setattr(feeds, "drain_backlog", lambda **kw: None)
    cli_import(app, *DEMO)
    names = [job.name for job in scheduled_jobs(app)]
    assert names.index("poll-feeds") < names.index("routing-backlog") < names.index("search-index")
    app.config["ROUTING_BACKLOG_BATCH"] = 5
    app.config["ROUTING_BACKLOG_BATCHES_PER_RUN"] = 2
    queued = backlog_size()
    run_loop(app, threading.Event(), once=True)  # two batches of five
    assert backlog_size() == queued - 10 and count(ItemRoute) > 0
    result = app.test_cli_runner().invoke(args=["routing", "backlog", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["items"] == queued - 10 and summary["left"] == 0
    again = app.test_cli_runner().invoke(args=["routing", "backlog", "--json"])
    assert json.loads(again.output)["items"] == 0


def test_deleting_an_item_takes_its_row(app, starter, monkeypatch):
    from app.services import feeds

    monkeypatch.setattr(feeds, "drain_backlog", lambda **kw: None)
    cli_import(app, *DEMO)
    item_id = db.session.scalar(select(RoutingBacklog.item_id).limit(1))
    db.session.delete(db.session.get(Item, item_id))
    db.session.commit()
    assert db.session.get(RoutingBacklog, item_id) is None
