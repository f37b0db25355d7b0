"""The `feeds` and `items` commands: import-file (also over the whole shared feed corpus),
OPML in and out, the starter list, poll --json and the JSON-lines export."""
from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import quoteattr as _quoteattr

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services.feeds import import_files
from models import AuditEntry, Feed, Item, Outlet

from .feed_farm import FeedFarm
from .test_feed_corpus import FOLDERS, corpus_files, dangerous

FEEDS_DIR = Path(__file__).resolve().parents[1] / "data" / "feeds"
DEMO = sorted(str(p) for p in FEEDS_DIR.glob("demo-*.rss"))


def run(app, *args: str, ok: bool = True):
    result = app.test_cli_runner().invoke(args=list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


def test_import_file_reports_each_broken_file_and_goes_on(app):
    files = [str(FEEDS_DIR / "not-a-feed.html"), DEMO[0], str(FEEDS_DIR / "billion-laughs.xml"),
             str(FEEDS_DIR / "truncated.xml"), "/no/such/file.xml"]
    result = json.loads(run(app, "feeds", "import-file", *files, "--outlet", "خبرگزاری آزمون", "--json").output)
    assert result["files"] == 5 and result["items_new"] == 2 + 0  # demo file 1 (2 items); truncated: none whole
    codes = {Path(e["path"]).name: e["code"] for e in result["errors"]}
    assert codes == {"not-a-feed.html": "parse_html", "billion-laughs.xml": "parse_entities",
                     "truncated.xml": "parse_truncated", "file.xml": "unreadable"}
    assert all(any("\u0600" <= c <= "\u06ff" for c in e["message"]) for e in result["errors"])
    broken = db.session.scalar(select(Feed).where(Feed.url.endswith("billion-laughs.xml")))
    assert broken.consecutive_failures == 1 and broken.last_error_code == "parse_entities"
    assert {i.outlet.name for i in db.session.scalars(select(Item))} == {"خبرگزاری آزمون"}
    text = run(app, "feeds", "import-file", DEMO[0]).output
    assert text.startswith("files=1 new=0") and "duplicate=2" in text


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_shared_feed_goes_through_import_file_and_stores_no_executable_markup(app, folder):
    paths = [str(p) for p in corpus_files(folder)]
    result = import_files(paths)
    assert result["files"] == len(paths)
    crashed = [e for e in result["errors"] if e["code"] in ("internal_error", "store_error")]
    assert crashed == [], crashed[:5]
    assert result["items_new"] > 0
    bad = []
    for item_id, html in db.session.execute(select(Item.id, Item.summary_html)):
        if dangerous(html):
            bad.append((item_id, dangerous(html)[:3]))
    assert bad == [], bad[:10]
    links = db.session.scalars(select(Item.link).where(Item.link != "")).all()
    assert all(link.lower().startswith(("http://", "https://")) for link in links)
    if folder != "kagi-benchmark":  # 44 MB: parsing it twice costs more than it proves
        assert import_files(paths)["items_new"] == 0  # and a second time adds nothing


def test_opml_export_then_import_keeps_feeds_and_outlets(app, tmp_path):
    run(app, "feeds", "import-starter")
    exported = tmp_path / "feeds.opml"
    run(app, "feeds", "export-opml", "-o", str(exported))
    listed = db.session.scalar(select(func.count()).select_from(Feed))
    assert listed >= 10 and exported.read_bytes().count(b"xmlUrl=") == listed
    app2_result = run(app, "feeds", "import-opml", str(exported), "--json").output
    assert json.loads(app2_result) == {"listed": listed, "added": 0, "existing": listed, "refused": []}
    irna = db.session.scalar(select(Feed).where(Feed.url == "https://www.irna.ir/rss"))
    assert irna.is_active is False and irna.outlet.kind == "news_agency" and "ایرنا" in irna.outlet.name


def test_starter_list_is_added_disabled_once(app):
    first = json.loads(run(app, "feeds", "import-starter", "--json").output)
    assert first["added"] == first["listed"] >= 10
    assert db.session.scalar(select(func.count()).select_from(Feed).where(Feed.is_active)) == 0
    assert json.loads(run(app, "feeds", "import-starter", "--json").output)["added"] == 0
    outlets = db.session.scalar(select(func.count()).select_from(Outlet))
    assert outlets == first["listed"]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "feed.opml_imported")) == 1  # the run again: nothing


