"""The directory's lists and pickers, and the agencies' lists, in Persian alphabetical order: «پ چ ژ ک گ» where the alphabet
has them (code points put them after «ی»), «و» before «ه», Arabic «ك/ي» as their Persian letters,
and a renamed outlet moved to its new place. The order is stored (``name_order``) so the database
pages through it; SQLite and PostgreSQL give the same order."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.services.directory import OutletInput, update_outlet
from app.services.directory_keys import name_key
from models import Journalist, JournalistPhone, Outlet
from tests.conftest import login

# In Persian alphabetical order (آ ا ب پ ت … ک گ ل م ن و ه ی); «كيهان» is written with Arabic letters.
OUTLETS = ["آفتاب شرق", "ایران", "پیام استان", "چشم‌انداز", "ژاله", "كيهان", "گلستان", "ندای شهر", "وطن",
           "هفت", "یاس"]
JOURNALISTS = ["آرش کریمی", "احمد رضایی", "پرویز", "ژیلا", "علی رضایی", "علیرضا نوری", "کاوه", "گلناز",
               "وحید", "هادی"]


@pytest.fixture
def staff(make_user, make_agency):
    return make_user(role="staff", agency=make_agency(slug="water", name_fa="آب و فاضلاب"))


@pytest.fixture
def directory(app):
    scrambled = OUTLETS[::2] + OUTLETS[1::2]
    outlets = {name: Outlet(name=name, name_key=name_key(name), scope="local", kind="newspaper", city=f"شهر {name}")
               for name in reversed(scrambled)}
    db.session.add_all(outlets.values())
    for n, name in enumerate(reversed(JOURNALISTS)):
        db.session.add(Journalist(name=name, name_key=name_key(name), outlets=[outlets[OUTLETS[n % len(OUTLETS)]]],
                                  phones=[JournalistPhone(e164=f"+98912123{n:04d}")]))
    db.session.commit()
    return outlets


def _table(html: str) -> str:
    return html[html.index("<table"):html.index("</table>")]


def _select(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[start:html.index("</select>", start)]


def _order(html: str, names: list[str]) -> list[str]:
    """``names`` in the order ``html`` shows them (each must be in it)."""
    where = {name: html.find(name) for name in names}
    assert all(at >= 0 for at in where.values()), [n for n, at in where.items() if at < 0]
    return sorted(names, key=where.get)


def test_the_outlet_list_and_its_city_filter_follow_the_persian_alphabet(client, staff, directory):
    login(client, staff)
    html = client.get("/directory/outlets").get_data(as_text=True)
    assert _order(_table(html), OUTLETS) == OUTLETS
    cities = [f"شهر {name}" for name in OUTLETS]
    assert _order(_select(html, "city"), cities) == cities


def test_the_journalist_list_and_its_outlet_picker_follow_the_persian_alphabet(client, staff, directory):
    login(client, staff)
    html = client.get("/directory/journalists").get_data(as_text=True)
    assert _order(_table(html), JOURNALISTS) == JOURNALISTS
    assert _order(_select(html, "outlet"), OUTLETS) == OUTLETS


def test_a_renamed_outlet_moves_to_its_new_place(client, staff, directory):
    outlet = directory["وطن"]
    update_outlet(outlet.id, OutletInput(name="بامداد", kind="newspaper", scope="local", city="وطن"), actor=staff)
    login(client, staff)
    html = client.get("/directory/outlets").get_data(as_text=True)
    expected = ["آفتاب شرق", "ایران", "بامداد", "پیام استان"]
    assert _order(_table(html), expected) == expected


def test_pages_of_the_list_are_consecutive_slices_of_the_order(client, staff, directory):
    from app.services.directory_pages import OutletQuery, outlet_list

    pages = [outlet_list(OutletQuery(), page=n, page_size=4) for n in (1, 2, 3)]
    assert [o.name for page in pages for o, _count in page.rows] == OUTLETS
    assert [page.has_next for page in pages] == [True, True, False]


def test_agencies_are_listed_in_persian_alphabetical_order(app, make_agency, make_user):
    from app.services.agencies import list_agencies
    from app.services.search import filter_agencies

    names = ["آموزش و پرورش", "اداره کل ورزش", "پست", "شرکت گاز", "کتابخانه‌های عمومی", "گمرک", "میراث فرهنگی",
             "ورزش و جوانان", "هواشناسی", "یادمان"]
    for n, name in enumerate(reversed(names)):
        make_agency(slug=f"agency-{n}", name_fa=name)
    listed = [a.name_fa for a in list_agencies(order="name") if a.name_fa in names]
    assert listed == names
    supervisor = make_user(role="supervisor")
    assert [name for _slug, name in filter_agencies(supervisor) if name in names] == names
