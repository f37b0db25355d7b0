"""The audit trail: written inside the caller's transaction (the caller commits), read page by page."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.i18n import N_
from models import AuditEntry


def record(action: str, *, actor=None, actor_label: str = "", obj=None, agency_id: int | None = None,
           **details) -> AuditEntry:
    """Add an audit entry for `action` on `obj` by `actor` to the current session."""
    if agency_id is None and obj is not None:
        agency_id = getattr(obj, "agency_id", None)
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_label=actor_label or getattr(actor, "username", "") or "system",
        action=action,
        object_type=obj.__class__.__name__ if obj is not None else "",  # (current_user is a proxy: not type())
        object_id=getattr(obj, "id", None) if obj is not None else None,
        agency_id=agency_id,
        details=details,
    )
    db.session.add(entry)
    return entry



# Persian labels of the actions, for the pages (unknown actions show their code).
ACTION_LABELS = {
    "login.succeeded": N_("ورود موفق"),
    "login.failed": N_("ورود ناموفق"),
    "login.refused_locked": N_("تلاش برای ورود به حساب قفل‌شده"),
    "account.locked": N_("قفل شدن حساب"),
    "account.unlocked": N_("برداشتن محدودیت ورود"),
    "login.password_accepted": N_("گذرواژهٔ درست، در انتظار کد ورود دومرحله‌ای"),
    "login.code_failed": N_("کد نادرست در ورود دومرحله‌ای"),
    "login.code_late": N_("کد ورود دومرحله‌ای پس از پایان مهلت یا تغییر گذرواژه"),
    "login.codes_locked": N_("بسته شدن ورود با کد پس از کدهای نادرست پیاپی"),
    "login.throttled": N_("آغاز انتظار ورود پس از تلاش‌های ناموفق پیاپی"),
    "user.logged_out": N_("خروج از سامانه"),
    "session.ended_everywhere": N_("خروج از همهٔ نشست‌ها"),
    "session.ended_by_admin": N_("پایان دادن نشست به دست مدیر"),
    "session.ended_by_owner": N_("پایان دادن نشست‌های دیگر خود"),
    "session.replayed": N_("به کار رفتن کوکی نشستی که پیش‌تر پایان یافته بود"),
    "session.foreign": N_("به کار رفتن کوکی نشستی باز از مرورگر یا نشانی دیگر (پذیرفته نشد)"),
    "user.password_change_failed": N_("گذرواژهٔ کنونی نادرست در تغییر گذرواژه"),
    "user.confirm_failed": N_("گذرواژهٔ نادرست در تأیید دوبارهٔ مدیر"),
    "user.totp_setup_failed": N_("گذرواژهٔ نادرست در راه‌اندازی ورود دومرحله‌ای"),
    "user.totp_setup_code_failed": N_("کد نادرست در راه‌اندازی ورود دومرحله‌ای"),
    "user.recovery_codes_renew_failed": N_("کد نادرست در ساختن کدهای بازیابی"),
    "user.totp_enabled": N_("روشن کردن ورود دومرحله‌ای"),
    "user.totp_reset": N_("بازنشانی ورود دومرحله‌ای"),
    "user.totp_resealed": N_("رمزگذاری دوبارهٔ کلیدهای ورود دومرحله‌ای با کلید تازهٔ کارساز"),
    "user.recovery_code_used": N_("ورود با کد بازیابی"),
    "user.recovery_codes_renewed": N_("ساختن کدهای بازیابی تازه"),
    "user.created": N_("ساخت کاربر"),
    "user.updated": N_("ویرایش کاربر"),
    "user.password_changed": N_("تغییر گذرواژه"),
    "agency.created": N_("ساخت سازمان"),
    "agency.updated": N_("ویرایش سازمان"),
    "holiday.added": N_("افزودن تعطیلی"),
    "holiday.removed": N_("حذف تعطیلی"),
    "holiday.changed": N_("جابه‌جایی یا ویرایش تعطیلی"),
    "holiday.confirmed": N_("تأیید تعطیلی قمری"),
    "holiday.year_confirmed": N_("تأیید تعطیلی‌های قمری سال"),
    "holiday.lunar_proposed": N_("پیشنهاد تعطیلی‌های قمری سال"),
    "setting.changed": N_("تغییر تنظیمات"),
    "feed.created": N_("افزودن خوراک"),
    "feed.updated": N_("ویرایش خوراک"),
    "feed.moved": N_("نشانی تازهٔ خوراک (جابه‌جایی همیشگی)"),
    "feed.enabled": N_("فعال کردن خوراک"),
    "feed.disabled": N_("غیرفعال کردن خوراک"),
    "feed.check_requested": N_("درخواست بررسی دوبارهٔ خوراک"),
    "feed.opml_imported": N_("درون‌ریزی فهرست خوراک‌ها (OPML)"),
    "outlet.created": N_("افزودن رسانه"),
    "outlet.updated": N_("ویرایش رسانه"),
    "outlet.deactivated": N_("غیرفعال کردن رسانه"),
    "outlet.reactivated": N_("فعال کردن دوبارهٔ رسانه"),
    "journalist.created": N_("افزودن خبرنگار"),
    "journalist.updated": N_("ویرایش خبرنگار"),
    "journalist.deactivated": N_("غیرفعال کردن خبرنگار"),
    "journalist.reactivated": N_("فعال کردن دوبارهٔ خبرنگار"),
    "directory_note.added": N_("یادداشت سازمان بر رسانه یا خبرنگار"),
    "directory_note.deleted": N_("پاک کردن یادداشت سازمان بر رسانه یا خبرنگار"),
    "contact.logged": N_("ثبت تماس با رسانه"),
    "contact.updated": N_("ویرایش تماس با رسانه"),
    "contact.deleted": N_("حذف تماس با رسانه"),
    "evidence.added": N_("ثبت سند در دفتر مستندات"),
    "evidence.updated": N_("ویرایش سند دفتر مستندات"),
    "evidence.deleted": N_("حذف سند از دفتر مستندات"),
    "directory.imported": N_("درون‌ریزی خبرنگاران و رسانه‌ها از فایل"),
    "directory.exported": N_("برون‌بری فهرست خبرنگاران و رسانه‌ها"),
    "directory.export_failed": N_("نرسیدن برون‌بری فهرست خبرنگاران و رسانه‌ها به مقصد (همه یا بخشی)"),
    "routing_rule.created": N_("افزودن قاعدهٔ ارجاع"),
    "routing_rule.updated": N_("ویرایش قاعدهٔ ارجاع"),
    "routing_rule.starter_loaded": N_("بارگذاری قاعده‌های آغازین ارجاع"),
    "routing_rule.starter_updated": N_("به‌روزرسانی قاعدهٔ آغازین ارجاع به نسخهٔ همراه برنامه"),
    "item_route.status_changed": N_("تغییر وضعیت خبر در صندوق سازمان"),
    "item_route.reassigned": N_("ارجاع خبر به سازمان دیگر"),
    "item_route.received": N_("دریافت خبر ارجاعی از سازمان دیگر"),
    "item_route.reassign_requested": N_("درخواست ارجاع خبر به سازمان دیگر"),
    "item_route.reassign_declined": N_("رد درخواست ارجاع خبر"),
    "item_route.question_marked": N_("نشان زدن خبر به‌عنوان پرسش مردمی"),
    "item_route.question_unmarked": N_("برداشتن نشان پرسش مردمی از خبر"),
    "routing_rule.backfill_requested": N_("درخواست اجرای قاعده روی خبرهای پیشین"),
    "routing_rule.backfill_finished": N_("پایان اجرای قاعده روی خبرهای پیشین"),
    "saved_search.created": N_("ذخیرهٔ جست‌وجو"),
    "saved_search.updated": N_("ویرایش جست‌وجوی ذخیره‌شده"),
    "saved_search.deleted": N_("حذف جست‌وجوی ذخیره‌شده"),
    "saved_search.alert_on": N_("روشن کردن هشدار جست‌وجو"),
    "saved_search.alert_off": N_("خاموش کردن هشدار جست‌وجو"),
    "alert_digest.sent": N_("فرستادن رایانامهٔ خلاصهٔ هشدارها"),
    "press_digest.sent": N_("فرستادن رایانامهٔ خلاصهٔ خبری روزانه"),
    # Public-question cases: each also a line of the case's timeline (services/case_timeline.py).
    "case.opened": N_("پرونده باز شد"),
    "case.moved": N_("تغییر وضعیت پرونده"),
    "case.merged_in": N_("پرونده‌ای در این پرونده ادغام شد"),
    "case.answer_saved": N_("ویرایش پاسخ"),
    "case.note_added": N_("یادداشت درونی"),
    "case.link_added": N_("افزودن نشانی انتشار پاسخ"),
    "case.source_added": N_("افزودن منبع"),
    "case.details_changed": N_("ویرایش مشخصات پرونده"),
    "case.agency_changed": N_("تغییر سازمان پاسخ‌گو"),
    "case.deadline_moved": N_("جابه‌جایی موعد پاسخ"),
    "case.coverage_confirmed": N_("تأیید بازتاب پاسخ در رسانه"),
    "case.coverage_dismissed": N_("کنار گذاشتن پیشنهاد بازتاب پاسخ"),
    "case.reminder": N_("یادآوری موعد پاسخ پرونده"),
    "case.breach": N_("گذشتن موعد پاسخ پرونده؛ خبر به مدیر سازمان"),
    "case.escalation": N_("ارجاع پرونده به ناظران استانداری"),
    "backup.restored": N_("بازگردانی پشتیبان"),
    # Press conferences: each also a line of the conference's timeline (services/conference_timeline.py).
    "conference.planned": N_("نشست برنامه‌ریزی شد"),
    "conference.edited": N_("ویرایش مشخصات نشست"),
    "conference.moved": N_("تغییر وضعیت نشست"),
    "conference.invited": N_("دعوت از خبرنگاران و رسانه‌ها"),
    "conference.uninvited": N_("برداشتن دعوت"),
    "conference.rsvp": N_("ثبت پاسخ دعوت"),
    "conference.attendance": N_("ثبت حضور"),
    "conference.minutes_saved": N_("ثبت صورت‌جلسه"),
    "conference.question_added": N_("ثبت پرسش خبرنگار"),
    "conference.question_case": N_("پرسش خبرنگار پرونده شد"),
    "conference.commitment_added": N_("ثبت قول نشست"),
    "conference.commitment_done": N_("انجام قول نشست"),
    "conference.commitment_reopened": N_("بازگشایی قول نشست"),
    "conference.photo_added": N_("افزودن عکس نشست"),
    "conference.photo_removed": N_("برداشتن عکس نشست"),
    "conference.coverage_found": N_("پیشنهاد بازتاب‌های نشست"),
    "conference.coverage_confirmed": N_("تأیید بازتاب نشست"),
    "conference.coverage_rejected": N_("رد پیشنهاد بازتاب نشست"),
    "agency.cadence_changed": N_("تغییر هدف نشست‌های خبری سازمان"),
    "scorecard.rules_changed": N_("تغییر قاعده‌های کارنامهٔ بخشنامه"),
    "route_suggestion.accepted": N_("پذیرفتن پیشنهاد سامانه"),
    "route_suggestion.dismissed": N_("کنار گذاشتن پیشنهاد سامانه"),
    "agency.learning_changed": N_("روشن یا خاموش کردن یادگیری سازمان"),
    "classifier.starter_registered": N_("ثبت مدل آغازین دسته‌بند"),
    "classifier.trained": N_("آموزش نسخهٔ تازهٔ دسته‌بند"),
    "classifier.training_requested": N_("درخواست آموزش دوبارهٔ دسته‌بند"),
}


# ``session.foreign`` as it was seen (its ``seen`` field, or for older entries their same_browser
# and same_address): a phone changing networks read as an attack on the audit page (session 41).
FOREIGN_SESSION_LABELS = {
    "new_address": N_("همان مرورگرِ نشست از نشانی شبکهٔ دیگر (بیشتر گوشی‌ای که از وای‌فای به دادهٔ همراه رفت؛ "
                      "پذیرفته نشد، دوباره وارد شود)"),
    "other_browser": N_("به کار رفتن کوکی نشستی باز از مرورگری دیگر (پذیرفته نشد)"),
}


def action_label(action: str, details: dict | None = None) -> str:
    """The action in the reader's words; ``details`` (the entry's) tell the kinds of a
    ``session.foreign`` apart."""
    from flask_babel import gettext

    label = ACTION_LABELS.get(action)
    if action == "session.foreign" and details:
        seen = details.get("seen") or ("new_address" if details.get("same_browser") is True
                                       and details.get("same_address") is False else "")
        label = FOREIGN_SESSION_LABELS.get(seen, label)
    return gettext(label) if label else action


# What an entry is about, in the reader's words: the log showed the models' English names
# («PublicQuestion #34», «User #5»: a newcomer's walk).
OBJECT_LABELS = {
    "Agency": N_("سازمان"), "ClassifierModel": N_("نسخهٔ دسته‌بند"), "Contact": N_("تماس"),
    "DirectoryNote": N_("یادداشت فهرست"), "EvidenceRecord": N_("مستند"), "Feed": N_("خوراک"),
    "Item": N_("خبر"), "ItemRoute": N_("ارجاع خبر"), "Journalist": N_("خبرنگار"), "Outlet": N_("رسانه"),
    "PressConference": N_("نشست خبری"), "PublicQuestion": N_("پرونده"), "RoutingRule": N_("قاعدهٔ ارجاع"),
    "SavedSearch": N_("جست‌وجوی ذخیره‌شده"), "User": N_("کاربر"),
}


def object_label(entry: AuditEntry) -> str:
    """«پرونده 1405-000034», «کاربر #5»: the kind in the reader's language, then the case's number or
    the row's id (the page puts them in the reader's digits)."""
    from flask_babel import gettext

    if not entry.object_type:
        return ""
    label = OBJECT_LABELS.get(entry.object_type)
    kind = gettext(label) if label else entry.object_type
    ref = (entry.details or {}).get("ref") if entry.object_type == "PublicQuestion" else None
    if isinstance(ref, str) and ref:
        return f"{kind} \u2066{ref}\u2069"  # isolated left to right: «۱۴۰۵-۰۰۰۰۳۴» read as written
    return f"{kind} #{entry.object_id}" if entry.object_id else kind


def audit_page(page: int, per_page: int):
    """One page of the audit log, newest first (a Flask-SQLAlchemy Pagination)."""
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    return db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False)
