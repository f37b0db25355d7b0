"""Demo follow-up of the held demo conference (water agency): journalists' questions (one turned
into a case), commitments (one overdue, one done, one open), a photo drawn here with Pillow (no
binary file in the repository), and coverage: a few demo news items in the days after it, routed
like any item, suggested by the real coverage search, one confirmed.

Made through the real services acting as the demo users. Idempotent: a held conference that has
questions already is left as it is.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta
from io import BytesIO

from PIL import Image, ImageDraw
from sqlalchemy import select

from app.clock import local_today
from app.extensions import db
from app.scoping import agency_scope
from app.services.alerts import notify_new_items
from app.services.conference_commitments import (
    CommitmentInput,
    add_commitment,
    set_done,
)
from app.services.conference_coverage import decide, find_coverage
from app.services.conference_photos import add_photo
from app.services.conference_questions import (
    QuestionInput,
    add_question,
    open_question_case,
)
from app.services.routing import route_items
from models import (
    Agency,
    Feed,
    Item,
    ItemRoute,
    Journalist,
    Outlet,
    PressConference,
    User,
)
from models.search_outbox import enqueue

# (outlet name, hours after the conference, title, text): what the demo outlets printed after it.
DEMO_COVERAGE = (
    ("روزنامهٔ شهر", 5, "جیره‌بندی آب در تابستان نداریم",
     "مدیرعامل شرکت آب و فاضلاب در نشست خبری امروز گفت برای کم‌آبی تابستان جیره‌بندی در کار نیست."),
    ("خبرگزاری نمونهٔ استان", 26, "معاون بهره‌برداری: جدول مدیریت فشار آب منتشر می‌شود",
     "معاون بهره‌برداری شرکت آب و فاضلاب از انتشار جدول فشار آب محله‌ها تا پایان ماه خبر داد."),
    ("رادیو استان", 50, "گفت‌وگو دربارهٔ کم‌آبی و آب‌بها",
     "در برنامهٔ امروز رادیو استان از کم‌آبی و نرخ تازهٔ آب‌بها سخن گفته شد."),
)
QUESTIONS = (
    "آیا امسال در تابستان جیره‌بندی آب خواهیم داشت؟",
    "نرخ تازهٔ آب‌بها از چه ماهی اعمال می‌شود؟",
    "چرا فشار آب در محله‌های بالای شهر شب‌ها کم است؟",
)


def demo_photo() -> bytes:
    """A small PNG of a press table, drawn in code."""
    image = Image.new("RGB", (480, 300), (222, 232, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 170, 440, 230), fill=(90, 110, 140))  # the table
    for x in (110, 240, 370):  # the speakers
        draw.ellipse((x - 25, 90, x + 25, 140), fill=(60, 60, 70))
        draw.rectangle((x - 30, 140, x + 30, 172), fill=(60, 60, 70))
    draw.rectangle((0, 0, 480, 40), fill=(20, 90, 160))  # the banner
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _coverage_items(conference: PressConference, agency: Agency) -> int:
    """The demo news items after the conference, stored and routed as ingest would (idempotent by link)."""
    outlets = {o.name: o for o in db.session.scalars(select(Outlet))}
    made = []
    for n, (outlet_name, hours, title, text) in enumerate(DEMO_COVERAGE, 1):
        outlet = outlets.get(outlet_name)
        feed = db.session.scalar(select(Feed).where(Feed.outlet_id == outlet.id)) if outlet else None
        link = f"https://demo.hamzaban.local/coverage/{conference.id}/{n}"
        if feed is None or db.session.scalar(select(Item.id).where(Item.link == link)):
            continue
        item = Item(feed_id=feed.id, outlet_id=outlet.id, title=title, text=text, link=link, guid=link,
                    published_at=conference.starts_at + timedelta(hours=hours),
                    content_hash=hashlib.sha1(link.encode()).hexdigest())
        db.session.add(item)
        db.session.flush()
        enqueue(db.session, "item", item.id)
        made.append(item)
    route_items(db.session, made)
    for item in made:  # the demo's starter rules route water news; make sure these are the water desk's
        if not db.session.scalar(select(ItemRoute.id).where(ItemRoute.item_id == item.id,
                                                            ItemRoute.agency_id == agency.id)
                                 .execution_options(unscoped=True)):
            db.session.add(ItemRoute(item_id=item.id, agency_id=agency.id, status="seen", rule_ids=[], matched=[]))
    db.session.flush()
    notify_new_items(db.session, made)  # the saved searches' alerts, as ingest sends them
    db.session.commit()
    return len(made)


def seed_demo_followup() -> dict:
    """Questions, commitments, a photo and coverage of the held demo conference; counts."""
    agency = db.session.scalar(select(Agency).where(Agency.slug == "water"))
    users = {u.username: u for u in db.session.scalars(select(User).execution_options(unscoped=True))}
    staff, manager = users.get("water.staff"), users.get("water.manager")
    if agency is None or staff is None or manager is None:
        return {}
    with agency_scope(agency.id):
        conference = db.session.scalar(select(PressConference).where(PressConference.status == "held")
                                       .order_by(PressConference.id))
        if conference is None or conference.questions:
            return {}
        invited = [i.journalist for i in conference.invitations if i.journalist is not None]
        journalists = invited or list(db.session.scalars(select(Journalist).order_by(Journalist.id).limit(3)))
        questions = []
        for n, text in enumerate(QUESTIONS):
            who = journalists[n % len(journalists)] if journalists else None
            data = QuestionInput(text=text, journalist_id=who.id if who else None,
                                 asked_by_name="" if who else "خبرنگار مهمان",
                                 outlet_name="" if who and who.outlets else "هفته‌نامهٔ محله")
            questions.append(add_question(conference.id, data, staff))
        case = open_question_case(conference.id, questions[0].id, staff).case
        today = local_today()
        overdue = add_commitment(conference.id, CommitmentInput(
            text="انتشار جدول مدیریت فشار آب محله‌ها روی درگاه", owner_user_id=manager.id,
            due_on=today - timedelta(days=2), question_id=questions[2].id), staff)
        done = add_commitment(conference.id, CommitmentInput(
            text="پاسخ مکتوب دربارهٔ نرخ تازهٔ آب‌بها به خبرنگاران", owner_label="معاونت مالی",
            due_on=today - timedelta(days=6), question_id=questions[1].id), staff)
        set_done(conference.id, done.id, True, staff)
        add_commitment(conference.id, CommitmentInput(text="بازدید خبرنگاران از تصفیه‌خانه", owner_user_id=staff.id,
                                                      due_on=today + timedelta(days=10)), staff)
        add_photo(conference.id, BytesIO(demo_photo()), "nashest-kam-abi.png", staff,
                  caption="سخنگویان در نشست خبری کم‌آبی")
        items = _coverage_items(conference, agency)
        found = find_coverage(conference.id, staff)
        first = sorted(conference.coverage, key=lambda row: (-row.score, row.id))
        if first:
            decide(conference.id, first[0].id, "confirmed", staff)
    return {"questions": len(questions), "case": case.ref, "commitments": 3, "overdue": overdue.id,
            "photos": 1, "coverage_items": items, "coverage_suggested": found.added}
