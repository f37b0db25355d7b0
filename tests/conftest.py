"""Fixtures: a fresh database per test through the factory, factory-style object makers.

SQLite always; PostgreSQL too when HAMZABAN_TEST_DATABASE_URL is set (the same tests run
against it, each on a freshly created schema).
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import itertools
import json
import os
import re
import shutil
import threading
from pathlib import Path

import argon2
import jinja2
import jinja2.bccache
import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy import SQLAlchemy
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.util import LRUCache
from werkzeug.routing.rules import Rule

from app import create_app, passwords
from app.extensions import db

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
TEST_PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)

# CI (`.ci/run` sets CI): the property tests draw the same examples every run, so a run lands or
# fails on the code alone. Anywhere else each run draws new ones, and what they find is kept in
# .hypothesis/ to be tried first next time (a case found that way is then added as an @example).
# No deadline and no too-slow check in either: both time the machine, not the code (a timed
# assertion, which the suite does not make: speed is measured in bench/). Under a loaded machine
# test_matcher_plan.py::test_random_text failed once and passed alone (session 43); its examples
# read ~100 rules each, near the 200 ms deadline when the CPUs are shared.
settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Passwords are hashed and checked with argon2id's CHEAPEST profile here, the parameters the library
# ships for tests: the same algorithm and code path (the stored hash still starts "$argon2id$",
# old parameters are still re-hashed at login), in a millisecond instead of the 60-100 ms that
# the production parameters take per hash and per login, thousands of times a run. Servers and
# workers the tests start as processes keep the production parameters.
passwords._hasher = argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)


def _cached_builders(compile_builder):
    """Every test makes its app (create_app), and 95 % of that time went to Werkzeug compiling
    the same ~140 URL builders from Python source again. A builder is a function of the rule's
    parsed parts, its defaults and ``append_unknown`` (it reads the rule's converters through the
    rule it is bound to when called), so one compiled function serves every app's equal rule."""
    cache: dict[tuple, object] = {}

    @functools.wraps(compile_builder)
    def cached(self, append_unknown: bool = True):
        key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown)
        if key not in cache:
            cache[key] = compile_builder(self, append_unknown)
        return cache[key]

    return cached


Rule._compile_builder = _cached_builders(Rule._compile_builder)


def _cached_parts(parse_rule):
    """The rest of an app's 16 ms went to Werkzeug parsing the same rule strings into their parts
    again. A rule's parts, its trace and its arguments are a function of the rule string and its
    map's converter classes; its converters are made again for the new map, from what the parse
    asked for (the converter, its arguments), so each app's rules hold converters of their own."""
    cache: dict[tuple, tuple] = {}

    @functools.wraps(parse_rule)
    def cached(self, rule: str):
        key = (rule, tuple(sorted((name, id(cls)) for name, cls in self.map.converters.items())))
        if key not in cache:
            asked: list[tuple] = []
            get_converter = self.get_converter
            self.get_converter = lambda variable, *spec: asked.append((variable, *spec)) or get_converter(variable, *spec)
            try:
                trace_from, arguments = len(self._trace), set(self.arguments)
                parts = list(parse_rule(self, rule))
            finally:
                del self.get_converter
            cache[key] = (parts, self._trace[trace_from:], self.arguments - arguments, asked)
            return iter(parts)
        parts, trace, arguments, asked = cache[key]
        self._trace.extend(trace)
        self.arguments.update(arguments)
        for variable, *spec in asked:
            self._converters[variable] = self.get_converter(variable, *spec)
        return iter(parts)

    return cached


Rule._parse_rule = _cached_parts(Rule._parse_rule)


class _CompiledTemplates(jinja2.BytecodeCache):
    """The templates compiled once per test process and shared by every app the tests make (each
    test makes its own, whose Jinja environment compiled every template it rendered again: a page's
    first rendering took 65 ms, the next 11). A template is reused only while its source is the
    one it was compiled from; the apps all come from the one factory, with the same Jinja settings."""

    def __init__(self) -> None:
        self.compiled: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        checksum, code = self.compiled.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = (bucket.checksum, bucket.code)


_TEMPLATES_COMPILED = _CompiledTemplates()


