"""Configuration: each key declared once (type, default, description), bad values named."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from app.config import CONFIG_REFUSED, OPTIONS, ConfigError, env_name, load_config
from tests.conftest import REPO

_spec = importlib.util.spec_from_file_location("config_reference", REPO / "scripts" / "config_reference.py")
config_reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(config_reference)


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No HAMZABAN_ setting from the caller's shell; the data folder in tmp_path."""
    for name in list(os.environ):
        if name.startswith("HAMZABAN_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HAMZABAN_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


def test_every_key_has_a_description_and_a_default_of_its_type():
    assert len({o.key for o in OPTIONS}) == len(OPTIONS)
    assert len({env_name(o) for o in OPTIONS}) == len(OPTIONS)
    for option in OPTIONS:
        assert option.description.strip() and "\n" not in option.description, option.key
        if option.default is None:
            # Derived or optional: the reference must say what happens without a value.
            assert option.shown_default, option.key
        else:
            assert isinstance(option.default, option.type), option.key
            assert option.type is bool or not isinstance(option.default, bool), option.key


def test_defaults_and_env_names_are_those_of_before(clean_env, tmp_path):
    data = (tmp_path / "data").resolve()
    config = load_config()
    assert set(config) == {o.key for o in OPTIONS}
    assert config["DATA_DIR"] == str(data)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{data / 'hamzaban.db'}"
    assert config["SEARCH_INDEX_DIR"] == str(data / "search-index")
    assert config["SECRET_KEY"] is None
    assert (config["HTTPS"], config["SMTP_STARTTLS"]) == (False, False)
    assert (config["HOST"], config["PORT"], config["LOGIN_FREE_ATTEMPTS"]) == ("127.0.0.1", 5000, 5)
    assert (config["BABEL_DEFAULT_LOCALE"], config["BABEL_DEFAULT_TIMEZONE"]) == ("fa", "Asia/Tehran")
    assert config["FEED_READ_TIMEOUT"] == 30.0 and type(config["FEED_READ_TIMEOUT"]) is float
    assert config["FEED_MAX_BYTES"] == 15 * 1024 * 1024
    assert config["SEARCH_INDEX_LIMITMB"] == 64 and config["SEARCH_REBUILD_BATCH"] == 50_000
    assert config["ROUTING_UNASSIGNED_SCOPES"] == ("local", "provincial")
    assert (config["FEED_ALLOW_PRIVATE"], config["SMTP_HOST"], config["BASE_URL"]) == ("", "", "")
    for option in OPTIONS:
        if option.default is not None and option.type is not Path:
            assert config[option.key] == option.default, option.key


def test_values_are_read_from_their_env_names(clean_env, tmp_path):
    clean_env.setenv("HAMZABAN_DATABASE_URL", "postgresql+psycopg://u@h/db")
    clean_env.setenv("HAMZABAN_DEFAULT_LOCALE", "en")
    clean_env.setenv("HAMZABAN_TIMEZONE", "Europe/Berlin")
    clean_env.setenv("HAMZABAN_SEARCH_INDEX_DIR", str(tmp_path / "elsewhere"))
    clean_env.setenv("HAMZABAN_FEED_READ_TIMEOUT", " 1.5 ")
    clean_env.setenv("HAMZABAN_PORT", "8080")
    clean_env.setenv("HAMZABAN_HTTPS", "Yes")
    clean_env.setenv("HAMZABAN_ROUTING_UNASSIGNED_SCOPES", " local, ,national ")
    clean_env.setenv("HAMZABAN_SESSION_IDLE_MINUTES", "")  # empty: the default
    config = load_config()
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert (config["BABEL_DEFAULT_LOCALE"], config["BABEL_DEFAULT_TIMEZONE"]) == ("en", "Europe/Berlin")
    assert config["SEARCH_INDEX_DIR"] == str((tmp_path / "elsewhere").resolve())
    assert (config["FEED_READ_TIMEOUT"], config["PORT"], config["HTTPS"]) == (1.5, 8080, True)
    assert config["ROUTING_UNASSIGNED_SCOPES"] == ("local", "national")
    assert config["SESSION_IDLE_MINUTES"] == 30
    clean_env.setenv("HAMZABAN_ROUTING_UNASSIGNED_SCOPES", "")
    assert load_config()["ROUTING_UNASSIGNED_SCOPES"] == ()  # empty: none, as documented


@pytest.mark.parametrize("word, value", [("1", True), ("true", True), ("YES", True), ("on", True),
                                         ("0", False), ("false", False), ("No", False), (" off ", False)])
def test_boolean_words(clean_env, word, value):
    clean_env.setenv("HAMZABAN_SMTP_STARTTLS", word)
    assert load_config()["SMTP_STARTTLS"] is value


@pytest.mark.parametrize("name, raw, expected", [
    ("HAMZABAN_FEED_READ_TIMEOUT", "abc", "a number greater than 0"),  # float: not a number
    ("HAMZABAN_FEED_READ_TIMEOUT", "0", "a number greater than 0"),
    ("HAMZABAN_SMTP_TIMEOUT", "nan", "a number greater than 0"),
    ("HAMZABAN_SEARCH_REFRESH_SECONDS", "-1", "a number of at least 0"),
    ("HAMZABAN_PORT", "abc", "a whole number from 1 to 65535"),  # int: not a number
    ("HAMZABAN_PORT", "5000.5", "a whole number from 1 to 65535"),
    ("HAMZABAN_PORT", "70000", "a whole number from 1 to 65535"),
    ("HAMZABAN_LOGIN_FREE_ATTEMPTS", "-3", "a whole number of at least 1"),  # a negative count
    ("HAMZABAN_FEED_POLL_CONCURRENCY", "0", "a whole number of at least 1"),
    ("HAMZABAN_HTTPS", "maybe", "1/0, true/false, yes/no or on/off"),  # bool: not a boolean word
    ("HAMZABAN_SMTP_STARTTLS", "2", "1/0, true/false, yes/no or on/off"),
    ("HAMZABAN_TIMEZONE", "Mars/Olympus", "an IANA time zone"),
    ("HAMZABAN_TIMEZONE", "../etc/passwd", "an IANA time zone"),
    ("HAMZABAN_DEFAULT_LOCALE", "de", "one of: fa, en"),
])
def test_a_bad_value_names_the_variable_the_value_and_what_is_expected(clean_env, name, raw, expected):
    clean_env.setenv(name, raw)
    with pytest.raises(ConfigError) as caught:
        load_config()
    message = str(caught.value)
    assert name in message and repr(raw) in message and expected in message


def test_every_bad_value_is_reported_at_once(clean_env):
    clean_env.setenv("HAMZABAN_PORT", "x")
    clean_env.setenv("HAMZABAN_HTTPS", "y")
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert "HAMZABAN_PORT" in str(caught.value) and "HAMZABAN_HTTPS" in str(caught.value)


def test_create_app_raises_config_error_outside_the_command_line(clean_env):
    clean_env.setenv("HAMZABAN_FEED_READ_TIMEOUT", "abc")
    with pytest.raises(ConfigError, match="HAMZABAN_FEED_READ_TIMEOUT"):
        create_app()


@pytest.mark.parametrize("args", [("init",), ("worker", "--once"), ("serve",), ("routes",), ("--help",),
                                  ("cases", "list", "--json")])
def test_a_command_with_a_bad_value_prints_the_message_and_exits_2(tmp_path, args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path / "data"), HAMZABAN_FEED_READ_TIMEOUT="abc")
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "HAMZABAN_FEED_READ_TIMEOUT" in done.stderr and "'abc'" in done.stderr, output
    assert CONFIG_REFUSED in done.stderr or CONFIG_REFUSED in done.stdout, output  # Persian first (session 47)
    assert "Traceback" not in output
    assert not (tmp_path / "data").exists()  # nothing was set up with a configuration refused
    if "--json" in args:  # a script reads one JSON line, as for any refusal (a review of the commands, round 4)
        assert list(json.loads(done.stdout)) == ["error"]


