"""Feeds and outlets: adding, editing, disabling (audited), OPML, local files and starter feeds."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.monitor.feed_encoding import text_codec
from app.monitor.fetch_policy import FetchPolicy
from app.monitor.local_files import UNREADABLE_FA, parse_files
from app.monitor.messages import localized
from app.monitor.opml import OpmlFeed, build_opml, parse_opml
from app.monitor.parse import FeedParseError, ParsedEntry, ParsedFeed, parse_feed
from app.monitor.store import FeedOutcome
from app.policy import can_manage_feeds
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from app.services.directory import holds_sheet_separator, is_website, separator_message
from app.services.directory_keys import name_key
from app.services.feed_addresses import (
    address_refusals,
    check_feed_address,
    clean_feed_url,
    feed_identity,
    feed_listed,
)
from app.services.feed_pipeline import store_outcome
from app.services.routing_backlog import drain_backlog, routing_after_commit
from models import OUTLET_KINDS, OUTLET_SCOPES, Feed, Outlet, utcnow
from search_index.persian import normalize_for_storage

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
STARTER_OPML = ROOT / "app" / "data" / "starter_feeds.opml"


def _require_admin(actor) -> None:
    if actor is not None and not can_manage_feeds(actor):
        raise NotAllowed(_("تنها مدیر سامانه خوراک‌ها را تعریف یا ویرایش می‌کند."))


def _label(actor, actor_label: str) -> str:
    return actor_label or getattr(actor, "username", "") or "system"


# --- outlets ---------------------------------------------------------------------------------

def get_or_create_outlet(name: str, *, kind: str = "website", scope: str = "national", city: str = "",
                         website: str = "", actor=None, actor_label: str = "") -> Outlet:
    """The outlet of that name (or, failing that, the first of the same normalized name: «خبرگزاري»
    finds «خبرگزاری»), created (and audited) when missing; the caller commits.

    :raise ServiceError: no name, or a new outlet's name, city or website holds «؛» or «;»
        (directory.holds_sheet_separator).
    """
    name = " ".join(normalize_for_storage(name).split())[:200]
    if not name:
        raise ServiceError(_("نام رسانه را بنویسید."))
    key = name_key(name)
    outlet = db.session.scalar(select(Outlet).where(Outlet.name == name)) or db.session.scalar(
        select(Outlet).where(Outlet.name_key == key).order_by(Outlet.id).limit(1))
    if outlet is None:
        if holds_sheet_separator(name) or holds_sheet_separator(city) or holds_sheet_separator(website):
            raise ServiceError(separator_message())
        # What the outlet form would refuse is not kept: an OPML's «htmlUrl» of «javascript:…» was
        # stored and shown as the outlet's link, and one of 700 characters failed the whole import on
        # PostgreSQL (a review of hostile feeds). The feed itself is imported either way.
        website = website.strip() if is_website(website.strip()) else ""
        city = " ".join(normalize_for_storage(city or "").split())[:100]
        outlet = Outlet(name=name, name_key=key, kind=kind if kind in OUTLET_KINDS else "website",
                        scope=scope if scope in OUTLET_SCOPES else "national", city=city, website=website)
        db.session.add(outlet)
        db.session.flush()
        record("outlet.created", actor=actor, actor_label=_label(actor, actor_label), obj=outlet, name=name)
    return outlet


def outlet_names() -> list[tuple[int, str]]:
    """(id, name) of every outlet, by name (select boxes)."""
    return db.session.execute(select(Outlet.id, Outlet.name).order_by(Outlet.name_order, Outlet.id)).all()


# --- feeds -----------------------------------------------------------------------------------

@dataclass
class FeedInput:
    url: str
    title: str = ""
    outlet_id: int | None = None
    new_outlet: str = ""  # creates the outlet when outlet_id is not given
    agency_id: int | None = None
    poll_interval_minutes: int = 30
    encoding_override: str = ""
    is_active: bool = True


def _validate(data: FeedInput, *, check_address: bool = True, kept_url: str | None = None) -> FeedInput:
    """``kept_url``: the feed's address now; left as it is (a feed stored before a check existed
    keeps being editable: its title, its interval)."""
    data.url = data.url.strip() if kept_url is not None and data.url.strip() == kept_url else clean_feed_url(data.url)
    data.title = " ".join(normalize_for_storage(data.title or "").split())[:500]
    if check_address:
        check_feed_address(data.url)
    if not 5 <= (data.poll_interval_minutes or 0) <= 1440:
        raise ServiceError(_("فاصلهٔ بررسی باید از ۵ تا ۱۴۴۰ دقیقه باشد."))
    data.encoding_override = (data.encoding_override or "").strip()
    if data.encoding_override and text_codec(data.encoding_override) is None:  # «bz2_codec»: no text encoding
        raise ServiceError(_("رمزگذاری «%(name)s» شناخته‌شده نیست (نمونه: windows-1256).",
                             name=data.encoding_override))
    return data


def _apply(feed: Feed, data: FeedInput, actor, actor_label: str) -> None:
    if data.outlet_id is None and data.new_outlet.strip():
        data.outlet_id = get_or_create_outlet(data.new_outlet, actor=actor, actor_label=actor_label).id
    feed.url, feed.title, feed.outlet_id, feed.agency_id = data.url, data.title, data.outlet_id, data.agency_id
    feed.poll_interval_minutes = data.poll_interval_minutes
    feed.encoding_override = data.encoding_override or None
    feed.is_active = data.is_active


def create_feed(data: FeedInput, *, actor=None, actor_label: str = "") -> Feed:
    """Add a feed to monitor (URL unique); it is polled on the worker's next pass."""
    _require_admin(actor)
    data = _validate(data)
    if feed_listed(data.url):
        raise ServiceError(_("این نشانی خوراک پیش‌تر ثبت شده است."))
    feed = Feed(next_check_at=utcnow())
    _apply(feed, data, actor, actor_label)
    db.session.add(feed)
    db.session.flush()
    record("feed.created", actor=actor, actor_label=_label(actor, actor_label), obj=feed, url=feed.url)
    db.session.commit()
    return feed