def _shared_statement_cache(make_engine):
    """Every test makes its app and so its engine, and SQLAlchemy keeps the SQL it compiled per
    engine, keyed by the engine's dialect object: each test compiled the same statements again
    (a fifth of a view test's time). The engines of one kind (driver and options, the database's
    path aside) get the first one's dialect and one compiled cache, as one long-running process's
    engine would; each keeps its own pool and connections.

    The dialect shared is one its engine's first connection initialized (server version, default
    schema and isolation level, PostgreSQL's string escapes): an engine's pool initializes the
    dialect it was made with, so the first engine made, if never connected (an app a configuration
    test makes and leaves), would have lent an uninitialized one to every later engine."""
    shared: dict[tuple, tuple] = {}

    @functools.wraps(make_engine)
    def make(self, bind_key, options, app):
        engine = make_engine(self, bind_key, options, app)
        kind = (engine.url.drivername, repr(sorted((k, repr(v)) for k, v in options.items() if k != "url")))
        if kind in shared:
            engine.dialect, engine._compiled_cache = shared[kind]
            return engine

        # after create_engine's own "connect" listener, which initializes the dialect on the first connection
        @event.listens_for(engine, "connect", once=True)
        def lend(dbapi_connection, connection_record) -> None:
            engine._compiled_cache = shared.setdefault(kind, (engine.dialect, LRUCache(5000)))[1]

        return engine

    return make


SQLAlchemy._make_engine = _shared_statement_cache(SQLAlchemy._make_engine)


@contextlib.contextmanager
def serving(app, *, threads: int = 4, **adjustments):
    """Serve ``app`` with waitress on an ephemeral 127.0.0.1 port; yields the base URL (``adjustments``:
    waitress's others, as ``serve`` passes them).

    The server is stopped by its own loop thread (a thunk pulled through its trigger closes every
    socket of its map, and the loop ends when the map is empty): closed from this thread, a socket
    could go while the loop was polling it (``OSError: [Errno 9]`` in the server's thread)."""
    from waitress.wasyncore import close_all

    from app.server_errors import create_server  # the server `serve` runs, its own refusals in Persian

    if "unix_socket" not in adjustments:  # else the socket's path: waitress takes no host or port with it
        adjustments.setdefault("host", "127.0.0.1")  # «0.0.0.0»: reached from this machine's other addresses too
        adjustments.update(port=0)
    server = create_server(app, threads=threads, **adjustments)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        sockets = server._map  # waitress keeps the server's sockets there (no public name)
        if thread.is_alive():
            try:
                server.trigger.pull_trigger(lambda: close_all(sockets))
            except OSError:  # the loop ended meanwhile and closed its trigger (CI, session 44: after
                pass  # the test's requests were all answered): its sockets are closed below
        thread.join(timeout=5)
        if sockets:  # the loop had ended already, or did not stop in time
            close_all(sockets)
        server.task_dispatcher.shutdown()


def on_a_terminal(args: list[str], env: dict) -> tuple[int, bytes, str]:
    """Run `flask --app app ARGS` with its standard output on a pseudo-terminal, as a person typing
    it: (exit status, what the terminal showed, standard error)."""
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=REPO, env=env,
                              stdout=follower, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed: all read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return done.returncode, shown, done.stderr.decode()


def shared_data(*parts: str) -> Path:
    """Path into ../shared/data; skips the test cleanly when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared test data not present: {path}")
    return path


def real_articles():
    """(file name, article, body) of each of the 1,500 real Persian articles, in file order: the
    body is the abstract and the paragraphs, one a line (as the benches index them)."""
    for path in sorted(shared_data("persian-news").glob("*.json")):
        for article in json.loads(path.read_text(encoding="utf-8")):
            yield path.name, article, "\n".join([article.get("abstract", "")] + article["paragraphs"])


@functools.cache
def analyzed_articles() -> tuple:
    """``analyze_item`` of each real article (title; abstract and paragraphs, one a line), made once
    per test process: the tests comparing a fast path of routing or the classifier with its plain
    reading on every article read the same analyses (each pass over the 1,491 took 2–5 s)."""
    from app.rules.analysis import analyze_item

    folder = shared_data("persian-news")
    return tuple(analyze_item(article.get("title") or "",
                              "\n".join([article.get("abstract") or "", *article.get("paragraphs", [])]))
                 for path in sorted(folder.glob("*.json"))
                 for article in json.loads(path.read_text(encoding="utf-8")))


def _database_url(tmp_path: Path) -> str:
    url = os.environ.get("HAMZABAN_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'test.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _worker_database(url, worker) if worker else url


@functools.cache
def _worker_database(url: str, worker: str) -> str:
    """Under pytest-xdist (`make test` runs one worker per core) each worker gets a PostgreSQL
    database of its own, `<database>_<worker>`, made on first use: the tests drop and re-create
    the schema, which two workers must not do to each other.

    Its commits do not wait for the WAL's flush to disk (``synchronous_commit = off``, for every
    connection to it, the servers and workers the tests start included): a commit is as visible
    and as atomic as before, only a crash of the PostgreSQL server itself could lose the last
    ones, which no test does. The suite makes ~57,000 commits on PostgreSQL, each waiting for an
    fsync: 0.15 ms here (0.46 → 0.32 ms a commit, ~4 s of the run, within its noise), but the
    clean-clone CI's PostgreSQL run took 1.7× this machine's where its SQLite run took 1.15×."""
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            with contextlib.suppress(ProgrammingError):  # a database another role made: left as it is
                conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The fixtures keep an app context open for the test's own database work; without this,
    requests would share that context's `g` and database session with the test.
    """

    def open(self, *args, **kwargs):
        def run():
            from flask.globals import _cv_app

            _cv_app.set(None)
            return super(IsolatedClient, self).open(*args, **kwargs)

        return contextvars.copy_context().run(run)


