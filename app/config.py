"""Configuration: every key declared once (type, default, one-line description) in OPTIONS.

Each key is read from the environment variable ``HAMZABAN_<env>`` (``env`` is the key unless
declared otherwise). A value that cannot be used raises ConfigError naming the variable, the
value and what is expected; under `flask …` the command prints it and exits with status 2.
README.md's configuration table is generated from OPTIONS (scripts/config_reference.py).
"""
from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.proxy_setting import parse_trusted_proxies

ENV_PREFIX = "HAMZABAN_"
LOCALES = ("fa", "en")

CONFIG_REFUSED = ("همزبان با این تنظیم‌ها راه نمی‌افتد و چیزی را تغییر نداد؛ آنچه سطرهای زیر (به انگلیسی، "
                  "با نام هر متغیر) می‌گویند در پروندهٔ تنظیمات درست کنید و دوباره آغاز کنید:")


class ConfigError(RuntimeError):
    """The configuration cannot be used: a Persian line, then what to set (English, as README's table)."""

    def __str__(self) -> str:
        return f"{CONFIG_REFUSED}\n{super().__str__()}"


@dataclass(frozen=True)
class Option:
    """One configuration key. ``default`` is of ``type`` (str, int, float, bool, tuple: a
    comma-separated list, Path: a folder), or None when ``derive`` computes it from the keys
    before it or there is none; ``shown_default`` is what the reference shows instead."""

    key: str
    type: type
    default: Any
    description: str
    env: str = ""  # the variable after HAMZABAN_, when it is not the key
    min: float | None = None  # inclusive
    max: float | None = None  # inclusive
    above: float | None = None  # exclusive lower bound (timeouts: above 0)
    choices: tuple[str, ...] = ()
    check: Callable[[str], bool] | None = None  # a str value that must pass it
    expected: str = ""  # what `check` wants, for the error message
    derive: Callable[[dict], Any] | None = None  # the default from the keys read before
    shown_default: str = ""  # the default as the reference shows it, when not plain
    secret: bool = False  # never repeated in an error message (it would land in a log)
    parse: Callable[[str], Any] | None = None  # reads the value itself (ValueError when unusable); ``expected`` says what


def env_name(option: Option) -> str:
    return ENV_PREFIX + (option.env or option.key)


def _is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# A key that signs sessions and CSRF tokens: a short one can be guessed offline from one signed
# value (`init` writes 64 hex digits).
SECRET_KEY_MIN = 32


def weak_secret_key(key: str) -> bool:
    return len(key.strip()) < SECRET_KEY_MIN


# The province's time zone (Iran has kept UTC+03:30 all year since 2022).
DEFAULT_TIMEZONE = "Asia/Tehran"