def update_feed(feed: Feed, data: FeedInput, *, actor=None, actor_label: str = "") -> Feed:
    """Change a feed; a changed URL forgets the old validators and is checked at once. The
    address check is made on a changed URL only, so a feed refused since can still be edited."""
    _require_admin(actor)
    data = _validate(data, check_address=data.url.strip() != feed.url, kept_url=feed.url)
    if data.url != feed.url:
        if feed_listed(data.url, other_than=feed.id):
            raise ServiceError(_("این نشانی خوراک پیش‌تر ثبت شده است."))
        feed.etag = feed.last_modified = None
        feed.next_check_at = utcnow()
    _apply(feed, data, actor, actor_label)
    record("feed.updated", actor=actor, actor_label=_label(actor, actor_label), obj=feed, url=feed.url)
    db.session.commit()
    return feed


def set_feed_active(feed: Feed, active: bool, *, actor=None, actor_label: str = "") -> Feed:
    """Enable or disable polling of a feed; enabling checks it on the next pass."""
    _require_admin(actor)
    feed.is_active = active
    if active:
        feed.next_check_at = utcnow()
    record("feed.enabled" if active else "feed.disabled", actor=actor, actor_label=_label(actor, actor_label),
           obj=feed)
    db.session.commit()
    return feed


def check_feed_soon(feed: Feed, *, actor=None, actor_label: str = "") -> Feed:
    """Make the feed due now, so the worker's next pass polls it."""
    _require_admin(actor)
    feed.next_check_at = utcnow()
    record("feed.check_requested", actor=actor, actor_label=_label(actor, actor_label), obj=feed)
    db.session.commit()
    return feed


@dataclass
class Preview:
    """What "try this feed" found. Messages are the monitor's (key and values in ``*_detail``, the
    Persian text beside it); the page shows them in the reader's language."""
    ok: bool
    message: str = ""
    message_detail: dict | None = None
    title: str = ""
    warning: str = ""
    warning_detail: dict | None = None
    entries: list[ParsedEntry] = field(default_factory=list)
    entry_count: int = 0


def preview_feed(url: str, encoding_override: str = "") -> Preview:
    """Fetch and parse a feed without storing anything ("try this feed" before saving it).
    Raises ServiceError for an address saving would refuse (check_feed_address)."""
    data = _validate(FeedInput(url=url, encoding_override=encoding_override))
    policy = FetchPolicy.from_config(current_app.config)
    from app.monitor.fetch import fetch  # httpx with it: not at every start

    result = fetch(data.url, policy=policy)
    if result.error_code:
        return Preview(ok=False, message=result.error_message_fa or "", message_detail=result.error_detail)
    try:
        parsed = parse_feed(result.body or b"", headers=result.headers, base_url=result.final_url,
                            encoding_override=data.encoding_override or None, max_entries=policy.max_entries)
    except FeedParseError as exc:
        return Preview(ok=False, message=exc.message_fa, message_detail=exc.detail.as_json())
    return Preview(ok=True, title=parsed.title, warning=parsed.warning or "", warning_detail=parsed.warning_detail,
                   entries=parsed.entries[:10], entry_count=len(parsed.entries))


