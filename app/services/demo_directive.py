"""Demo data of the directive's register: portal freshness (clause 10) and the evidence register
(clauses 1–8, 13, 14), so `make run` shows both pages filled in.

Portals: five agencies get a recorded history of changes on their portal pages over the last
five months (water and power fresh, roads fresh, gas and health stale). Their addresses are
demo addresses, kept on the page-check rows only and not on the agencies, so the worker does not
try to fetch pages that do not exist; a real agency's ``portal_url`` (or its portal feed) is what
is checked. Evidence: records of the water and power agencies for several clauses, added through
the real use case as their users (so the audit log has them), one with a PDF.

Idempotent: portal history is added only when no portal change exists; evidence only when no
evidence record exists.
"""
from __future__ import annotations

import random
from datetime import timedelta
from io import BytesIO

from sqlalchemy import func, select

from app.clock import local_midnight, local_today
from app.extensions import db
from app.jalali import format_jalali_date
from app.scoping import agency_scope
from app.services.evidence_records import EvidenceDraft, Upload, add_record
from models import Agency, EvidenceRecord, PortalChange, PortalCheck, User

# (agency slug, demo address, days between changes, days since the last change)
DEMO_PORTALS = (
    ("water", "https://www.abfa-demo.example/", 3, 1),
    ("power", "https://www.tavanir-demo.example/", 6, 2),
    ("roads", "https://www.rahdari-demo.example/", 5, 4),
    ("gas", "https://www.gas-demo.example/", 10, 45),
    ("health", "https://www.umsu-demo.example/", 8, 12),
)
HISTORY_DAYS = 150

# (agency slug, username, clause, days ago, standing, note, with a PDF)
DEMO_EVIDENCE = (
    ("water", "water.manager", 1, 400, False, "حکم انتصاب آقای محمد رضایی به مدیریت روابط عمومی شرکت آب و فاضلاب.", True),
    ("water", "water.manager", 2, 390, False, "حکم مشاور رسانه‌ای مدیرعامل برای مدیر روابط عمومی.", False),
    ("water", "water.manager", 3, 300, True, "تشکیل شورای اطلاع‌رسانی شرکت با ۷ عضو به ریاست مدیرعامل.", False),
    ("water", "water.staff", 3, 40, False, "جلسهٔ شورای اطلاع‌رسانی: برنامهٔ اطلاع‌رسانی کم‌آبی تابستان.", False),
    ("water", "water.staff", 3, 10, False, "جلسهٔ شورای اطلاع‌رسانی: گزارش پوشش خبری طرح‌های آبرسانی.", False),
    ("water", "water.staff", 5, 20, False, "حضور مدیر روابط عمومی در جلسهٔ هیئت‌مدیره دربارهٔ نرخ آب‌بها.", False),
    ("water", "water.staff", 6, 200, True, "عضویت در شورای هماهنگی روابط عمومی‌های استان.", False),
    ("water", "water.staff", 7, 60, False, "دورهٔ آموزشی خبرنویسی و عکاسی خبری برای دو کارشناس (۱۶ ساعت).", False),
    ("water", "water.staff", 8, 90, False, "شرکت در جشنوارهٔ روابط عمومی‌های برتر استان.", False),
    ("water", "water.manager", 13, 120, False, "دو دوربین عکاسی، یک رایانهٔ تدوین و تجهیزات پخش زنده.", False),
    ("power", "power.staff", 1, 500, False, "حکم انتصاب خانم زهرا نادری به مدیریت روابط عمومی.", False),
    ("power", "power.staff", 7, 30, False, "دورهٔ آموزشی مدیریت بحران رسانه‌ای.", False),
    ("power", "power.staff", 14, 15, False, "قرارداد تولید ۱۰ موشن‌گرافیک صرفه‌جویی برق با یک استودیوی محلی.", False),
)
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _seed_portals() -> int:
    if db.session.scalar(select(func.count()).select_from(PortalChange)):
        return 0
    agencies = {a.slug: a for a in db.session.scalars(select(Agency))}
    today, rng, added = local_today(), random.Random(10), 0
    for slug, url, every, last in DEMO_PORTALS:
        agency = agencies.get(slug)
        if agency is None:
            continue
        start = local_midnight(today - timedelta(days=HISTORY_DAYS))
        changed = [local_midnight(today - timedelta(days=days)) + timedelta(hours=rng.randint(7, 18))
                   for days in range(last, HISTORY_DAYS, every)]
        check = db.session.scalar(select(PortalCheck).where(PortalCheck.agency_id == agency.id))
        if check is None:
            check = PortalCheck(agency_id=agency.id, url=url, consecutive_failures=0)
            db.session.add(check)
        check.first_checked_at, check.last_checked_at = start, max(changed)
        check.last_success_at, check.last_changed_at = max(changed), max(changed)
        check.last_outcome, check.content_hash = "changed", f"{len(changed):064x}"
        for at in sorted(changed):
            db.session.add(PortalChange(agency_id=agency.id, url=url, changed_at=at, content_hash=f"{added:064x}",
                                        excerpt="اخبار روابط عمومی"))
            added += 1
    db.session.commit()
    return added


def _seed_evidence() -> int:
    if db.session.scalar(select(func.count()).select_from(EvidenceRecord).execution_options(unscoped=True)):
        return 0
    users = {u.username: u for u in db.session.scalars(select(User).execution_options(unscoped=True))}
    today, added = local_today(), 0
    for _slug, username, clause, days, standing, note, with_pdf in DEMO_EVIDENCE:
        user = users.get(username)
        if user is None:
            continue
        draft = EvidenceDraft(clause=str(clause), date=format_jalali_date(today - timedelta(days=days), digits="en"),
                              note=note, standing=standing)
        upload = Upload(BytesIO(DEMO_PDF), "حکم انتصاب.pdf") if with_pdf else Upload()
        with agency_scope(user.agency_id):
            add_record(draft, upload, user)
        added += 1
    return added


def seed_demo_directive() -> dict:
    """Portal history and evidence records of the demo agencies (idempotent)."""
    return {"portal_changes": _seed_portals(), "evidence_records": _seed_evidence()}
