"""`feeds import-starter` said «listed=… added=… (disabled)» until session 47 made its line Persian
(«فهرست … خوراک داشت: … افزوده شد، … پیش‌تر بود.»), which dropped that the feeds came in disabled: someone
reading it waits for news that never comes. The line says it again, and so does `import-opml --disabled`."""
from __future__ import annotations

from .test_cli_feeds import run

DISABLED = "غیرفعال افزوده شد"


def test_the_starter_line_says_its_feeds_are_disabled(app):
    first = run(app, "feeds", "import-starter").output
    assert DISABLED in first and "فعال کنید" in first, first
    again = run(app, "feeds", "import-starter").output
    assert DISABLED not in again and "چیزی تغییر نکرد" in again, again


def test_an_opml_import_says_disabled_only_when_asked(app, tmp_path):
    opml = tmp_path / "feeds.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body><outline text="خبر" type="rss" '
                    'xmlUrl="https://example.ir/rss.xml"/></body></opml>', encoding="utf-8")
    other = tmp_path / "other.opml"
    other.write_text(opml.read_text(encoding="utf-8").replace("example.ir", "example.com"), encoding="utf-8")
    assert DISABLED in run(app, "feeds", "import-opml", str(opml), "--disabled").output
    assert DISABLED not in run(app, "feeds", "import-opml", str(other)).output