# --- OPML ------------------------------------------------------------------------------------

def import_opml(data: bytes, *, active: bool = True, actor=None, actor_label: str = "") -> dict:
    """Add the feeds of an OPML document. Known URLs are skipped ("existing"); "refused" lists
    the others that were not added, each with its reason: longer than feed_addresses.MAX_URL_CHARS, or refused
    by check_feed_address. Raises OpmlError."""
    _require_admin(actor)
    entries = parse_opml(data)
    known = {feed_identity(url) for url in db.session.scalars(select(Feed.url))}
    cleaned: dict[str, str] = {}  # as listed → as stored (clean_feed_url)
    refused: dict[str, str] = {}
    for entry in entries:
        if feed_identity(entry.url) not in known and entry.url not in cleaned and entry.url not in refused:
            try:
                cleaned[entry.url] = clean_feed_url(entry.url)
            except ServiceError as error:
                refused[entry.url] = str(error)
    refused |= address_refusals([url for url, clean in cleaned.items() if feed_identity(clean) not in known])
    added = 0
    for entry in entries:
        url = cleaned.get(entry.url, entry.url)
        if feed_identity(url) in known or entry.url in refused:
            continue
        outlet_id = None
        if entry.outlet:
            try:
                outlet_id = get_or_create_outlet(entry.outlet, kind=entry.outlet_kind or "news_agency",
                                                 scope=entry.outlet_scope or "national", website=entry.site_url,
                                                 actor=actor, actor_label=actor_label).id
            except ServiceError as error:  # the feed is refused with its reason; the others go on
                refused[entry.url] = str(error)
                continue
        db.session.add(Feed(url=url, title=normalize_for_storage(entry.title)[:500], outlet_id=outlet_id,
                            is_active=active, next_check_at=utcnow()))
        known.add(feed_identity(url))
        added += 1
    if added:  # a list whose feeds are all there (run again) stores nothing and audits nothing (session 47)
        record("feed.opml_imported", actor=actor, actor_label=_label(actor, actor_label), added=added,
               listed=len(entries), active=active, refused=len(refused))
    db.session.commit()
    refused_entries = sum(1 for entry in entries if entry.url in refused)
    return {"listed": len(entries), "added": added, "existing": len(entries) - added - refused_entries,
            "refused": [{"url": url, "message": message} for url, message in refused.items()]}


def export_opml() -> bytes:
    """Every monitored web feed as OPML (local-file feeds are left out)."""
    feeds = db.session.scalars(select(Feed).where(Feed.url.like("http%")).order_by(Feed.id)).all()
    return build_opml([OpmlFeed(url=f.url, title=f.title, outlet=f.outlet.name if f.outlet else "",
                                outlet_kind=f.outlet.kind if f.outlet else "",
                                outlet_scope=f.outlet.scope if f.outlet else "") for f in feeds],
                      title="Hamzaban")


def import_starter(*, actor=None, actor_label: str = "") -> dict:
    """The public feeds of the major Iranian news agencies, added disabled (enable them where
    the server can reach them)."""
    return import_opml(STARTER_OPML.read_bytes(), active=False, actor=actor, actor_label=actor_label)


# --- local files -----------------------------------------------------------------------------

def _file_feed(path: Path, outlet: Outlet | None) -> Feed:
    url = path.as_uri()
    feed = db.session.scalar(select(Feed).where(Feed.url == url))
    if feed is None:
        feed = Feed(url=url, title=path.name[:500], outlet_id=outlet.id if outlet else None, next_check_at=utcnow())
        db.session.add(feed)
        db.session.flush()
        record("feed.created", actor_label="import-file", obj=feed, url=url)
    elif outlet is not None and feed.outlet_id is None:
        feed.outlet_id = outlet.id
    return feed


