"""The XLSX layout of each report: its sheets, Persian headers, numbers as numbers, Jalali dates
as text (Persian digits, as the other exports write them). Written by app/services/documents.py.
"""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from app.jalali import format_jalali_date, format_jalali_datetime
from app.services.contacts import CHANNEL_LABELS, DIRECTION_LABELS
from app.services.documents import Sheet
from app.services.press_digest import PressDigest
from app.services.report_cases import CaseReport
from app.services.report_media import MediaReport
from app.services.search_export import STATUS_LABELS as ROUTE_STATUS_LABELS
from models import CONTACT_CHANNELS, CONTACT_DIRECTIONS


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("بله") if value else _("خیر"))


def case_sheets(report: CaseReport) -> list[Sheet]:
    with force_locale("fa"):
        rows = [(r.ref, r.question, format_jalali_date(r.opened_on), format_jalali_date(r.deadline),
                 format_jalali_date(r.answered_on), _yes_no(r.on_time), r.working_days) for r in report.rows]
        cases = Sheet(_("پرسش‌های عمومی"), [_("شماره"), _("پرسش"), _("تاریخ ثبت"), _("مهلت پاسخ"), _("تاریخ پاسخ"),
                                             _("به‌موقع؟"), _("روز کاری تا پاسخ")], rows, (14, 60, 12, 12, 12, 10, 14))
        t = report.totals
        totals = Sheet(_("جمع"), [_("شاخص"), _("مقدار")], [
            (_("سازمان"), report.agency.name_fa), (_("دوره"), report.period.name),
            (_("پرسش‌های ثبت‌شده در دوره"), t["opened"]), (_("پاسخ‌های منتشرشده در دوره"), t["answered"]),
            (_("پاسخ به‌موقع"), t["answered_on_time"]), (_("درصد پاسخ به‌موقع"), t["on_time_pct"]),
            (_("میانهٔ روز کاری تا پاسخ"), t["median_working_days_to_answer"]),
            (_("پرونده‌های باز (اکنون)"), t["open"]), (_("پرونده‌های دیرکرده (اکنون)"), t["overdue"])], (32, 24))
    return [cases, totals]


def media_sheets(report: MediaReport) -> list[Sheet]:
    with force_locale("fa"):
        conferences = Sheet(_("نشست‌های خبری"), [_("تاریخ"), _("عنوان"), _("پرسش‌ها"), _("پوشش تأییدشده")],
                            [(format_jalali_datetime(c.starts_at), c.title, c.questions, c.coverage)
                             for c in report.conferences], (20, 60, 10, 14))
        contacts = Sheet(_("تماس با رسانه‌ها"), [_("زمان"), _("رسانه"), _("خبرنگار"), _("راه تماس"), _("سو"), _("موضوع")],
                         [(format_jalali_datetime(c.happened_at), c.outlet, c.journalist,
                           _(CHANNEL_LABELS.get(c.channel, c.channel)), _(DIRECTION_LABELS.get(c.direction, c.direction)),
                           c.topic) for c in report.contacts], (20, 24, 20, 18, 22, 50))
        outlets = Sheet(_("رسانه‌های محلی"), [_("رسانه"), _("آخرین تماس"), _("روز از آخرین تماس"), _("بی‌تماس؟")],
                        [(o.outlet, format_jalali_date(o.last_contact), o.days, _yes_no(report.is_lapsed(o)))
                         for o in report.local_outlets], (30, 14, 16, 10))
        summary = [(_("سازمان"), report.agency.name_fa), (_("دوره"), report.period.name),
                   (_("نشست‌های برگزارشده"), report.held), (_("هدف دوره"), report.target),
                   (_("پوشش تأییدشده"), report.coverage), (_("تماس‌ها"), len(report.contacts)),
                   (_("رسانه‌های محلی تماس‌گرفته"), report.local_contacted),
                   (_("رسانه‌های محلی"), report.local_total),
                   (_("رسانه‌های محلی بی‌تماس"), sum(1 for o in report.local_outlets if report.is_lapsed(o)))]
        summary += [(_(CHANNEL_LABELS[c]), report.by_channel[c]) for c in CONTACT_CHANNELS]
        summary += [(_(DIRECTION_LABELS[d]), report.by_direction[d]) for d in CONTACT_DIRECTIONS]
        totals = Sheet(_("جمع"), [_("شاخص"), _("مقدار")], summary, (32, 24))
    return [totals, conferences, contacts, outlets]


def digest_sheets(digest: PressDigest) -> list[Sheet]:
    with force_locale("fa"):
        rows = []
        for story in digest.stories:
            routes = "، ".join(_(ROUTE_STATUS_LABELS.get(r.status, r.status)) for r in story.own_routes)
            rows.append((format_jalali_datetime(story.item.published_at),
                         story.item.outlet.name if story.item.outlet else "", story.item.title, routes,
                         len(story.others), story.item.link))
        return [Sheet(_("خلاصهٔ خبری"), [_("زمان انتشار"), _("رسانه"), _("عنوان"), _("وضعیت ارجاع"),
                                         _("رسانه‌های دیگر"), _("پیوند")], rows, (20, 24, 60, 14, 12, 40))]
