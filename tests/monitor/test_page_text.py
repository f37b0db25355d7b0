"""The main text of a portal page (``app.monitor.page_text``) on hostile markup: its work grows with
the page, not with the square of its nesting (a review of hostile input, round 3: 50,000 nested
«<div>» took 38 s of the worker, 120,000 four minutes, during which no other job ran)."""
from __future__ import annotations

import sys

from app.monitor import page_text as page_text_module
from app.monitor.page_text import main_text, page_text


def _lines_run(html: str) -> int:
    """Lines of page_text.py run to read ``html``: the extractor's work, counted, not timed."""
    count = 0
    source = page_text_module.__file__

    def trace(frame, event, _arg):
        nonlocal count
        if frame.f_code.co_filename != source:
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        page_text(html.encode())
    finally:
        sys.settrace(None)
    return count


def _nested(n: int) -> str:
    return "<html><body><main>" + "<div>خبر" * n + "</span>" * n + "</main></body></html>"


def test_deep_nesting_and_stray_closing_tags_cost_in_proportion_to_the_page():
    small, large = _lines_run(_nested(2_000)), _lines_run(_nested(8_000))
    assert large < 4.5 * small, (small, large)  # four times the page: sixteen times the work before


def test_regions_and_skipped_parts_still_read_as_before():
    html = ("<body><header>سربرگ</header><div class='menu'><main>نه</main></div>"
            "<main><p>یک<div><p>دو</div></p><nav>فهرست</nav>سه</span></main><aside>کنار</aside>"
            "<article>مقاله</article></body>")
    assert main_text(html) == "یک دو سه"
    assert main_text("<body><article>الف</article><div>ب</div><article>ج</article></body>") == "الف ج"
    assert main_text("<body><div>الف<footer>پا</footer></div>ب</body>") == "الف ب"
    assert page_text(_nested(50_000).encode()).text.count("خبر") == 50_000