OPTIONS: tuple[Option, ...] = (
    Option("DATA_DIR", Path, Path("instance"),
           "where the SQLite database, search index, secret key and backups live", shown_default="`./instance`"),
    Option("SQLALCHEMY_DATABASE_URI", str, None,
           "SQLAlchemy database URL, e.g. `postgresql+psycopg://user@host/db`", env="DATABASE_URL",
           derive=lambda c: f"sqlite:///{Path(c['DATA_DIR']) / 'hamzaban.db'}",
           shown_default="SQLite in the data folder"),
    Option("SECRET_KEY", str, None,
           f"session signing key, {SECRET_KEY_MIN} characters at least; the app refuses to start without one",
           check=lambda key: not key.strip() or not weak_secret_key(key), expected=f"{SECRET_KEY_MIN} characters at least, e.g. the "
           "output of `python3 -c 'import secrets; print(secrets.token_hex(32))'`", secret=True,
           shown_default="read from `<data>/secret_key` (written by `init`)"),
    Option("SECRET_KEY_PREVIOUS", str, None,
           "the secret key before the last change, while it is being replaced: the second-factor secrets "
           "sealed with it are still read until `user rekey-2fa` seals them again with the new key (sessions "
           "and forms signed with it are not accepted); unset it afterwards",
           check=lambda key: not key.strip() or not weak_secret_key(key),
           expected=f"{SECRET_KEY_MIN} characters at least", secret=True, shown_default="none"),
    Option("HTTPS", bool, False,
           "`1` when served over HTTPS (set it in production): marks the session cookie Secure and sends "
           "Strict-Transport-Security"),
    Option("HSTS_MAX_AGE", int, 31_536_000,
           "seconds browsers keep to HTTPS after a visit (Strict-Transport-Security, with HTTPS=1; "
           "`0` withdraws an earlier one)", min=0, shown_default="`31536000` (one year)"),
    Option("TRUSTED_HOSTS", tuple, (),
           "host names the site answers to, comma-separated (`.ostan.ir` takes its subdomains too); a request for "
           "another Host is refused with 400. Empty: IP addresses, `localhost` and `HAMZABAN_BASE_URL`'s name only "
           "(DNS rebinding: app/web/hosts.py); set it when users open the site by a name"),
    Option("TRUSTED_PROXIES", int, 0,
           "the reverse proxies whose `X-Forwarded-For` gives the client's address (the login throttle, the "
           "sessions read it): their addresses or networks (`127.0.0.1,::1`; `10.20.0.5`), only their connections "
           "read; or a count (1-5), every connection's read (for an app on 127.0.0.1 or a socket only); `0`: none "
           "(docs/DEPLOYMENT.md, «Which proxies to name»: a proxy refused, 503, when it cannot be read)",
           parse=parse_trusted_proxies, expected="a count 0-5, or IP addresses or networks of the proxies (none of every address, /0), comma-separated"),
    # Sessions (app/services/sessions.py): rows in user_sessions, ended at logout or by an admin.
    Option("SESSION_IDLE_MINUTES", int, 30, "minutes without a request after which a session ends (the last "
           "request is written at most once a minute and at least ten times per period, so a session in use "
           "ends at most a tenth of the period early)", min=1),
    Option("ADMIN_CONFIRM_MINUTES", int, 10, "minutes after an administrator last typed their password (at the "
           "login or to confirm) within which accounts may be created or changed without typing it again; "
           "`0`: asked every time", min=0),
    Option("SESSION_MAX_HOURS", int, 12, "hours after logging in after which a session ends however busy", min=1),
    Option("SESSIONS_PER_USER", int, 10, "sessions one account may have open at once (browsers, phones); a login "
           "past it ends the one of them used least recently (no login is refused: a thief holding the password "
           "cannot keep its owner out by filling the count)", min=1, max=1000),
    # Password and code guessing (app/services/login.py): a wait that doubles, no lock-out; only the code
    # step (reached with the right password) closes after CODE_FAILURES_MAX wrong codes in a row.
    Option("LOGIN_FREE_ATTEMPTS", int, 5,
           "failed logins on one username (or one remembered browser) before each further try has to wait; "
           "the wait doubles from one second", min=1),
    Option("LOGIN_FREE_ATTEMPTS_PER_ADDRESS", int, 20,
           "failed logins from one client address (an IPv6 /64), whatever the username, before the waits start "
           "(a browser remembered for the username it logs in with, and a signed-in user re-typing a password, "
           "are not held by it)",
           min=1),
    Option("LOGIN_MAX_DELAY_SECONDS", int, 300, "the longest wait between two tries", min=1),
    Option("LOGIN_ADDRESS_LEAK_PER_HOUR", int, 12,
           "how many of one client address's counted failures fade each hour (a leaky bucket, one every "
           "60/n minutes, while failures keep coming: an office's NAT never has the quiet hour a count "
           "forgotten after LOGIN_MEMORY_MINUTES needed); 0: forget them after LOGIN_MEMORY_MINUTES quiet, as a "
           "username's", min=0, max=3600),
    Option("LOGIN_SITE_FAILURES_PER_HOUR", int, 600,
           "failed logins across the whole site that fade each hour (a leaky bucket of that size): while it is "
           "full (a wave of credential stuffing from many addresses), a login is refused before its password is "
           "checked unless it comes from a browser remembered for the username, from a network the account "
           "logged in from in the last 30 days, or for an account whose wait an administrator lifted; an IPv6 "
           "/48's own failures past half of it make a wave for that /48 alone; 0: off",
           min=0, max=1_000_000),
    Option("LOGIN_MEMORY_MINUTES", int, 60, "minutes after the last failure when the count of failures on a username starts over",
           min=1),
    Option("CODE_FAILURES_MAX", int, 20,
           "wrong second-factor codes in a row on one account (across logins; a successful login starts over) "
           "after which its code step refuses every code until an administrator lifts the wait; at most 100 "
           "(NIST SP 800-63B 5.2.2)", min=1, max=100),
    Option("MFA_REQUIRED_ROLES", tuple, ("admin", "supervisor"),
           "roles that must log in with a second factor (TOTP); comma-separated, empty: none"),
    # Per-user limits on costly pages (app/web/limits.py); 0: no limit.
    Option("RATE_SEARCHES_PER_MINUTE", int, 30, "searches one user may run in a minute", min=0),
    Option("RATE_EXPORTS_PER_HOUR", int, 20, "search exports one user may ask for in an hour", min=0),
    Option("RATE_REPORTS_PER_HOUR", int, 100,
           "reports (PDF, XLSX) one user may ask for in an hour (a month's report for each of twenty agencies "
           "is twenty)", min=0),
    Option("RATE_RULE_TESTS_PER_MINUTE", int, 10, "routing-rule tests one user may run in a minute", min=0),
    Option("SQLITE_BUSY_TIMEOUT_MS", int, 5000, "milliseconds SQLite waits on a locked database before failing",
           min=0),
    Option("POSTGRES_PARALLEL_WORKERS", int, 0,
           "PostgreSQL's parallel workers per query of this app's connections (max_parallel_workers_per_gather); "
           "0: none, each page's query on one core (under many users, parallel plans took the cores from the "
           "other requests)", min=0, max=64),
    Option("HOST", str, "127.0.0.1", "address the web server listens on (`flask serve`, and gunicorn with deploy/gunicorn.conf.py)"),
    Option("PORT", int, 5000, "port the web server listens on (`flask serve`, and gunicorn with deploy/gunicorn.conf.py)", min=1, max=65535),
    Option("BABEL_DEFAULT_LOCALE", str, "fa", "language of the web pages for a reader who has not chosen one, `fa` or `en` "
           "(users may switch; the commands and the worker speak Persian)",
           env="DEFAULT_LOCALE", choices=LOCALES),
    Option("BABEL_DEFAULT_TIMEZONE", str, DEFAULT_TIMEZONE, "time zone in which dates are shown and date fields are read",
           env="TIMEZONE", check=_is_time_zone, expected="an IANA time zone name such as Asia/Tehran"),
    Option("WORKER_TICK_SECONDS", int, 5, "seconds between two passes of the worker's scheduler loop", min=1),
    # Feed fetching (app/monitor/fetch.py FetchPolicy).
    Option("FEED_CONNECT_TIMEOUT", float, 10.0, "seconds to wait for a feed's server to accept the connection (and for a feed host's name to be "
           "looked up when an address is typed or imported; an OPML import's lookups, 16 at a time, end within "
           "20 s in all: an address not looked up by then is checked at its first poll)",
           above=0),
    Option("FEED_READ_TIMEOUT", float, 30.0, "seconds a feed's server may stay silent between two reads", above=0),
    Option("FEED_TOTAL_TIMEOUT", float, 60.0, "seconds one whole fetch may take, redirects included", above=0),
    Option("FEED_MAX_BYTES", int, 15 * 1024 * 1024, "size cap of one feed, in bytes after decompression", min=1,
           shown_default="`15728640` (15 MiB)"),
    Option("FEED_MAX_REDIRECTS", int, 5, "redirects one fetch follows", min=0),
    Option("FEED_PER_HOST_LIMIT", int, 2, "simultaneous requests to one host while polling", min=1),
    Option("FEED_MAX_ENTRIES", int, 1000,
           "entries read from one fetched feed: the newest by date, the others left out with a warning on the "
           "feed's page (`feeds import-file` reads every entry of a file)", min=1),
    Option("SEARCH_BACKEND", str, "whoosh",
           "the search engine: `whoosh` (embedded, pure Python) or `tantivy` (for hundreds of thousands of "
           "items and more); after changing it run `flask --app app search rebuild`",
           choices=("whoosh", "tantivy")),
    Option("SEARCH_INDEX_DIR", Path, None, "the search index (tantivy's in its `tantivy` folder)",
           derive=lambda c: str(Path(c["DATA_DIR"]) / "search-index"), shown_default="`<data>/search-index`"),
    Option("SEARCH_INDEX_PROCS", int, 2, "writer processes of the search indexer (rebuilds use them)", min=1),
    Option("SEARCH_INDEX_LIMITMB", int, 64, "writer buffer of the search indexer, in MB (rebuilds use it)", min=1),
    Option("SEARCH_LEASE_SECONDS", int, 120, "seconds the single index writer's lease lasts without renewal", min=1),
    Option("SEARCH_INDEX_BATCH", int, 500, "outbox rows per index commit", min=1),
    Option("SEARCH_INDEX_MAX_BATCHES", int, 20, "index batches per run of the worker's indexer job", min=1),
    Option("SEARCH_INDEX_EVERY_SECONDS", int, 5, "seconds between two runs of the indexer job in the worker", min=1),
    Option("SEARCH_REBUILD_BATCH", int, 50_000, "documents per commit (the resume checkpoint) of `search rebuild`",
           min=1),
    Option("SEARCH_TIME_LIMIT_SECONDS", float, 5.0, "seconds after which a query is cut off (and says so)", above=0),
    Option("SEARCH_REFRESH_SECONDS", float, 1.0, "how often (seconds) a web process looks for a newer index commit",
           min=0),
    Option("FEED_ALLOW_PRIVATE", str, "",
           "comma-separated CIDRs or host names the fetcher may reach although private or loopback "
           "(intranet portals; `127.0.0.1/32` for tests), for a fetch that begins there: a public feed's "
           "redirect never reaches them"),
    Option("FEED_POLL_CONCURRENCY", int, 16,
           "feeds fetched at the same time by one polling pass (the per-host limit still applies)", min=1),
    Option("FEED_LEASE_SECONDS", int, 300,
           "seconds a worker holds a claimed feed; a crashed worker's feeds are free again after it", min=1),
    Option("FEED_POLL_EVERY_SECONDS", int, 30,
           "seconds between two polling passes of the worker (each pass polls only the due feeds)", min=1),
    Option("FEED_POLL_PASS_SECONDS", int, 90,
           "seconds after which a polling pass claims no more feeds and ends with those in flight (the "
           "rest wait for the next pass), so one slow host does not hold the worker's other jobs", min=1),
    Option("FEED_IMPORT_WORKERS", int, 0, "processes that parse local files for `feeds import-file` (`0`: one per CPU)",
           min=0),
    Option("FEED_CLUSTER_WINDOW_DAYS", int, 3,
           "days around an item's publication time in which near-duplicates form a story cluster", min=0),
    Option("FEED_ROUTING", str, "after_commit",
           "when new items are routed: `after_commit` (the ingest commits them with a row in `routing_backlog`; the "
           "worker's `routing-backlog` job routes them seconds later) or `in_transaction` (inside the ingest's "
           "transaction, as before issue 16)", choices=("after_commit", "in_transaction")),
    Option("ROUTING_BACKLOG_BATCH", int, 200, "routing after the ingest: items routed per committed batch", min=1),
    Option("ROUTING_BACKLOG_BATCHES_PER_RUN", int, 50, "routing after the ingest: batches per run of the worker's job",
           min=1),
    Option("ROUTING_BACKLOG_EVERY_SECONDS", int, 5, "routing after the ingest: seconds between two runs of the job",
           min=1),
    # Applying a rule to stored items ("run on earlier items").
    Option("ROUTING_BACKFILL_BATCH", int, 500, "applying a rule to stored items: items per committed batch", min=1),
    Option("ROUTING_BACKFILL_BATCHES_PER_RUN", int, 20, "applying a rule to stored items: batches per worker run",
           min=1),
    Option("ROUTING_BACKFILL_EVERY_SECONDS", int, 5, "applying a rule to stored items: seconds between runs", min=1),
    Option("LEARNING", bool, True,
           "the classifier beside the routing rules and the question detector (issue 15); `0` leaves rules alone"),
    Option("LEARNING_RETRAIN_HOURS", int, 24, "the worker retrains the classifier when the last training is this old "
           "and the desk has made decisions since", min=1),
    Option("LEARNING_STARTER_CORPUS", str, "",
           "folder of the starter set's articles (fars-news-*.json); when set, every training uses the labelled "
           "starter set besides the desk's decisions"),
    Option("ROUTING_UNASSIGNED_SCOPES", tuple, ("local", "provincial"),
           "outlet scopes whose public questions that no rule takes wait, without an agency, for the supervisors "
           "(comma-separated; empty: none)"),
    # Outgoing mail for the saved-search digest.
    Option("SMTP_HOST", str, "", "SMTP server for the e-mail digest (saved-search news, case reminders); empty: nothing is sent, nothing fails",
           shown_default="empty (no e-mail)"),
    Option("SMTP_PORT", int, 25, "SMTP port (25 plain, 587 with STARTTLS)", min=1, max=65535),
    Option("SMTP_USER", str, "", "SMTP login, when the server asks for one; empty: no login"),
    Option("SMTP_PASSWORD", str, "", "SMTP password of SMTP_USER"),
    Option("SMTP_FROM", str, "hamzaban@localhost", "sender address of the digests"),
    Option("SMTP_STARTTLS", bool, False, "`1` upgrades the connection with STARTTLS before logging in"),
    Option("SMTP_TIMEOUT", float, 30.0, "seconds to wait for the SMTP server", above=0),
    Option("ALERT_DIGEST_EVERY_SECONDS", int, 3600,
           "how often the worker e-mails each user the notifications not yet e-mailed", min=1),
    Option("CASE_REMIND_EVERY_SECONDS", int, 600,
           "how often the worker sends the case deadline reminders, breach notices and escalations that are due",
           min=1),
    Option("CASE_REMIND_LEASE_SECONDS", int, 300,
           "seconds one process holds the case reminder lease; a crashed sender's is free again after it", min=1),
    Option("CONFERENCE_PHOTO_MAX_BYTES", int, 5 * 1024 * 1024,
           "size cap of one press-conference photo, in bytes (a larger upload is refused before it is stored)",
           min=1024, shown_default="`5242880` (5 MB)"),
    Option("CONFERENCE_COVERAGE_DAYS", int, 7,
           "days after a held press conference in which published items are suggested as its coverage",
           min=1, max=90),
    Option("CONFERENCE_COVERAGE_EVERY_SECONDS", int, 3600,
           "how often the worker looks for the coverage of the conferences held within the window", min=60),
    Option("PORTAL_CHECK_EVERY_SECONDS", int, 6 * 3600,
           "how often the worker checks the portal pages of agencies that have no portal feed (clause 10)", min=60),
    Option("PORTAL_CHECK_PASS_SECONDS", int, 45,
           "seconds after which the worker's portal check claims no more pages (those in flight finish; the "
           "rest are checked at its next run, five minutes on), so slow portals do not hold its other jobs", min=1),
    Option("PORTAL_CHECK_LEASE_SECONDS", int, 900,
           "seconds one process holds the portal-check lease; a crashed checker's is free again after it", min=30),
    Option("EVIDENCE_FILE_MAX_BYTES", int, 10 * 1024 * 1024,
           "size cap of one evidence-register file, in bytes (a larger upload is refused before it is stored)",
           min=1024, shown_default="`10485760` (10 MB)"),
    Option("BASE_URL", str, "", "the site's address as users reach it, for links in e-mails",
           shown_default="`http://HOST:PORT`"),
)

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _number_expected(option: Option) -> str:
    noun = "a whole number" if option.type is int else "a number"
    if option.min is not None and option.max is not None:
        return f"{noun} from {option.min:g} to {option.max:g}"
    if option.above is not None:
        return f"{noun} greater than {option.above:g}"
    if option.min is not None:
        return f"{noun} of at least {option.min:g}"
    return noun