def test_the_readme_table_is_generated_from_the_declarations():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert config_reference.section(readme) == config_reference.table(), (
        "README.md's configuration table differs from app/config.py: run `python scripts/config_reference.py`")
    for option in OPTIONS:
        assert f"`{env_name(option)}`" in config_reference.section(readme)


def test_worker_without_a_secret_key_says_what_to_set_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path / "data"))  # never initialised: no secret key file
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "worker", "--once"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "HAMZABAN_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr


def test_postgresql_connections_get_the_parallel_workers_setting(clean_env):
    """HAMZABAN_POSTGRES_PARALLEL_WORKERS reaches every PostgreSQL connection (0 by default: no
    parallel plans, measured to take the cores from the other requests under load); SQLite has none."""
    from flask import Flask

    from app.factory import register_config

    clean_env.setenv("HAMZABAN_SECRET_KEY", "k" * 64)
    clean_env.setenv("HAMZABAN_DATABASE_URL", "postgresql+psycopg://u@h/db")
    app = Flask("settings")
    register_config(app, None)
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {
        "options": "-c max_parallel_workers_per_gather=0"}
    clean_env.setenv("HAMZABAN_POSTGRES_PARALLEL_WORKERS", "2")
    app = Flask("settings")
    register_config(app, None)
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"] == "-c max_parallel_workers_per_gather=2"
    clean_env.delenv("HAMZABAN_DATABASE_URL")
    app = Flask("settings")
    register_config(app, None)
    assert "options" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})


