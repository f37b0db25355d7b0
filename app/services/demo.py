"""Demo data for a first look: the standard agencies, one user per role, starter rules, saved
searches, and local news outlets whose feeds are read from the files in tests/data/feeds."""
from __future__ import annotations

import re
import secrets
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.services.accounts import UserInput, create_user
from app.services.agencies import ensure_standard_agencies
from app.services.alerts import create_saved_search
from app.services.case_reminders import send_reminders
from app.services.demo_cases import seed_demo_cases
from app.services.demo_conference_followup import seed_demo_followup
from app.services.demo_conferences import seed_demo_conferences
from app.services.demo_contacts import seed_demo_contacts
from app.services.demo_directive import seed_demo_directive
from app.services.demo_directory import seed_demo_directory
from app.services.demo_history import seed_demo_history
from app.services.demo_learning import seed_demo_learning
from app.services.demo_scorecard import seed_demo_scorecard
from app.services.feeds import import_files
from app.services.learning_training import register_starter_model
from app.services.routing import load_starter_rules
from models import SavedSearch, User, utcnow

ROOT = Path(__file__).resolve().parents[2]
DEMO_FEEDS_DIR = ROOT / "tests" / "data" / "feeds"
# (file in tests/data/feeds, outlet name, kind, scope, city): the demo's local news outlets.
DEMO_FEEDS = (
    ("demo-ostan-news.rss", "خبرگزاری نمونهٔ استان", "news_agency", "provincial", "مرکز استان"),
    ("demo-shahr-daily.rss", "روزنامهٔ شهر", "newspaper", "local", "مرکز استان"),
    ("demo-radio-ostan.rss", "رادیو استان", "radio", "provincial", "مرکز استان"),
    ("demo-jadeh-news.rss", "پایگاه خبری جاده", "website", "local", "شهرستان نمونه"),
)

# (username, role, agency slug, display name)
DEMO_USERS = (
    ("admin", "admin", None, "مدیر سامانه"),
    ("supervisor", "supervisor", None, "ناظر روابط عمومی استانداری"),
    ("water.manager", "manager", "water", "مدیر روابط عمومی آب و فاضلاب"),
    ("water.staff", "staff", "water", "کارشناس روابط عمومی آب و فاضلاب"),
    ("water.viewer", "viewer", "water", "مدیرعامل آب و فاضلاب"),
    ("power.staff", "staff", "power", "کارشناس روابط عمومی توزیع برق"),
)


def _demo_password() -> str:
    """A random passphrase-like password that passes the rules (shown once)."""
    return "-".join(secrets.token_urlsafe(4) for _ in range(3))


def seed_demo(*, history: bool = False) -> dict:
    """Create what is missing; users that exist keep their passwords (idempotent). ``history``
    adds the year behind this month for the dashboards' charts (demo_history.py): `seed-demo`
    does; the tests that read the demo's own items leave it out (hundreds of archive items)."""
    added = ensure_standard_agencies(actor_label="seed-demo")
    existing = set(db.session.scalars(select(User.username).execution_options(unscoped=True)))
    created = []
    for username, role, agency, name in DEMO_USERS:
        if username in existing:
            continue
        password = _demo_password()
        create_user(UserInput(username=username, role=role, password=password, display_name=name,
                              agency_slug=agency), actor_label="seed-demo")
        created.append({"username": username, "role": role, "agency": agency, "password": password})

    rules = load_starter_rules(actor_label="seed-demo")  # before the feeds, so demo items get routed
    searches = _seed_demo_searches()  # likewise, so the demo items make notifications
    register_starter_model()  # likewise: the classifier beside the rules names its version on the routes
    feeds = seed_demo_feeds()
    directory = seed_demo_directory()  # after the feeds: their outlets join the directory
    cases = seed_demo_cases()  # after the feeds: one case comes from a flagged demo item
    if cases["cases"]:  # the overdue demo cases' breach notices and escalations, as the worker sends them
        cases["notices"] = len(send_reminders(actor_label="seed-demo").sent)
    contacts = seed_demo_contacts()  # after the directory's demo and the cases (a contact links one)
    conferences = seed_demo_conferences()  # after the feeds: their outlets are the ones invited
    conferences["followup"] = seed_demo_followup()  # the held one's questions, commitments, photo, coverage
    conferences["scorecard"] = seed_demo_scorecard()  # more targets; conferences held this month and before
    directive = seed_demo_directive()  # after the users: their evidence records, the portals' history
    learning = seed_demo_learning()  # the water desk's month, a training, this morning's model route and suggestion
    past = seed_demo_history() if history else None  # last: the year behind this month, for the charts
    return {"agencies_added": added, "users": created, "feeds": feeds, "routing_rules": rules,
            "saved_searches": searches, "cases": cases, "directory": directory, "contacts": contacts,
            "conferences": conferences, "directive": directive, "learning": learning, "history": past}