@pytest.fixture
def app(tmp_path, tmp_path_factory):
    url = _database_url(tmp_path)
    if url.startswith("sqlite"):
        # A copy of a database made once per worker: the same empty schema as db.create_all()
        # gives, in a millisecond instead of a fifth of a second.
        shutil.copyfile(_sqlite_template(tmp_path_factory), tmp_path / "test.db")
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-long-enough-to-be-used",
        "DATA_DIR": str(tmp_path),
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": True,
        # Admins and supervisors log in with a password alone here, so every test need not carry
        # an authenticator; tests/test_two_factor.py turns the requirement back on (the default).
        "MFA_REQUIRED_ROLES": (),
        # The rules' and the detector's tests see them alone; tests/learning and the pages that
        # show the classifier turn it on (app.config["LEARNING"] = True), as a deployment has it.
        "LEARNING": False,
    })
    app.test_client_class = IsolatedClient
    app.jinja_env.bytecode_cache = _TEMPLATES_COMPILED
    with app.app_context():
        if url.startswith("postgresql"):
            _empty_postgresql_database()
        if _BASELINE:  # the template (SQLite) or the reset (PostgreSQL) put the calendar's rows in
            yield app
        else:
            from app.services.calendar_setup import ensure_calendar_defaults

            ensure_calendar_defaults()
            _keep_baseline(url, tmp_path_factory)
            yield app
        db.session.remove()
        db.engine.dispose()


_TEMPLATES: dict[str, Path] = {}
# Every table's rows after `ensure_calendar_defaults()` ran on the empty schema (the fixed holidays
# and the setting of the years seeded), kept by a worker's first test: each test starts from them,
# as a database after `init` does. Inserted by the ORM one by one they took 30 ms of a test's
# 50 ms setup, 3,800 times a run; the template and the reset now put them in with the schema.
_BASELINE: dict[str, list[dict]] = {}


def _keep_baseline(url: str, tmp_path_factory) -> None:
    """Read the rows the calendar's setup left, and write them into the SQLite template."""
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = [dict(row) for row in conn.execute(table.select()).mappings()]
            if rows:
                _BASELINE[table.name] = rows
    if url.startswith("sqlite"):
        engine = create_engine(f"sqlite:///{_sqlite_template(tmp_path_factory)}")
        with engine.begin() as conn:
            _insert_baseline(conn)
        engine.dispose()


def table_rows() -> dict[str, list[dict]]:
    """Every table's rows (committed), by table, to be put back in another test's fresh database
    with ``put_rows``: a file whose tests only read what the same costly setup made does it once."""
    with db.engine.connect() as conn:
        return {table.name: rows for table in db.metadata.sorted_tables
                if (rows := [dict(row) for row in conn.execute(table.select()).mappings()])}


def put_rows(rows: dict[str, list[dict]]) -> None:
    """Replace the fresh database's rows by ``rows`` (``table_rows``'s), sequences past their ids."""
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
        _insert_baseline(conn, rows)


def _insert_baseline(conn, baseline: dict[str, list[dict]] | None = None) -> None:
    for name, rows in (_BASELINE if baseline is None else baseline).items():
        table = db.metadata.tables[name]
        conn.execute(table.insert(), rows)
        if conn.dialect.name == "postgresql" and "id" in table.c:  # its sequence goes on after them, as after init
            conn.execute(text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                         {"table": name, "last": max(row["id"] for row in rows)})


def _sqlite_template(tmp_path_factory) -> Path:
    if "sqlite" not in _TEMPLATES:
        import models  # noqa: F401 - every model on the metadata

        path = tmp_path_factory.mktemp("schema") / "template.db"
        engine = create_engine(f"sqlite:///{path}")
        db.metadata.create_all(engine)
        engine.dispose()
        _TEMPLATES["sqlite"] = path
    return _TEMPLATES["sqlite"]


