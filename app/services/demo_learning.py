"""The demo of triage that learns (issue 15), called by `seed-demo` after the feeds: the shipped
starter model registered as the first version, then a month of the water agency's desk — items
a broad trial rule «آب» took, which staff accepted (residents' questions, the agency's news),
dismissed (news that only mentions water) and marked as public questions where the detector's
cues missed them —, a model trained from those decisions (kept only if at least as good as the
starter on the held-back slice, as always), and this morning's items classified by it: a
residents' question no rule took, routed to the water agency by the model, with its words, and
flagged as a public question by it. The month's items were classified by the starter model when
they came in: its routes and suggestions (below an agency's threshold) wait in the inboxes.

Deterministic (a seeded generator; the same texts feed tests/services/learning_fixtures.py) and
idempotent: the items hang on one inactive feed; when it exists nothing is added. With learning
off (HAMZABAN_LEARNING=0) only the starter model is registered.
"""
from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.services.learning_training import register_starter_model, train_model
from app.services.question_labels import label_question
from app.services.routing import create_rule, route_items, update_rule
from app.services.triage import set_routes_status
from models import (
    Agency,
    Feed,
    Item,
    ItemRoute,
    Outlet,
    RouteSuggestion,
    User,
)
from models.search_outbox import enqueue

DESK_FEED = "https://desk-month.demo.hamzaban.example/rss"
TRIAL_RULE = "همهٔ خبرهای آب (آزمایشی)"

PLACES = ["شهرک ولیعصر", "محلهٔ باغ‌شاد", "کوی فرهنگیان", "روستای دهنو", "خیابان طالقانی", "کوی ایثار",
          "محلهٔ سرآسیاب", "شهرک بهاران", "روستای قلعه‌نو", "خیابان مطهری", "کوی گلستان", "محلهٔ چهارباغ",
          "شهرک امیرکبیر", "روستای کهنک", "کوی سعدی", "محلهٔ دروازه‌شیراز"]
SINCE = ["از سه روز پیش", "از صبح دیروز", "یک هفته است", "دو شبانه‌روز است", "از شب گذشته", "چند روزی است",
         "از آغاز هفته", "از جمعه"]
WHO = ["اهالی", "ساکنان", "شهروندان", "مردم", "خانواده‌های"]

