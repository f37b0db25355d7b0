"""A year of demo history for the dashboards' charts (called by `seed-demo`, after the other demo
parts): for a handful of agencies, in each of the 11 Jalali months before this one, monitored
items routed by the starter rules, public-question cases opened and answered (some late), press
conferences held and media contacts logged. The demo of the other floors fills this month.

Deterministic (a seeded generator) and idempotent: the items hang on one inactive archive feed;
when it exists, nothing is added. Items go through the real routing (``route_items``) and into
the search outbox as ingest puts them; cases are opened through ``open_case`` (reference numbers,
working-day deadlines, timeline, audit) and then given the day their answer was published, as a
past month would have left them; conferences and contacts are written as the rows they are.
"""
from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.clock import from_local, local_today
from app.extensions import db
from app.jalali import jalali_month_range, to_jalali
from app.scoping import agency_scope
from app.services.case_inputs import ManualSource
from app.services.cases import PublicationLink, move, open_case
from app.services.routing import route_items
from models import Agency, Contact, Feed, Item, ItemRoute, Outlet, PressConference, User
from models.search_outbox import enqueue

ARCHIVE_FEED = "https://archive.demo.hamzaban.example/rss"
ANSWERS = "https://abfa.example.ir/news/answers"
MONTHS = 11
PLACES = ("شهرک بهار", "کوی فرهنگیان", "بخش مرکزی", "روستای قلعه‌نو", "شهرستان شرقی", "خیابان امام")
# agency slug → (weight: how busy it is, headlines its starter rules pick up, a case title, a conference title)
AGENCIES = {
    "water": (3, ("قطعی آب در {place}", "افت فشار آب شرب در {place}", "تانکر آب برای {place}",
                  "کنتور آب هوشمند در {place}"),
              "چرا آب {place} قطع شد؟", "نشست خبری آب و فاضلاب دربارهٔ تابستان"),
    "power": (3, ("قطعی برق در {place}", "خاموشی‌های برنامه‌ریزی‌شده در {place}", "پیک مصرف برق و {place}"),
              "زمان خاموشی‌های {place}", "نشست خبری توزیع برق دربارهٔ پیک مصرف"),
    "gas": (2, ("گازرسانی به {place}", "نشت گاز در {place}"), "گازرسانی به {place} کی تمام می‌شود؟",
            "نشست خبری شرکت گاز"),
    "roads": (2, ("برف‌روبی محورهای مواصلاتی {place}", "تصادف در جادهٔ {place}"), "وضعیت جادهٔ {place}",
              "نشست خبری راهداری"),
    "health": (2, ("کمبود دارو در بیمارستان {place}", "واکسیناسیون در {place}"), "کمبود دارو در {place}",
               "نشست خبری دانشگاه علوم پزشکی"),
    "municipality": (1, ("جمع‌آوری پسماند در {place}", "فضای سبز {place}"), "زباله‌های {place}",
                     "نشست خبری شهرداری"),
}
TOPICS = ("پیگیری گزارش", "دعوت به بازدید", "هماهنگی مصاحبه", "ارسال خبر", "پاسخ به پرسش خبرنگار")


def _months_before(today: date, count: int) -> list[tuple[int, int]]:
    j = to_jalali(today)
    year, month, months = j.year, j.month, []
    for _n in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        months.append((year, month))
    return months[::-1]


def _at(day: date, rng: random.Random) -> datetime:
    return from_local(datetime.combine(day, time(rng.randint(8, 20), rng.choice((0, 15, 30, 45)))))


def _day_in(first: date, last: date, rng: random.Random) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def seed_demo_history(today: date | None = None) -> dict:
    """A year of history for the dashboards; {"items": n, "routes": n, "cases": n, "conferences": n, "contacts": n}."""
    counts = {"items": 0, "routes": 0, "cases": 0, "conferences": 0, "contacts": 0}
    if db.session.scalar(select(Feed.id).where(Feed.url == ARCHIVE_FEED)) is not None:
        return counts
    today = today or local_today()
    admin = db.session.scalar(select(User).where(User.role == "admin").order_by(User.id)
                              .execution_options(unscoped=True))
    agencies = {a.slug: a for a in db.session.scalars(select(Agency).where(Agency.slug.in_(list(AGENCIES))))}
    outlets = list(db.session.scalars(select(Outlet).where(Outlet.is_active.is_(True)).order_by(Outlet.id)))
    if admin is None or not agencies or not outlets:
        return counts
    feed = Feed(url=ARCHIVE_FEED, title="بایگانی نمایشی", is_active=False)
    db.session.add(feed)
    db.session.flush()
    rng = random.Random(1405)
    local = [o for o in outlets if o.scope == "local"] or outlets
    for year, month in _months_before(today, MONTHS):
        first, last = jalali_month_range(year, month)
        items = []
        for slug, (weight, headlines, _case, conference) in AGENCIES.items():
            agency = agencies.get(slug)
            if agency is None:
                continue
            for _n in range(rng.randint(2, 6) * weight):
                day = _day_in(first, last, rng)
                title = rng.choice(headlines).format(place=rng.choice(PLACES))
                items.append(_item(feed, rng.choice(outlets), title, _at(day, rng), len(items)))
            if rng.random() < 0.35 + 0.2 * weight:
                db.session.add(PressConference(agency_id=agency.id, title=conference, topics=[], status="held",
                                               starts_at=_at(_day_in(first, last, rng), rng), place="سالن جلسات",
                                               created_by_id=admin.id))
                counts["conferences"] += 1
            for _n in range(rng.randint(1, 3) * weight):
                outlet = rng.choice(local)
                db.session.add(Contact(agency_id=agency.id, outlet_id=outlet.id, outlet_scope=outlet.scope,
                                       topic=rng.choice(TOPICS),
                                       channel=rng.choice(("phone", "visit", "interview", "press_release", "message")),
                                       direction=rng.choice(("outbound", "inbound")),
                                       happened_at=_at(_day_in(first, last, rng), rng)))
                counts["contacts"] += 1
        db.session.add_all(items)
        db.session.flush()
        for item in items:
            enqueue(db.session, "item", item.id)
        counts["routes"] += route_items(db.session, items)
        _triaged(items, rng)
        counts["items"] += len(items)
        db.session.commit()
        counts["cases"] += _cases(agencies, first, last, rng)
    return counts