_SCHEMA_CHECKED: list[str] = []  # the worker's database, once its columns were compared with the models'


def _columns_differ(conn) -> bool:
    """Whether the database's columns are not the models' (a database an earlier run of older
    code left: the same tables, one column fewer)."""
    present = set(conn.execute(text(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'")).all())
    return present != {(table.name, column.name) for table in db.metadata.sorted_tables for column in table.columns}


def _empty_postgresql_database() -> None:
    """Every test starts from the models' empty schema. Dropping and re-creating it took a
    second or two per test on PostgreSQL (TRUNCATE about as long); when the schema is still the
    one db.create_all() made (the same tables, no Alembic table: a migration or restore test
    leaves one), deleting the rows and restarting the sequences takes a tenth of that. A worker
    compares the columns too, once: its database outlives the run, and the next run's models may
    have a column more (CI runs on the machine the session used).

    The reset runs on the worker's one reset connection (``_reset_engine``), the test's own
    engine and connections being new as before."""
    reset = _reset_engine(db.engine.url.render_as_string(hide_password=False))
    try:
        _empty_on(reset)
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        with reset.connect() as conn:
            holders = conn.execute(text(
                "SELECT pid, state, query FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).all()
        raise RuntimeError(f"the reset waited {RESET_LOCK_TIMEOUT} for a lock an earlier test left held; the "
                           f"database's other backends: {holders}") from exc


def _empty_on(reset) -> None:
    with reset.begin() as conn:
        present = set(conn.scalars(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")))
        url = db.engine.url.render_as_string()
        emptied = present == set(db.metadata.tables) and (url in _SCHEMA_CHECKED or not _columns_differ(conn))
        if emptied:
            if url not in _SCHEMA_CHECKED:
                _SCHEMA_CHECKED.append(url)
            # One round trip: a DELETE a table took one each (50 of them).
            conn.exec_driver_sql("; ".join(f'DELETE FROM "{table.name}"'
                                           for table in reversed(db.metadata.sorted_tables)))
            conn.execute(text("SELECT setval(format('%I.%I', schemaname, sequencename), 1, false) "
                              "FROM pg_sequences WHERE schemaname = 'public'"))
        else:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    if not emptied:
        db.create_all()
    # The calendar's rows go in through the test's own engine, a new backend as every row the test
    # writes: a backend kept from test to test places the rows it inserts by its own cached target
    # page, out of the order a fresh one's land in (session 45), and some queries read without ORDER BY.
    with db.engine.begin() as conn:
        _insert_baseline(conn)


_RESET_ENGINES: dict[str, object] = {}
# A lock an earlier test's leaked transaction still holds: the reset waits this long, then says who
# holds it (without it the run hung until CI's limit, no test named).
RESET_LOCK_TIMEOUT = "30s"


def _reset_engine(url: str):
    """One connection per worker and database, kept from test to test for the reset alone: a new
    PostgreSQL backend reads the catalog of the 51 tables again for the reset's DELETEs (~20 ms of
    the server's CPU a test, 90-260 ms of wall, session 45), one that ran them before does not.
    Only the reset's DELETEs run on it (no row is inserted through it); each test's app makes its
    own engine and connections, new every test (a pool kept across tests met rows out of insertion
    order, session 45)."""
    if url not in _RESET_ENGINES:
        import atexit

        _RESET_ENGINES[url] = engine = create_engine(url, pool_size=1, max_overflow=0, pool_pre_ping=True,
                                                     connect_args={"options": f"-c lock_timeout={RESET_LOCK_TIMEOUT}"})
        atexit.register(engine.dispose)
    return _RESET_ENGINES[url]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_agency(app):
    from models import Agency

    def make(**overrides):
        n = next(_counter)
        values = {"slug": f"agency{n}", "name_fa": f"سازمان {n}", "name_en": f"Agency {n}"}
        values.update(overrides)
        agency = Agency(**values)
        db.session.add(agency)
        db.session.commit()
        return agency

    return make


@pytest.fixture
def make_user(app, make_agency):
    from app.passwords import hash_password
    from app.policy import needs_agency
    from models import User

    hashed = hash_password(TEST_PASSWORD)

    def make(role="staff", agency=None, **overrides):
        n = next(_counter)
        if agency is None and needs_agency(role):
            agency = make_agency()
        values = {
            "username": f"user{n}", "display_name": f"کاربر {n}", "role": role,
            "agency_id": agency.id if agency else None, "password_hash": hashed,
            "session_token": f"tok{n}",
        }
        values.update(overrides)
        user = User(**values)
        db.session.add(user)
        db.session.commit()
        return user

    return make


def csrf_token(client, path="/login") -> str:
    """Fetch a page and return the CSRF token it carries (meta tag or hidden field)."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf[-_]token"[^>]*(?:value|content)="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def spray_address_to_its_longest_wait(app, clock, address: str):
    """A stranger at ``address`` guesses a password at many names until the address waits the
    longest (300 s), then stops and the wait runs out (set LOGIN_FREE_ATTEMPTS_PER_ADDRESS low
    first); the stranger's client."""
    stranger = app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = address
    for n in range(40):
        response = stranger.post("/login", data={"username": f"sprayed{n}", "password": "Password2024!",
                                                  "csrf_token": csrf_token(stranger)})
        if response.status_code == 429:
            if int(response.headers["Retry-After"]) >= 300:
                break
            clock.advance(seconds=int(response.headers["Retry-After"]))
    else:
        pytest.fail("the address's wait never reached the cap")
    clock.advance(seconds=301)  # the stranger has stopped; the address's wait is over
    return stranger


def login(client, user, password: str = TEST_PASSWORD):
    """Log `user` in through the real login form (CSRF included)."""
    token = csrf_token(client)
    response = client.post("/login", data={"username": user.username, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def login_as(client):
    def do(user, password: str = TEST_PASSWORD):
        return login(client, user, password)

    return do


class FakeClock:
    """A clock the test moves by hand: ``clock.advance(minutes=31)``; ``clock()`` is the time now."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, **delta):
        from datetime import timedelta

        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Stand in for ``app.clock.utcnow`` (sessions, throttles and rate limits read the time from it)."""
    from app import clock as app_clock

    fake = FakeClock(app_clock.utcnow())
    monkeypatch.setattr(app_clock, "utcnow", fake)
    return fake


def pytest_collection_modifyitems(config, items):
    """Slow tests first, then the browser's, then the rest: `make test` hands whole files to its
    workers in this order (the Makefile's --no-loadscope-reorder: pytest-xdist's default hands out
    the files with the most tests first), so the long files start at once instead of ending the run
    on one worker while the other has nothing left (stable: a file's tests keep their order)."""
    def rank(item) -> int:
        if item.get_closest_marker("slow"):
            return 0
        return 1 if item.get_closest_marker("browser") else 2

    items.sort(key=rank)
    if os.environ.get("HAMZABAN_TEST_DATABASE_URL") and not os.environ.get("HAMZABAN_BROWSER_ON_POSTGRESQL"):
        # The browser tests prove the pages in Chromium; what the database does under them is
        # proved by the service and view tests, which do run on PostgreSQL. Running them twice
        # cost CI two minutes; HAMZABAN_BROWSER_ON_POSTGRESQL=1 runs them on PostgreSQL too.
        skip = pytest.mark.skip(reason="browser tests run on SQLite (HAMZABAN_BROWSER_ON_POSTGRESQL=1 runs them here)")
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(skip)
    if os.environ.get("HAMZABAN_TEST_DATABASE_URL") and not os.environ.get("HAMZABAN_ALL_ON_POSTGRESQL"):
        # A test without the ``app`` fixture never opens the database (every test that does,
        # subprocesses included, takes its URL from the app): on PostgreSQL it would repeat the
        # SQLite run's result (the analysis, the index, feeds parsed, real-data evaluations).
        # HAMZABAN_ALL_ON_POSTGRESQL=1 runs them here too.
        skip = pytest.mark.skip(reason="no database in this test: run on SQLite (HAMZABAN_ALL_ON_POSTGRESQL=1 runs it here)")
        for item in items:
            if "app" not in getattr(item, "fixturenames", ()):
                item.add_marker(skip)
        # Commands started as real processes to prove what they do with their standard streams (a
        # closed input, a terminal, a pipe without its reader, /dev/stdout): the database only
        # holds what they read, and a process start costs some 2 s, twice as much on PostgreSQL's
        # run (session 42: the suite's time near its limit).
        # Likewise what only parses or judges text (phone numbers, Jalali dates, report periods,
        # passwords) though it takes the app for its translations: the database only sits there.
        one = pytest.mark.skip(reason="what it proves does not depend on the database: run on SQLite "
                                      "(HAMZABAN_ALL_ON_POSTGRESQL=1 runs it here)")
        for item in items:
            if item.get_closest_marker("one_database"):
                item.add_marker(one)
