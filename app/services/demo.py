"""Demo data for a first look: the standard agencies and one user per role."""
from __future__ import annotations

import secrets

from sqlalchemy import select

from app.extensions import db
from app.services.accounts import UserInput, create_user
from app.services.agencies import ensure_standard_agencies
from app.services.alerts import create_saved_search
from app.services.feeds import seed_demo_feeds
from app.services.routing import load_starter_rules
from models import SavedSearch, User

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


def seed_demo() -> dict:
    """Create what is missing; users that exist keep their passwords (idempotent)."""
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
    feeds = seed_demo_feeds()
    return {"agencies_added": added, "users": created, "feeds": feeds, "routing_rules": rules,
            "saved_searches": searches}


# (username, name, query): saved searches with alerts, so the notifications page has something.
DEMO_SEARCHES = (
    ("water.manager", "نشست‌های خبری استان", "«نشست خبری»"),
    ("power.staff", "خاموشی", "خاموشی یا «قطع برق»"),
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
