"""``left_out`` (the warning for entries the store will not keep) keys only what can repeat: the same
warnings as the plain reading (every entry keyed and hashed as the store keys it), on crafted documents
and on the real-world feeds of ../shared/data/feeds."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.monitor.left_out import key_stories_at_a_shared_link, keyed, left_out
from app.monitor.messages import Message
from app.monitor.parse import FeedParseError, ParsedEntry, parse_feed
from tests.conftest import shared_data


def plain_left_out(entries) -> list[Message]:
    """The reading ``left_out`` replaced (b14e3bf…138638a): every entry keyed and hashed."""
    prepared, empty = keyed(entries)
    key_stories_at_a_shared_link(prepared, {})
    repeated, first = 0, {}
    for _entry, key, words, _canonical, _lhash in prepared:
        if first.setdefault(key, words) != words:
            repeated += 1
    return ([Message("warning.repeated_key", {"count": repeated})] if repeated else []) + (
        [Message("warning.empty_entries", {"count": empty})] if empty else [])


def entry(guid=None, link=None, title="", text="") -> ParsedEntry:
    return ParsedEntry(guid=guid, link=link, title=title, summary_html="", text=text, author=None, categories=[],
                       published=None, updated=None)


@pytest.mark.parametrize("entries", [
    [],
    [entry("a", title="یک"), entry("b", title="دو")],
    [entry("a", title="یک"), entry("a", title="یک")],  # an exact repeat: nothing lost
    [entry("a", title="یک"), entry("a", title="دو"), entry("a", title="سه")],
    [entry(" ", link="https://x.ir/1", title="یک"), entry(None, link="https://x.ir/1", title="دو")],
    [entry(None, link="https://x.ir/", title="یک"), entry(None, link="https://x.ir/", title="دو")],  # a shared link
    [entry(None, link="https://x.ir/", title="یک"), entry(None, link="https://x.ir/", title="یک")],
    [entry(None, title="یک"), entry(None, title=" یک "), entry(None, title="دو")],
    [entry("a", link="https://x.ir/1", title="یک"), entry(None, link="https://x.ir/1", title="یک دو")],
    [entry(), entry(), entry("a", title="یک")],
    [entry(), entry("a", title="یک"), entry("a", title="دو")],
])
def test_the_same_warning_as_the_plain_reading(entries):
    assert left_out(entries) == plain_left_out(entries)


@pytest.mark.slow
def test_the_same_warning_as_the_plain_reading_on_the_real_feeds():
    root = shared_data("feeds")
    compared = 0
    for path in sorted(Path(root).rglob("*"))[::3]:
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            parsed = parse_feed(path.read_bytes())
        except FeedParseError:
            continue
        assert left_out(parsed.entries) == plain_left_out(parsed.entries), path
        compared += 1
    assert compared > 300


def test_every_flaw_of_a_document_is_said_not_only_the_first():
    """A document cut off whose entries also repeat a GUID with other words and hold one with nothing to keep:
    the page said it was cut, and the entries left out hid behind that (round 15's note). Each is said now,
    the first as before, the others under «also», and the feed's page shows them all (round 16)."""
    cut = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
           b'<item><guid>a</guid><title>one</title></item><item><guid>a</guid><title>two</title></item>'
           b'<item><description></description></item><item><guid>b</guid><title>thr')
    parsed = parse_feed(cut)
    assert parsed.warning_detail == {"key": "warning.truncated", "values": {"count": 3},
                                     "also": [{"key": "warning.repeated_key", "values": {"count": 1}},
                                              {"key": "warning.empty_entries", "values": {"count": 1}}]}
    assert "ناقص" in parsed.warning and "کنار گذاشته شد" in parsed.warning and "نه شناسه داشت" in parsed.warning
