"""The reports as files: the PDF's text read back (pypdf) in logical order with the Persian
letters shaped, the XLSX read back (openpyxl), the figures against hand-counted values, and
every refusal said in Persian."""
from __future__ import annotations

import io
import re
import unicodedata

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.services import NotAllowed, ServiceError
from app.services.case_stats import case_figures
from app.services.documents import DocumentResourceRefused, render_pdf
from app.services.report_cases import case_report
from app.services.report_media import media_report
from app.services.report_periods import parse_report_period
from app.services.reports import build_report, parse_report
from tests.reports import report_fixtures as rf

world, desk, make_item = rf.world, rf.desk, rf.make_item

# Presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF): what a PDF holds when a renderer draws
# letters one by one instead of shaping them; a shaped PDF maps its glyphs back to the letters.
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
PERSIAN_NUMBER = re.compile("[۰-۹][۰-۹/٫:-]*[۰-۹]")


def pdf_text(data: bytes) -> str:
    """The PDF's text in logical order, as a reader's copy-paste would give it.

    The text layer holds the glyphs in visual order; pypdf puts right-to-left runs back in
    logical order, but it takes Persian digits for right-to-left letters, so a number comes out
    reversed («۱۴۰۵» as «۵۰۴۱»): each run of Persian digits is turned back here. The ZWNJ
    (U+200C) has no glyph, so it is not in the text layer: the expected strings drop it too.
    """
    assert data.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return PERSIAN_NUMBER.sub(lambda m: m.group(0)[::-1], text)


def plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\u200c", "")


def test_the_case_report_pdf_holds_the_persian_text_in_logical_order(app, world):
    spec = parse_report("cases", "water", "1405-02", "pdf", actor=world.desk.supervisor)
    document = build_report(spec, actor=world.desk.supervisor, today=rf.TODAY)
    assert (document.filename, document.mimetype) == ("cases-water-1405-02.pdf", "application/pdf")
    raw = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document.data)).pages)
    assert not PRESENTATION_FORMS.search(raw), "letters drawn unshaped"
    text = pdf_text(document.data)
    for expected in ("گزارش بند ۱۲: پاسخ به پرسش‌های عمومی", "سازمان: آب و فاضلاب", "دوره: اردیبهشت ۱۴۰۵",
                     rf.ON_TIME_QUESTION, rf.LATE_QUESTION, rf.OPEN_QUESTION, "پاسخ به‌موقع", "۱۴۰۵/۰۲/۲۲",
                     "۱۴۰۵-۰۰۰۰۰۱"):
        assert plain(expected) in plain(text), expected
    assert plain(rf.POWER_QUESTION) not in plain(text)  # another agency's case
    fonts = {str(f.get_object()["/BaseFont"]) for p in PdfReader(io.BytesIO(document.data)).pages
             for f in p["/Resources"]["/Font"].values()}
    assert fonts and all("Vazirmatn" in name for name in fonts)  # the bundled font, embedded


def test_case_report_rows_and_totals_match_case_stats(app, world):
    agency = world.desk.a
    report = case_report(agency, parse_report_period("1405-02"), today=rf.TODAY)
    rows = {r.question: r for r in report.rows}
    assert list(rows) == [rf.LATE_QUESTION, rf.ON_TIME_QUESTION, rf.OPEN_QUESTION]  # by the day opened
    assert (rows[rf.ON_TIME_QUESTION].on_time, rows[rf.ON_TIME_QUESTION].working_days) == (True, 2)
    assert (rows[rf.LATE_QUESTION].on_time, rows[rf.LATE_QUESTION].working_days) == (False, 7)
    assert (rows[rf.OPEN_QUESTION].answered_on, rows[rf.OPEN_QUESTION].overdue) == (None, True)
    [month] = case_figures(1405, 2, agency_id=agency.id, today=rf.TODAY)
    # the command's line less what names the row (agency, period) and when open/overdue were counted
    expected = {k: v for k, v in month.as_dict().items()
                if k not in ("agency", "period", "as_of", "overdue_longest_days")}
    assert report.totals == expected == {"opened": 3, "answered": 2, "answered_on_time": 1, "on_time_pct": 50.0,
                                         "median_working_days_to_answer": 4.5, "open": 1, "overdue": 1}
    season = case_report(agency, parse_report_period("بهار ۱۴۰۵"), today=rf.TODAY)
    assert season.totals == expected  # the other months of spring add nothing here


