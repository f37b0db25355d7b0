"""Demo media directory: local, provincial and national outlets of the demo province (the demo
feeds' outlets among them), journalists with Persian names, phones in E.164, beats and handles,
and a few notes of the water and power agencies (called by `seed-demo`, after the feeds).

Made through the real services (create_outlet, create_journalist, add_note), so the audit
entries and the normalized keys are the ones the pages would make. Idempotent: when any
journalist exists, nothing is added. The people are invented; their numbers are demo numbers.
"""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.scoping import agency_scope
from app.services.directory import OutletInput, create_outlet
from app.services.directory_journalists import (
    JournalistInput,
    PhoneInput,
    create_journalist,
)
from app.services.directory_notes import add_note
from models import Journalist, Outlet, User

ACTOR = "seed-demo"
# (name, kind, scope, city, website): the demo feeds' four outlets exist already (demo.DEMO_FEEDS).
DEMO_OUTLETS = (
    ("خبرگزاری نمونهٔ استان", "news_agency", "provincial", "مرکز استان", ""),
    ("روزنامهٔ شهر", "newspaper", "local", "مرکز استان", ""),
    ("رادیو استان", "radio", "provincial", "مرکز استان", ""),
    ("پایگاه خبری جاده", "website", "local", "شهرستان نمونه", ""),
    ("شبکهٔ استانی", "tv", "provincial", "مرکز استان", ""),
    ("کانال خبری شهر", "social_channel", "local", "مرکز استان", ""),
    ("هفته‌نامهٔ ندای شهرستان", "newspaper", "local", "شهرستان نمونه", ""),
    ("خبرگزاری جمهوری اسلامی (ایرنا)", "news_agency", "national", "تهران", "https://www.irna.ir"),
    ("خبرگزاری دانشجویان ایران (ایسنا)", "news_agency", "national", "تهران", "https://www.isna.ir"),
)
# (name, outlets, beat, phones, e-mail, handles, preferred channel)
DEMO_JOURNALISTS = (
    ("علی رضایی", ("روزنامهٔ شهر",), "شهری و آب", ("09120001101", "۰۲۱-۵۵۰۰۱۱۰۱"), "ali.rezaei@example.ir",
     {"telegram": "ali_rezaei_news"}, "telegram"),
    ("مریم کاظمی", ("رادیو استان",), "سلامت و محیط زیست", ("09120001102",), "", {"eitaa": "m_kazemi"}, "phone"),
    ("حسین نوری", ("خبرگزاری نمونهٔ استان",), "اقتصاد و انرژی", ("09120001103",), "h.nouri@example.ir",
     {"bale": "hnouri"}, "bale"),
    ("زهرا احمدی", ("شبکهٔ استانی",), "اجتماعی", ("09120001104",), "", {}, "phone"),
    ("محمد کریمی", ("پایگاه خبری جاده",), "راه و حمل‌ونقل", ("09120001105",), "", {"telegram": "karimi_jadeh"},
     "telegram"),
    ("فاطمه موسوی", ("کانال خبری شهر",), "شهری", ("09120001106",), "", {"eitaa": "f_mousavi", "instagram": "fmousavi"},
     "eitaa"),
    ("رضا حسینی", ("هفته‌نامهٔ ندای شهرستان",), "روستا و کشاورزی", ("09120001107",), "", {}, "visit"),
    ("سارا امینی", ("خبرگزاری جمهوری اسلامی (ایرنا)",), "استان‌ها", ("09120001108",), "s.amini@example.ir", {},
     "email"),
    ("امیر صادقی", ("خبرگزاری دانشجویان ایران (ایسنا)",), "دانشگاه و آموزش", ("09120001109",), "", {"x": "amir_sadeghi"},
     "phone"),
    ("نرگس قاسمی", ("روزنامهٔ شهر", "کانال خبری شهر"), "آب و برق", ("09120001110",), "", {"whatsapp": "989120001110"},
     "whatsapp"),
    ("مهدی جعفری", ("رادیو استان",), "ورزش", ("09120001111",), "", {}, "phone"),
    ("لیلا رحیمی", ("شبکهٔ استانی", "خبرگزاری نمونهٔ استان"), "فرهنگ", ("09120001112",), "", {"telegram": "leila_r"},
     "sms"),
    ("حمید باقری", ("هفته‌نامهٔ ندای شهرستان",), "شهری", ("09120001113",), "", {}, "phone"),
    ("پریسا عباسی", ("پایگاه خبری جاده",), "حوادث", ("09120001114",), "", {"bale": "parisa_abbasi"}, "bale"),
    ("جواد محمدی", ("خبرگزاری نمونهٔ استان",), "سیاسی و استانداری", ("09120001115",), "", {}, "phone"),
    # «حمید باقری» entered a second time by another desk, in Arabic letters, with his website work
    # and another number: his page's «ادغام رکورد تکراری» offers this record to merge.
    ("حميد باقري", ("پایگاه خبری جاده",), "شهری و راه", ("09120001116",), "", {"eitaa": "hamid_bagheri"}, "phone"),
)
# (username, journalist or outlet name, note)
DEMO_NOTES = (
    ("water.staff", "علی رضایی", "پیگیر قطعی‌های آب شرق شهر است؛ پیش از انتشار، پاسخ رسمی را زود برایش بفرستیم."),
    ("water.manager", "روزنامهٔ شهر", "صفحهٔ شهری را هر روز ساعت ۱۶ می‌بندند؛ خبر آب را تا ۱۴ بفرستیم."),
    ("water.staff", "نرگس قاسمی", "برای گزارش طرح آب‌رسانی روستاها ابراز علاقه کرده است."),
    ("power.staff", "حسین نوری", "دربارهٔ خاموشی‌های تابستان گزارش ویژه می‌نویسد؛ آمار را با روابط عمومی هماهنگ کنیم."),
    ("power.staff", "روزنامهٔ شهر", "خبرنگار حوزهٔ برق ندارند؛ خبرها را به دبیر شهری بدهیم."),
)


