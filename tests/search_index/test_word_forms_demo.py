"""Word forms on the demo feeds (issue 10), through the real paths: `flask feeds import-file`
stores and routes the items with the starter rules, the indexer drains the outbox into Whoosh,
`flask search query` finds them, and `flask routing test --json` names the stemmed words."""
from __future__ import annotations

import json
import re
import shutil

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.agencies import ensure_standard_agencies
from app.services.indexing import drain, writer_backend
from app.services.routing import load_starter_rules
from models import Item, ItemRoute
from search_index import schema
from tests.monitor.test_ingest import DEMO, cli_import
from tests.search_index.item_factory import ItemFactory

WATER_CUTS = ("قطعی ۱۲ ساعته آب در مناطق شمالی شهر به دلیل تعمیر خط انتقال",
              "قطع ۱۲ ساعته آب شمال شهر؛ تانکرها مستقر می‌شوند",
              "آب مناطق شمالی شهر پنجشنبه ۱۲ ساعت قطع می‌شود")
POWER_CUTS = ("جدول خاموشی‌های برنامه‌ریزی‌شدهٔ برق استان برای فردا اعلام شد",
              "خاموشی فردا در شهرک صنعتی و محله‌های جنوبی")


@pytest.fixture
def demo(app):
    app.config["SEARCH_REFRESH_SECONDS"] = 0
    ensure_standard_agencies(actor_label="test")
    load_starter_rules(actor_label="test")
    cli_import(app, *DEMO)
    drain()


def search(app, text: str) -> set[str]:
    result = app.test_cli_runner().invoke(args=["search", "query", text, "--json", "--limit", "50"])
    assert result.exit_code == 0, result.output
    return {json.loads(line)["title"] for line in result.output.splitlines()}


def routed(agency: str) -> set[str]:
    return set(db.session.scalars(select(Item.title).join(ItemRoute, ItemRoute.item_id == Item.id)
                                  .where(ItemRoute.agency.has(slug=agency))))


def test_tanker_finds_tankers_and_khamooshi_ha_finds_khamooshi_haye(app, demo):
    assert "قطع ۱۲ ساعته آب شمال شهر؛ تانکرها مستقر می‌شوند" in search(app, "تانکر")
    assert "جدول خاموشی‌های برنامه‌ریزی‌شدهٔ برق استان برای فردا اعلام شد" in search(app, "خاموشی‌ها")
    assert "جدول خاموشی‌های برنامه‌ریزی‌شدهٔ برق استان برای فردا اعلام شد" in search(app, "خاموشی ها")
    # A quoted single word asks for exactly that form.
    assert "قطع ۱۲ ساعته آب شمال شهر؛ تانکرها مستقر می‌شوند" not in search(app, '"تانکر"')


def test_exact_forms_rank_first(app):
    app.config["SEARCH_REFRESH_SECONDS"] = 0
    factory = ItemFactory()
    factory.make("اعزام تانکرها به محله", "آبرسانی سیار در محله")
    factory.make("اعزام تانکر به محله", "آبرسانی سیار در محله")
    drain()
    result = app.test_cli_runner().invoke(args=["search", "query", "تانکر", "--json"])
    titles = [json.loads(line)["title"] for line in result.output.splitlines()]
    assert titles == ["اعزام تانکر به محله", "اعزام تانکرها به محله"]
    # A plural asks for plurals (another plural form too), not for the bare singular.
    result = app.test_cli_runner().invoke(args=["search", "query", "تانکرهای", "--json"])
    assert [json.loads(line)["title"] for line in result.output.splitlines()] == ["اعزام تانکرها به محله"]


def test_starter_rules_route_the_water_and_power_cuts_of_the_demo(app, demo):
    assert set(WATER_CUTS) <= routed("water")
    assert set(POWER_CUTS) <= routed("power")


def test_routing_test_shows_the_stemmed_words_as_reasons(app):
    lines = [{"id": 1, "title": WATER_CUTS[1], "summary": "", "text": ""},
             {"id": 2, "title": WATER_CUTS[0], "summary": "",
              "text": "تانکرهای آب در محله‌های پرجمعیت مستقر می‌شوند."}]
    result = app.test_cli_runner().invoke(args=["routing", "test", "--json"],
                                          input="\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert "water" in first["agencies"] and "water" in second["agencies"]
    assert {"word": "تانکر", "found": "تانکرها"} in [w for r in first["routes"] for w in r["words"]]
    assert {"rule": "قطعی و کمبود آب شرب", "agency": "water",
            "words": [{"word": "تانکر اب", "found": "تانکرهای آب"}]} in second["routes"]


def test_search_rebuild_upgrades_an_older_index(app, demo):
    backend = writer_backend()
    version_file = next(p for p in backend.path.iterdir() if re.search("version", p.name, re.IGNORECASE))
    version_file.write_text(str(schema.SCHEMA_VERSION - 1))  # an index written before the stem terms
    verify = app.test_cli_runner().invoke(args=["search", "verify", "--json"])
    assert verify.exit_code != 0 and json.loads(verify.output)["schema_ok"] is False
    rebuilt = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    verify = app.test_cli_runner().invoke(args=["search", "verify", "--json"])
    assert verify.exit_code == 0 and json.loads(verify.output)["schema_ok"] is True
    assert "قطع ۱۲ ساعته آب شمال شهر؛ تانکرها مستقر می‌شوند" in search(app, "تانکر")
    shutil.rmtree(backend.path, ignore_errors=True)