# Residents' questions the detector's cues catch («می‌پرسند», «چرا …؟»)…
CUE_TITLES = [
    "{who} {place} می‌پرسند چرا آب {since} قطع است",
    "{who} {place}: چرا آب آشامیدنی {since} وصل نشده است؟",
    "چرا آب {place} {since} قطع است؟ {who} منتظر پاسخ‌اند",
    "{who} {place} می‌پرسند تانکر آب کی می‌رسد",
]
CUE_BODIES = [
    ("{who} {place} می‌گویند آب {since} قطع است و هیچ اطلاع‌رسانی نشده است. آن‌ها می‌پرسند چرا کسی "
    "نمی‌گوید آب کی وصل می‌شود."),
    "{who} {place} می‌پرسند چرا با وجود قطعی آب {since}، هیچ مسئولی به محله سر نزده است.",
]
# …and the ones that use no cue word: the desk marks them by hand.
QUIET_TITLES = [
    "{who} {place} می‌گویند آب {since} قطع شده و کسی جواب نمی‌دهد",
    "{who} {place} {since} بی‌آب مانده‌اند",
    "آب {place} {since} قطع است و {who} هنوز خبری از وصل شدن ندارند",
    "{who} {place} {since} با سطل از مسجد محل آب می‌برند",
    "قطعی آب {place} {since} ادامه دارد؛ {who} کلافه شده‌اند",
]
QUIET_BODIES = [
    ("{who} {place} می‌گویند آب {since} قطع است و هنوز خبری از وصل شدن آن نیست. بچه‌ها و سالمندان "
    "بی‌آب مانده‌اند."),
    ("به گفتهٔ {who} {place}، آب {since} قطع است و تانکری هم نیامده است؛ خانواده‌ها آب را از محله‌های "
    "دیگر می‌آورند."),
    "فشار آب در {place} {since} آن‌قدر پایین است که به طبقه‌های بالا نمی‌رسد و {who} محله کلافه شده‌اند.",
]
AGENCY_TITLES = [
    "بهره‌برداری از خط انتقال آب {place} با حضور مدیرعامل",
    "اجرای {n} کیلومتر شبکهٔ آب در {place} به پایان رسید",
    "مدیرعامل آبفا از نوسازی تأسیسات آب {place} خبر داد",
    "ذخیرهٔ مخزن آب {place} {n} درصد افزایش یافت",
    "آغاز عملیات اجرایی تصفیه‌خانهٔ آب {place}",
]
AGENCY_BODIES = [
    ("به گزارش روابط عمومی شرکت آب و فاضلاب، این طرح با اعتبار {n} میلیارد ریال اجرا شد و آب {place} را "
    "پایدار می‌کند."),
    ("مدیرعامل شرکت آب و فاضلاب استان گفت: با اجرای این طرح، ظرفیت تأمین آب {place} {n} لیتر در ثانیه "
    "افزایش می‌یابد."),
    "معاون بهره‌برداری آبفا از پایان عملیات لوله‌گذاری آب در {place} و اتصال {n} انشعاب تازه خبر داد.",
]
OTHER_TITLES = [
    "پیش‌بینی آب و هوای استان: بارش پراکنده در {place}",
    "مسابقات شنای آب‌های آزاد در {place} برگزار شد",
    "توصیهٔ پزشکان: در روزهای گرم آب کافی بنوشید",
    "قیمت آب معدنی در فروشگاه‌های {place} {n} درصد بالا رفت",
    "کاهش دمای هوا و آب شدن برف‌ها در ارتفاعات {place}",
    # other agencies' matters in the same places, mentioning water in passing (each title: the trial
    # rule «آب» takes every one of this list): dismissed by the
    # water desk (without them the month's model learnt the places and «قطعی» as water's, and sent
    # «واکسیناسیون در کوی فرهنگیان» and «قطعی برق در خیابان امام» to water at 100 %: a walk through
    # the demo's pages)
    "قطعی برق {place} {since}؛ پمپ‌های آب ساختمان‌ها از کار افتاد",
    "واکسیناسیون کودکان در مرکز بهداشت {place} و توصیه به نوشیدن آب سالم",
    "بازگشایی مدرسهٔ {place} پس از نوسازی و لوله‌کشی آب",
]
OTHER_BODIES = [
    "کارشناس هواشناسی گفت آسمان {place} تا {n} روز آینده ابری است و دما کاهش می‌یابد.",
    "در این رقابت‌ها {n} ورزشکار از شهرستان‌های استان شرکت کردند و تیم {place} اول شد.",
    "متخصصان تغذیه می‌گویند نوشیدن روزانه {n} لیوان آب برای بدن لازم است و از گرمازدگی پیشگیری می‌کند.",
    "برنامه‌های فرهنگی و ورزشی جشنواره تا {n} شب در پارک {place} ادامه دارد.",
    ("{who} {place} می‌گویند برق {since} قطع است و پمپ‌های آب ساختمان‌ها کار نمی‌کنند؛ شرکت توزیع برق علت "
     "را نقص فنی شبکه اعلام کرد."),
    "مرکز بهداشت {place} از نوبت تازهٔ واکسیناسیون کودکان خبر داد و نوشیدن آب سالم را توصیه کرد.",
]


def _fill(template: str, rnd: random.Random) -> str:
    return template.format(who=rnd.choice(WHO), place=rnd.choice(PLACES), since=rnd.choice(SINCE),
                           n=rnd.randint(2, 90))


def question_text(rnd: random.Random, *, quiet: bool | None = None) -> tuple[str, str]:
    """A residents' question about a water cut; ``quiet``: one without the detector's cue words
    (None: either, at random)."""
    quiet = rnd.random() < 0.5 if quiet is None else quiet
    titles, bodies = (QUIET_TITLES, QUIET_BODIES) if quiet else (CUE_TITLES, CUE_BODIES)
    return _fill(rnd.choice(titles), rnd), _fill(rnd.choice(bodies), rnd)