def test_an_opml_imported_again_changes_nothing_and_audits_nothing(app, tmp_path):
    """README's re-run rule (session 47) lists `feeds import-opml`: a second run whose feeds are all there
    stores nothing and audits nothing (it audited an import of 0 feeds each time: review of session 47), and
    its line without --json is Persian and says so (it was «listed=1 added=0 existing=1»)."""
    opml = tmp_path / "feeds.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body><outline text="خبر" type="rss" '
                    'xmlUrl="https://example.ir/rss.xml"/></body></opml>', encoding="utf-8")
    first = json.loads(run(app, "feeds", "import-opml", str(opml), "--json").output)
    assert first == {"listed": 1, "added": 1, "existing": 0, "refused": []}
    again = run(app, "feeds", "import-opml", str(opml)).output.strip()
    assert again == "فهرست ۱ خوراک داشت: ۰ افزوده شد، ۱ پیش‌تر بود؛ چیزی تغییر نکرد.", again
    assert json.loads(run(app, "feeds", "import-opml", str(opml), "--json").output)["existing"] == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "feed.opml_imported")) == 1


def test_opml_with_a_doctype_is_refused_and_nothing_is_stored(app, tmp_path):
    bomb = tmp_path / "bomb.opml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                    '<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.example/rss"/></body></opml>')
    result = run(app, "feeds", "import-opml", str(bomb), ok=False)
    assert result.exit_code != 0 and "DOCTYPE" in result.output
    assert db.session.scalar(select(func.count()).select_from(Feed)) == 0


@pytest.mark.parametrize("encoding", ["gb2312", "shift_jis"])
def test_an_opml_file_in_a_multi_byte_encoding_is_refused_in_persian(app, tmp_path, encoding):
    """expat reads no multi-byte encoding but UTF-8 and UTF-16: its ValueError was a traceback on
    the command line (and the upload page; a review of hostile feeds, round 5)."""
    path = tmp_path / "list.opml"
    path.write_bytes(f'<?xml version="1.0" encoding="{encoding}"?><opml version="2.0"><body>'
                     '<outline text="x" xmlUrl="https://x.example/rss"/></body></opml>'.encode())
    result = run(app, "feeds", "import-opml", str(path), ok=False)
    assert result.exit_code == 2 and "OPML خراب است" in result.output and "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(Feed)) == 0



def test_an_opml_file_of_too_many_feeds_is_said_so_not_a_bad_encoding(app, tmp_path, monkeypatch):
    """The multi-byte fix caught every ValueError, and an OpmlError is one: «too many feeds» read as a
    bad encoding (the review of that fix)."""
    from app.monitor import opml

    monkeypatch.setattr(opml, "MAX_OUTLINES", 2)
    outlines = "".join(f'<outline text="{n}" xmlUrl="https://x.example/{n}"/>' for n in range(3))
    with pytest.raises(opml.OpmlError) as refused:
        opml.parse_opml(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode())
    assert refused.value.code == "too_many"


