"""The Hamzaban application factory."""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import click
from flask import Flask, current_app, flash, g, has_request_context, request, session
from flask_babel import gettext as _
from flask_login import current_user, session_protected
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app import scoping  # noqa: F401 - installs the agency-scoping hook
from app.cli import register_commands
from app.config import (
    LOCALES,
    MISSING_SECRET_KEY,
    ConfigError,
    load_config,
    resolve_secret_key,
)
from app.extensions import babel, csrf, db, defer_migrate, login_manager
from app.i18n import N_
from app.policy import ALL_ROLES
from app.scoping import reset_scope, scope_for_user, set_scope
from app.services import (
    alert_digest,
    calendar_setup,
    case_deadlines,
    case_reminders,
    conference_coverage,
    feed_pipeline,
    indexing,
    learning_training,
    login,
    name_order,  # noqa: F401 - installs the hooks that keep the lists' Persian order
    portal_checks,
    press_digest,
    report_jobs,
    routing_backlog,
    rule_tester,
    search_export_jobs,
    sessions,
)
from app.web.access import register_security_headers
from app.web.charts import register_chart_globals
from app.web.client import SESSION_ID_KEY, AddressProxyFix, CookieSession, TrustedProxyList, session_identifier
from app.web.converters import RowIdConverter
from app.web.errors import register_error_pages
from app.web.filters import register_template_filters
from app.web.hosts import register_host_check
from app.web.navigation import register_template_globals
from app.web.origin import register_origin_check
from app.web.requests import HamzabanRequest
from views import BLUEPRINTS

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, CLI, security, filters and error pages.

    :raise ConfigError: a setting cannot be used (under `flask …`: its message, exit status 2).
    """
    app = Flask(
        "app",
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.request_class = HamzabanRequest  # a form body that is not UTF-8 is refused (app/web/requests.py)
    app.session_interface = CookieSession()  # a response may leave the browser's cookie as it is
    app.url_map.converters["int"] = RowIdConverter  # before any route: an id past a row's is a 404
    try:
        register_config(app, test_config)
    except ConfigError as exc:
        _exit_if_command_line(exc)
        raise
    register_host_check(app)  # first: a host name an attacker's DNS may rebind is answered by nothing
    register_agency_scope(app)  # then: before CSRF's check, whose refusal pages show the menu's counts
    register_key_check(app)  # no key, no request: before anything that needs it
    register_origin_check(app)  # a form from another origin refused before CSRF's check reads it
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_security(app)
    register_filters(app)
    register_errorhandlers(app)
    register_jobs(app)
    register_listeners(app)
    return app


def _exit_if_command_line(exc: ConfigError) -> None:
    """Under `flask --app app …` the operator reads the message, not a traceback: exit status 2.

    Flask's CLI builds the app while it looks the command up (and while it lists commands for
    --help, where it prints any exception's traceback), so raising does not reach click's own
    error handling in every case; leaving here does. Elsewhere (tests, a WSGI server) it raises.
    """
    if click.get_current_context(silent=True) is not None:
        click.echo(f"Error: {exc}", err=True)
        if "--json" in sys.argv[1:]:  # a script reads its one JSON line, as for any refusal (round 4)
            click.echo(json.dumps({"error": str(exc)}, ensure_ascii=False))
        sys.exit(2)


def register_config(app: Flask, test_config: dict | None) -> None:
    app.config.update(load_config())
    if test_config:
        app.config.update(test_config)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault(
            "connect_args", {"timeout": app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000}
        )
    else:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("pool_pre_ping", True)
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            workers = int(app.config["POSTGRES_PARALLEL_WORKERS"])
            app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault(
                "connect_args", {"options": f"-c max_parallel_workers_per_gather={workers}"})
    unknown = set(app.config["MFA_REQUIRED_ROLES"]) - ALL_ROLES
    if unknown:
        raise ConfigError(f"HAMZABAN_MFA_REQUIRED_ROLES names unknown roles {sorted(unknown)}: "
                          f"expected some of {', '.join(sorted(ALL_ROLES))} (roles that must use a second factor).")
    app.config["SECRET_KEY"] = resolve_secret_key(app.config)
    app.config.update(
        # Over HTTPS the "__Host-" prefix: browsers take that cookie only from this very host (Secure,
        # Path=/, no Domain), so another site under the same parent domain cannot plant one (its own
        # logged-in cookie, say); over plain HTTP (development) browsers refuse a prefixed cookie.
        SESSION_COOKIE_NAME="__Host-session" if app.config["HTTPS"] else "session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(app.config["HTTPS"]),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=bool(app.config["HTTPS"]),
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "translations"),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        # A request's body: 16 MB, or more when a conference photo or an evidence file may be larger
        # (their own caps are checked by their services).
        MAX_CONTENT_LENGTH=app.config.get("MAX_CONTENT_LENGTH",
                                          max(16 * 1024 * 1024, app.config["CONFERENCE_PHOTO_MAX_BYTES"] + 1024 * 1024,
                                              app.config["EVIDENCE_FILE_MAX_BYTES"] + 1024 * 1024)),
    )


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL, foreign keys and a busy timeout on every SQLite connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _select_locale() -> str:
    """The reader's own choice (the session), else the installation's BABEL_DEFAULT_LOCALE, which
    ``HAMZABAN_DEFAULT_LOCALE=en`` set to no effect on the pages (they were Persian whatever it said).
    The CLI and the worker run without a request (and so without a reader): Persian, as README says."""
    if not has_request_context():
        return "fa"
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    default = current_app.config.get("BABEL_DEFAULT_LOCALE")
    return default if default in LOCALES else "fa"


ENDED_SESSION_MESSAGE = N_("این نشست پیش‌تر پایان یافته است (خروج، پایان همهٔ نشست‌ها، تغییر گذرواژه یا به دست "
                           "مدیر)؛ دوباره وارد شوید.")


def _client() -> sessions.Client:
    """Who sent the request, for the audit of a refused session cookie."""
    return sessions.Client(address=request.remote_addr or "", user_agent=request.user_agent.string or "")


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    defer_migrate(app, ROOT / "migrations")
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    # No public setter: the address it binds a session to is the app's own (app/web/client.py).
    login_manager._session_identifier_generator = session_identifier
    login_manager.login_message = None

    @app.after_request  # runs before Flask-Login's own (registered earlier: after_request runs in reverse)
    def _no_remember_cookie(response):
        # No login sets Flask-Login's remember-me cookie; its "clear" (a logout, the "strong"
        # protection of any anonymous page with a session cookie) wrote «remember_token=; Expires=…»
        # without Secure, HttpOnly or SameSite (session 43: every scanner flags it).
        if session.get("_remember") == "clear":
            session.pop("_remember")
        return response

    @session_protected.connect_via(app)
    def _foreign_cookie(sender, **_extra) -> None:
        # Refused as another browser's before any lookup ("strong" protection cleared Flask-Login's
        # keys): audited, and this browser forgets the server-side session's id too.
        session_id = session.pop(SESSION_ID_KEY, None)
        seen = sessions.foreign_cookie(session_id, _client()) if session_id else ""
        if seen == "moved":
            flash(_("نشانی شبکهٔ این مرورگر از هنگام ورود دگرگون شد (مانند رفتن از وای‌فای به دادهٔ همراه)؛ "
                    "برای ایمنی دوباره وارد شوید."), "info")
        elif seen == "foreign":
            flash(_("این نشست از مرورگر یا نشانی شبکهٔ دیگری آمد و پذیرفته نشد؛ دوباره وارد شوید."), "info")
        elif session_id:
            flash(_(ENDED_SESSION_MESSAGE), "info")

    @login_manager.user_loader
    def _load_user(user_key: str):
        # The signed cookie names the user and the server-side session; the row decides.
        found = sessions.user_for_session(user_key, session.get(SESSION_ID_KEY), _client())
        if found.user is None:
            # The cookie names no open session: this browser forgets it, so it is never sent again
            # (a later use of it is a copy, audited: sessions._replayed).
            for key in ("_user_id", "_fresh", "_id", SESSION_ID_KEY):
                session.pop(key, None)
        if found.ended == "ended":
            flash(_(ENDED_SESSION_MESSAGE), "info")
        elif found.ended == "idle":
            flash(_("نشست شما پس از مدتی بی‌کاری پایان یافت؛ دوباره وارد شوید."), "info")
        elif found.ended == "expired":
            flash(_("نشست شما به پایان بیشینهٔ زمان خود رسید؛ دوباره وارد شوید."), "info")
        return found.user


def register_blueprints(app: Flask) -> None:
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)


def register_cli(app: Flask) -> None:
    register_commands(app)


def register_agency_scope(app: Flask) -> None:
    """Each request reads the database in its user's agency scope (``app.scoping``). Registered
    before the extensions, so the scope is set before any other hook can refuse the request: a
    request refused by CSRF's check (or a body too large or not UTF-8) rendered its error page,
    with the menu's inbox count, unscoped — every agency's count (a review of login, round 4)."""

    @app.before_request
    def _enter_agency_scope() -> None:
        if request.endpoint == "static" or not app.config.get("SECRET_KEY"):
            return  # without a key no user is read (a crafted remember cookie was a 500): the next hook says why
        g.scope_token = set_scope(scope_for_user(current_user))

    @app.teardown_request
    def _leave_agency_scope(exc=None) -> None:
        token = g.pop("scope_token", None)
        if token is not None:
            reset_scope(token)


NO_KEY_FA = ("همزبان کلید پنهان خود را ندارد و هیچ صفحه‌ای را باز نمی‌کند؛ چیزی تغییر نکرد. به مدیر سامانه بگویید "
             "(سطر زیر به انگلیسی می‌گوید چه باید کرد):")


def register_key_check(app: Flask) -> None:
    """Without a secret key every request is refused, naming the setting: before CSRF's check, which
    cannot read a form without one (a POST was a 500, session 47)."""

    @app.before_request
    def _refuse_without_secret_key():
        if not app.config.get("SECRET_KEY"):
            return f"{NO_KEY_FA}\n{MISSING_SECRET_KEY}\n", 503, {"Content-Type": "text/plain; charset=utf-8"}


def register_security(app: Flask) -> None:
    register_security_headers(app)
    if isinstance(app.config["TRUSTED_PROXIES"], tuple):  # the proxies' addresses: their X-Forwarded-For only
        app.wsgi_app = TrustedProxyList(app.wsgi_app, app.config["TRUSTED_PROXIES"])
    elif app.config["TRUSTED_PROXIES"]:  # the client's address from X-Forwarded-For, as far as trusted
        app.wsgi_app = AddressProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"])


def register_filters(app: Flask) -> None:
    register_template_filters(app)
    register_template_globals(app)
    register_chart_globals(app)


def register_errorhandlers(app: Flask) -> None:
    register_error_pages(app)


def register_listeners(app: Flask) -> None:
    """Features that follow another's changes through its signals (the calendar's, for deadlines)."""
    case_deadlines.register_listeners(app)


def register_jobs(app: Flask) -> None:
    """The worker's periodic jobs of each feature (app.extensions["hamzaban_jobs"])."""
    # routing-backlog right after poll-feeds and before the indexer: in one pass of the loop the
    # new items are routed before they are indexed (their two outbox rows then collapse in one batch).
    for feature in (feed_pipeline, routing_backlog, indexing, rule_tester, case_reminders, alert_digest,
                    search_export_jobs, login, conference_coverage, portal_checks, report_jobs, press_digest,
                    learning_training, calendar_setup):
        feature.register_jobs(app)
