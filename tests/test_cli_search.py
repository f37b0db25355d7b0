"""`flask search query | rebuild | verify | drain`: what an operator or a script sees."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services.indexing import drain, get_checkpoint, writer_backend
from models import Item, SearchOutbox
from tests.search_index.item_factory import ItemFactory


@pytest.fixture(params=["whoosh", "tantivy"])
def engine(app, request):
    """Each test runs on both search engines (HAMZABAN_SEARCH_BACKEND)."""
    app.config["SEARCH_BACKEND"] = request.param
    return request.param


@pytest.fixture
def items(app, engine):
    app.config["SEARCH_REFRESH_SECONDS"] = 0
    factory = ItemFactory()
    outlet = factory.outlet("همدان پیام", scope="local")
    made = [factory.make("قطعی آب در همدان", "آب شهر از صبح قطع است.", outlet=outlet),
            factory.make("قطعی برق", "برق روستاها قطع شد.", link="")]
    return made


def run(app, *args):
    return app.test_cli_runner().invoke(args=["search", *args])


def test_query_prints_json_lines(app, items):
    drain()
    result = run(app, "query", "قطعي", "--json")  # Arabic ya, as typed on an Arabic keyboard
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {r["id"] for r in rows} == {i.id for i in items}
    water = next(r for r in rows if r["id"] == items[0].id)
    assert set(water) == {"id", "title", "link", "published", "score", "snippet"}
    assert water["title"] == "قطعی آب در همدان" and water["link"].startswith("https://")
    assert water["published"].startswith("2026-03-01T08:00") and water["score"] > 0
    assert "<mark>" in water["snippet"] or water["snippet"]
    limited = run(app, "query", "قطعی", "--json", "--limit", "1")
    assert len(limited.output.splitlines()) == 1


def test_query_plain_output_and_fallback_warning(app, items):
    drain()
    result = run(app, "query", '"قطعی')
    assert result.exit_code == 0
    assert "گیومه‌ها جفت نبودند" in result.output
    assert "قطعی آب در همدان" in result.output


def test_query_without_an_index_says_what_to_do(app, items):
    result = run(app, "query", "آب")
    assert result.exit_code != 0 and "search rebuild" in result.output


def test_rebuild_shows_progress_and_rate_and_resumes(app, items):
    result = run(app, "rebuild")
    assert result.exit_code == 0, result.output
    assert "indexing" in result.output and "items/s" in result.output
    assert "indexed 2 items" in result.output
    assert db.session.scalar(select(func.count(SearchOutbox.id))) == 2  # the outbox is the drainer's
    as_json = json.loads(run(app, "rebuild", "--json").output)
    assert as_json["indexed"] == 2 and as_json["items_per_second"] > 0 and get_checkpoint() is None
    # An interrupted rebuild left a checkpoint: the next run starts after it.
    from app.services.indexing import _set_checkpoint

    _set_checkpoint({"last_id": items[0].id, "fresh": False})
    resumed = run(app, "rebuild")
    assert f"resuming after item {items[0].id}" in resumed.output and "indexed 1 items" in resumed.output


def test_verify_reports_nothing_when_equal_and_fixes_differences(app, items):
    drain()
    result = run(app, "verify", "--json")
    report = json.loads(result.output)
    assert result.exit_code == 0 and report["ok"]
    assert (report["index_count"], report["db_count"]) == (2, 2)
    # one shape for a script: "fixed" null without --fix, zeros when --fix had nothing to mend
    assert report["fixed"] is None
    assert json.loads(run(app, "verify", "--fix", "--json").output)["fixed"] == {"written": 0, "deleted": 0}
    # The index loses one document, keeps one the database deleted, and holds a stale one.
    writer_backend().delete([f"item:{items[1].id}"])
    items[0].title = "وصل آب در همدان"
    ghost = ItemFactory().make("خبر حذف‌شده", "متن")
    drain()
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.delete(db.session.get(Item, ghost.id))
    db.session.commit()
    broken = run(app, "verify")
    assert broken.exit_code == 1
    assert f"missing: 1  item:{items[1].id}" in broken.output
    assert f"extra: 1  item:{ghost.id}" in broken.output
    assert f"stale: 1  item:{items[0].id}" in broken.output
    fixed = json.loads(run(app, "verify", "--fix", "--json").output)
    assert fixed["fixed"] == {"written": 2, "deleted": 1}
    again = run(app, "verify", "--json")
    assert again.exit_code == 0 and json.loads(again.output)["ok"]
    assert json.loads(run(app, "verify", "--json").output)["fixed"] is None


def test_drain_command_and_busy_lease(app, items):
    from app.services.indexing import claim_lease, release_lease

    claim_lease("other-worker")
    busy = run(app, "drain", "--json")
    assert busy.exit_code == 2 and json.loads(busy.output)["busy"]
    # rebuild and verify --fix, refused alike: exit 2 in Persian (they were exit 1, in English)
    for args in (("rebuild", "--json"), ("verify", "--fix", "--json")):
        refused = run(app, *args)
        assert refused.exit_code == 2, (args, refused.output)
        assert json.loads(refused.output) == {"error": "فرایند دیگری نمایهٔ جست‌وجو را می‌نویسد؛ چند لحظهٔ دیگر دوباره اجرا کنید."}
    plain = run(app, "rebuild")
    assert plain.exit_code == 2 and "خطا: فرایند دیگری نمایهٔ جست‌وجو را می‌نویسد" in plain.output
    release_lease("other-worker")
    done = json.loads(run(app, "drain", "--json").output)
    assert (done["rows"], done["indexed"], done["remaining"], done["outdated"]) == (2, 2, 0, None)


@pytest.fixture
def many(app, engine):
    """1,050 small items (eleven backend pages of 100), indexed."""
    app.config["SEARCH_REFRESH_SECONDS"] = 0
    made = ItemFactory().make_many([(f"گزارش شماره {n}", "متن کوتاه گزارش") for n in range(1050)])
    drain()
    return made


def test_query_limit_up_to_10000_pages_inside_and_offset(app, many):
    everything = run(app, "query", "گزارش", "--json", "--limit", "10000", "--newest")
    assert everything.exit_code == 0, everything.output
    rows = [json.loads(line) for line in everything.output.splitlines()]
    assert len(rows) == 1050 and len({r["id"] for r in rows}) == 1050
    assert set(rows[0]) == {"id", "title", "link", "published", "score", "snippet"}
    # --offset continues where a page stopped, across the backend's pages of 100.
    ids = [r["id"] for r in rows]
    page = run(app, "query", "گزارش", "--json", "--newest", "--offset", "195", "--limit", "10")
    assert [json.loads(line)["id"] for line in page.output.splitlines()] == ids[195:205]
    tail = run(app, "query", "گزارش", "--json", "--newest", "--offset", "1045", "--limit", "100")
    assert [json.loads(line)["id"] for line in tail.output.splitlines()] == ids[1045:]
    assert run(app, "query", "گزارش", "--json", "--offset", "5000").output == ""
    plain = run(app, "query", "گزارش", "--limit", "150")
    assert plain.exit_code == 0 and plain.output.count("\n\t") == 150 and "1050 results" in plain.output


def test_query_limit_above_10000_is_refused(app, items):
    refused = run(app, "query", "آب", "--limit", "10001")
    assert refused.exit_code == 2 and "عددی از ۱ تا ۱۰۰۰۰" in refused.output and "«10001»" in refused.output


def test_rebuild_switches_an_installation_from_whoosh_to_tantivy_and_back(app, items, engine):
    """`search rebuild` after changing HAMZABAN_SEARCH_BACKEND: the new engine's index is built
    from the database, `search verify` checks it, and the other engine's index stays untouched."""
    other = "tantivy" if engine == "whoosh" else "whoosh"
    drain()
    before = json.loads(run(app, "verify", "--json").output)
    assert before["ok"] and before["backend"] == engine
    app.config["SEARCH_BACKEND"] = other
    app.extensions.pop("hamzaban_search_backend", None)
    missing = run(app, "query", "آب")
    assert missing.exit_code != 0 and "search rebuild" in missing.output
    not_yet = json.loads(run(app, "verify", "--json").output)
    assert not not_yet["ok"] and len(not_yet["missing"]) == 2 and not_yet["backend"] == other
    built = json.loads(run(app, "rebuild", "--json").output)
    assert (built["indexed"], built["backend"]) == (2, other)
    assert json.loads(run(app, "verify", "--json").output)["ok"]
    found = [json.loads(line) for line in run(app, "query", "آب", "--json").output.splitlines()]
    assert [row["id"] for row in found] == [items[0].id]
    app.config["SEARCH_BACKEND"] = engine  # back: the first engine's index is still there
    app.extensions.pop("hamzaban_search_backend", None)
    assert json.loads(run(app, "verify", "--json").output)["ok"]


