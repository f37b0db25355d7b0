"""Feed errors and warnings are stored with their values and shown in the reader's language."""
from __future__ import annotations

from app.extensions import db
from app.monitor.messages import TEMPLATES, Message, localized
from models import Feed
from tests.conftest import csrf_token, login


def test_persian_text_with_persian_digits_and_durations():
    assert Message("fetch.http_error", {"status": 503}).persian().startswith("سرور خطای ۵۰۳ داد؛")
    assert Message("fetch.too_large", {"limit": 15.5}).persian().startswith(
        "حجم خوراک از سقف ۱۵٫۵ مگابایت بیشتر است و دریافت متوقف شد؛")
    wait = Message("fetch.rate_limited", {"wait": {"seconds": 90}}).persian()
    assert wait.endswith("پس از ۲ دقیقه دوباره تلاش می‌شود")
    detail = Message("parse.malformed", {"detail": {"line": 3, "text": "mismatched tag"}}).persian()
    assert "(خط ۳: برچسب بسته با برچسب باز نمی‌خواند)" in detail  # expat's English said in Persian (review, round 3)
    other = Message("parse.malformed", {"detail": {"line": 2, "text": "some rarer parser word"}}).persian()
    assert "(خط ۲: some rarer parser word)" in other  # kept as the parser said it
    # A large count in full, not «۲٫۲۴۶۹۴e+۰۶» (the review of hostile feeds)
    assert "۲۲۴۶۹۴۰" in Message("parse.too_many_entries", {"count": 2_246_940, "limit": 10_000}).persian()


def test_every_template_renders_with_its_values():
    values = {"seconds": 60, "limit": 5, "status": 500, "wait": {"seconds": 5}, "detail": "x", "name": "y",
              "count": 2, "kept": 1, "line": 1, "text": "t", "declared": "windows-1256", "actual": "utf-8",
              "target": "http://0177.0.0.1/", "feed": "https://x.example/rss", "cdn": "Cloudflare",
              "coding": "br", "kind": "zstd"}
    for key in TEMPLATES:
        assert Message(key, values).persian()


def test_feed_page_shows_the_stored_error_in_english_and_in_persian(app, client, make_user):
    feed = Feed(url="https://down.example.ir/rss", title="خوراک از کار افتاده", last_error_code="http_error",
                last_error="سرور خطای ۵۰۳ داد", last_error_detail={"key": "fetch.http_error", "values": {"status": 503}},
                consecutive_failures=3)
    db.session.add(feed)
    db.session.commit()
    login(client, make_user(role="admin"))
    assert "سرور خطای ۵۰۳ داد" in client.get(f"/feeds/{feed.id}").get_data(as_text=True)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/")})
    page = client.get(f"/feeds/{feed.id}").get_data(as_text=True)
    assert "The server answered with error 503" in page and "سرور خطای" not in page
    # Rows from before the detail was stored show their Persian text as it is.
    assert localized(None, "متن کهنه") == "متن کهنه"


def test_a_warning_naming_encodings_keeps_each_on_one_line_and_counts_one_item_in_english(client, make_user):
    """A browser walk (session 39): at a phone's width the feed's page broke «UTF-8» after its hyphen
    («UTF-» at one line's end, «8» at the next's), and the English said «the text of 1 items»."""
    feed = Feed(url="https://mixed.example.ir/rss", title="خوراک دو رمزگذاری", last_warning="هشدار",
                last_warning_detail={"key": "warning.mixed_encoding", "values": {"count": 1}})
    db.session.add(feed)
    db.session.commit()
    login(client, make_user(role="admin"))
    page = client.get(f"/feeds/{feed.id}").get_data(as_text=True)
    assert 'متن ۱ خبر <span class="text-nowrap">windows-1256</span> بود و باقی <span class="text-nowrap">UTF-8</span>' in page
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/")})
    page = client.get(f"/feeds/{feed.id}").get_data(as_text=True)
    assert "the text of 1 item(s) was <span class=\"text-nowrap\">windows-1256</span>" in page
    assert "1 items" not in page


def test_a_declared_encoding_is_quoted_and_cut_in_both_languages(app):
    """The encoding a feed declared was shown bare («… خود را invalid اعلام کرده بود …»: a review of hostile
    feeds, round 14), where the feed's other values are quoted; quoted now, in Persian and English, and at most
    200 characters of it, as every value the feed wrote."""
    from flask_babel import force_locale, gettext

    for key in ("warning.misdeclared", "warning.encoding_fallback"):
        message = Message(key, {"declared": "invalid", "actual": "utf-8"})
        assert "«invalid»" in message.persian() and "«utf-8»" in message.persian()
        long = Message(key, {"declared": "x" * 3000, "actual": "utf-8"})
        with app.test_request_context(), force_locale("en"):
            english = long.render(gettext, persian=False)
        for text in (long.persian(), english):
            assert "«" + "x" * 200 + "…»" in text and len(text) < 400
        assert "declared" in english


def test_the_feed_page_shows_every_warning_of_the_last_reading(client, make_user):
    """A cut feed's entries left out hid behind «the document was cut» (round 15's note): each is shown."""
    feed = Feed(url="https://cut.example.ir/rss", title="خوراک بریده", last_warning="هشدار",
                last_warning_detail={"key": "warning.truncated", "values": {"count": 3},
                                     "also": [{"key": "warning.repeated_key", "values": {"count": 1}}]})
    db.session.add(feed)
    db.session.commit()
    login(client, make_user(role="admin"))
    page = client.get(f"/feeds/{feed.id}").get_data(as_text=True)
    assert "۳ خبرِ پیش از محل قطع خوانده شد" in page and "۱ خبرِ این خوراک شناسه (guid)" in page


def test_every_refusal_of_a_document_says_what_to_do():
    """Hostile feeds, round 21: each refusal says what is wrong and what to do about it. «این سند خوراک RSS یا Atom
    نیست.», «…یک صفحهٔ HTML برگرداند.», a broken, cut or empty document, one of too many tags, said the fault and
    stopped: the desk did not know whether to wait, check the address or write to the site."""
    advice = ("بدهید", "بخواهید", "بررسی کنید", "تعیین کنید", "دوباره تلاش می‌شود", "بگویید", "پیدا کنید", "بیابید",
              "بیفزاید")
    silent = [key for key in TEMPLATES if key.startswith("parse.") and not any(verb in TEMPLATES[key] for verb in advice)]
    assert silent == []


def test_every_failed_fetch_says_what_to_do():
    """The same for a fetch that failed: «حلقهٔ تغییر مسیر» (a redirect loop), «زمان پاسخ سرور به پایان رسید» (a
    timeout), «سرور خطای ۴۰۳ داد…» said the fault alone; now whether it is tried again by itself, what to check in a
    browser, what to ask of the site."""
    advice = ("بدهید", "بخواهید", "بررسی کنید", "دوباره تلاش می‌شود", "بگویید", "بیابید", "بیفزاید", "پیدا کنید")
    silent = [key for key in TEMPLATES if key.startswith("fetch.") and not any(verb in TEMPLATES[key] for verb in advice)]
    assert silent == []


def test_the_feeds_server_is_named_as_every_other_feed_message_names_it():
    """A feed's own server is «سرور» in every fetch.* and parse.* message; «کارساز» names Hamzaban's own server in the
    app's other messages (two-factor keys, the Origin check). Round 21's binary-data messages said «پاسخ کارساز», which
    read as Hamzaban's own answer (review of round 21)."""
    assert [key for key, text in TEMPLATES.items() if "کارساز" in text] == []