def test_the_setting_is_in_force_on_postgresql(app):
    from sqlalchemy import text

    from app.extensions import db

    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (HAMZABAN_TEST_DATABASE_URL)")
    assert db.session.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == "0"


def test_a_short_secret_key_is_refused_without_being_repeated(clean_env, tmp_path):
    """HAMZABAN_SECRET_KEY=x started the app (session 36's note): a key that short is guessed offline
    from one signed cookie or CSRF token. Refused at 31 characters, taken at 32, and the error never
    repeats the key (it lands in the service's log); a short key written by hand into the data
    folder's file is refused likewise, saying how to make a new one."""
    clean_env.setenv("HAMZABAN_SECRET_KEY", "short-but-secret-" + "s" * 14)
    with pytest.raises(ConfigError) as refused:
        load_config()
    assert "HAMZABAN_SECRET_KEY" in str(refused.value) and "32" in str(refused.value)
    assert "short-but-secret" not in str(refused.value)
    clean_env.setenv("HAMZABAN_SECRET_KEY", "short-but-secret-" + "s" * 15)
    assert load_config()["SECRET_KEY"] == "short-but-secret-" + "s" * 15
    # set but empty (a compose file's «${VAR}», a unit's template): not set, the data folder's key read
    clean_env.setenv("HAMZABAN_SECRET_KEY", "")
    assert not load_config()["SECRET_KEY"]
    clean_env.delenv("HAMZABAN_SECRET_KEY")
    data = tmp_path / "data"
    data.mkdir()
    (data / "secret_key").write_text("hand-made\n")
    with pytest.raises(ConfigError) as refused:
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert "init" in str(refused.value) and "hand-made" not in str(refused.value)


def test_the_command_line_refuses_a_short_secret_key_with_status_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path / "data"), HAMZABAN_SECRET_KEY="letmein")
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "worker", "--once"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "HAMZABAN_SECRET_KEY" in done.stderr and "32" in done.stderr
    assert "letmein" not in done.stderr + done.stdout and "Traceback" not in done.stderr


def test_gunicorn_refuses_a_bad_value_in_persian_first(tmp_path):
    """deploy/gunicorn.conf.py reads the settings before any process starts: its refusal, as systemd's
    journal shows it, says in Persian that nothing started, then names the variable (session 47)."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed here")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path / "data"), HAMZABAN_PORT="eighty")
    done = subprocess.run([str(gunicorn), "-c", "deploy/gunicorn.conf.py"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and CONFIG_REFUSED in done.stderr and "HAMZABAN_PORT='eighty'" in done.stderr, \
        done.stderr
