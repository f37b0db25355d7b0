"""Demo data for the directive scorecard (called by `seed-demo`, after the conferences): targets
for more agencies, and conferences held in the current month and in the past months, so the
scorecard of the current month, season and year has conferences to count. The cases, contacts,
evidence and portals of the demo are seeded by their own modules. Idempotent: nothing is added
when the first demo conference of this module exists.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.clock import local_today
from app.extensions import db
from app.jalali import to_jalali
from app.scoping import agency_scope
from app.services.conference_inputs import ConferenceDraft
from app.services.conferences import MoveRequest, move_conference, plan_conference
from models import Agency, PressConference, User

# Conference targets besides those of demo_conferences (water 1 a month, power 4 a year).
DEMO_TARGETS = (("gas", 2, "season"), ("roads", 6, "year"), ("health", 1, "month"))
# (agency, acting user, title, topics, days ago: 0 = as early this month as today allows)
DEMO_HELD = (
    ("water", "water.staff", "نشست خبری آمادگی شبکهٔ آب برای زمستان", "زمستان\nیخ‌زدگی کنتور", None),
    ("water", "water.staff", "نشست خبری طرح فاضلاب شهرک‌ها", "فاضلاب\nشهرک‌ها", 45),
    ("power", "power.staff", "نشست خبری پیک مصرف زمستان", "پیک مصرف\nگاز و برق", 40),
    ("power", "power.staff", "نشست خبری نوسازی شبکهٔ برق روستاها", "برق روستایی", 100),
)


def seed_demo_scorecard() -> dict:
    """{"targets": n, "held": n}."""
    if db.session.scalar(select(PressConference.id).where(PressConference.title == DEMO_HELD[0][2])
                         .execution_options(unscoped=True)) is not None:
        return {"targets": 0, "held": 0}
    agencies = {a.slug: a for a in db.session.scalars(select(Agency))}
    users = {u.username: u for u in db.session.scalars(select(User).execution_options(unscoped=True))}
    targets = 0
    for slug, target, period in DEMO_TARGETS:
        if slug in agencies:
            agencies[slug].conference_target, agencies[slug].conference_target_period = target, period
            targets += 1
    db.session.commit()
    today = local_today()
    held = 0
    for slug, username, title, topics, ago in DEMO_HELD:
        agency, actor = agencies.get(slug), users.get(username)
        if agency is None or actor is None:
            continue
        day = today - timedelta(days=min(2, to_jalali(today).day - 1) if ago is None else ago)
        with agency_scope(agency.id):
            conference = plan_conference(ConferenceDraft(title=title, topics=topics, day=day, start_time="10:00",
                                                         duration_minutes=60, place="سالن اجتماعات",
                                                         spokespeople="مدیرعامل"), actor)
            move_conference(conference.id, MoveRequest(to_status="held"), actor)
        held += 1
    return {"targets": targets, "held": held}