@pytest.mark.parametrize("typed", ["", "   ", "\u200c"])
def test_query_with_nothing_to_look_for_is_refused(app, items, typed):
    """An empty query printed nothing and exited 0: a script read it as "no news"."""
    result = run(app, "query", typed, "--json")
    assert result.exit_code == 2 and json.loads(result.output) == {"error": "عبارتی برای جست‌وجو وارد نشده است."}


@pytest.mark.parametrize("typed", ["؟!", "...", "«»", "-", "\"\"", "\"", "\" ؟"])  # a lone quote too
def test_query_of_punctuation_alone_is_refused_as_an_empty_one(app, items, typed):
    """Punctuation alone has no word to look for: the search page says so above no results; the
    command printed nothing and exited 0 (a script read "no news"), now it refuses it as an empty one."""
    drain()
    result = run(app, "query", typed, "--json")
    assert result.exit_code == 2 and json.loads(result.output) == {"error": "عبارتی برای جست‌وجو وارد نشده است."}
    text = run(app, "query", typed)
    assert text.exit_code == 2 and "عبارتی برای جست‌وجو وارد نشده است." in text.output
    assert [json.loads(line)["id"] for line in run(app, "query", "آب ؟!", "--json").output.splitlines()] == [items[0].id]


def test_a_search_beginning_with_an_exclusion_says_how_to_write_it(app):
    """`search query "-سیل زلزله"`: click read «-سیل» as an option («no such option -س»)."""
    result = app.test_cli_runner().invoke(args=["search", "query", "-سیل زلزله", "--json"])
    assert result.exit_code == 2 and "search query --json --" in json.loads(result.output)["error"]
