"""The parts of a line (an agency, a period, a date) are parted by «، » on a Persian page: a middle
dot beside a Persian digit reads as that script's zero, «آب و فاضلاب · آذر ۱۴۰۵» as «… ۰ آذر ۱۴۰۵»
and «۱۴۰۵-۰۰۰۰۰۳ · زمان …» as «۰۱۴۰۵-…» (session 42's walk). An English page keeps « · »."""
from __future__ import annotations

import re

from tests.conftest import csrf_token, login


def test_a_line_is_parted_by_a_persian_comma_on_a_persian_page(client, make_agency, make_user):
    login(client, make_user("manager", make_agency(slug="water", name_fa="آب و فاضلاب", name_en="Water")))
    heading = re.search(r"<h1.*?</h1>", client.get("/agency-dashboard").get_data(as_text=True), re.DOTALL).group(0)
    assert "</bdi>، " in heading and "·" not in heading
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    heading = re.search(r"<h1.*?</h1>", client.get("/agency-dashboard").get_data(as_text=True), re.DOTALL).group(0)
    assert "</bdi> · " in heading
