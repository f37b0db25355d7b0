"""A case's publication link: a host the public reads (``public_host``), and one page however its address is
spelt (``link_key``), as the project's other address checks read them (app/monitor/address_guard.py,
app/monitor/dedupe.py). A review of session 45's case commands."""
from __future__ import annotations

import pytest

from app.services import ServiceError
from app.services.case_workflow import clean_link

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
PUBLIC = [
    "https://water.example.ir/news/123",
    "https://آبفا.ایران/اخبار/پاسخ-۵",
    "https://xn--hgbkc4h.xn--mgba3a4f16a/news/1",
    "https://WATER.Example.IR:8443/news/123",
    "http://8.8.8.8/answers/7",
    "http://[2001:4860:4860::8888]/answers/7",
    "https://news_site.example.ir/a",
]


@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_an_address_of_this_machine_or_its_network_is_refused_however_written(app, url):
    with app.app_context(), pytest.raises(ServiceError, match="نشانی انتشار پاسخ را کامل بنویسید"):
        clean_link(url)


@pytest.mark.parametrize("url", PUBLIC)
def test_a_public_site_is_taken(app, url):
    with app.app_context():
        assert clean_link(url).url == url
