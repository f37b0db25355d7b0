"""Demo public-question cases: one in every status of the workflow, some overdue, so a newcomer
sees the case pages, the timelines and the dashboards' waiting work (called by `seed-demo`).

Every case is made through the real services (open_case, move), acting as the demo users, so
the timelines, deadlines and audit entries are the ones a real desk would have. Idempotent: when
any case exists, nothing is added.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.scoping import agency_scope
from app.services.case_inputs import ManualSource
from app.services.cases import PublicationLink, move, open_case
from models import Agency, ItemRoute, PublicQuestion, User

# (title, question, kind, priority, days ago opened, channel, outlet, the statuses to walk)
_WALK = {
    "new": (),
    "accepted": ("accepted",),
    "assigned": ("accepted", "assigned"),
    "drafted": ("accepted", "assigned", "drafted"),
    "approved": ("accepted", "assigned", "drafted", "approved"),
    "published": ("accepted", "assigned", "drafted", "approved", "published"),
    "closed": ("accepted", "assigned", "drafted", "approved", "published", "closed"),
    "rejected": ("rejected",),
}
DEMO_CASES = (
    ("چرا آب محلهٔ شهرک بهار سه روز قطع بود؟", "اهالی شهرک بهار می‌پرسند چرا آب سه روز پیاپی بی‌خبر قطع شد.",
     "question", "normal", 1, "radio", "رادیو استان", "new"),
    ("شایعهٔ آلودگی آب شرب شهر", "در فضای مجازی گفته شده آب شرب شهر آلوده است؛ درست است؟",
     "rumour", "urgent", 1, "social", "کانال خبری شهر", "accepted"),
    ("زمان پایان کار تانکرهای آب‌رسانی", "تانکرهای آب‌رسانی روستاهای شرق استان تا کی کار می‌کنند؟",
     "question", "normal", 3, "print", "روزنامهٔ شهر", "assigned"),
    ("ابهام در نرخ تازهٔ آب‌بها", "خبرنگار می‌پرسد نرخ تازهٔ آب‌بها از چه ماهی اعمال می‌شود.",
     "ambiguity", "normal", 2, "press_conference", "خبرگزاری نمونهٔ استان", "drafted"),
    ("درخواست اهالی برای لوله‌کشی کوی فرهنگیان", "اهالی کوی فرهنگیان خواستار لوله‌کشی شبکهٔ آب هستند.",
     "request", "low", 4, "tv", "شبکهٔ استانی", "approved"),
    ("گلایه از فشار کم آب در طبقه‌های بالا", "شهروندان از فشار کم آب در ساعت‌های اوج گلایه دارند.",
     "complaint", "normal", 12, "radio", "رادیو استان", "published"),
    ("علت کدر شدن آب پس از بارندگی", "چرا پس از بارندگی آب لوله‌کشی کدر می‌شود؟",
     "question", "normal", 20, "print", "روزنامهٔ شهر", "closed"),
    ("پرسش دربارهٔ قبض برق", "پرسش دربارهٔ قبض برق که به آب و فاضلاب نمی‌رسد.",
     "question", "low", 2, "social", "کانال خبری شهر", "rejected"),
    # Overdue and escalated whatever the season: urgent (2 working days), opened 25 and 20 days ago
    # (more than Nowruz's holidays and Fridays can cover), still open.
    ("زمان‌بندی جیره‌بندی آب در تابستان", "مردم می‌پرسند جدول جیره‌بندی آب تابستان کی اعلام می‌شود.",
     "question", "urgent", 25, "press_conference", "خبرگزاری نمونهٔ استان", "assigned"),
    ("چرا فاضلاب خیابان امام سرریز شده است؟", "اهالی خیابان امام می‌پرسند چرا فاضلاب یک هفته است سرریز شده.",
     "complaint", "urgent", 20, "tv", "شبکهٔ استانی", "accepted"),
)
_REASON = "این پرسش به شرکت آب و فاضلاب مربوط نیست؛ به توزیع برق بفرستید."
_LINK = "https://abfa.example.ir/news/answer-{n}"


def seed_demo_cases() -> dict:
    """Open the demo cases (water agency) through the workflow; {"cases": n, "merged": n}."""
    if db.session.scalar(select(func.count()).select_from(PublicQuestion).execution_options(unscoped=True)):
        return {"cases": 0, "merged": 0}
    users = {u.username: u for u in db.session.scalars(select(User).execution_options(unscoped=True))}
    staff, manager = users.get("water.staff"), users.get("water.manager")
    water = db.session.scalar(select(Agency).where(Agency.slug == "water"))
    if staff is None or manager is None or water is None:
        return {"cases": 0, "merged": 0}
    today = local_today()
    made = 0
    with agency_scope(water.id):
        item_id = _flagged_item(water.id)
        for n, (title, question, kind, priority, ago, channel, outlet, status) in enumerate(DEMO_CASES, 1):
            manual = ManualSource(channel=channel, outlet_name=outlet, reported_on=today - timedelta(days=ago))
            case = open_case(staff, agency=water, manual=manual, title=title, question=question, kind=kind,
                             priority=priority, opened_on=today - timedelta(days=ago))
            for step in _WALK[status]:
                _step(case, step, staff, manager, n)
            made += 1
        if item_id is not None:  # a flagged monitored item becomes a case as the inbox would open it
            open_case(staff, agency=water, item_id=item_id, kind="question", accept=True)
            made += 1
        # The same question heard again on the radio: a duplicate, merged into the first case.
        first = db.session.scalar(select(PublicQuestion).where(PublicQuestion.status == "assigned")
                                  .order_by(PublicQuestion.id))
        twin = open_case(staff, agency=water, manual=ManualSource(channel="radio", outlet_name="رادیو استان",
                                                                  reported_on=today),
                         title=first.title, question=first.question, kind=first.kind)
        move(twin, "merged", staff, into=first)
        made += 1
    return {"cases": made, "merged": 1}


def _step(case, step: str, staff, manager, n: int) -> None:
    if step == "accepted":
        move(case, "accepted", staff)
    elif step == "assigned":
        move(case, "assigned", manager, assignee=staff)
    elif step == "drafted":
        move(case, "drafted", staff, answer="پاسخ پیش‌نویس: " + case.question)
    elif step == "approved":
        move(case, "approved", manager)
    elif step == "published":
        move(case, "published", staff, link=PublicationLink(_LINK.format(n=n), label="پایگاه خبری شرکت"))
    elif step == "closed":
        move(case, "closed", manager)
    elif step == "rejected":
        move(case, "rejected", staff, reason=_REASON)


def _flagged_item(agency_id: int) -> int | None:
    """A monitored item routed to the agency and flagged as a public question, if the demo feeds gave one."""
    return db.session.scalar(select(ItemRoute.item_id).where(
        ItemRoute.agency_id == agency_id, ItemRoute.is_question.is_(True)).order_by(ItemRoute.id))
