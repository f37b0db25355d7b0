"""GUIDs given again to other articles whose links name them in a way the first checks missed, and
the work a link shared by many entries costs (a review of hostile feeds, round 11)."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from app.extensions import db
from app.monitor import dedupe
from app.monitor.entry_lookup import LINK_ITEMS_COMPARED
from models import Item

from .test_ingest import cli_import, count, rss

HOSPITAL = ("افتتاح بیمارستان جدید در یزد",
            "بیمارستان دویست تختخوابی شهر یزد با حضور وزیر بهداشت افتتاح شد و از فردا بیمار می‌پذیرد")
POWER = ("قطعی برق در شهرستان میبد", "شرکت توزیع برق اعلام کرد برق چند محله میبد فردا از ساعت نه تا دوازده قطع است")
BOOKS = ("برگزاری نمایشگاه کتاب استان",
         "نمایشگاه کتاب استان یزد از هفته آینده در محل نمایشگاه‌های بین‌المللی برگزار می‌شود")
RAIN = ("بارش باران در ارتفاعات",
        "هواشناسی استان از بارش باران و وزش باد در ارتفاعات شیرکوه خبر داد و هشدار زرد صادر کرد")


@pytest.mark.parametrize("links", [
    # PHP-Nuke: the article is «sid», which PHP also uses for a session (a session's is no number)
    [f"https://t.example.ir/modules.php?name=News&amp;file=article&amp;sid={n}" for n in (1001, 1002, 1003, 1004)],
    [f"https://t.example.ir/?q=node/{n}" for n in (1001, 1002, 1003, 1004)],  # Drupal, at the site's root
    [f"https://t.example.ir/forum/viewtopic.php?t={n}" for n in (5121, 5122, 5123, 5124)],
    # a category's number and the title's slug: the number is no article's
    [f"https://t.example.ir/fa/service/5001/{slug}" for slug in ("بیمارستان", "برق", "کتاب", "باران")],
], ids=["php-nuke-sid", "drupal-node", "forum-topic", "category-number"])
def test_guids_numbered_by_place_given_to_new_articles_keep_the_old(app, tmp_path, links):
    """GUIDs numbered by place (1, 2) given at the next poll to two new articles: the old two were
    overwritten, their items holding the new ones (with the old ones' routes and cases), when the
    links named the article by a parameter the check did not know or by a slug beside a category's
    number (a review of hostile feeds, round 11). All four are kept, and the next poll adds nothing."""
    path = tmp_path / "numbered.rss"
    path.write_text(rss(("1", links[0], *HOSPITAL), ("2", links[1], *POWER)), "utf-8")
    assert cli_import(app, str(path))["items_new"] == 2
    path.write_text(rss(("1", links[2], *BOOKS), ("2", links[3], *RAIN)), "utf-8")
    result = cli_import(app, str(path))
    assert (result["items_new"], result["items_updated"]) == (2, 0)
    assert (cli_import(app, str(path))["items_new"], count(Item)) == (0, 4)
    db.session.expire_all()
    assert sorted(i.title for i in db.session.scalars(select(Item))) == sorted(a[0] for a in (HOSPITAL, POWER, BOOKS, RAIN))


def test_a_templated_notice_at_another_article_number_under_the_same_guid_is_kept(app, tmp_path):
    """A water company's notice under a reused GUID, at «/news/1001» then «/news/1002», the same
    title over words that differ only by the street and the day: the second overwrote the first as
    an edit of it, the texts being alike (a review of hostile feeds, round 11). Two article numbers
    are two articles, whatever the words. Under one number, at a new address, it is an edit."""
    path = tmp_path / "notice.rss"
    title = "اطلاعیه قطعی آب"
    text = ("به اطلاع مشترکان محترم می‌رساند به علت تعمیرات خط انتقال، آب {} و کوچه‌های اطراف روز {} از ساعت "
            "هشت تا چهارده قطع خواهد بود. از صبر و شکیبایی شما سپاسگزاریم")
    path.write_text(rss(("1", "https://t.example.ir/news/1001", title, text.format("خیابان امام", "شنبه"))), "utf-8")
    assert cli_import(app, str(path))["items_new"] == 1
    path.write_text(rss(("1", "https://t.example.ir/news/1002", title, text.format("بلوار کشاورز", "دوشنبه"))), "utf-8")
    result = cli_import(app, str(path))
    assert (result["items_new"], result["items_updated"], count(Item)) == (1, 0, 2)
    db.session.expire_all()
    assert sorted(i.link[-4:] for i in db.session.scalars(select(Item))) == ["1001", "1002"]
    # one article at its address with a cache buster and a session added, its day corrected: an edit
    path.write_text(rss(("7", "https://t.example.ir/news/1003", title, text.format("میدان آزادی", "شنبه"))), "utf-8")
    assert cli_import(app, str(path))["items_new"] == 1
    path.write_text(rss(("7", "https://t.example.ir/news/1003?nocache=1733500000&amp;PHPSESSID=ab12cd",
                         title, text.format("میدان آزادی", "یکشنبه"))), "utf-8")
    result = cli_import(app, str(path))
    assert (result["items_new"], result["items_updated"], count(Item)) == (0, 1, 3)


@pytest.mark.parametrize("buster", ["t={}", "r=0.{}", "_={}"], ids=["dotnet-ticks", "js-random", "underscore"])
def test_an_entry_edited_at_every_poll_behind_a_changing_number_stays_one_item(app, tmp_path, buster):
    """The code review of round 11's change: a link with .NET ticks («?t=638687812345678901») or a
    JavaScript random («?r=0.83421…») read as an article's number, so an entry that kept its GUID
    and whose view counter changed was another article at every poll (4 polls, 4 items, each routed).
    One item, edited three times."""
    path = tmp_path / "busted.rss"
    results = []
    for poll, views in enumerate((120, 134, 151, 170)):
        link = "https://t.example.ir/news/1001?" + buster.format(638687812345678901 + poll * 1000)
        path.write_text(rss(("g-1001", link, HOSPITAL[0], f"{HOSPITAL[1]}؛ بازدید: {views}")), "utf-8")
        result = cli_import(app, str(path))
        results.append((result["items_new"], result["items_updated"]))
    assert (results, count(Item)) == ([(1, 0), (0, 1), (0, 1), (0, 1)], 1)


_WORDS = ("آب", "برق", "گاز", "استان", "شهر", "یزد", "میبد", "اردکان", "بافق", "مهریز", "تفت", "ابرکوه",
          "خاتم", "اشکذر", "بهاباد", "زارچ", "نیر", "مروست", "هرات", "دولت", "مجلس", "وزیر", "استاندار",
          "فرماندار", "شورا", "شهردار", "مدرسه", "دانشگاه", "بیمارستان", "جاده", "پل", "سد", "باران",
          "خشکسالی", "کشاورزی", "صنعت", "معدن")


def _stories(prefix: str, count_: int, guid: bool) -> list[tuple]:
    """Entries of other stories all at one list page, each 30 words drawn at random."""
    entries = []
    for n in range(count_):
        pick = random.Random(f"{prefix}-{n}")
        entries.append((f"{prefix}-{n}" if guid else "", "https://t.example.ir/fa/news/list",
                        f"{prefix} خبر {n}", " ".join(pick.choice(_WORDS) for _ in range(30))))
    return entries


class _Calls:
    """Counts calls of some of dedupe's functions, whoever calls them."""

    def __init__(self, monkeypatch, *names: str):
        self.counts = dict.fromkeys(names, 0)
        for name in names:
            monkeypatch.setattr(dedupe, name, self._counted(name, getattr(dedupe, name)))

    def _counted(self, name, function):
        def counted(*args, **kwargs):
            self.counts[name] += 1
            return function(*args, **kwargs)
        return counted

    def reset(self) -> None:
        self.counts = dict.fromkeys(self.counts, 0)


def test_entries_at_a_link_of_many_items_read_each_item_once(app, tmp_path, monkeypatch):
    """A list page given as the link of every entry, no GUIDs, a new batch at every poll: each new
    entry read the headline of every item the feed held there (a review of hostile feeds, round 11:
    1,000 entries a poll took 1.0, 9.9, 25.3, 45.9 s, growing at each poll). Now a poll reads each
    entry's words a fixed number of times and each item's headline once, whatever the link holds."""
    calls = _Calls(monkeypatch, "words")
    path = tmp_path / "list.rss"
    size = 150
    for poll in range(3):
        path.write_text(rss(*_stories(f"p{poll}", size, guid=False)), "utf-8")
        calls.reset()
        assert cli_import(app, str(path))["items_new"] == size
    # per entry: its headline, its signature (once for the retelling check, once for the new item);
    # per item held at the link (here 300, under LINK_ITEMS_COMPARED): its headline, once
    assert calls.counts["words"] <= 3 * size + min(2 * size, LINK_ITEMS_COMPARED), calls.counts
    assert count(Item) == 3 * size


def test_another_feeds_entries_at_a_link_of_many_items_are_compared_with_a_bounded_number(app, tmp_path, monkeypatch):
    """A second feed's entries at a link where the first holds many items: each entry's signature
    was computed again for every item there (a review of hostile feeds, round 11: 300 entries at a
    link of 2,000 items took 65 s). Now once an entry, and an entry is compared with the newest
    ``LINK_ITEMS_COMPARED`` items of the link at most; other stories there stay items of their own."""
    first, second = tmp_path / "a.rss", tmp_path / "b.rss"
    held = LINK_ITEMS_COMPARED + 50
    first.write_text(rss(*_stories("a", held, guid=False)), "utf-8")
    assert cli_import(app, str(first))["items_new"] == held
    entries = 40
    second.write_text(rss(*_stories("b", entries, guid=True)), "utf-8")
    calls = _Calls(monkeypatch, "signature", "similarity")
    result = cli_import(app, str(second))
    assert (result["items_new"], result["items_duplicate"]) == (entries, 0)
    assert calls.counts["signature"] <= 2 * entries, calls.counts  # compared once, stored once
    assert calls.counts["similarity"] <= entries * LINK_ITEMS_COMPARED, calls.counts
