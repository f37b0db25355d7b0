"""The tests' shared dialect and compiled-statement cache (tests/conftest.py): an engine of one kind
is handed a dialect that its first connection initialized, never one no connection ever did."""
from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

from tests.conftest import _shared_statement_cache


class _App:
    def __init__(self, path) -> None:
        self.instance_path = str(path)


def test_an_engine_never_connected_does_not_lend_its_uninitialized_dialect(tmp_path):
    """An app made and never used (a configuration test) came first: every later engine of its kind
    got its dialect, which no connection initialized (no server version, no default isolation level:
    a connection with an isolation level raised AttributeError, PostgreSQL's literals doubled
    backslashes), for the rest of the worker."""
    make = _shared_statement_cache(SQLAlchemy._make_engine.__wrapped__)
    options = {"connect_args": {"timeout": 5.0}}
    unused = make(SQLAlchemy(), None, {"url": f"sqlite:///{tmp_path / 'a.db'}", **options}, _App(tmp_path))
    engines = []
    for n in "bc":
        engines.append(engine := make(SQLAlchemy(), None, {"url": f"sqlite:///{tmp_path / f'{n}.db'}", **options},
                                      _App(tmp_path)))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            assert conn.scalar(text("SELECT 1")) == 1
        assert engine.dialect.server_version_info is not None and engine.dialect.default_schema_name == "main"
    assert engines[1].dialect is engines[0].dialect  # shared once one was initialized
    for engine in (unused, *engines):
        engine.dispose()
