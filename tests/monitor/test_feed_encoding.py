"""windows-1256 under another Arabic-script name, or a name Python lacks (a review of hostile feeds,
round 11: «charset=ISO-8859-6», «encoding="arabic"», «x-cp1256», «windows1256» were stored as «íÔŃÝĘ
ŘŃÍ…» with a generic warning, a cp720 declaration as box-drawing characters with none)."""
from __future__ import annotations

import pytest

from app.monitor.parse import parse_feed

from .test_parse import _cp1256, _fingerprint, hoder  # noqa: F401 (the fixture)

MISDECLARED = "خوراک رمزگذاری خود را {} اعلام کرده بود ولی متنش windows-1256 بود و windows-1256 خوانده شد."


@pytest.mark.parametrize("label", ["ISO-8859-6", "arabic", "asmo-708", "cp720", "windows1256", "windows-1256-x"])
@pytest.mark.parametrize("where", ["http", "xml"])
def test_windows_1256_under_another_arabic_name_or_an_unknown_one_is_read_with_a_warning(hoder, label, where):
    if where == "http":
        feed = parse_feed(_cp1256(hoder, None), headers={"Content-Type": f"application/rss+xml; charset={label}"})
    else:
        feed = parse_feed(_cp1256(hoder, f'<?xml version="1.0" encoding="{label}"?>'))
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
    assert feed.encoding == "cp1256" and feed.warning == MISDECLARED.format(label)


@pytest.mark.parametrize("where", ["http", "xml"])
def test_a_whatwg_label_python_lacks_is_read_as_it_says_without_a_warning(hoder, where):
    """«x-cp1256» is windows-1256 in WHATWG's Encoding Standard (what every browser reads)."""
    if where == "http":
        feed = parse_feed(_cp1256(hoder, None), headers={"Content-Type": "text/xml; charset=x-cp1256"})
    else:
        feed = parse_feed(_cp1256(hoder, '<?xml version="1.0" encoding="x-cp1256"?>'))
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
    assert feed.encoding == "cp1256" and feed.warning is None


def test_arabic_in_iso_8859_6_keeps_its_reading():
    """Text that is in the Arabic code page it declares (which has no Persian letter) is not taken
    for windows-1256, though most of its letters sit where windows-1256 has them too."""
    title = "قال وزير الخارجية إن المفاوضات مستمرة مع الجانب الآخر حول الاتفاق النووي"
    body = (f'<?xml version="1.0" encoding="iso-8859-6"?><rss version="2.0"><channel><title>أخبار</title>'
            f"<item><title>{title}</title><link>http://x.example/1</link></item></channel></rss>").encode("iso-8859-6")
    feed = parse_feed(body)
    assert [e.title for e in feed.entries] == [title] and feed.warning is None
