"""Sheets for the directory import tests: CSV and XLSX bytes from rows, and the directory's state."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from models import AuditEntry, Journalist, JournalistPhone, Outlet

TEMPLATE = ["نام", "رسانه", "سطح رسانه", "شهر", "تلفن", "ایمیل", "حوزه خبری"]


def csv_bytes(rows: list[list[str]], header: list[str] = TEMPLATE, bom: bool = True, delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[list], header: list[str] = TEMPLATE) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def counts() -> tuple[int, int, int, int]:
    """(outlets, journalists, phones, audit entries)."""
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count(m.id))) for m in (Outlet, Journalist, JournalistPhone, AuditEntry))


def directory() -> dict:
    """The directory as comparable data: outlets (scope, city), journalists (outlets, phones, e-mail, beat)."""
    db.session.expire_all()
    outlets = {o.name: (o.scope, o.city) for o in db.session.scalars(select(Outlet))}
    journalists = {j.name: (tuple(sorted(o.name for o in j.outlets)), tuple(sorted(p.e164 for p in j.phones)),
                            j.email, j.beat) for j in db.session.scalars(select(Journalist))}
    return {"outlets": outlets, "journalists": journalists}


@pytest.fixture
def cli(app):
    """`flask --app app directory …` run by the test: the result, its exit status checked."""
    runner = app.test_cli_runner()

    def run(*args: str, status: int = 0):
        result = runner.invoke(args=["directory", *args])
        assert result.exit_code == status, (result.output, result.exception)
        return result

    return run