def test_items_export_writes_json_lines_since_a_jalali_date(app):
    run(app, "feeds", "import-file", *DEMO)
    lines = run(app, "items", "export", "--json").output.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 13
    assert set(records[0]) >= {"id", "feed", "outlet", "title", "link", "published", "summary_html", "text", "cluster"}
    assert [r["published"] for r in records] == sorted(r["published"] for r in records)
    # 1404/09/03 is 24 November 2025 (Tehran); the demo's last day.
    since = [json.loads(line) for line in run(app, "items", "export", "--since", "۱۴۰۴/۰۹/۰۳", "--json").output.splitlines()]
    assert 0 < len(since) < len(records) and all(r["published"] >= "2025-11-23T20:30" for r in since)
    clustered = [r for r in records if r["cluster"] is not None]
    assert len(clustered) == 7 and len({r["cluster"] for r in clustered}) == 3
    bad = run(app, "items", "export", "--since", "1404/13/01", ok=False)
    assert bad.exit_code == 2 and "ماه" in bad.output


def test_poll_json_prints_one_summary_object(app):
    farm = FeedFarm(items=5).start()
    try:
        app.config["FEED_ALLOW_PRIVATE"] = "127.0.0.1/32"
        db.session.add_all([Feed(url=farm.url(1)), Feed(url=farm.url(2))])
        db.session.commit()
        first = json.loads(run(app, "feeds", "poll", "--json").output)
        feed_id = db.session.scalar(select(Feed.id).order_by(Feed.id))
        again = json.loads(run(app, "feeds", "poll", "--feed", str(feed_id), "--json").output)
    finally:
        farm.stop()
    assert (first["feeds"], first["ok"], first["items_new"], first["errors"]) == (2, 2, 10, [])
    assert (again["feeds"], again["not_modified"], again["items_new"]) == (1, 1, 0)


def test_poll_of_one_feed_another_worker_holds_says_so(app):
    """A review of hostile feeds, round 7: after a worker was killed mid-pass its feeds stay leased
    for FEED_LEASE_SECONDS, and `feeds poll --feed ID` on one printed «feeds: 0» and exited 0, as if
    there were no news. It is refused, saying how long the lease has to run."""
    from datetime import timedelta

    from models import utcnow

    feed = Feed(url="https://news.example.ir/rss", lease_owner="dead-worker:1:ab",
                lease_until=utcnow() + timedelta(seconds=120))
    db.session.add(feed)
    db.session.commit()
    refused = run(app, "feeds", "poll", "--feed", str(feed.id), "--json", ok=False)
    assert refused.exit_code == 2
    message = json.loads(refused.output)["error"]
    assert "در دست پردازهٔ دیگری" in message and ("۱۲۰ ثانیه" in message or "۱۱۹ ثانیه" in message)
    assert db.session.get(Feed, feed.id).lease_owner == "dead-worker:1:ab"  # its lease untouched


def test_opml_url_over_2000_characters_is_reported_refused_with_its_reason(app, tmp_path):
    """It used to be counted among the "existing" feeds (issue 14, item 6)."""
    long_url = "https://news.example.ir/rss?" + "a" * 2000
    opml = tmp_path / "long.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body>'
                    f'<outline text="بلند" xmlUrl="{long_url}"/>'
                    '<outline text="کوتاه" xmlUrl="https://short.example.ir/rss"/></body></opml>')
    result = json.loads(run(app, "feeds", "import-opml", str(opml), "--json").output)
    assert (result["listed"], result["added"], result["existing"]) == (2, 1, 0)
    assert [r["url"] for r in result["refused"]] == [long_url]
    assert "۲٬۰۰۰" in result["refused"][0]["message"]
    assert set(db.session.scalars(select(Feed.url))) == {"https://short.example.ir/rss"}
    text = run(app, "feeds", "import-opml", str(opml)).output
    assert "۱ پیش‌تر بود" in text and "نپذیرفت" in text and "۲٬۰۰۰" in text  # Persian (session 47)


