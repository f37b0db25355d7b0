"""The extension objects, created unbound; create_app() initialises them."""
from pathlib import Path

import click
from flask import Flask
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Constraint names are fixed so Alembic batch migrations on SQLite can find them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


# Flask-Migrate (with Alembic, Mako and Pygments) is set up when a migration needs it, not at every
# start: its imports were a tenth of a `flask` process's start (0.12 s of CPU in 1.4 s), paid by every
# command, server and worker the tests start (session 46). `app.extensions["migrate"]` and the
# `flask db` commands are there from the start and set it up on first use (`init`, a restore).


class _DeferredMigrate:
    """Stands in ``app.extensions["migrate"]`` until an attribute is read, then sets Flask-Migrate
    up (which replaces it there) and answers from its config."""

    def __init__(self, app: Flask, directory: Path):
        self._app, self._directory = app, directory

    def __getattr__(self, name: str):
        return getattr(set_up_migrate(self._app, self._directory), name)


def set_up_migrate(app: Flask, directory: Path | None = None):
    """Flask-Migrate on ``app`` (its config in app.extensions["migrate"], its `db` commands), once."""
    deferred = app.extensions.get("migrate")
    if isinstance(deferred, _DeferredMigrate):
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(directory or deferred._directory), render_as_batch=True)
    return app.extensions["migrate"]


class _MigrationCommands(click.Group):
    """`flask db …`: Flask-Migrate's own group (its options, commands and help), imported when the
    command line names it."""

    def make_context(self, info_name, args, parent=None, **extra):
        from flask_migrate.cli import db as commands

        return commands.make_context(info_name, args, parent=parent, **extra)


def defer_migrate(app: Flask, directory: Path) -> None:
    """What `Migrate.init_app` gives an app, its imports left until used."""
    app.extensions["migrate"] = _DeferredMigrate(app, directory)
    app.cli.add_command(_MigrationCommands("db", help="Perform database migrations."))
