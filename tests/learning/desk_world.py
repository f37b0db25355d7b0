"""A desk's worth of realistic Persian items and decisions for the classifier's tests: water,
power and other news written from varied sentences (a seeded generator), routed by broad rules
(«آب», «برق») that also take some wrong items, and triaged by staff who accept the right routes,
dismiss the wrong ones and mark the residents' questions."""
from __future__ import annotations

import random

from app.extensions import db
from app.services.routing import create_rule, route_items
from app.services.triage import set_routes_status
from models import ItemRoute
from tests.search_index.item_factory import ItemFactory

PLACES = ["محله سعدی", "شهرک گلستان", "روستای کهنک", "خیابان مطهری", "شهرک صنعتی", "محله امامزاده",
          "روستای ده‌بالا", "بلوار معلم", "کوی فرهنگیان", "شهرک ولیعصر"]
TOPICS = {
    "water": {
        "titles": ["قطعی آب در {p}", "افت فشار آب شرب {p}", "آبرسانی با تانکر به {p}", "ترکیدگی لوله آب در {p}",
                   "کم‌آبی تابستان و {p}", "نشت فاضلاب در {p}"],
        "sentences": ["شرکت آب و فاضلاب از تعمیر خط انتقال خبر داد.", "فشار آب در ساعات اوج مصرف کاهش یافته است.",
                      "تانکرهای آبرسانی هر روز به منطقه اعزام می‌شوند.", "لوله‌های فرسوده شبکه توزیع تعویض می‌شود.",
                      "مخزن ذخیره آب شرب تا پایان ماه تکمیل می‌شود.", "کیفیت آب شرب هر هفته آزمایش می‌شود.",
                      "شبکه جمع‌آوری فاضلاب در حال توسعه است.", "مشترکان به صرفه‌جویی در مصرف آب دعوت شدند."],
    },
    "power": {
        "titles": ["خاموشی در {p}", "قطع برق {p} در ساعات اوج", "نصب ترانسفورماتور جدید در {p}",
                   "جدول خاموشی‌های {p}", "نوسان برق و خرابی لوازم در {p}", "توسعه شبکه برق {p}"],
        "sentences": ["شرکت توزیع نیروی برق از تعمیرات شبکه خبر داد.", "خاموشی‌ها دو ساعت در روز ادامه دارد.",
                      "ترانسفورماتور فرسوده منطقه تعویض شد.", "مشترکان به کاهش مصرف برق در ساعات اوج دعوت شدند.",
                      "کابل‌های فشار ضعیف خودنگهدار جایگزین شد.", "پست برق جدید تا پایان سال بهره‌برداری می‌شود.",
                      "نوسان ولتاژ به لوازم خانگی خسارت زده است.", "کنتورهای هوشمند برای مشترکان نصب می‌شود."],
    },
    "other": {
        "titles": ["برگزاری جشنواره کتاب در {p}", "مسابقات فوتبال جوانان {p}", "افتتاح کتابخانه عمومی {p}",
                   "نمایشگاه صنایع دستی در {p}", "همایش پیاده‌روی خانوادگی {p}", "جشن فارغ‌التحصیلی دانشجویان {p}"],
        "sentences": ["مسابقات با حضور دوازده تیم برگزار شد.", "نمایشگاه تا پایان هفته برپاست.",
                      "هنرمندان استان آثار خود را عرضه کردند.", "کتابخانه با هزار جلد کتاب افتتاح شد.",
                      "این برنامه با استقبال خانواده‌ها همراه بود.", "جوایز برگزیدگان در پایان مراسم اهدا شد.",
                      "هوای آفتابی برای گردشگران مناسب بود.", "دانشجویان نمونه تقدیر شدند."],
    },
}
# The residents' question, in words the detector's cues do not all know.
QUESTION = ["اهالی {p} می‌پرسند چه زمانی مشکل برطرف می‌شود و چرا کسی پاسخگو نیست.",
            "ساکنان {p} از بی‌توجهی مسئولان گلایه دارند و خواستار پاسخ هستند."]


def article(rng: random.Random, topic: str, question: bool = False) -> tuple[str, str]:
    """A title and a text about ``topic``, with a residents' question when asked."""
    place = rng.choice(PLACES)
    spec = TOPICS[topic]
    sentences = rng.sample(spec["sentences"], 3)
    if question:
        sentences.insert(1, rng.choice(QUESTION).format(p=place))
    return rng.choice(spec["titles"]).format(p=place), " ".join(sentences)


def build_desk(water, power, *, items_per_topic: int = 40, seed: int = 7, actor=None) -> dict:
    """Items routed by broad rules and triaged by staff; returns {"items": [(item, topic, question)]}."""
    rng = random.Random(seed)
    create_rule(water, "آب", "آب", actor_label="test")
    create_rule(power, "برق", "برق", actor_label="test")
    factory = ItemFactory()
    outlet = factory.outlet("خبرگزاری استان", scope="provincial")
    made = []
    for n in range(items_per_topic):
        for topic in ("water", "power", "other"):
            question = topic != "other" and n % 4 == 0
            title, text = article(rng, topic, question)
            if topic == "other" and n % 3 == 0:
                text += " آب و هوای منطقه معتدل بود."  # takes the water rule: a wrong route
            if topic == "power" and n % 5 == 0:
                text += " قطعی برق پمپ‌های آب را هم از کار انداخت."  # a power item the water rule takes
            made.append((factory.make(title, text, outlet=outlet, commit=False), topic, question))
    db.session.flush()
    route_items(db.session, [item for item, _, _ in made])
    db.session.commit()
    triage(made, {water.id: "water", power.id: "power"}, actor)
    return {"items": made}


def triage(made, slugs: dict[int, str], actor) -> None:
    """Staff accept the routes of the item's topic and dismiss the others."""
    topics = {item.id: topic for item, topic, _ in made}
    routes = db.session.query(ItemRoute).filter(ItemRoute.item_id.in_(list(topics))).all()
    right = [r for r in routes if r.agency_id is not None and slugs.get(r.agency_id) == topics[r.item_id]]
    wrong = [r for r in routes if r.agency_id is not None and slugs.get(r.agency_id) != topics[r.item_id]]
    if right:
        set_routes_status(right, "accepted", actor)
    if wrong:
        set_routes_status(wrong, "dismissed", actor)