def test_media_report_counts_conferences_contacts_and_lapsed_outlets(app, world):
    report = media_report(world.desk.a, parse_report_period("1405-02"), today=rf.TODAY)
    assert (report.held, report.target, report.coverage) == (1, 0.33, 1)  # 4 a year: a third a month
    assert [c.questions for c in report.conferences] == [1]
    assert len(report.contacts) == 2 and report.by_channel["interview"] == 1 and report.by_direction["inbound"] == 1
    assert report.local_contacted == 2 and len(report.local_outlets) == 3
    lapsed = [o.outlet for o in report.local_outlets if report.is_lapsed(o)]
    assert lapsed == ["هفته‌نامهٔ شهر"]  # never contacted by water (power's contact is power's)
    year = media_report(world.desk.a, parse_report_period("1405"), today=rf.TODAY)
    assert year.target == 4.0


def test_media_report_pdf_and_xlsx(app, world):
    boss = world.desk.manager
    pdf = build_report(parse_report("media", "", "1405-02", "pdf", actor=boss), actor=boss, today=rf.TODAY)
    text = plain(pdf_text(pdf.data))
    for expected in ("بند ۹: نشست‌های خبری", "بند ۱۱: ارتباط با رسانه‌ها", rf.CONFERENCE, "آب و فاضلاب",
                     "هفته‌نامهٔ شهر", "گفت‌وگو دربارهٔ کم‌آبی"):
        assert plain(expected) in text, expected
    xlsx = build_report(parse_report("media", "water", "1405-02", "xlsx", actor=boss), actor=boss, today=rf.TODAY)
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["جمع", "نشست‌های خبری", "تماس با رسانه‌ها", "رسانه‌های محلی"]
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    totals = {row[0]: row[1] for row in book["جمع"].iter_rows(min_row=2, values_only=True)}
    assert totals["نشست‌های برگزارشده"] == 1 and totals["هدف دوره"] == 0.33 and totals["تماس‌ها"] == 2
    assert isinstance(totals["رسانه‌های محلی تماس‌گرفته"], int)
    conferences = list(book["نشست‌های خبری"].iter_rows(values_only=True))
    assert conferences[0] == ("تاریخ", "عنوان", "پرسش‌ها", "پوشش تأییدشده")
    assert conferences[1][1:] == (rf.CONFERENCE, 1, 1) and conferences[1][0].startswith("۲۲ اردیبهشت ۱۴۰۵")


def test_case_report_xlsx_has_numbers_as_numbers_and_jalali_text(app, world):
    boss = world.desk.manager
    xlsx = build_report(parse_report("cases", "water", "1405-02", "xlsx", actor=boss), actor=boss, today=rf.TODAY)
    book = load_workbook(io.BytesIO(xlsx.data))
    sheet = book["پرسش‌های عمومی"]
    assert sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("شماره", "پرسش", "تاریخ ثبت", "مهلت پاسخ", "تاریخ پاسخ", "به‌موقع؟", "روز کاری تا پاسخ")
    on_time = next(r for r in rows if r[1] == rf.ON_TIME_QUESTION)
    assert on_time[2:] == ("۱۴۰۵/۰۲/۲۰", "۱۴۰۵/۰۲/۲۶", "۱۴۰۵/۰۲/۲۲", "بله", 2)
    totals = dict(book["جمع"].iter_rows(min_row=2, values_only=True))
    assert totals["درصد پاسخ به‌موقع"] == 50.0 and totals["پرونده‌های دیرکرده (اکنون)"] == 1


