"""Demo press conferences: for the water and power agencies, one in every status (planned,
held, postponed, cancelled), invitations with RSVP answers, attendance and minutes of the held
one, and each agency's cadence, so `make run` shows the conference pages and the cadence list.

Made through the real services acting as the demo users, so timelines and audit entries are
what a real desk would have. The directory's journalists are used when there are some; when
none exist yet, a few demo journalists are added to the demo outlets. Idempotent: when any
conference exists, nothing is added.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.scoping import agency_scope
from app.services.conference_invitations import (
    InviteRequest,
    invite,
    record_attendance,
    set_rsvp,
)
from app.services.conferences import (
    ConferenceDraft,
    MoveRequest,
    move_conference,
    plan_conference,
    save_minutes,
)
from app.services.directory_keys import name_key
from models import Agency, Journalist, JournalistPhone, Outlet, PressConference, User

# (name, beat, phone, outlet name): used only when the directory has no journalist yet.
DEMO_JOURNALISTS = (
    ("مریم احمدی", "خدمات شهری", "+989121110001", "روزنامهٔ شهر"),
    ("رضا کریمی", "اقتصادی", "+989121110002", "خبرگزاری نمونهٔ استان"),
    ("زهرا موسوی", "اجتماعی", "+989121110003", "رادیو استان"),
    ("حسین رستمی", "راه و حمل‌ونقل", "+989121110004", "پایگاه خبری جاده"),
)
# (agency slug, target, period)
DEMO_CADENCE = (("water", 1, "month"), ("power", 4, "year"))
MINUTES = ("۱. مدیرعامل گزارش کم‌آبی تابستان و برنامهٔ مدیریت مصرف را ارائه کرد.\n"
           "۲. به پرسش‌ها دربارهٔ نرخ تازهٔ آب‌بها و جیره‌بندی پاسخ داده شد.\n"
           "۳. قرار شد جدول مدیریت فشار آب محله‌ها تا پایان ماه روی درگاه منتشر شود.")


def _journalists() -> list[Journalist]:
    found = list(db.session.scalars(select(Journalist).where(Journalist.is_active).order_by(Journalist.id).limit(8)))
    if found:
        return found
    outlets = {o.name: o for o in db.session.scalars(select(Outlet))}
    for name, beat, phone, outlet_name in DEMO_JOURNALISTS:
        journalist = Journalist(name=name, name_key=name_key(name), beat=beat)
        journalist.phones.append(JournalistPhone(e164=phone, label="mobile"))
        if outlet_name in outlets:
            journalist.outlets.append(outlets[outlet_name])
        db.session.add(journalist)
        found.append(journalist)
    db.session.commit()
    return found


def _plan(actor, title: str, topics: str, day, time: str, place: str, spokespeople: str) -> PressConference:
    return plan_conference(ConferenceDraft(title=title, topics=topics, day=day, start_time=time, duration_minutes=90,
                                           place=place, spokespeople=spokespeople), actor)


def seed_demo_conferences() -> dict:
    """The demo conferences and cadence; {"conferences": n, "journalists": n}."""
    if db.session.scalar(select(func.count()).select_from(PressConference).execution_options(unscoped=True)):
        return {"conferences": 0, "journalists": 0}
    users = {u.username: u for u in db.session.scalars(select(User).execution_options(unscoped=True))}
    agencies = {a.slug: a for a in db.session.scalars(select(Agency))}
    staff, manager, power_staff = users.get("water.staff"), users.get("water.manager"), users.get("power.staff")
    if staff is None or manager is None or "water" not in agencies:
        return {"conferences": 0, "journalists": 0}
    for slug, target, period in DEMO_CADENCE:
        if slug in agencies:
            agencies[slug].conference_target, agencies[slug].conference_target_period = target, period
    db.session.commit()
    journalists = _journalists()
    today = local_today()
    made = 0
    with agency_scope(agencies["water"].id):
        held = _plan(staff, "نشست خبری کم‌آبی تابستان و مدیریت مصرف", "کم‌آبی\nجیره‌بندی\nآب‌بها",
                     today - timedelta(days=12), "10:00", "سالن اجتماعات شرکت آب و فاضلاب",
                     "مدیرعامل شرکت آب و فاضلاب\nمعاون بهره‌برداری")
        invite(held.id, InviteRequest(journalist_ids=[j.id for j in journalists]), staff)
        for n, invitation in enumerate(held.invitations):
            set_rsvp(held.id, invitation.id, ("accepted", "accepted", "declined", "maybe")[n % 4], staff)
        move_conference(held.id, MoveRequest(to_status="held"), staff)
        record_attendance(held.id, [i.id for i in held.invitations if i.rsvp != "declined"][:3], staff)
        save_minutes(held.id, MINUTES, staff)
        planned = _plan(staff, "نشست خبری طرح‌های آب‌رسانی روستایی", "آب‌رسانی روستایی\nتانکر",
                        today + timedelta(days=9), "11:00", "سالن اجتماعات شرکت آب و فاضلاب", "معاون بهره‌برداری")
        invite(planned.id, InviteRequest(scopes=["local"]), staff)
        for n, invitation in enumerate(planned.invitations):
            set_rsvp(planned.id, invitation.id, ("accepted", "pending", "no_answer")[n % 3], staff)
        postponed = _plan(staff, "نشست خبری نوسازی شبکهٔ فاضلاب", "فاضلاب\nنوسازی شبکه",
                          today + timedelta(days=3), "10:30", "سالن اجتماعات شرکت آب و فاضلاب", "مدیرعامل")
        move_conference(postponed.id, MoveRequest(to_status="postponed", day=today + timedelta(days=20),
                                                  start_time="10:30", reason="هم‌زمانی با سفر استاندار"), staff)
        cancelled = _plan(staff, "نشست خبری نرخ تازهٔ آب‌بها", "آب‌بها", today + timedelta(days=5), "09:00",
                          "استانداری، سالن شهید رجایی", "مدیرعامل")
        move_conference(cancelled.id, MoveRequest(to_status="cancelled", reason="نرخ تازه هنوز تصویب نشده است."),
                        manager)
        made += 4
    if power_staff is not None and "power" in agencies:
        with agency_scope(agencies["power"].id):
            power = _plan(power_staff, "نشست خبری مدیریت بار و خاموشی‌های تابستان", "خاموشی\nمدیریت بار",
                          today + timedelta(days=6), "10:00", "شرکت توزیع برق", "مدیرعامل شرکت توزیع برق")
            invite(power.id, InviteRequest(scopes=["provincial"]), power_staff)
            made += 1
    return {"conferences": made, "journalists": len(journalists)}