# (username, name, query): saved searches with alerts, so the notifications page has something.
DEMO_SEARCHES = (
    ("water.manager", "نشست‌های خبری استان", "«نشست خبری»"),
    ("power.staff", "خاموشی", "خاموشی یا «قطع برق»"),
    # an agency's staff member too (a newcomer's walk: water.staff, the first user one tries, had none)
    ("water.staff", "آب شرب و تانکر", "«آب شرب» یا تانکر یا «قطعی آب»"),
)


def _seed_demo_searches() -> int:
    users = {u.username: u for u in db.session.scalars(select(User).execution_options(unscoped=True))}
    added = 0
    for username, name, query in DEMO_SEARCHES:
        owner = users.get(username)
        if owner is None or db.session.scalar(select(SavedSearch.id).where(
                SavedSearch.user_id == owner.id, SavedSearch.name == name)) is not None:
            continue
        create_saved_search(owner, name, query)
        added += 1
    return added


_PUB_DATE = re.compile(r"(<(pubDate|lastBuildDate)>)([^<]+)(</\2>)")


def _dated_demo_copies(names: list[str], target: Path) -> dict[str, Path]:
    """Copies of the demo feeds in the data folder with their dates moved by whole days, so the
    newest item is from yesterday and the demo looks current. A copy made earlier is kept as it
    is (its items were imported with those dates)."""
    sources = {name: DEMO_FEEDS_DIR / name for name in names if (DEMO_FEEDS_DIR / name).exists()}
    texts = {name: path.read_text(encoding="utf-8") for name, path in sources.items()}
    dates = [parsedate_to_datetime(m.group(3).strip()) for text in texts.values() for m in _PUB_DATE.finditer(text)]
    shift = timedelta(days=((utcnow() - timedelta(days=1)).date() - max(dates).date()).days) if dates else timedelta()

    def moved(match: re.Match) -> str:
        return match.group(1) + format_datetime(parsedate_to_datetime(match.group(3).strip()) + shift) + match.group(4)

    target.mkdir(parents=True, exist_ok=True)
    copies = {}
    for name, text in texts.items():
        copy = copies[name] = target / name
        if not copy.exists():
            copy.write_text(_PUB_DATE.sub(moved, text), encoding="utf-8")
    return copies


def seed_demo_feeds() -> dict:
    """Demo outlets and their feeds, read from the local files in tests/data/feeds, dated to
    end yesterday (copies in <data>/demo-feeds). Idempotent: a second run adds nothing.
    Called by `seed-demo`."""
    total = {"files": 0, "items_new": 0, "items_duplicate": 0, "errors": []}
    copies = _dated_demo_copies([d[0] for d in DEMO_FEEDS], Path(current_app.config["DATA_DIR"]) / "demo-feeds")
    for name, outlet, kind, scope, city in DEMO_FEEDS:
        path = copies.get(name)
        if path is None:
            continue
        part = import_files([str(path)], outlet_name=outlet, outlet_kind=kind, outlet_scope=scope, city=city)
        for key in ("files", "items_new", "items_duplicate"):
            total[key] += part[key]
        total["errors"] += part["errors"]
    return total
