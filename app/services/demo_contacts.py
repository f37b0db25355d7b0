"""Demo contacts (clause 11): the *water* and *power* agencies' contacts with the media over the
last ~90 days, so that some local outlets are lapsed (one long ago, one never) and some are not.

It takes the outlets and journalists the directory has (the directory's own demo runs first);
when there is no journalist it adds three, and it tops the local outlets up to three, so it works
alone too. Every contact is logged through app/services/contacts.log_contact as the demo users
(audited like a real one). Idempotent: when any contact exists, nothing is added.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.jalali import format_jalali_date
from app.scoping import agency_scope
from app.services.contacts import ContactDraft, log_contact
from app.services.directory_keys import name_key
from models import Agency, Contact, ItemRoute, Journalist, Outlet, PublicQuestion, User

# Local outlets and journalists added when the directory has too few (name, city) / (name, beat).
DEMO_LOCAL_OUTLETS = (("هفته‌نامهٔ کرانه", "شهرستان نمونه"), ("رادیو محلی شهرستان", "شهرستان نمونه"),
                      ("پایگاه خبری محله", "مرکز استان"))
DEMO_JOURNALISTS = (("مریم احمدی", "شهری"), ("رضا کریمی", "آب و انرژی"), ("زهرا موسوی", "اجتماعی"))
# Days ago of each contact with the n-th local outlet (n mod 3): fresh, lapsed, never; per agency.
PATTERNS = {
    "water": ((2, 16, 33, 61, 85), (41, 77), ()),
    "power": ((9, 38), (52,), (26, 70)),
}
LOGGERS = {"water": ("water.staff", "water.manager"), "power": ("power.staff",)}
TOPICS = {
    "water": ("برنامهٔ شست‌وشوی شبکهٔ آب", "پاسخ به پرسش قطعی آب شهرک بهار", "گزارش پیشرفت طرح فاضلاب",
              "دعوت به بازدید از تصفیه‌خانه", "مصاحبه دربارهٔ صرفه‌جویی آب تابستان"),
    "power": ("جدول خاموشی‌های برنامه‌ریزی‌شده", "پاسخ به گلایهٔ افت ولتاژ", "گفت‌وگو دربارهٔ مصرف بهینهٔ برق"),
}
CHANNELS = ("phone", "interview", "message", "visit", "press_release", "event")


def _ensure_directory() -> tuple[list[Outlet], dict[int, Journalist]]:
    """The local outlets (at least three) and, per local outlet, a journalist who works there."""
    local = list(db.session.scalars(select(Outlet).where(Outlet.scope == "local", Outlet.is_active.is_(True))
                                    .order_by(Outlet.id)))
    for name, city in DEMO_LOCAL_OUTLETS:
        if len(local) >= 3:
            break
        if db.session.scalar(select(Outlet.id).where(Outlet.name == name)) is None:
            outlet = Outlet(name=name, name_key=name_key(name), kind="website", scope="local", city=city)
            db.session.add(outlet)
            local.append(outlet)
    db.session.flush()
    if not db.session.scalar(select(func.count(Journalist.id))):
        for n, (name, beat) in enumerate(DEMO_JOURNALISTS):
            db.session.add(Journalist(name=name, name_key=name_key(name), beat=beat, outlets=[local[n % len(local)]]))
    db.session.commit()
    by_outlet: dict[int, Journalist] = {}
    for journalist in db.session.scalars(select(Journalist).where(Journalist.is_active.is_(True))
                                         .order_by(Journalist.id)):
        for outlet in journalist.outlets:
            by_outlet.setdefault(outlet.id, journalist)
    return local, by_outlet


def _links(agency: Agency) -> tuple[str, str]:
    """A monitored item routed to the agency and its first case, to link to one contact."""
    item_id = db.session.scalar(select(ItemRoute.item_id).where(ItemRoute.agency_id == agency.id)
                                .order_by(ItemRoute.id))
    ref = db.session.scalar(select(PublicQuestion.ref).where(PublicQuestion.agency_id == agency.id)
                            .order_by(PublicQuestion.id).execution_options(unscoped=True))
    return str(item_id or ""), ref or ""


def seed_demo_contacts() -> dict:
    """Log the demo contacts; {"contacts": n}. Nothing when a contact exists already."""
    if db.session.scalar(select(func.count(Contact.id)).execution_options(unscoped=True)):
        return {"contacts": 0}
    users = {u.username: u for u in db.session.scalars(select(User).execution_options(unscoped=True))}
    local, journalists = _ensure_directory()
    others = list(db.session.scalars(select(Outlet).where(Outlet.scope != "local", Outlet.is_active.is_(True))
                                     .order_by(Outlet.id)))
    today = clock.local_today()
    made = 0
    for slug, patterns in PATTERNS.items():
        agency = db.session.scalar(select(Agency).where(Agency.slug == slug))
        loggers = [users[name] for name in LOGGERS[slug] if name in users]
        if agency is None or not loggers:
            continue
        plan = [(outlet, ago) for n, outlet in enumerate(local) for ago in patterns[n % 3]]
        plan += [(outlet, 5 + 11 * n) for n, outlet in enumerate(others[:3])]
        item, case = _links(agency)
        with agency_scope(agency.id):
            for n, (outlet, ago) in enumerate(sorted(plan, key=lambda p: -p[1])):
                journalist = journalists.get(outlet.id)
                draft = ContactDraft(
                    journalist=str(journalist.id) if journalist and n % 2 == 0 else "", outlet=str(outlet.id),
                    direction="inbound" if n % 3 == 1 else "outbound", channel=CHANNELS[n % len(CHANNELS)],
                    topic=TOPICS[slug][n % len(TOPICS[slug])],
                    date=format_jalali_date(today - timedelta(days=ago), digits="en"), time=f"{9 + n % 8:02d}:30",
                    items=item if n == 0 else "", cases=case if n == 0 else "")
                log_contact(draft, loggers[n % len(loggers)])
                made += 1
    return {"contacts": made}
