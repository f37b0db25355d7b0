"""An item's images are links on its page: the CSP loads no image from another site, and each
showed as a broken image."""
from __future__ import annotations

from app.extensions import db
from app.monitor.clean import clean_html
from app.web.filters import item_html
from models import Feed, Item, utcnow
from tests.conftest import login


def test_an_image_becomes_a_link_and_nothing_else_changes(app):
    cleaned = clean_html('<p>متن<img src="https://a.example.ir/i.jpg" alt="عکس &quot;یک&quot; > دو">'
                         '<img src="/rel.png"><img alt="بی نشانی"></p><p>بند دوم</p>', "https://a.example.ir/n/1")
    with app.test_request_context():
        shown = str(item_html(cleaned))
    assert "<img" not in shown and "<p>بند دوم</p>" in shown and "بی نشانی" not in shown
    assert ('<a class="item-image" href="https://a.example.ir/i.jpg" rel="noopener noreferrer nofollow" '
            'target="_blank">[عکس &quot;یک&quot; &gt; دو]</a>') in shown
    assert 'href="https://a.example.ir/rel.png"' in shown and "[تصویر]" in shown  # resolved when stored
    with app.test_request_context():
        assert str(item_html(None)) == ""


def test_the_item_page_shows_its_images_as_links(app, client, make_user):
    feed = Feed(url="https://a.example.ir/rss", title="خوراک")
    db.session.add(feed)
    db.session.flush()
    item = Item(feed_id=feed.id, title="خبر با عکس", text="متن", content_hash="x", published_at=utcnow(),
                summary_html='<p>متن</p><img src="https://a.example.ir/i.jpg" alt="">')
    db.session.add(item)
    db.session.commit()
    login(client, make_user(role="admin"))
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert 'href="https://a.example.ir/i.jpg"' in page and "[تصویر]" in page and 'src="https://a.example.ir' not in page