def test_a_polled_feed_gives_its_newest_entries_up_to_the_cap_and_a_file_gives_all(app, tmp_path):
    """A feed of 100,000 entries took 42 s and 725 MB to store (a helper's probe): a poll reads at
    most FEED_MAX_ENTRIES, the newest, and says so on the feed's page; a file import reads all."""
    farm = FeedFarm(items=5).start()
    try:
        app.config.update(FEED_ALLOW_PRIVATE="127.0.0.1/32", FEED_MAX_ENTRIES=3)
        db.session.add(Feed(url=farm.url(1)))
        db.session.commit()
        summary = json.loads(run(app, "feeds", "poll", "--json").output)
        (path := tmp_path / "farm.xml").write_bytes(farm.body(2, 0))
    finally:
        farm.stop()
    assert (summary["ok"], summary["items_new"], summary["errors"]) == (1, 3, [])
    assert set(db.session.scalars(select(Item.guid))) == {"farm-1-4", "farm-1-3", "farm-1-2"}
    feed = db.session.scalar(select(Feed))
    assert feed.last_warning == "خوراک ۵ خبر داشت؛ فقط ۳ خبرِ تازه‌ترش خوانده شد (سقف خبرهای هر بار دریافت)."
    assert feed.last_warning_detail == {"key": "warning.too_many_entries", "values": {"count": 5, "kept": 3}}
    assert import_files([str(path)])["items_new"] == 5


def test_import_file_refuses_an_outlet_name_holding_the_directory_sheets_separator(app):
    """`feeds import-file --outlet «صدا؛ سیما»` created the outlet (the directory's forms refuse the
    name): its export came back as two outlets. Exit 2 with a Persian message, nothing stored."""
    for options in ((), ("--json",)):
        result = run(app, "feeds", "import-file", DEMO[0], "--outlet", "صدا؛ سیما", *options, ok=False)
        assert result.exit_code == 2 and "Traceback" not in result.output
        said = json.loads(result.stdout)["error"] if options else result.stderr
        assert "«؛» و «;»" in said
    assert db.session.scalar(select(func.count()).select_from(Outlet)) == 0
    assert db.session.scalar(select(func.count()).select_from(Feed)) == 0


def test_opml_refuses_the_feed_whose_outlet_name_holds_the_separator_and_adds_the_others(app, tmp_path):
    opml = tmp_path / "outlets.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body>'
                    '<outline text="الف" xmlUrl="https://a.example.ir/rss" outlet="خبر;روز"/>'
                    '<outline text="ب" xmlUrl="https://b.example.ir/rss" outlet="روزنامهٔ شهر"/></body></opml>')
    result = json.loads(run(app, "feeds", "import-opml", str(opml), "--json").output)
    assert (result["listed"], result["added"], result["existing"]) == (2, 1, 0)
    assert [r["url"] for r in result["refused"]] == ["https://a.example.ir/rss"]
    assert "«؛» و «;»" in result["refused"][0]["message"]
    assert set(db.session.scalars(select(Outlet.name))) == {"روزنامهٔ شهر"}


