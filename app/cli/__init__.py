"""CLI commands: `flask --app app …`. They call the same services as the views."""
from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.cli import (
    report_documents,  # noqa: F401 - its commands join report_cli
    usage,
)
from app.cli.alerts import alerts_cli
from app.cli.backup import backup_command, restore_command
from app.cli.calendar import calendar_cli
from app.cli.cases import cases_cli
from app.cli.contacts import contacts_cli
from app.cli.directory import directory_cli
from app.cli.feeds import feeds_cli, items_cli
from app.cli.learning import learning_cli
from app.cli.portals import portals_cli
from app.cli.report import report_cli
from app.cli.routing import routing_cli
from app.cli.search import search_cli
from app.cli.usage import json_text
from app.cli.users import user_cli
from app.config import SECRET_KEY_FILE, resolve_secret_key
from app.services.calendar_setup import ensure_calendar_defaults, ensure_lunar_proposals
from app.services.demo import seed_demo
from app.services.digits import shown_number
from app.services.learning_training import register_starter_model
from app.worker import serve_command, worker_command


def _emit(data: dict, as_json: bool, text: str) -> None:
    click.echo(json_text(data, ensure_ascii=False) if as_json else text)


def ensure_data_dir(data_dir: str) -> Path:
    """Create the data folder (0700) and its secret-key file (0600) when they are missing. The
    database in it holds the password hashes and the second factor's secrets: a folder made with
    the usual umask (0755) let every local account read them (a review of the login, session 36).
    A folder that exists keeps the mode its owner gave it."""
    path = Path(data_dir)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_file = path / SECRET_KEY_FILE
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return path


@click.command("init", cls=usage.Command)
@with_appcontext
def init_command() -> None:
    """Create the data folder and bring the database schema up to date (safe to run again)."""
    ensure_data_dir(current_app.config["DATA_DIR"])
    current_app.config["SECRET_KEY"] = resolve_secret_key(current_app.config)
    from flask_migrate import upgrade  # here, not at every command's start (app/extensions.py)

    upgrade()
    ensure_calendar_defaults()
    ensure_lunar_proposals()
    # The shipped classifier as a stored version from the start: its routes name it, and `learning
    # drift` counts them as the model's (unregistered, its routes carried no version: the model's
    # share read 0 on an installation that had not trained yet).
    register_starter_model()
    click.echo(_("همزبان آماده است؛ داده‌ها در %(path)s", path=current_app.config["DATA_DIR"]))


@click.command("seed-demo", cls=usage.Command)
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--no-history", is_flag=True, help="Leave out the year of archive items, cases, conferences and "
                                                 "contacts behind this month (the dashboards' charts).")
@with_appcontext
def seed_demo_command(as_json: bool, no_history: bool) -> None:
    """Load the standard agencies and one demo user per role, and demo work (safe to run again)."""
    result = seed_demo(history=not no_history)
    if as_json:
        click.echo(json_text(result, ensure_ascii=False))
        return
    click.echo(_("دستگاه‌های افزوده: %(count)s", count=shown_number(result["agencies_added"])))
    if result["users"]:
        click.echo(_("کاربران نمایشی (گذرواژه‌ها همین یک بار نشان داده می‌شوند؛ یادداشت کنید):"))
        for user in result["users"]:
            click.echo(f"  {user['username']:<12} {user['role']:<11} {user['password']}")
        second = sorted(current_app.config["MFA_REQUIRED_ROLES"])
        if second:  # said here: a newcomer without an authenticator app could not get in as them
            click.echo(_("نقش‌های %(roles)s در نخستین ورود عامل دوم (رمز یک‌بارمصرف برنامهٔ احراز هویت) را "
                         "راه می‌اندازند؛ دیگران تنها با گذرواژه وارد می‌شوند.", roles="، ".join(second)))
    else:
        click.echo(_("کاربران نمایشی از پیش هستند؛ گذرواژه‌هایشان هنگام ساختن نشان داده شد."))


def register_commands(app: Flask) -> None:
    commands = usage.AppCommands(app.cli.name)  # an unknown command said in Persian
    commands.commands.update(app.cli.commands)
    app.cli = commands
    for command in (init_command, seed_demo_command, user_cli, usage.persian(worker_command),
                    usage.persian(serve_command), calendar_cli,
                    feeds_cli, items_cli, search_cli, routing_cli, alerts_cli, cases_cli, contacts_cli,
                    directory_cli, portals_cli, report_cli, learning_cli, backup_command,
                    restore_command):
        app.cli.add_command(command)
