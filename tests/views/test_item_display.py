"""A news item as a Persian page shows it: Persian «ی/ک» and digits for a Persian item, its stored
text untouched; an Arabic item and Latin words keep theirs. The note on a date the desk estimated."""
from __future__ import annotations

from app.extensions import db
from app.web.item_text import is_persian, shown_html, shown_text
from models import Feed, Item, utcnow
from tests.conftest import login

# As a windows-1256 feed writes Persian (no «ی» in the code page) with ASCII digits.
CP1256_TITLE = "افزايش 67 درصدي ذخيره آب كرج در COVID-19 و سال 1405/09/16"
ARABIC_TITLE = "قال الوزير في المؤتمر إن 2026 سيكون عاما للمياه"


def test_a_persian_item_is_shown_in_persian_letters_and_digits_an_arabic_one_as_it_is():
    assert shown_text(CP1256_TITLE) == "افزایش ۶۷ درصدی ذخیره آب کرج در COVID-19 و سال ۱۴۰۵/۰۹/۱۶"
    assert shown_text("نرخ F1 برابر 0.9 و نشانی 10.0.0.1") == "نرخ F1 برابر ۰.۹ و نشانی ۱۰.۰.۰.۱"
    assert shown_text("https://a.example.ir/news/123 و 45") == "https://a.example.ir/news/123 و ۴۵"
    assert is_persian("fa-IR", CP1256_TITLE) and is_persian("", CP1256_TITLE)
    assert not is_persian("ar", ARABIC_TITLE) and not is_persian("", ARABIC_TITLE)
    assert is_persian("", "نرخ تورم") and is_persian("", "12")
    # HTML: the text between the tags only; an attribute or an entity keeps its digits
    assert shown_html('<p class="c1">سال 1405 <a href="/n/12">خبر ي</a> &#1740;</p>') == \
        '<p class="c1">سال ۱۴۰۵ <a href="/n/12">خبر ی</a> &#1740;</p>'


def test_the_pages_show_the_persian_form_and_the_database_keeps_the_feeds(app, client, make_user):
    feed = Feed(url="https://a.example.ir/rss", title="خوراک")
    db.session.add(feed)
    db.session.flush()
    persian = Item(feed_id=feed.id, title=CP1256_TITLE, text="متن خبر", content_hash="p", published_at=utcnow(),
                   language="fa", summary_html="<p>مديريت آب در 12 شهر</p>", published_is_estimated=True)
    arabic = Item(feed_id=feed.id, title=ARABIC_TITLE, text="", content_hash="a", published_at=utcnow(), language="ar")
    db.session.add_all([persian, arabic])
    db.session.commit()
    login(client, make_user(role="admin"))
    page = client.get(f"/items/{persian.id}").get_data(as_text=True)
    assert "افزایش ۶۷ درصدی ذخیره آب کرج در COVID-19" in page and "<p>مدیریت آب در ۱۲ شهر</p>" in page
    assert "افزايش" not in page
    # one reason, the one that holds for both (the feed gave no date, or one after its own fetch)
    assert "زمان دریافت؛ خوراک تاریخ انتشار پذیرفتنی‌ای نداد" in page
    listed = client.get("/items/").get_data(as_text=True)
    assert "افزایش ۶۷ درصدی" in listed and ARABIC_TITLE in listed
    db.session.expire_all()
    assert db.session.get(Item, persian.id).title == CP1256_TITLE  # stored as the feed wrote it