def _store_refusal(error: Exception) -> str:
    """Why a file's items could not be stored, in Persian: not the driver's English and SQL (with
    its parameters) that ``str(error)`` gives; the log has the whole error."""
    if isinstance(error, OperationalError) and "locked" in str(error.orig if hasattr(error, "orig") else error):
        return _("پایگاه داده در دست کار دیگری بود (مثلاً کارگزار یا ورود دیگری)؛ چیزی از این فایل ذخیره نشد. "
                 "کمی بعد دوباره اجرا کنید.")
    return _("خبرهای این فایل ذخیره نشدند (خطای پایگاه داده: %(kind)s)؛ چیزی از آن ذخیره نشد و جزئیات در گزارش "
             "کار هست.", kind=type(getattr(error, "orig", None) or error).__name__)


def _local_file(raw: str) -> Path | None:
    """The file a path names, resolved, or None: missing, a folder, a ring of links, a name longer
    than the system takes (the last two ended the command in a traceback: a review of session 48)."""
    try:
        path = Path(raw).resolve()
        return path if path.is_file() else None
    except (OSError, RuntimeError):  # RuntimeError: pathlib's «Symlink loop» before Python 3.13
        return None


def import_files(paths: list[str], *, outlet_name: str | None = None, outlet_kind: str = "website",
                 outlet_scope: str = "national", city: str = "", workers: int | None = None) -> dict:
    """Local feed files through the same parse → clean → dedupe → store pipeline, each file a
    feed of its own (`file://` URL), parsed in FEED_IMPORT_WORKERS processes and stored in this
    one, one transaction per file. A broken file is an entry in "errors"; the others go on.

    :raise ServiceError: no path names a file (missing, a folder): nothing read, nothing stored"""
    result = {"files": len(paths), "items_new": 0, "items_updated": 0, "items_duplicate": 0, "items_empty": 0, "errors": [],
              "warnings": []}  # a file read despite a flaw (cut off, misdeclared): {"path", "key", "message"}
    if paths and not any(_local_file(raw) for raw in paths):
        # Nothing to read: a refusal, not an import done (it exited 0 with the path under "errors": session 47)
        raise ServiceError(_("هیچ‌یک از فایل‌های داده‌شده خوانده نشد (نخستین: «%(path)s»): نیست یا پوشه است. "
                             "نشانی فایل را بررسی کنید و دوباره اجرا کنید؛ چیزی ذخیره نشد.", path=paths[0]))
    outlet = None
    if outlet_name:
        outlet = get_or_create_outlet(outlet_name, kind=outlet_kind, scope=outlet_scope, city=city,
                                      actor_label="import-file")
    jobs = []
    for raw in paths:
        path = _local_file(raw)
        if path is None:
            result["errors"].append({"path": str(raw), "code": "unreadable", "message": UNREADABLE_FA})
            continue
        feed = _file_feed(path, outlet)
        jobs.append((raw, feed.id, str(path), feed.encoding_override))
    db.session.commit()
    config = current_app.config
    window_days = config["FEED_CLUSTER_WINDOW_DAYS"]
    workers = workers or config["FEED_IMPORT_WORKERS"] or os.cpu_count() or 1
    parsed_files = parse_files([(path, override) for _, _, path, override in jobs], workers)
    for (raw, feed_id, _path, _override), parsed in zip(jobs, parsed_files):
        outcome = FeedOutcome(feed_id=feed_id, fetched_at=utcnow())
        if isinstance(parsed, ParsedFeed):
            outcome.parsed = parsed
            if parsed.warning:  # the feed's page says it too; the command said nothing (hostile feeds, round 13)
                detail = parsed.warning_detail or {"key": None}  # each flaw of the file, one row each (round 16)
                result["warnings"] += [{"path": str(raw), "key": said["key"], "message": localized(said, parsed.warning)}
                                       for said in [detail, *detail.get("also", [])]]
        else:
            outcome.error_code, outcome.error_message = parsed
            result["errors"].append({"path": str(raw), "code": parsed[0], "message": parsed[1]})
        try:
            stats = store_outcome(outcome, window_days=window_days)
        except Exception as exc:  # noqa: BLE001 - a database problem with one file is reported, not fatal
            log.exception("import-file %s: could not store", raw)
            db.session.rollback()
            result["errors"].append({"path": str(raw), "code": "store_error", "message": _store_refusal(exc)})
            continue
        result["items_new"] += stats.new
        result["items_updated"] += stats.updated
        result["items_duplicate"] += stats.duplicate
        result["items_empty"] += stats.empty
    if routing_after_commit():
        drain_backlog()  # a one-shot import returns with its items routed, as when routing was in the ingest
    return result