def test_a_file_that_could_not_be_stored_is_said_in_persian_without_the_sql(tmp_path):
    """Found by a fuzzing review: two imports at once on SQLite gave store_error with the driver's
    English and the SQL statement and its parameters in the JSON message. The refusal is Persian;
    the log keeps the error. (A real "database is locked", from a second connection's write lock.)"""
    import sqlite3

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from app import create_app
    from app.services.feeds import _store_refusal

    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    with pytest.raises(OperationalError) as caught, engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
    holder.rollback()
    holder.close()
    app = create_app({"SECRET_KEY": "t", "DATA_DIR": str(tmp_path / "data"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}"})
    with app.app_context():
        message = _store_refusal(caught.value)
        other = _store_refusal(ValueError("boom: SELECT secret FROM t"))
    assert "پایگاه داده در دست کار دیگری بود" in message and "SQL" not in message and "INSERT" not in message
    assert "ValueError" in other and "SELECT" not in other


def test_an_opml_outlets_website_is_kept_only_when_the_outlet_form_would_take_it(app, tmp_path):
    """An OPML's «htmlUrl» of «javascript:…» was stored and shown as the outlet's link, and one of
    700 characters failed the whole import on PostgreSQL (a review of hostile feeds): the feeds are
    imported, the outlet keeps no such website."""
    opml = tmp_path / "sites.opml"
    long_site = "https://site.example.ir/" + "a" * 700
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body>'
                    '<outline text="الف" xmlUrl="https://a.example.ir/rss" htmlUrl="  javascript:alert(2)" outlet="الف"/>'
                    f'<outline text="ب" xmlUrl="https://b.example.ir/rss" htmlUrl="{long_site}" outlet="ب"/>'
                    '<outline text="پ" xmlUrl="https://c.example.ir/rss" htmlUrl="https://c.example.ir/" outlet="پ"/>'
                    '</body></opml>')
    result = json.loads(run(app, "feeds", "import-opml", str(opml), "--json").output)
    assert (result["listed"], result["added"], result["refused"]) == (3, 3, [])
    assert dict(db.session.execute(select(Outlet.name, Outlet.website)).all()) == {
        "الف": "", "ب": "", "پ": "https://c.example.ir/"}


def test_an_opml_outline_of_another_scheme_is_listed_as_refused(app, tmp_path):
    """«javascript:», «file:», «data:» feed addresses were left out unsaid: not counted, not in
    «refused», the administrator not told which lines of the file were ignored."""
    opml = tmp_path / "schemes.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body>'
                    '<outline text="الف" xmlUrl="javascript:alert(1)"/><outline text="ب" xmlUrl="file:///etc/passwd"/>'
                    '<outline text="پ" xmlUrl="data:text/xml,&lt;rss/&gt;"/>'
                    '<outline text="ت" xmlUrl="https://d.example.ir/rss"/></body></opml>')
    result = json.loads(run(app, "feeds", "import-opml", str(opml), "--json").output)
    assert (result["listed"], result["added"]) == (4, 1)
    assert [r["url"] for r in result["refused"]] == ["javascript:alert(1)", "file:///etc/passwd", "data:text/xml,<rss/>"]
    assert all("http://" in r["message"] for r in result["refused"])
    assert db.session.scalar(select(func.count()).select_from(Feed)) == 1


def test_one_feed_listed_under_equivalent_addresses_is_added_once(app, tmp_path):
    """A review of hostile feeds (round 9): «…/rss», «…/rss#x», «…/./rss», «…/%72ss», «…?utm_source=x»
    and a Persian host in its three spellings (letters, «xn--», a final dot) were each a feed of
    their own, polled as many times."""
    urls = ["https://news.example.ir/rss", "https://news.example.ir/rss#top", "https://NEWS.example.ir/./rss",
            "https://news.example.ir/%72ss", "https://news.example.ir/rss?utm_source=opml",
            "http://خبر.ایران/rss", "http://xn--ngblk.xn--mgba3a4f16a/rss", "http://خبر.ایران./rss"]
    path = tmp_path / "list.opml"
    path.write_text('<?xml version="1.0" encoding="utf-8"?><opml version="2.0"><body>'
                    + "".join(f'<outline text="f{n}" xmlUrl={_quoteattr(url)}/>' for n, url in enumerate(urls))
                    + "</body></opml>", encoding="utf-8")
    result = json.loads(run(app, "feeds", "import-opml", str(path), "--json").output)
    assert (result["added"], result["existing"], result["refused"]) == (2, 6, [])
    assert sorted(db.session.scalars(select(Feed.url))) == ["http://خبر.ایران/rss", "https://news.example.ir/rss"]
    again = json.loads(run(app, "feeds", "import-opml", str(path), "--json").output)
    assert (again["added"], again["existing"]) == (0, 8)


