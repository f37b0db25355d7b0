"""What a user may type in the search box (session 41's walk of the page): each gives results or a
Persian message, never an error, on both engines; the export says the same as the page."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.services.indexing import drain
from tests.search_index.item_factory import ItemFactory

NOTHING = "عبارتی برای جست‌وجو وارد نشده است"
COMMON = "تنها واژه‌های بسیار رایج"
QUOTES = "گیومه‌ها جفت نبودند"
OR_END = "در آغاز یا پایان جست‌وجو میان دو واژه نبود"
TOO_LONG = "جست‌وجو بیش از ۳۲ واژه داشت"


@pytest.fixture(params=["whoosh", "tantivy"])
def news(app, request, make_user, login_as):
    app.config["SEARCH_BACKEND"] = request.param
    app.config["SEARCH_REFRESH_SECONDS"] = 0
    factory = ItemFactory()
    made = {
        "water": factory.make("قطعی آب در همدان", "آب شهر از ساعت ۱۲ قطع است و مردم گلایه دارند.",
                              published_at=datetime(2026, 3, 25, 6, 0, tzinfo=UTC)),
        "budget": factory.make("بودجهٔ ۱۴۰۳ استان تصویب شد", "بودجهٔ سال 1403 در شورا تصویب شد.",
                               published_at=datetime(2026, 3, 24, 6, 0, tzinfo=UTC)),
    }
    drain()
    login_as(make_user(role="viewer"))
    return made


def _page(client, q: str) -> tuple[str, list[int]]:
    response = client.get("/search/", query_string={"q": q})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html, [int(n) for n in re.findall(r'href="/items/(\d+)"', html)]


@pytest.mark.parametrize("q, message, found", [
    ("از به این", COMMON, None),               # only stop words: said, and most items found
    ("؟!، ... ؛", NOTHING, ()),                  # only punctuation
    ("«»", NOTHING, ()),
    ('"قطعی آب', QUOTES, ("water",)),            # unbalanced quotes: searched plainly
    ("-", NOTHING, ()),                          # a lone minus
    ("OR آب", OR_END, ("water",)),                # «یا» / OR at an end
    ("آب یا", OR_END, ("water",)),
    ("OR", NOTHING, ()),
    ("قطعي آب", None, ("water",)),                # Arabic ي
    ("۱۴۰۳", None, ("budget",)),                  # Persian and Latin digits find each other
    ("1403", None, ("budget",)),
    ("١٤٠٣", None, ("budget",)),                  # Arabic-Indic digits
    ("😀", NOTHING, ()),                          # an emoji alone
    ("آب 💧", None, ("water",)),                  # an emoji beside a word
    ("آب " * 700, TOO_LONG, ("water",)),          # 2,100 characters
])
def test_what_a_user_may_type(client, news, q, message, found):
    html, ids = _page(client, q)
    if message:
        assert message in html
    if found is not None:
        assert sorted(ids) == sorted(news[name].id for name in found)


def test_the_empty_box_shows_the_form_only(client, news):
    html, ids = _page(client, "")
    assert ids == [] and "نتیجه" not in html and 'name="q"' in html


@pytest.mark.parametrize("q", ["😀", "-", "«»", "OR"])
def test_exporting_a_query_with_nothing_to_look_for_says_so(client, news, q):
    """The page says «nothing to look for»; the export gave an empty file instead."""
    from tests.conftest import csrf_token

    token = csrf_token(client, "/search/?q=آب")
    response = client.post("/search/export", data={"csrf_token": token, "format": "csv", "q": q})
    assert response.status_code == 302
    assert NOTHING in client.get(response.headers["Location"]).get_data(as_text=True)
