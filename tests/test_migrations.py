"""The Alembic migrations build exactly the schema the models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db


def _reset(app):
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    if db.engine.dialect.name == "sqlite":
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_upgrade_matches_models_and_downgrade_empties(app):
    _reset(app)
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == [], f"models and migrations disagree; run `flask db migrate`: {diff}"
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()  # and up again: the migrations are repeatable


def test_init_command_is_safe_to_run_twice(app):
    _reset(app)
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init"])
        assert result.exit_code == 0, result.output
    assert "users" in inspect(db.engine).get_table_names()


def test_0009_turns_is_fixed_solar_into_a_kind_and_back(app):
    _reset(app)
    upgrade(revision="0006")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO holidays (day, name, is_fixed_solar, created_at) VALUES "
                          "('2026-03-21', 'نوروز', TRUE, CURRENT_TIMESTAMP), "
                          "('2026-06-25', 'عاشورای حسینی', FALSE, CURRENT_TIMESTAMP)"))
    upgrade(revision="0009")
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT name, kind, status, hijri_date FROM holidays ORDER BY day")).all()
    assert [tuple(r) for r in rows] == [("نوروز", "fixed_solar", "confirmed", None),
                                        ("عاشورای حسینی", "other", "confirmed", None)]
    downgrade(revision="0006")
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT name, is_fixed_solar FROM holidays ORDER BY day")).all()
    assert [(name, bool(fixed)) for name, fixed in rows] == [("نوروز", True), ("عاشورای حسینی", False)]