def test_feeds_whose_queries_differ_only_in_bytes_that_are_no_utf8_are_two(app):
    """The code review of feed_identity: «?c=%FF» and «?c=%FE» (an older site's windows-1256
    queries) read alike through the links' UTF-8 decoding, and the second feed was «already listed»."""
    from app.services.feed_addresses import feed_identity

    assert feed_identity("http://old.example.ir/rss.asp?c=%E1") != feed_identity("http://old.example.ir/rss.asp?c=%E2")
    assert feed_identity("http://old.example.ir/./") == feed_identity("http://old.example.ir/") == "http://old.example.ir/"
    assert feed_identity("http://old.example.ir/rss?utm_source=x&c=1") == feed_identity("http://old.example.ir/rss?c=1")


def test_import_file_says_what_was_wrong_with_a_file_it_read(app, tmp_path):
    """A file read despite a flaw (cut off, an encoding declared wrongly) said nothing of it on the
    command's output: «errors=0», and only the feed's page knew that an item was left out (a review of
    hostile feeds, round 13). Each such file's warning is told, in Persian, and under "warnings" in JSON."""
    cut = tmp_path / "cut.xml"
    cut.write_bytes(('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
                     "<item><title>خبر یک</title><link>https://ostan.example.ir/1</link></item>"
                     "<item><title>خبر دو</title><link>https://ostan.example.ir/2</link></item>"
                     "<item><title>خبر سه</title><li").encode())
    whole = DEMO[0]
    text = run(app, "feeds", "import-file", str(cut), whole).output
    assert "errors=0" in text and "new=4" in text
    assert f"{cut}: هشدار: سند خوراک ناقص بود؛ ۲ خبرِ پیش از محل قطع خوانده شد" in text
    assert whole not in text
    again = json.loads(run(app, "feeds", "import-file", str(cut), whole, "--json").output)
    assert again["errors"] == [] and again["warnings"] == [
        {"path": str(cut), "key": "warning.truncated",
         "message": "سند خوراک ناقص بود؛ ۲ خبرِ پیش از محل قطع خوانده شد و خبر نیمه‌کاره کنار گذاشته شد."}]


def test_import_file_of_no_file_that_exists_exits_2_saying_which_and_what_to_do(app, tmp_path):
    """A path mistyped alone, or every path so: nothing read, nothing stored; it exited 0 with the file
    under "errors", which a script took for an import done (session 47's commands helper). Now exit 2 with
    {"error"} in Persian naming the path and saying to check it; with one file read the others go on (above)."""
    missing = str(tmp_path / "خوراک.xml")
    result = run(app, "feeds", "import-file", missing, "--outlet", "خبرگزاری آزمون", "--json", ok=False)
    assert result.exit_code == 2
    error = json.loads(result.output)["error"]
    assert missing in error and "بررسی" in error
    plain = run(app, "feeds", "import-file", missing, str(tmp_path / "دیگر.xml"), ok=False)  # a folder: click refuses it
    assert plain.exit_code == 2 and missing in plain.output and "Traceback" not in plain.output
    assert db.session.scalar(select(func.count(Feed.id))) == 0 and db.session.scalar(select(func.count(Outlet.id))) == 0


def test_import_file_of_a_symlink_loop_or_an_overlong_name_says_it_as_any_missing_file(app, tmp_path):
    """A review of session 48: a link that points at itself in a ring, or a name longer than the
    system takes, ended `feeds import-file` in a Python traceback (pathlib's RuntimeError, OSError
    ENAMETOOLONG), where a missing file is an entry of "errors" and a command of none exits 2."""
    (tmp_path / "ring-a.xml").symlink_to(tmp_path / "ring-b.xml")
    (tmp_path / "ring-b.xml").symlink_to(tmp_path / "ring-a.xml")
    for bad in (str(tmp_path / "ring-a.xml"), str(tmp_path / ("خ" * 300 + ".xml"))):
        alone = run(app, "feeds", "import-file", bad, "--json", ok=False)
        assert alone.exit_code == 2 and bad in json.loads(alone.output)["error"], alone.output
        mixed = json.loads(run(app, "feeds", "import-file", bad, DEMO[0], "--json").output)
        assert [(e["path"], e["code"]) for e in mixed["errors"]] == [(bad, "unreadable")]
