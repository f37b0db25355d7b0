"""One story, one result: copies of a story (the monitor's clusters) are one search result and one
row of the items list, with "and N other outlets" that lists them; both pages show the agencies
each copy was routed to and the route's status, as far as the reader's agency may see."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from app.extensions import db
from app.services.indexing import drain
from app.services.items import ItemFilters, items_page
from models import ItemRoute, StoryCluster
from tests.conftest import login
from tests.search_index.item_factory import ItemFactory

T0 = datetime(2026, 11, 1, 8, tzinfo=UTC)


def _story(factory: ItemFactory, outlets, title: str, text: str, start: datetime) -> list:
    """One story published by each of ``outlets`` (an hour apart), clustered as the monitor does."""
    cluster = StoryCluster(item_count=len(outlets))
    db.session.add(cluster)
    db.session.flush()
    copies = [factory.make(title, text, outlet=outlet, published_at=start + timedelta(hours=n),
                           cluster_id=cluster.id, commit=False) for n, outlet in enumerate(outlets)]
    cluster.first_item_id = copies[0].id
    db.session.commit()
    return copies


@pytest.fixture
def world(app, make_agency, make_user):
    factory = ItemFactory()
    outlets = [factory.outlet("همدان پیام", scope="local"), factory.outlet("خبرگزاری سراسری", scope="national"),
               factory.outlet("روزنامهٔ استان", scope="provincial")]
    copies = _story(factory, outlets, "قطعی آب در همدان", "آب شهر از صبح قطع است و مردم گلایه دارند.", T0)
    alone = factory.make("قطعی آب در ملایر", "آب ملایر هم قطع شد.", outlet=outlets[0],
                         published_at=T0 - timedelta(days=1))
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    power = make_agency(slug="power", name_fa="شرکت توزیع برق")
    db.session.add_all([ItemRoute(item_id=copies[2].id, agency_id=water.id, status="accepted"),
                        ItemRoute(item_id=copies[0].id, agency_id=power.id, status="new"),
                        ItemRoute(item_id=alone.id, agency_id=water.id, status="seen")])
    db.session.commit()
    drain()
    return {"copies": copies, "alone": alone, "outlets": outlets, "water": water, "power": power,
            "water_staff": make_user(role="staff", agency=water), "power_staff": make_user(role="staff", agency=power),
            "supervisor": make_user(role="supervisor"), "viewer": make_user(role="viewer")}


def _get(client, path: str, **args) -> str:
    response = client.get(path, query_string=args or None)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _shown(html: str) -> list[int]:
    """Items linked as results/rows (the titles), not the links inside the other-copies list."""
    main = re.sub(r'<details class="small story-copies">.*?</details>', "", html, flags=re.DOTALL)
    return [int(n) for n in re.findall(r'href="/items/(\d+)"', main)]


def _copies_block(html: str) -> str:
    blocks = re.findall(r'<details class="small story-copies">.*?</details>', html, flags=re.DOTALL)
    assert len(blocks) == 1, blocks
    return blocks[0]


def test_a_story_of_three_copies_is_one_search_result_with_two_other_outlets(client, login_as, world):
    login_as(world["supervisor"])
    html = _get(client, "/search/", q="قطعی آب")
    copies = world["copies"]
    shown = _shown(html)
    assert shown.count(world["alone"].id) == 1 and len(shown) == 2
    (lead,) = [i for i in shown if i != world["alone"].id]
    assert lead in {c.id for c in copies}
    assert "۲ نتیجه" in html and "۴ نسخه در رسانه‌ها" in html   # stories counted, copies stated
    block = _copies_block(html)
    assert "و ۲ رسانهٔ دیگر" in block
    others = [c for c in copies if c.id != lead]
    assert {int(n) for n in re.findall(r'href="/items/(\d+)"', block)} == {c.id for c in others}
    names = {o.id: o.name for o in world["outlets"]}
    for other in others:
        assert names[other.outlet_id] in block


def test_the_items_list_shows_a_story_once_with_its_other_outlets(client, login_as, world):
    login_as(world["supervisor"])
    html = _get(client, "/items/")
    copies = world["copies"]
    assert _shown(html) == [copies[2].id, world["alone"].id]   # the newest copy stands for the story
    block = _copies_block(html)
    assert "و ۲ رسانهٔ دیگر" in block
    assert {int(n) for n in re.findall(r'href="/items/(\d+)"', block)} == {copies[0].id, copies[1].id}
    assert "همدان پیام" in block and "خبرگزاری سراسری" in block
    # An outlet filter shows that outlet's copy, still with the other two listed.
    html = _get(client, "/items/", outlet=str(world["outlets"][0].id))
    assert _shown(html) == [copies[0].id, world["alone"].id]
    assert "و ۲ رسانهٔ دیگر" in _copies_block(html)


def _route_texts(html: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", "", t).split())
            for t in re.findall(r'<span class="badge[^"]*story-route">(.*?)</span>', html, flags=re.DOTALL)]


@pytest.mark.parametrize("path", ["/search/?q=قطعی+آب", "/items/"])
def test_routes_and_status_are_shown_within_the_readers_agency(app, world, path):
    def page_of(user) -> str:
        """The results of the page as ``user`` sees them (the search form's agency filter left out:
        which agencies it offers is the filter's business, item 3 of the issue)."""
        client = app.test_client()
        login(client, user)
        html = _get(client, path)
        return html[html.index('<main'):].split('</form>')[-1]

    # A supervisor sees every agency's routes.
    assert sorted(_route_texts(page_of(world["supervisor"]))) == sorted(
        ["شرکت آب و فاضلاب: پذیرفته", "شرکت توزیع برق: تازه", "شرکت آب و فاضلاب: دیده‌شده"])
    # Water sees water's routes only, not that a copy of the story went to power; and back.
    html = page_of(world["water_staff"])
    assert sorted(_route_texts(html)) == sorted(["شرکت آب و فاضلاب: پذیرفته", "شرکت آب و فاضلاب: دیده‌شده"])
    assert "شرکت توزیع برق" not in html
    html = page_of(world["power_staff"])
    assert _route_texts(html) == ["شرکت توزیع برق: تازه"] and "شرکت آب و فاضلاب" not in html
    # A viewer of an agency that got none of these items sees no route at all.
    html = page_of(world["viewer"])
    assert _route_texts(html) == [] and "شرکت آب و فاضلاب" not in html and "شرکت توزیع برق" not in html


def _statements(app, fn) -> int:
    count = 0

    def counter(*_):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count


def test_routes_and_copies_cost_the_same_queries_for_any_page_size(app, client, login_as, world):
    login_as(world["supervisor"])
    _get(client, "/items/")
    small = _statements(app, lambda: _get(client, "/items/"))
    factory = ItemFactory()
    for n in range(12):
        copies = _story(factory, world["outlets"], f"خبر شمارهٔ {n}", "متن خبر دربارهٔ آب", T0 + timedelta(days=n + 1))
        db.session.add(ItemRoute(item_id=copies[1].id, agency_id=world["water"].id))
    db.session.commit()
    drain()
    html = _get(client, "/items/")
    assert len(_shown(html)) == 14
    assert _statements(app, lambda: _get(client, "/items/")) == small
    assert _statements(app, lambda: _get(client, "/search/", q="آب")) == \
        _statements(app, lambda: _get(client, "/search/", q="همدان"))  # 1 story vs 14


def test_paging_counts_stories_and_never_splits_or_repeats_one(app, client, login_as, world, monkeypatch):
    factory = ItemFactory()
    for n in range(24):  # 24 more stories: 2 or 3 copies, every copy matching «آب»
        _story(factory, world["outlets"][: 2 + n % 2], f"گزارش آب شمارهٔ {n}", "آب آب", T0 + timedelta(days=n + 1))
    drain()
    login_as(world["supervisor"])
    seen: list[int] = []
    for page in (1, 2):
        html = _get(client, "/search/", q="آب", page=str(page))
        assert "۲۶ نتیجه" in html and "صفحهٔ " + "۱۲"[page - 1] + " از ۲" in html
        seen += _shown(html)
    assert len(seen) == 26
    clusters = {row.cluster_id or -row.id for row in (db.session.get(type(world["alone"]), i) for i in seen)}
    assert len(clusters) == 26
    # The items list pages the same way (a small page size to have several pages).
    monkeypatch.setattr("views.items.PAGE_SIZE", 5)
    listed, page = [], 1
    while True:
        html = _get(client, "/items/", page=str(page))
        rows = _shown(html)
        assert len(rows) <= 5
        listed += rows
        if "صفحهٔ بعد" not in html:
            break
        page += 1
    assert len(listed) == 26 and len(set(listed)) == 26
    with app.test_request_context():
        everything = items_page(ItemFilters(), page_size=100)
    assert [s.item.id for s in everything.stories] == listed