def test_the_digest_shows_one_row_per_story_with_the_agencys_routes(app, world):
    boss = world.desk.manager
    spec = parse_report("digest", "water", "1405/02/20", "pdf", actor=boss)
    text = plain(pdf_text(build_report(spec, actor=boss).data))
    assert plain(rf.STORY + " (بازنشر)") in text and plain(rf.OTHER) in text  # the story's newest copy
    assert text.count(plain(rf.STORY)) == 1 and plain(rf.POWER_ITEM) not in text
    assert plain("تازه") in text and plain("دیده‌شده") in text and plain("کنار گذاشته") not in text
    sheet = load_workbook(io.BytesIO(build_report(
        parse_report("digest", "water", "1405-02-20", "xlsx", actor=boss), actor=boss).data)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == [rf.OTHER, rf.STORY + " (بازنشر)"] and rows[1][4] == 1


@pytest.mark.parametrize(("kind", "agency", "period", "fmt", "message"), [
    ("cases", "water", "1405-13", "pdf", "دوره «1405-13» خوانده نشد"),
    ("cases", "water", "آذر", "pdf", "خوانده نشد"),
    ("cases", "nowhere", "1405-02", "pdf", "سازمانی با شناسهٔ «nowhere» نیست"),
    ("cases", "water", "1405-02", "docx", "قالب «docx» پشتیبانی نمی‌شود"),
    ("budget", "water", "1405-02", "pdf", "گزارشی به نام «budget» نیست"),
    ("digest", "water", "1405/02/40", "pdf", "روز «1405/02/40» خوانده نشد"),
    # A day the calendar has not was told to use the shape it had (a fresh round of bad input, session 41)
    ("digest", "water", "1404/12/30", "pdf", "روز «1404/12/30» خوانده نشد: اسفند سال ۱۴۰۴ فقط ۲۹ روز دارد"),
    ("digest", "water", "1405/07/31", "pdf", "مهر ۳۰ روز دارد"),
    ("digest", "water", "1405-13-01", "pdf", "ماه باید از ۱ تا ۱۲ باشد"),
    ("digest", "water", "دیروز", "pdf", "آن را به شکل ۱۴۰۵/۰۹/۱۲ بنویسید"),
    ("cases", "", "1405-02", "pdf", "سازمان گزارش را انتخاب کنید"),
])
def test_bad_requests_are_refused_in_persian(app, world, kind, agency, period, fmt, message):
    with pytest.raises(ServiceError) as refused:
        parse_report(kind, agency, period, fmt, actor=world.desk.supervisor)
    assert message in str(refused.value)


def test_an_agency_user_cannot_ask_another_agencys_report(app, world):
    for user in (world.desk.manager, world.desk.staff, world.desk.viewer):
        with pytest.raises(NotAllowed) as refused:
            parse_report("cases", "power", "1405-02", "pdf", actor=user)
        assert "سازمان دیگری" in str(refused.value)
        assert parse_report("cases", "", "1405-02", "pdf", actor=user).agency.slug == "water"  # their own


def test_a_document_that_names_a_remote_resource_is_refused(app, tmp_path):
    folder = tmp_path / "templates" / "reports"
    folder.mkdir(parents=True)
    (folder / "doc_remote.html").write_text('<html><body><img src="http://127.0.0.1:9/x.png">x</body></html>')
    app.jinja_loader.searchpath.append(str(tmp_path / "templates"))
    with pytest.raises(DocumentResourceRefused) as refused:
        render_pdf("reports/doc_remote.html")
    assert "127.0.0.1:9" in str(refused.value)


def test_a_rendered_pdf_leaves_truncated_uploads_refused(app):
    """Importing WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process; once a
    PDF has been rendered in the web process, a cut-off photo must still be refused (CI caught the
    photo test passing a truncated PNG when it ran after a report test in the same worker)."""
    from app.services import ServiceError
    from app.services.conference_photos import inspect_image
    from app.services.documents import render_pdf
    from tests.views.test_conference_photos import image_bytes

    with app.test_request_context():
        assert render_pdf("reports/doc_scorecard.html", cards=[], title="کارنامه", statuses={},
                          figures_shown=lambda row: []).startswith(b"%PDF")
        whole = image_bytes("PNG")
        assert inspect_image(whole).content_type == "image/png"
        for cut in (image_bytes("PNG")[:60], image_bytes("JPEG")[:200]):
            with pytest.raises(ServiceError):
                inspect_image(cut)