def _expected(option: Option) -> str:
    if option.type in (int, float) and option.parse is None:
        return _number_expected(option)
    if option.type is bool:
        return "1/0, true/false, yes/no or on/off"
    if option.choices:
        return "one of: " + ", ".join(option.choices)
    return option.expected


def _parse(option: Option, raw: str) -> Any:
    """The value of ``raw`` for ``option``; ValueError when it cannot be used."""
    text = raw.strip()
    if option.parse is not None:
        return option.parse(text)
    if option.type is bool:
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise ValueError(raw)
    if option.type in (int, float):
        value = option.type(text)  # ValueError for "abc" (and "5.5" for an int)
        if (not math.isfinite(value) or (option.min is not None and value < option.min)
                or (option.max is not None and value > option.max)
                or (option.above is not None and value <= option.above)):
            raise ValueError(raw)
        return value
    if option.type is tuple:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if option.type is Path:
        return str(Path(text).resolve())
    if (option.choices and raw not in option.choices) or (option.check and not option.check(raw)):
        raise ValueError(raw)
    return raw


def _empty_means_default(option: Option) -> bool:
    # An empty str or list is a value ("no SMTP host", "no scopes"); elsewhere it means "not set".
    return option.type not in (str, tuple) or option.derive is not None


def load_config(environ: Mapping[str, str] | None = None) -> dict:
    """Every declared key, read from the environment or defaulted; ConfigError lists each bad value."""
    environ = os.environ if environ is None else environ
    config: dict = {}
    errors = []
    for option in OPTIONS:
        name = env_name(option)
        raw = environ.get(name)
        if raw is None or (raw.strip() == "" and _empty_means_default(option)):
            if option.derive is not None:
                config[option.key] = option.derive(config)
            elif option.type is Path:
                config[option.key] = str(option.default.resolve())
            else:
                config[option.key] = option.default
            continue
        try:
            config[option.key] = _parse(option, raw)
        except ValueError:
            shown = "(the value set)" if option.secret else repr(raw)
            errors.append(f"{name}={shown} is not valid: expected {_expected(option)} ({option.description}).")
    if errors:
        raise ConfigError("\n".join(errors))
    return config


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
        key = key_file.read_text().strip()
        if key and weak_secret_key(key):
            raise ConfigError(f"The secret key in {key_file} is shorter than {SECRET_KEY_MIN} characters: "
                              "delete the file and run `flask --app app init` to write a new one "
                              "(everyone is logged out).")
        return key or None
    return None


def require_secret_key(config: dict) -> None:
    """Raise ConfigError (saying what to set) when there is no secret key."""
    if not config.get("SECRET_KEY"):
        raise ConfigError(MISSING_SECRET_KEY)