def desk_month_texts(rnd: random.Random, *, questions: int = 36, news: int = 24, others: int = 30):
    """(kind, title, body) for a month of the desk: kind "cue" / "quiet" (residents' questions with
    and without the detector's cue words), "news" (the agency's own), "other" (mentions water)."""
    kinds = ["cue", "quiet"] * (questions // 2) + ["news"] * news + ["other"] * others
    rnd.shuffle(kinds)
    out = []
    for kind in kinds:
        if kind in ("cue", "quiet"):
            title, body = question_text(rnd, quiet=kind == "quiet")
        elif kind == "news":
            title, body = _fill(rnd.choice(AGENCY_TITLES), rnd), _fill(rnd.choice(AGENCY_BODIES), rnd)
        else:
            title, body = _fill(rnd.choice(OTHER_TITLES), rnd), _fill(rnd.choice(OTHER_BODIES), rnd)
        out.append((kind, title, body))
    return out


# This morning's items (title, body): a residents' question in words no water rule takes, and
# weather news that mentions water.
MORNING = (
    ("اهالی کوی بهاران یک هفته است با سطل از مسجد محل آب می‌برند",
     ("اهالی کوی بهاران می‌گویند آب یک هفته است قطع است و هنوز خبری از وصل شدن آن نیست. بچه‌ها و سالمندان "
     "بی‌آب مانده‌اند.")),
    ("مخزن آب کوی بهاران و گرمای تابستان",
     "کارشناس هواشناسی گفت دمای هوا در کوی بهاران تا پنج روز آینده بالا می‌ماند و مصرف آب افزایش می‌یابد."),
)


def _item(feed: Feed, outlet: Outlet | None, title: str, body: str, at: datetime, n: int) -> Item:
    digest = hashlib.sha1(f"{title}|{n}".encode()).hexdigest()
    return Item(feed_id=feed.id, outlet_id=outlet.id if outlet else None, title=title, text=body, summary_html=body,
                published_at=at, fetched_at=at, content_hash=digest, guid=digest,
                link=f"https://desk-month.demo.hamzaban.example/news/{digest[:16]}")


def _ingest(feed: Feed, outlet: Outlet | None, texts, start: datetime, step: timedelta) -> list[Item]:
    items = [_item(feed, outlet, title, body, start + step * n, n) for n, (title, body) in enumerate(texts)]
    db.session.add_all(items)
    db.session.flush()
    for item in items:
        enqueue(db.session, "item", item.id)
    route_items(db.session, items)
    db.session.commit()
    return items


def seed_demo_learning(*, now: datetime | None = None) -> dict:
    """The starter model as a version; with learning on, the water desk's month, a training and
    this morning's classified items. {"decisions", "training", "model_routes", "suggestions"}
    (routes and suggestions the classifier made in the demo, every agency's)."""
    register_starter_model()
    counts = {"decisions": 0, "training": None, "model_routes": 0, "suggestions": 0}
    if not current_app.config["LEARNING"]:
        return counts
    if db.session.scalar(select(Feed.id).where(Feed.url == DESK_FEED)) is not None:
        return counts
    water = db.session.scalar(select(Agency).where(Agency.slug == "water"))
    staff = db.session.scalar(select(User).where(User.username == "water.staff").execution_options(unscoped=True))
    if water is None or staff is None:
        return counts
    now = now or utcnow()
    outlet = db.session.scalar(select(Outlet).where(Outlet.is_active.is_(True)).order_by(Outlet.id))
    feed = Feed(url=DESK_FEED, title="میز یک ماه گذشته (نمایشی)", is_active=False)
    db.session.add(feed)
    db.session.flush()
    rule = create_rule(water, TRIAL_RULE, "آب", actor_label="seed-demo")
    month = desk_month_texts(random.Random(1405))
    items = _ingest(feed, outlet, [(t, b) for _k, t, b in month], now - timedelta(days=30), timedelta(hours=7))
    for (kind, _t, _b), item in zip(month, items):
        route = db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == item.id, ItemRoute.agency_id == water.id))
        if route is None:
            continue
        is_question = kind in ("cue", "quiet")
        if bool(route.is_question) != is_question:
            label_question(route, is_question, staff)
            counts["decisions"] += 1
        set_routes_status([route], "dismissed" if kind == "other" else "accepted", staff)
        counts["decisions"] += 1
    # Too noisy to keep: the desk switched the trial rule off; the model keeps what it taught.
    update_rule(rule, name=rule.name, query=rule.query, is_active=False, actor_label="seed-demo")
    counts["training"] = train_model(actor_label="seed-demo").status
    _ingest(feed, outlet, MORNING, now - timedelta(hours=2), timedelta(minutes=30))
    counts["model_routes"] = len(db.session.scalars(select(ItemRoute.id).where(
        ItemRoute.model_probability.is_not(None)).execution_options(unscoped=True)).all())
    counts["suggestions"] = len(db.session.scalars(select(RouteSuggestion.id)
                                                   .execution_options(unscoped=True)).all())
    return counts
