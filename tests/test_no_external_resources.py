"""The intranet may have no internet: no page, template or stylesheet loads from another host."""
from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

# A resource reference pointing at another host: src=/href=/action=/poster= attributes, CSS url()
# and @import, JS import/fetch of absolute URLs, and protocol-relative '//host' forms.
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data|srcset)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:\bimport\s*\(?\s*["'](?:https?:)?//)"""
    r"""|(?:\bfetch\(\s*["'](?:https?:)?//)""",
    re.IGNORECASE,
)


def _files():
    for folder in ("templates", "static"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and path.suffix in {".html", ".css", ".js", ".svg", ".json"}:
                yield path


def test_the_scanner_catches_what_it_should():
    for bad in ('<script src="https://cdn.example/x.js">', "<link href='//fonts.example/css'>",
                "src: url(https://fonts.gstatic.com/x.woff2)", '@import "http://x/y.css";',
                'import("https://esm.sh/x")', '<img src = "http://tracker/p.gif">'):
        assert EXTERNAL.search(bad), bad
    for good in ('<a href="{{ url_for(\'main.index\') }}">', "url(../fonts/vazirmatn.woff2)",
                 '<svg xmlns="http://www.w3.org/2000/svg">', "// a comment with https://example.com"):
        assert not EXTERNAL.search(good), good


@pytest.mark.parametrize("path", list(_files()), ids=lambda p: str(p.relative_to(REPO)))
def test_no_reference_to_another_host(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    hits = [m.group(0) for m in EXTERNAL.finditer(text)]
    assert hits == [], f"{path.relative_to(REPO)} loads from another host: {hits[:3]}"
