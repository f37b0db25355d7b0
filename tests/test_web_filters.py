"""The highlight filter: the rule tester's matched words in <mark>, everything else escaped."""
from __future__ import annotations

from markupsafe import Markup

from app.services.rule_tester import mark_spans, snippet
from app.web.filters import highlight


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
