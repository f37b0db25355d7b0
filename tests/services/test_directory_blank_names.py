"""The directory's forms: a name of invisible characters only (ZWNJ, ZWJ, bidi marks, no-break
spaces, tatweel) is an empty name, as in the import (the forms stored a journalist nobody sees)."""
from __future__ import annotations

import pytest

from app.services.directory import InvalidInput, OutletInput, create_outlet
from app.services.directory_journalists import JournalistInput, create_journalist


@pytest.fixture
def staff(app, make_user):
    with app.test_request_context():
        yield make_user(role="staff")


@pytest.mark.parametrize("name", ["\u200c", "\u200d\u200f", "\u00a0ـ", "\u200e\u0640\u200c"])
def test_a_name_of_invisible_characters_only_is_refused_as_empty(staff, name):
    with pytest.raises(InvalidInput) as refused:
        create_journalist(JournalistInput(name=name), actor=staff)
    assert set(refused.value.errors) == {"name"}
    with pytest.raises(InvalidInput) as refused:
        create_outlet(OutletInput(name=name), actor=staff)
    assert set(refused.value.errors) == {"name"}
