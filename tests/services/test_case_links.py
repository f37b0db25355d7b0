"""A case's publication link: a host the public reads (``public_host``), and one page however its address is
spelt (``link_key``), as the project's other address checks read them (app/monitor/address_guard.py,
app/monitor/dedupe.py). A review of session 45's case commands."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from app.services import ServiceError
from app.services.case_workflow import clean_link
from tests.services import case_fixtures

desk = case_fixtures.desk

# Each of these is this machine or its network as a browser reads the address (the WHATWG URL standard:
# an IPv4 address in one to four parts, hex or octal, a final dot; UTS 46 maps full-width digits and the
# ideographic full stop; RFC 6761 keeps the names under «localhost»; an IPv6 form carrying an IPv4 address).
# «http://127.0.0.1/…» was refused and these, the same address, taken.
NOT_PUBLIC = [
    "http://127.1/answers/7",
    "http://0x7f.1/answers/7",
    "http://0177.0.0.1/answers/7",
    "http://127.0.0.1./answers/7",
    "http://10.1/answers/7",
    "http://0xa9.0xfe.0xa9.0xfe/latest",  # 169.254.169.254
    "http://１２７.０.０.１/answers/7",
    "http://news.localhost/answers/7",
    "http://[64:ff9b::7f00:1]/answers/7",  # NAT64 of 127.0.0.1
    "http://[2002:7f00:1::]/answers/7",  # 6to4 of 127.0.0.1
    "http://224.0.0.1/answers/7",  # multicast: no page
]
# Names that reach this machine or its network by their spelling (session 46; no DNS is asked: the machine may
# have none): wildcard DNS answers with the address a name spells, in dots, dashes or hex, and a few names are
# kept at 127.0.0.1 for developers. They were taken as public pages.
NAMES_OF_THIS_NETWORK = [
    "http://127.0.0.1.nip.io/answers/7",
    "http://app.10.0.0.1.nip.io/answers/7",
    "http://portal-192-168-1-20.sslip.io/answers/7",
    "http://7f000001.nip.io/answers/7",
    "http://app-0a000001.nip.io/answers/7",
    "http://--1.sslip.io/answers/7",  # ::1
    "http://127.0.0.1.xip.io./answers/7",
    "http://localtest.me/answers/7",
    "http://water.LOCALTEST.me:8080/answers/7",
    "http://lvh.me/answers/7",
    "http://news.10.1.2.3.example.ir/answers/7",  # a private address spelt under any domain
]
PUBLIC = [
    "https://water.example.ir/news/123",
    "https://آبفا.ایران/اخبار/پاسخ-۵",
    "https://xn--hgbkc4h.xn--mgba3a4f16a/news/1",
    "https://WATER.Example.IR:8443/news/123",
    "http://8.8.8.8/answers/7",
    "http://[2001:4860:4860::8888]/answers/7",
    "https://news_site.example.ir/a",
    "https://8.8.8.8.nip.io/answers/7",  # a public address spelt: a public page
    "https://www.1403.ir/news/12",  # digits in a name spell no address
    "https://news.2024.10.5.example.ir/a",  # three numbers in a row, not four
    "https://deadbeef.example.ir/a",  # hex read as an address under the wildcard services only
    "https://localtest.me.example.ir/a",
    # dashes spell an address under the wildcard services only, as hex does: a site may name itself so
    # (session 46's review: «top-10-20-30-40.ir» was refused, which README's «four labels» does not say)
    "https://top-10-20-30-40.ir/news/1",
    "https://news.khabar-192-168-1-1.example.ir/a",
]


# What clean_link judges is the address as written (no database is read: 0 SQL statements, bench/pytest_cputimes.py);
# the app is there for the Persian messages: run on SQLite alone (one_database).
@pytest.mark.one_database
@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_an_address_of_this_machine_or_its_network_is_refused_however_written(app, url):
    with app.app_context(), pytest.raises(ServiceError, match="نشانی انتشار پاسخ را کامل بنویسید"):
        clean_link(url)


@pytest.mark.one_database
@pytest.mark.parametrize("url", NAMES_OF_THIS_NETWORK)
def test_a_name_spelling_an_address_of_this_machine_or_its_network_is_refused_naming_it(app, url):
    with app.app_context(), pytest.raises(ServiceError, match="به همین رایانه یا شبکهٔ درونی می‌رسد") as refused:
        clean_link(url)
    assert urlsplit(url).hostname in str(refused.value)


@pytest.mark.one_database
@pytest.mark.parametrize("url", PUBLIC)
def test_a_public_site_is_taken(app, url):
    with app.app_context():
        assert clean_link(url).url == url


# One page written as a browser's address bar, a copy from a list or a second typing gives it: the path's Persian
# letters written out or percent-encoded (in either letter case), the host in Persian or its «xn--» form, a
# final dot, the default port, a tracking parameter, a final «/».
PAGE = "https://آبفا.ایران/اخبار/پاسخ-۵?id=5"
SAME_PAGE = [
    "https://آبفا.ایران/%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1/%D9%BE%D8%A7%D8%B3%D8%AE-%DB%B5?id=5",
    "https://آبفا.ایران/%d8%a7%d8%ae%d8%a8%d8%a7%d8%b1/%d9%be%d8%a7%d8%b3%d8%ae-%db%b5?id=5",
    "https://xn--hgbkc4h.xn--mgba3a4f16a/%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1/%D9%BE%D8%A7%D8%B3%D8%AE-%DB%B5?id=5",
    "https://آبفا.ایران./اخبار/پاسخ-۵?id=5",
    "https://آبفا.ایران:443/اخبار/پاسخ-۵?id=5",
    "https://آبفا.ایران/اخبار/پاسخ-۵/?id=5",
    "https://آبفا.ایران/اخبار/پاسخ-۵?id=5&utm_source=telegram",
]
# Other pages: another query, fragment (a page's «#/news/12» route), path or scheme.
OTHER_PAGE = [
    "https://آبفا.ایران/اخبار/پاسخ-۵?id=6",
    "https://آبفا.ایران/اخبار/پاسخ-۵?id=5#/news/12",
    "https://آبفا.ایران/اخبار/پاسخ-۶?id=5",
    "https://آبفا.ایران/اخبار%2Fپاسخ-۵?id=5",  # «%2F» is no «/»
    "http://آبفا.ایران/اخبار/پاسخ-۵?id=5",
]


def test_one_page_however_its_address_is_spelt_is_one_link(desk):
    """The case page keeps it once and a publish after a reopen adds nothing (the re-run: the next test)."""
    from app.services.case_links import link_key
    from app.services.cases import add_publication_link, move

    assert all(link_key(url) == link_key(PAGE) for url in SAME_PAGE), [u for u in SAME_PAGE if link_key(u) != link_key(PAGE)]
    assert all(link_key(url) != link_key(PAGE) for url in OTHER_PAGE)
    case = desk.open("approved")
    move(case, "published", desk.staff, link=PAGE)
    for again in SAME_PAGE:
        with pytest.raises(ServiceError, match="از پیش در نشانی‌های انتشار"):
            add_publication_link(case, again, desk.staff)
    assert [p.url for p in case.publications] == [PAGE]  # the spelling first stored


def test_cases_move_run_again_with_the_page_spelt_another_way_is_already_there(app, desk):
    """`cases move --to published --link` run again with the address copied from the address bar (its Persian
    path percent-encoded) was refused as «another link», without "already"; a link to another page still is."""
    import json

    from app.services.cases import move

    case = desk.open("approved")
    move(case, "published", desk.staff, link=PAGE)
    for again in SAME_PAGE:
        result = app.test_cli_runner().invoke(args=["cases", "move", case.ref, "--to", "published", "--by",
                                                    "water.staff", "--link", again, "--json"])
        data = json.loads(result.stdout)
        assert result.exit_code == 2 and data.get("already") is True, (again, data)
    result = app.test_cli_runner().invoke(args=["cases", "move", case.ref, "--to", "published", "--by", "water.staff",
                                                "--link", OTHER_PAGE[0], "--json"])
    assert result.exit_code == 2 and "already" not in json.loads(result.stdout)


@pytest.mark.one_database
@pytest.mark.parametrize("url", ["https://farsnews.ir:0/news/1", "https://farsnews.ir:00/news/1",
                                 "http://8.8.8.8:0/answers/7"])
def test_port_zero_is_no_port_a_page_is_served_on(app, url):
    """Port 0 names no port (a socket bound to it gets one the system chooses): no published page is
    there, as none is at «:99999» (a review of session 46's commands: «https://farsnews.ir:0/» was taken)."""
    with app.app_context(), pytest.raises(ServiceError, match="نشانی انتشار پاسخ را کامل بنویسید"):
        clean_link(url)
