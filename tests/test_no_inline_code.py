"""The CSP (script-src 'self'; style-src 'self') blocks inline event handlers and style attributes:
a template holding one ships behaviour the browser drops (a delete that asks nothing) and a CSP
error on every page view. Behaviour lives in static/js/app.js, styles in static/css/."""
from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

# An attribute inside a tag: onsubmit=, onclick=, style= … (a tag may span lines).
INLINE = re.compile(r"""<[a-zA-Z][^<>]*?\s(on[a-z]+|style)\s*=""", re.DOTALL)


def test_the_scanner_catches_what_it_should():
    for bad in ('<form onsubmit="return confirm(1)">', '<div class="x"\n     style="white-space: pre-line">',
                "<a href='#' onclick='go()'>", '<td style = "width: 1px">'):
        assert INLINE.search(bad), bad
    for good in ('<form data-confirm="x">', '<link rel="stylesheet" href="/static/css/app.css">',
                 '<div class="onboarding">', "<p>style= is written here as text</p>"):
        assert not INLINE.search(good), good


@pytest.mark.parametrize("path", sorted((REPO / "templates").rglob("*.html")), ids=lambda p: str(p.relative_to(REPO)))
def test_no_inline_handler_or_style(path):
    hits = [m.group(0)[-80:] for m in INLINE.finditer(path.read_text(encoding="utf-8"))]
    assert hits == [], f"{path.relative_to(REPO)} has inline code the CSP blocks: {hits[:3]}"
