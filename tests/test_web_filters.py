"""The highlight filter: the rule tester's matched words in <mark>, everything else escaped."""
from __future__ import annotations

from markupsafe import Markup, escape

from app.services.rule_tester import mark_spans, snippet
from app.web.filters import highlight, unbroken


def test_highlight_escapes_text_and_marks_spans():
    text = "قطعی <آب> در شهر"
    html = highlight(mark_spans(text, [(5, 9)]))
    assert isinstance(html, Markup)
    assert str(html) == "قطعی <mark>&lt;آب&gt;</mark> در شهر"


def test_highlight_of_a_snippet_keeps_the_ellipses_and_escapes_a_marked_tag():
    long = "واژه " * 200 + "<b>قطعی</b> آب " + "واژه " * 200
    start = long.index("قطعی")
    cut = str(highlight(snippet(long, [(start - 3, start + 8)], chars=100)))
    assert cut.startswith("… ") and cut.endswith(" …")
    assert "<mark>&lt;b&gt;قطعی&lt;/b&gt;</mark>" in cut and "<b>" not in cut


def test_highlight_of_nothing_is_empty_markup():
    assert highlight([]) == Markup("") and not highlight(None)
    assert str(highlight([("a & b", False)])) == "a &amp; b"


def test_unbroken_keeps_a_hyphenated_code_on_one_line_and_leaves_addresses_tags_and_words():
    assert unbroken("متن UTF-8 بود و windows-1256 (ISO-8859-1).") == (
        'متن <span class="text-nowrap">UTF-8</span> بود و <span class="text-nowrap">windows-1256</span> '
        '(<span class="text-nowrap">ISO-8859-1</span>).')
    assert unbroken("<b>x-y</b>") == "&lt;b&gt;<span class=\"text-nowrap\">x-y</span>&lt;/b&gt;"  # escaped first
    kept = Markup('<span class="text-bg-light">UTF-8</span>')  # markup as it is: no attribute rewritten
    assert unbroken(kept) == '<span class="text-bg-light"><span class="text-nowrap">UTF-8</span></span>'
    for text in ("https://news-site.example.ir/a-b", "x-y@example.ir", "سلام", "a-" + "b" * 30):
        assert unbroken(text) == escape(text)
    assert unbroken(None) == ""