def _triaged(items: list[Item], rng: random.Random) -> None:
    """A past month's routes as its desks left them: accepted or dismissed within days (they all
    waited as «new»: a year of them in water's inbox, its badge at ۲۴۳: a newcomer's walk)."""
    published = {item.id: item.published_at for item in items}
    for route in db.session.scalars(select(ItemRoute).where(ItemRoute.item_id.in_(published), ItemRoute.status == "new")
                                    .execution_options(unscoped=True)):
        route.status = "accepted" if rng.random() < 0.8 else "dismissed"
        route.status_changed_at = published[route.item_id] + timedelta(hours=rng.randint(2, 72))


def _item(feed: Feed, outlet: Outlet, title: str, at: datetime, n: int) -> Item:
    digest = hashlib.sha1(f"{title}|{at.isoformat()}|{n}".encode()).hexdigest()
    return Item(feed_id=feed.id, outlet_id=outlet.id, title=title, text=title, summary_html=title,
                published_at=at, fetched_at=at, content_hash=digest, guid=digest,
                link=f"https://archive.demo.hamzaban.example/news/{digest[:16]}")


def _cases(agencies: dict, first: date, last: date, rng: random.Random) -> int:
    """Cases opened in the month by an agency that has a demo manager and staff (water), walked
    through the real workflow to published and closed (most on time, some late; one rejected now
    and then), then dated as the month left them: the workflow stamps today, so the day the answer
    was published (``answered_on``, ``published_at``, ``closed_at``) is set back to its past day."""
    made = 0
    for slug, (weight, _headlines, case_title, _conference) in AGENCIES.items():
        agency = agencies.get(slug)
        people = _desk_of(agency) if agency is not None else None
        if people is None:
            continue
        manager, staff = people
        with agency_scope(agency.id):
            for _n in range(rng.randint(1, 3)):
                opened = _day_in(first, last, rng)
                manual = ManualSource(channel=rng.choice(("radio", "print", "social", "tv")),
                                      outlet_name=rng.choice(("رادیو استان", "روزنامهٔ شهر", "کانال خبری شهر")),
                                      reported_on=opened)
                case = open_case(staff, agency=agency, manual=manual, opened_on=opened,
                                 title=case_title.format(place=rng.choice(PLACES)))
                made += 1
                if rng.random() < 0.1:
                    move(case, "rejected", manager, reason="پرسش نیست؛ خبر است.")
                    continue
                move(case, "accepted", manager)
                move(case, "assigned", manager, assignee=staff)
                move(case, "drafted", staff, answer="پاسخ: کار تا پایان هفته انجام می‌شود.")
                move(case, "approved", manager)
                move(case, "published", staff, link=PublicationLink(f"{ANSWERS}/{case.ref}", label="پایگاه خبری"))
                move(case, "closed", manager)
                late = rng.random() < 0.3
                answered = case.deadline + timedelta(days=rng.randint(1, 6)) if late else \
                    max(opened, case.deadline - timedelta(days=rng.randint(0, 4)))
                case.answered_on = min(answered, local_today() - timedelta(days=1))
                case.answer_deadline = case.deadline
                case.published_at = case.closed_at = _at(case.answered_on, rng)
                db.session.commit()
    return made


def _desk_of(agency: Agency) -> tuple[User, User] | None:
    """The agency's first active manager and staff user, if it has both."""
    users = list(db.session.scalars(select(User).where(User.agency_id == agency.id, User.is_active_account)
                                    .order_by(User.id).execution_options(unscoped=True)))
    manager = next((u for u in users if u.role == "manager"), None)
    staff = next((u for u in users if u.role == "staff"), None)
    return (manager, staff) if manager and staff else None
