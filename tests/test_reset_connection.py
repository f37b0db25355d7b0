"""On PostgreSQL each test's reset (the 51 tables emptied) runs on one connection the worker keeps
(tests/conftest.py's ``_reset_engine``): a new backend read the catalog of every table again for it,
~20 ms of the server's CPU a test. The test's own engine still opens new connections, and the
calendar's rows are written through them, as every row the test writes."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.pool import NullPool

from app.extensions import db
from tests.conftest import _BASELINE, RESET_LOCK_TIMEOUT, _empty_postgresql_database, _reset_engine


def _backend(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT pg_backend_pid()"))


def test_the_reset_keeps_its_one_backend_and_the_test_its_own(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the reset connection is PostgreSQL's (SQLite copies a template file)")
    from models import Holiday

    reset = _reset_engine(db.engine.url.render_as_string(hide_password=False))
    before = _backend(reset)
    db.session.add(Holiday(day=date(2031, 1, 1), name="روز آزمون"))
    db.session.commit()
    ran: list[tuple[int, str]] = []

    def note(conn, cursor, statement, *args) -> None:
        ran.append((cursor.connection.info.backend_pid, statement))

    event.listen(reset, "before_cursor_execute", note)
    try:
        _empty_postgresql_database()  # the next test's reset
    finally:
        event.remove(reset, "before_cursor_execute", note)

    assert any('DELETE FROM "holidays"' in statement for _, statement in ran)
    assert {pid for pid, _ in ran} == {before}  # the same backend, its catalog read once
    assert not any("INSERT" in statement.upper() for _, statement in ran)  # no row placed through it
    assert _backend(db.engine) != before  # the test's own connections are not the reset's
    assert db.session.scalar(select(func.count()).select_from(Holiday)) == len(_BASELINE["holidays"])
    assert db.session.scalar(select(func.count()).where(Holiday.name == "روز آزمون")) == 0


def test_the_reset_recovers_when_its_kept_backend_was_ended(app):
    """The server restarted or an administrator ended the reset's backend between two tests: the
    next reset opens a new one (the pool pings the kept connection first), it does not fail or hang."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the reset connection is PostgreSQL's (SQLite copies a template file)")
    from models import Holiday

    reset = _reset_engine(db.engine.url.render_as_string(hide_password=False))
    before = _backend(reset)
    with db.engine.begin() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": before})
    db.session.add(Holiday(day=date(2031, 1, 2), name="روز آزمون"))
    db.session.commit()

    _empty_postgresql_database()

    assert _backend(reset) != before
    assert db.session.scalar(select(func.count()).where(Holiday.name == "روز آزمون")) == 0


def test_a_lock_left_by_an_earlier_test_ends_the_reset_with_an_error_naming_it_not_a_hang(app):
    """A connection an earlier test left in a transaction holding a table's lock (a leak) made the
    next test's reset wait on it for ever: the run hung until CI's limit, no test named. The reset's
    connection gives up after ``lock_timeout`` and says which backend held the lock, doing what."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the reset connection is PostgreSQL's (SQLite copies a template file)")
    from sqlalchemy import create_engine

    reset = _reset_engine(db.engine.url.render_as_string(hide_password=False))
    with reset.connect() as conn:
        assert conn.scalar(text("SHOW lock_timeout")) == RESET_LOCK_TIMEOUT
    leaked = create_engine(db.engine.url.render_as_string(hide_password=False), poolclass=NullPool)
    holder = leaked.connect()
    try:
        holder.execute(text("LOCK TABLE holidays IN ACCESS EXCLUSIVE MODE"))  # the transaction left open
        with reset.connect() as conn:
            conn.exec_driver_sql("SET lock_timeout = '200ms'")  # this connection only, undone below
            conn.commit()
        with pytest.raises(RuntimeError) as refused:
            _empty_postgresql_database()
        assert "LOCK TABLE holidays IN ACCESS EXCLUSIVE MODE" in str(refused.value)
        assert "idle in transaction" in str(refused.value)
    finally:
        holder.close()
        leaked.dispose()
        with reset.connect() as conn:
            conn.exec_driver_sql("RESET lock_timeout")
            conn.commit()
            assert conn.scalar(text("SHOW lock_timeout")) == RESET_LOCK_TIMEOUT
    _empty_postgresql_database()  # the lock gone, the next reset goes through
