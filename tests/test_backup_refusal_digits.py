"""`restore` onto a PostgreSQL database that is not empty says its count of tables in Persian digits
(«۵۲ جدول»), as every other count in a Persian message (it said «52 جدول»; session 43's sweep)."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.services import ServiceError
from app.services.backup import _require_empty_target


def test_the_tables_are_counted_in_persian_digits(app, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the count of tables is said for PostgreSQL")
    with pytest.raises(ServiceError) as refused:
        _require_empty_target(tmp_path / "empty", "postgresql", str(db.engine.url))
    message = str(refused.value)
    assert "جدول دارد" in message and not any(char.isascii() and char.isdigit() for char in message), message
