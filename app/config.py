"""Configuration: every key has a default and a comment; environment variables use HAMZABAN_."""
from __future__ import annotations

import os
from pathlib import Path


class ConfigError(RuntimeError):
    """Raised when the configuration cannot be used; the message says what to set."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"HAMZABAN_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"HAMZABAN_{name} must be a whole number, got {raw!r}") from exc


# The province's time zone (Iran has kept UTC+03:30 all year since 2022).
DEFAULT_TIMEZONE = "Asia/Tehran"


def load_config() -> dict:
    """Read every documented key from the environment (with its default)."""
    data_dir = Path(_env("DATA_DIR", "instance")).resolve()
    return {
        # Folder that holds the SQLite database, the search index, the secret key file and backups.
        "DATA_DIR": str(data_dir),
        # SQLAlchemy URL; default SQLite in the data folder. Use postgresql+psycopg://… for PostgreSQL.
        "SQLALCHEMY_DATABASE_URI": _env("DATABASE_URL") or f"sqlite:///{data_dir / 'hamzaban.db'}",
        # Session signing key. Required outside the demo: set it, or run `flask init` to write one.
        "SECRET_KEY": _env("SECRET_KEY"),
        # Set to 1 when served over HTTPS: session cookie gets the Secure flag.
        "HTTPS": _env_bool("HTTPS", False),
        # Failed logins in a row that lock an account.
        "LOCKOUT_THRESHOLD": _env_int("LOCKOUT_THRESHOLD", 5),
        # Minutes an account stays locked after LOCKOUT_THRESHOLD failures.
        "LOCKOUT_MINUTES": _env_int("LOCKOUT_MINUTES", 15),
        # Milliseconds SQLite waits on a locked database before failing.
        "SQLITE_BUSY_TIMEOUT_MS": _env_int("SQLITE_BUSY_TIMEOUT_MS", 5000),
        # Address and port of the built-in web server (`flask serve`).
        "HOST": _env("HOST", "127.0.0.1"),
        "PORT": _env_int("PORT", 5000),
        # Interface language by default (fa or en); users may switch.
        "BABEL_DEFAULT_LOCALE": _env("DEFAULT_LOCALE", "fa"),
        # Time zone in which dates are shown and date fields are read.
        "BABEL_DEFAULT_TIMEZONE": _env("TIMEZONE", DEFAULT_TIMEZONE),
        # Seconds between two passes of the worker's scheduler loop.
        "WORKER_TICK_SECONDS": _env_int("WORKER_TICK_SECONDS", 5),
        # Feed fetching (app/monitor/fetch.py FetchPolicy): timeouts in seconds, size cap in bytes.
        "FEED_CONNECT_TIMEOUT": float(_env("FEED_CONNECT_TIMEOUT", "10")),
        "FEED_READ_TIMEOUT": float(_env("FEED_READ_TIMEOUT", "30")),
        "FEED_TOTAL_TIMEOUT": float(_env("FEED_TOTAL_TIMEOUT", "60")),
        "FEED_MAX_BYTES": _env_int("FEED_MAX_BYTES", 15 * 1024 * 1024),
        "FEED_MAX_REDIRECTS": _env_int("FEED_MAX_REDIRECTS", 5),
        # Simultaneous requests to one host while polling.
        "FEED_PER_HOST_LIMIT": _env_int("FEED_PER_HOST_LIMIT", 2),
        # Search index folder (Whoosh); defaults to <DATA_DIR>/search-index.
        "SEARCH_INDEX_DIR": _env("SEARCH_INDEX_DIR") or str(data_dir / "search-index"),
        # Writer processes and buffer (MB) of the search indexer (rebuilds use both).
        "SEARCH_INDEX_PROCS": _env_int("SEARCH_INDEX_PROCS", 2),
        "SEARCH_INDEX_LIMITMB": _env_int("SEARCH_INDEX_LIMITMB", 64),
        # Seconds the single index writer's lease lasts without renewal.
        "SEARCH_LEASE_SECONDS": _env_int("SEARCH_LEASE_SECONDS", 120),
        # Outbox rows per index commit, and batches per worker run.
        "SEARCH_INDEX_BATCH": _env_int("SEARCH_INDEX_BATCH", 500),
        "SEARCH_INDEX_MAX_BATCHES": _env_int("SEARCH_INDEX_MAX_BATCHES", 20),
        # Seconds between two runs of the indexer job in the worker.
        "SEARCH_INDEX_EVERY_SECONDS": _env_int("SEARCH_INDEX_EVERY_SECONDS", 5),
        # Documents per commit during `search rebuild` (its resume checkpoint).
        "SEARCH_REBUILD_BATCH": _env_int("SEARCH_REBUILD_BATCH", 50_000),
        # A query that runs longer is cut off and says so.
        "SEARCH_TIME_LIMIT_SECONDS": float(_env("SEARCH_TIME_LIMIT_SECONDS", "5")),
        # How often (seconds) a web process looks for a newer index commit.
        "SEARCH_REFRESH_SECONDS": float(_env("SEARCH_REFRESH_SECONDS", "1")),
        # Comma-separated CIDRs or host names the feed fetcher may reach although they are private
        # or loopback (agencies that publish on the intranet; 127.0.0.1/32 for tests).
        "FEED_ALLOW_PRIVATE": _env("FEED_ALLOW_PRIVATE", ""),
        # Feeds fetched at the same time by one polling pass (the per-host limit still applies).
        "FEED_POLL_CONCURRENCY": _env_int("FEED_POLL_CONCURRENCY", 16),
        # Seconds a worker holds a claimed feed; a crashed worker's feeds are free again after it.
        "FEED_LEASE_SECONDS": _env_int("FEED_LEASE_SECONDS", 300),
        # Seconds between two polling passes of the worker (each pass polls only the due feeds).
        "FEED_POLL_EVERY_SECONDS": _env_int("FEED_POLL_EVERY_SECONDS", 30),
        # Processes that parse local files for `feeds import-file` (0: one per CPU).
        "FEED_IMPORT_WORKERS": _env_int("FEED_IMPORT_WORKERS", 0),
        # Days around an item's publication time in which near-duplicates form a story cluster.
        "FEED_CLUSTER_WINDOW_DAYS": _env_int("FEED_CLUSTER_WINDOW_DAYS", 3),
        # Applying a rule to stored items ("run on earlier items"): items per committed batch,
        # batches per worker run, and seconds between two runs of that worker job.
        "ROUTING_BACKFILL_BATCH": _env_int("ROUTING_BACKFILL_BATCH", 500),
        "ROUTING_BACKFILL_BATCHES_PER_RUN": _env_int("ROUTING_BACKFILL_BATCHES_PER_RUN", 20),
        "ROUTING_BACKFILL_EVERY_SECONDS": _env_int("ROUTING_BACKFILL_EVERY_SECONDS", 5),
        # Outlet scopes whose items, when no rule takes them but they carry a public question,
        # wait without an agency for the governorate's supervisors (comma-separated; empty: none).
        "ROUTING_UNASSIGNED_SCOPES": tuple(s.strip() for s in _env("ROUTING_UNASSIGNED_SCOPES",
                                                                   "local,provincial").split(",") if s.strip()),
        # Outgoing mail for the saved-search digest; an empty host turns e-mail off (nothing is sent).
        "SMTP_HOST": _env("SMTP_HOST", ""),
        # SMTP port (25 plain, 587 with STARTTLS).
        "SMTP_PORT": _env_int("SMTP_PORT", 25),
        # Login for the SMTP server; empty = no login.
        "SMTP_USER": _env("SMTP_USER", ""),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD", ""),
        # Sender address of the e-mails.
        "SMTP_FROM": _env("SMTP_FROM", "hamzaban@localhost"),
        # 1: upgrade the connection with STARTTLS before logging in.
        "SMTP_STARTTLS": _env_bool("SMTP_STARTTLS", False),
        # Seconds to wait for the SMTP server.
        "SMTP_TIMEOUT": float(_env("SMTP_TIMEOUT", "30")),
        # Seconds between two runs of the saved-search e-mail digest in the worker.
        "ALERT_DIGEST_EVERY_SECONDS": _env_int("ALERT_DIGEST_EVERY_SECONDS", 3600),
        # Address of the site as users reach it, for the links in e-mails (default: HOST and PORT).
        "BASE_URL": _env("BASE_URL", ""),
    }


SECRET_KEY_FILE = "secret_key"


MISSING_SECRET_KEY = (
    "No secret key: set HAMZABAN_SECRET_KEY, or run `flask --app app init` "
    "to write one into the data folder."
)


def resolve_secret_key(config: dict) -> str | None:
    """The secret key from the config or the data folder; None when there is none yet.

    Only `init` may run without one (it writes it); `serve`, `worker` and every request
    refuse to go on, see `require_secret_key`.
    """
    if config.get("SECRET_KEY"):
        return config["SECRET_KEY"]
    key_file = Path(config["DATA_DIR"]) / SECRET_KEY_FILE
    if key_file.exists():
        return key_file.read_text().strip() or None
    return None


def require_secret_key(config: dict) -> None:
    """Raise ConfigError (saying what to set) when there is no secret key."""
    if not config.get("SECRET_KEY"):
        raise ConfigError(MISSING_SECRET_KEY)


# Interface languages: Persian first (the default), English second.
LOCALES = ("fa", "en")