def _ensure_outlets() -> dict[str, int]:
    existing = {o.name: o for o in db.session.scalars(select(Outlet))}
    ids = {}
    for name, kind, scope, city, website in DEMO_OUTLETS:
        outlet = existing.get(name)
        if outlet is None:
            outlet = create_outlet(OutletInput(name=name, kind=kind, scope=scope, city=city, website=website),
                                   actor_label=ACTOR, allow_duplicate=True)
        ids[name] = outlet.id
    return ids


def seed_demo_directory() -> dict:
    """The demo's outlets, journalists and notes; nothing when a journalist exists already."""
    if db.session.scalar(select(func.count(Journalist.id))):
        return {"outlets": 0, "journalists": 0, "notes": 0}
    before = db.session.scalar(select(func.count(Outlet.id)))
    outlets = _ensure_outlets()
    people = {}
    for name, outlet_names, beat, phones, email, handles, channel in DEMO_JOURNALISTS:
        journalist = create_journalist(JournalistInput(
            name=name, outlet_ids=[outlets[o] for o in outlet_names], beat=beat,
            phones=[PhoneInput(p, "office" if p.startswith("۰۲") else "mobile") for p in phones], email=email,
            handles=dict(handles), preferred_channel=channel), actor_label=ACTOR, allow_duplicate=True)
        people[name] = journalist.id
    users = {u.username: u for u in db.session.scalars(select(User).execution_options(unscoped=True))}
    notes = 0
    for username, subject, body in DEMO_NOTES:
        user = users.get(username)
        if user is None:
            continue
        with agency_scope(user.agency_id):
            subject_kw = {"journalist_id": people[subject]} if subject in people else {"outlet_id": outlets[subject]}
            add_note(user, body, **subject_kw)
        notes += 1
    return {"outlets": db.session.scalar(select(func.count(Outlet.id))) - before, "journalists": len(people),
            "notes": notes}
