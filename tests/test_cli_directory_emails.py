"""A journalist's e-mail address as people paste it (session 48): copied from a mail client's «To» field
(«رضا <reza@example.ir>»), from a page's link («mailto:…»), typed with a Persian keyboard's full-width «＠»,
or at the end of a sentence («…ir.»). `directory import` refused the whole file for such a cell and the
journalist form refused the field: the address is there, whole, and is now read out of it. What holds two
addresses, or spaces inside one, is still refused in Persian, and nothing is stored."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.directory_journalists import JournalistInput, check_journalist
from models import Journalist
from tests.services.directory_files import csv_bytes
from tests.test_cli_directory import _import, cli  # noqa: F401 - cli is a fixture

PASTED = [
    ("mailto:Reza@Example.ir", "Reza@example.ir"),
    ("MAILTO:ali@example.ir?subject=سلام", "ali@example.ir"),
    ("رضا کریمی <reza2@example.ir>", "reza2@example.ir"),
    ('"Reza K." <reza3@example.ir>', "reza3@example.ir"),
    ("<reza4@example.ir>", "reza4@example.ir"),
    ("reza5＠example.ir", "reza5@example.ir"),
    ("reza6@example.ir.", "reza6@example.ir"),
    # a link's address is percent-encoded (RFC 6068): «%72» stored as typed was no address of his, «%40» refused
    ("mailto:%72eza7@example.ir", "reza7@example.ir"),
    ("mailto:reza8%40example.ir?subject=%D8%B3%D9%84%D8%A7%D9%85", "reza8@example.ir"),
]


def test_addresses_pasted_from_a_mail_client_or_a_link_are_imported(cli, tmp_path):
    rows = [[f"خبرنگار {n}", "رادیو جوان", "محلی", "", "", pasted, ""] for n, (pasted, _stored) in enumerate(PASTED)]
    path = tmp_path / "emails.csv"
    path.write_bytes(csv_bytes(rows))
    data, _stderr = _import(cli, path)
    assert data["errors"] == [] and data["journalists_new"] == len(PASTED), data
    db.session.expire_all()
    stored = dict(db.session.execute(select(Journalist.name, Journalist.email)).all())
    assert [stored[f"خبرنگار {n}"] for n in range(len(PASTED))] == [email for _pasted, email in PASTED]


@pytest.mark.parametrize(("pasted", "email"), PASTED)
def test_the_journalist_form_reads_the_same_addresses(app, pasted, email):
    assert check_journalist(JournalistInput(name="خبرنگار", email=pasted)).email == email


@pytest.mark.parametrize("pasted", ["a@b.ir; c@d.ir", "reza @ example . ir", "رضا <reza@example.ir", "mailto:",
                                    "mailto:a@b.ir%2Cc@d.ir"])
def test_what_is_not_one_address_is_still_refused_and_nothing_is_stored(cli, tmp_path, pasted):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([["خبرنگار", "رادیو جوان", "محلی", "", "09121234567", pasted, ""]]))
    data, _stderr = _import(cli, path, status=2)
    assert [e["column"] for e in data["errors"]] == ["ایمیل"] and "درستی نیست" in data["errors"][0]["message"], data
    assert db.session.scalar(select(Journalist.id)) is None
